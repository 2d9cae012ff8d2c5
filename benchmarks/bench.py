"""Benchmarks: the map's server time, bytes and browser time; analysis; import.

Run with ``python -m benchmarks`` (``make bench``). The map's bytes are everything the browser
receives for one map (the resources: boundaries as a topology, area texts, facilities,
overlay; and the spec), compared with a plain folium page of the same data and with the
physical lower bound; Leaflet and the renderer (loaded once, cached) are counted apart.
"""

from __future__ import annotations

import time

from dashboard.analysis.population import Populations
from dashboard.config import get_settings
from dashboard.data.boundaries import DistrictData, load_layer
from dashboard.data.boundaries import load_district_data as _load
from dashboard.render.web.assets import BUNDLES, STATIC_DIR


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


def asset_bytes() -> int:
    """Leaflet (JS, CSS) and the renderer (HTML, JS, CSS): loaded once, then cached."""
    leaflet = BUNDLES["leaflet"]
    files = [leaflet / "leaflet.js", leaflet / "leaflet.css", *STATIC_DIR.iterdir()]
    return sum(f.stat().st_size for f in files if f.is_file())


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


def _fmt_ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _map_rows(repeat: int, browser: bool, state: bool) -> list[str]:
    from benchmarks.bench_map import analysis_seconds, benchmark_cases, measure

    cases = benchmark_cases(state)
    rows = [
        "| case | ours: build (s) | ours: update (s) | ours: bytes | lower bound (bytes) "
        "| ours / bound | ours: browser (ms) | plain folium: build (s) | plain: bytes "
        "| plain: browser (ms) | bytes plain/ours |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    analysis = []
    for case in cases:
        gem_s, vg_s = analysis_seconds(case)
        analysis.append(f"| {case.name} | {gem_s:.2f} | {vg_s:.2f} |")
        r = measure(case, repeat if "district" in case.name else max(1, repeat // 2), browser)
        rows.append(
            f"| {r['case']} | {r['ours_s']:.3f} | {r['update_s']:.3f} | {r['ours_bytes']:,} "
            f"| {r['bound_bytes']:,} | {r['ours_bytes'] / r['bound_bytes']:.2f} "
            f"| {_fmt_ms(r['ours_ms'])} | {r['plain_s']:.2f} | {r['plain_bytes']:,} "
            f"| {_fmt_ms(r['plain_ms'])} | {r['plain_bytes'] / r['ours_bytes']:.1f}x |"
        )
    rows += [
        "",
        f"Leaflet and the renderer, loaded once and cached: {asset_bytes():,} bytes.",
        "",
        "| Versorgungsanalyse, all 18 selections (measures + flags) | Gemeinde level (s) | VG level (s) |",
        "|---|---:|---:|",
        *analysis,
    ]
    return rows


def _update_rows(repeat: int) -> list[str]:
    from benchmarks.bench_update import filter_change_ms

    timing = filter_change_ms(max(4, repeat * 2))
    if timing is None:
        return ["filter change → map drawn: skipped (no chromium or Playwright)"]
    before, after = timing.counts
    return [
        "| map page, filter change → map drawn (running app, chromium) | median (ms) "
        "| min – max (ms) | of which in the map, median (ms) | changes | zoom and centre kept |",
        "|---|---:|---:|---:|---:|---|",
        f"| category filter on/off ({before} ↔ {after} offers) | {timing.median_ms:,.0f} "
        f"| {min(timing.samples):,.0f} – {max(timing.samples):,.0f} | {timing.map_ms:,.0f} "
        f"| {len(timing.samples)} | {'yes' if timing.view_kept else 'NO'} |",
    ]


def run_benchmarks(repeat: int = 7, browser: bool = True, state: bool = True) -> str:
    """Run the benchmark cases and return Markdown tables.

    Parameters
    ----------
    repeat
        Warm runs per case; the median is reported.
    browser
        Also time the map in headless chromium (until polygons and markers are drawn) and
        a filter change in the running app.
    state
        Include the state-sized case (all Gemeinden of Rheinland-Pfalz, 30,000 synthetic
        facilities; needs the npm package in the cache or npm).

    Returns
    -------
    str
        Markdown tables: the atlas map cases against plain folium and the lower bound, the
        filter change in the app, the analysis, and the 1,000-row import.
    """
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    lines = _map_rows(repeat, browser, state)
    if browser:
        lines += ["", *_update_rows(repeat)]
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
