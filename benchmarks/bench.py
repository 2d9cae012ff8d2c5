"""Benchmarks: server time to build the map page's map and bytes sent to the browser.

Run with ``python -m dashboard bench``. The payload is what streamlit-folium sends to
its component (script, HTML, header, asset links) captured at the component call,
plus the asset files the browser loads once (reported separately).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import folium

from dashboard.analysis.population import Populations
from dashboard.config import CURRENT_VINTAGE, get_settings
from dashboard.data.boundaries import DistrictData, load_layer
from dashboard.data.boundaries import load_district_data as _load
from dashboard.render.web.assets import KNOWN_ASSETS
from dashboard.render.web.basemap import build_district_map

#: Any URL prefix works for measuring; the app uses relative component URLs.
_BENCH_BASE_URLS = {"leaflet": "../leaflet", "markercluster": "../markercluster"}


def _shipped_populations(data: DistrictData) -> Populations:
    import tempfile
    from pathlib import Path

    from dashboard.data.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        values = Store(Path(tmp) / "bench.gpkg", get_settings().datasets_dir).indicators()
    return Populations(values, data.membership)


def load_district_data() -> DistrictData:
    """Load the shipped data as the app does (web geometries)."""
    return _load(get_settings())


def component_payload(m: folium.Map) -> dict[str, Any]:
    """The arguments streamlit-folium sends to the browser for a map.

    Parameters
    ----------
    m
        The map.

    Returns
    -------
    dict
        Keyword arguments of the component call (JSON-serialisable parts only).
    """
    import streamlit_folium

    captured: dict[str, Any] = {}

    def capture(**kwargs: Any) -> dict[str, Any]:
        captured.update({k: v for k, v in kwargs.items() if not callable(v)})
        return {}

    original = streamlit_folium._component_func
    streamlit_folium._component_func = capture
    try:
        streamlit_folium.st_folium(m, key="bench", returned_objects=[])
    finally:
        streamlit_folium._component_func = original
    return captured


def _median_seconds(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _asset_bytes() -> int:
    return sum(a.path.stat().st_size for a in KNOWN_ASSETS.values() if a and a.bundle == "leaflet")


def bench_import(rows: int = 1000) -> tuple[float, float, int]:
    """Time a synthetic German-office CSV import (Windows-1252, ``;``, decimal commas).

    Returns
    -------
    tuple
        Seconds to read + validate + geocode (plan), seconds to write, rows written.
    """
    import tempfile
    from pathlib import Path

    from benchmarks.synthetic import german_office_csv, random_points_in
    from dashboard.data.importer import changes_of, default_geocoder, plan_file
    from dashboard.data.store import Store

    settings = get_settings()
    points = random_points_in(load_layer(settings.geodata_dir, "gemeinden"), rows, seed=1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "liste.csv"
        path.write_bytes(german_office_csv(points, seed=1))
        store = Store(Path(tmp) / "bench.gpkg", settings.datasets_dir)
        geocoder = default_geocoder(settings)
        start = time.perf_counter()
        plan = plan_file(path, store.facilities(), geocoder)
        planned = time.perf_counter()
        written = store.apply(changes_of(plan), "bench")
        done = time.perf_counter()
    return planned - start, done - planned, written


def _map_rows(repeat: int, browser: bool, state: bool) -> list[str]:
    import tempfile
    from pathlib import Path

    from benchmarks.bench_map import analysis_seconds, district_case, measure, state_case
    from benchmarks.synthetic import random_points_in, synthetic_located
    from dashboard.data.locate import located_facilities
    from dashboard.data.store import Store

    settings = get_settings()
    data = load_district_data()
    full = load_layer(settings.geodata_dir, "gemeinden")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.gpkg", settings.datasets_dir)
        shipped = located_facilities(store.facilities(), settings)
        values = store.indicators()
    synthetic = synthetic_located(random_points_in(full, 1000, seed=2), data.membership, seed=2)
    cases = [
        district_case(
            data, full, shipped, values, f"district, shipped data ({len(shipped)} facilities)"
        ),
        district_case(data, full, synthetic, values, "district, 1,000 synthetic facilities"),
    ]
    if state:
        cases.append(state_case(settings))
    rows = [
        "| case | ours: build (s) | ours: bytes | ours: browser (ms) | plain folium: build (s) "
        "| plain: bytes | plain: browser (ms) | bytes plain/ours |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    analysis = []
    for case in cases:
        gem_s, vg_s = analysis_seconds(case)
        analysis.append(f"| {case.name} | {gem_s:.2f} | {vg_s:.2f} |")
        r = measure(case, repeat if "district" in case.name else max(1, repeat // 2), browser)
        fmt_ms: Callable[[float | None], str] = lambda v: "–" if v is None else f"{v:,.0f}"  # noqa: E731
        rows.append(
            f"| {r['case']} | {r['ours_s']:.3f} | {r['ours_bytes']:,} | {fmt_ms(r['ours_ms'])} "
            f"| {r['plain_s']:.2f} | {r['plain_bytes']:,} | {fmt_ms(r['plain_ms'])} "
            f"| {r['plain_bytes'] / r['ours_bytes']:.1f}x |"
        )
    rows += [
        "",
        "| Versorgungsanalyse, all 18 selections (measures + flags) | Gemeinde level (s) | VG level (s) |",
        "|---|---:|---:|",
        *analysis,
    ]
    return rows


def run_benchmarks(repeat: int = 7, browser: bool = True, state: bool = True) -> str:
    """Run the benchmark cases and return Markdown tables.

    Parameters
    ----------
    repeat
        Warm runs per case; the median is reported.
    browser
        Also time the map in headless chromium (until polygons and markers are drawn).
    state
        Include the state-sized case (all Gemeinden of Rheinland-Pfalz, 30,000 synthetic
        facilities; needs the npm package in the cache or npm).

    Returns
    -------
    str
        Markdown tables: the district map of the first page, the atlas map cases against
        plain folium, and the 1,000-row import.
    """
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    data = load_district_data()
    populations = _shipped_populations(data)

    def build() -> dict[str, Any]:
        m = build_district_map(
            data, CURRENT_VINTAGE, asset_base_urls=_BENCH_BASE_URLS, populations=populations
        )
        return component_payload(m)

    seconds = _median_seconds(build, repeat)
    payload = json.dumps(build(), ensure_ascii=False).encode("utf-8")
    lines = [
        "| boundaries map | map build + payload, median (s) | payload per map (bytes) | assets, once (bytes) |",
        "|---|---:|---:|---:|",
        f"| district map, vintage {CURRENT_VINTAGE} (50 Gemeinden, 6 VGs, city) | {seconds:.3f} | "
        f"{len(payload):,} | {_asset_bytes():,} |",
        "",
        *_map_rows(repeat, browser, state),
    ]
    plan_s, write_s, written = bench_import(1000)
    lines += [
        "",
        "| import | read + validate + geocode (s) | write, one transaction (s) | rows written |",
        "|---|---:|---:|---:|",
        f"| synthetic CSV, 1,000 rows, Windows-1252, `;`, decimal comma | {plan_s:.2f} | "
        f"{write_s:.2f} | {written:,} |",
    ]
    if browser:  # the presentation's step time (benchmarks/bench_presentation.py)
        from benchmarks.bench_presentation import presentation_rows

        lines += ["", *presentation_rows(max(1, repeat // 2))]
    return "\n".join(lines)
