"""Map benchmarks: the district and a state-sized synthetic case, against plain folium.

Cases: the district with the shipped data and with 1,000 synthetic facilities; a
state-sized case built from all Gemeinden of Rheinland-Pfalz in the BKG package with
30,000 synthetic facilities; and for each a plain folium page (one ``folium.Marker`` per
facility, unsimplified polygons) as the reference, plus the physical lower bound of the
bytes (the coordinates alone at display precision). Synthetic data is generated here,
for measuring only.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element

from dashboard.analysis.classify import build_choropleth
from dashboard.analysis.population import Populations
from dashboard.config import CRS_DISPLAY, CRS_METRIC, Settings
from dashboard.data.boundaries import DistrictData
from dashboard.render.web.assets import Asset, asset_url
from dashboard.render.web.atlas import MapSpec, build_atlas_map, map_args
from dashboard.render.web.html_export import standalone_html
from dashboard.render.web.topology import GRID_DEGREES, build_topology

STATE_TOLERANCE_M = 100.0


# -- the plain folium page, pointed at the same Leaflet files ----------------------------------
# folium elements declare their JavaScript and CSS as CDN URLs in ``default_js`` and
# ``default_css``; :func:`localize` rewrites them, element by element, to local files (or
# inline ``data:`` URLs) and refuses any asset it does not know, so the reference page
# makes no request to another host either.
#: folium asset names -> local file; ``None`` means "not needed, drop it".
KNOWN_ASSETS: dict[str, Asset | None] = {
    "leaflet": Asset("leaflet", "leaflet.js"),
    "leaflet_css": Asset("leaflet", "leaflet.css"),
    # folium's Map pulls these for Bootstrap popups and awesome-markers icons; the
    # dashboard draws its own symbols, so they are dropped rather than fetched.
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}


class UnknownAssetError(ValueError):
    """An element wants a browser asset that no installed package provides."""


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


def localize(root: Element, base_urls: dict[str, str] | None) -> list[str]:
    """Point every asset of a folium element tree at local files, in place.

    Parameters
    ----------
    root
        A ``folium.Map`` (or any element); all descendants are visited.
    base_urls
        See :func:`asset_url`.

    Returns
    -------
    list of str
        The asset URLs now in use, in load order, without duplicates.

    Raises
    ------
    UnknownAssetError
        If an element declares an asset that is not in :data:`KNOWN_ASSETS`.
    """
    used: dict[str, None] = {}
    for element in _walk(root):
        for attr in ("default_js", "default_css"):
            declared = getattr(element, attr, None)
            if not declared:
                continue
            local: list[tuple[str, str]] = []
            for name, url in declared:
                if name not in KNOWN_ASSETS:
                    raise UnknownAssetError(
                        f"{type(element).__name__} needs asset {name!r} ({url}); "
                        "no installed package provides it"
                    )
                asset = KNOWN_ASSETS[name]
                if asset is None:
                    continue
                local_url = asset_url(asset, base_urls)
                local.append((name, local_url))
                used[local_url] = None
            setattr(element, attr, local)
    return list(used)


@dataclass
class MapCase:
    """One benchmark case: data for our page and for the plain folium reference."""

    name: str
    data: DistrictData
    full_gemeinden: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    values: pd.DataFrame


class Measurement(TypedDict):
    """One row of the map benchmark: ours vs plain folium (browser times ``None`` if skipped)."""

    case: str
    ours_s: float
    update_s: float
    ours_bytes: int
    bound_bytes: int
    plain_s: float
    plain_bytes: int
    ours_ms: float | None
    plain_ms: float | None
    reference_ms: float | None


def _population_values(population: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_level": "gemeinde",
            "area_key": population["ags"],
            "area_name": population["name"],
            "indicator": "population",
            "value": population["population"].astype(float),
            "unit": "persons",
            "reference_date": population["population_date"],
            "source": population["population_source"],
            "note": "",
        }
    )


def state_case(settings: Settings, n_facilities: int = 30_000, seed: int = 3) -> MapCase:
    """All Gemeinden of Rheinland-Pfalz (real BKG geometry) with synthetic facilities.

    VGs are the Verwaltungsgemeinschaften of the regional key (first 9 digits);
    population is synthetic. The processed geometry is cached outside git.
    """
    from benchmarks.synthetic import random_points_in, synthetic_located
    from dashboard.build.vg250 import read_vg250

    cache = settings.cache_dir / "bench"
    full_path, web_path = cache / "rlp_gemeinden_full.parquet", cache / "rlp_gemeinden_web.parquet"
    if not full_path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        src = read_vg250(None, settings.cache_dir).gemeinden
        rlp = src[src["AGS"].str.startswith("07")]
        geoms = rlp.groupby("AGS").geometry.apply(lambda s: shapely.union_all(s.to_numpy()))
        attrs = rlp.drop(columns="geometry").groupby("AGS").first()
        full = gpd.GeoDataFrame(
            {"ags": geoms.index, "rs": attrs.loc[geoms.index, "RS"].to_numpy(), "name": attrs.loc[geoms.index, "GEN"].to_numpy()},
            geometry=geoms.to_numpy(), crs=CRS_DISPLAY,
        )  # fmt: skip
        full["geometry"] = full.geometry.make_valid()
        metric = full.to_crs(CRS_METRIC)
        web = full.copy()
        web["geometry"] = (
            gpd.GeoSeries(
                shapely.coverage_simplify(metric.geometry.to_numpy(), STATE_TOLERANCE_M),
                crs=CRS_METRIC,
            )
            .to_crs(CRS_DISPLAY)
            .to_numpy()
        )
        full.to_parquet(full_path)
        web.to_parquet(web_path)
    full, web = gpd.read_parquet(full_path), gpd.read_parquet(web_path)
    web["kind"] = "Gemeinde"
    rng = np.random.default_rng(seed)
    vg_key = full["rs"].str[:9]
    membership = pd.DataFrame({"ags": full["ags"], "name": full["name"], "kind": "Gemeinde"})
    for v in (2013, 2014, 2019):
        membership[f"vg_{v}"] = "VG " + vg_key
        membership[f"vg_rs_{v}"] = vg_key
    population = pd.DataFrame(
        {
            "ags": full["ags"],
            "name": full["name"],
            "population": rng.integers(150, 25_000, len(full)),
            "population_date": "2024-12-31",
            "population_source": "synthetisch (Benchmark)",
        }
    )
    web_vg = web.assign(rs=vg_key.to_numpy()).dissolve(by="rs", as_index=False)
    web_vg = web_vg.assign(
        name="VG " + web_vg["rs"],
        n_gemeinden=web.groupby(vg_key.to_numpy()).size().reindex(web_vg["rs"]).to_numpy(),
        area_km2=0.0,
        vintage=2019,
    )
    city = web[web["ags"] == "07312000"].assign(kind="Kreisfreie Stadt")
    outline = gpd.GeoDataFrame(
        {"name": ["Rheinland-Pfalz"]},
        geometry=[shapely.union_all(web.geometry.to_numpy())],
        crs=CRS_DISPLAY,
    )
    data = DistrictData(
        vgs={v: web_vg for v in (2013, 2014, 2019)}, gemeinden=web, city=city, outline=outline,
        population=population, membership=membership, config=settings.district,
    )  # fmt: skip
    points = random_points_in(full, n_facilities, seed=seed, inset_m=5.0)
    return MapCase(f"Rheinland-Pfalz ({len(full):,} Gemeinden), {n_facilities:,} synthetic facilities",
                   data, full, synthetic_located(points, membership, seed), _population_values(population))  # fmt: skip


def district_case(
    data: DistrictData,
    full: gpd.GeoDataFrame,
    facilities: gpd.GeoDataFrame,
    values: pd.DataFrame,
    name: str,
) -> MapCase:
    """The district with the given facilities."""
    return MapCase(name, data, full, facilities, values)


def build_ours(case: MapCase) -> MapSpec:
    """Our map for a case, every resource made anew: VG overlay of population, facilities."""
    keys = list(case.data.vgs[2019]["rs"])
    ch = build_choropleth(case.values, case.data.membership, keys, "population", "vg", 2019)
    return build_atlas_map(
        case.data, 2019, "de", located=case.facilities, choropleth=ch,
        populations=Populations(case.values, case.data.membership),
    )  # fmt: skip


def update_ours(case: MapCase, spec: MapSpec) -> dict[str, object]:
    """What a filter change costs the server once the resources are cached: the spec with
    a new mask (here: every second facility shown)."""
    names = {r.name.split("-")[0]: r for r in spec.resources}
    pts = case.facilities[case.facilities.geometry.notna()]
    shown = pts.iloc[::2]
    mask = np.zeros(len(pts), dtype=bool)
    mask[::2] = True
    return map_args(
        case.data, 2019, "de", topo=names["topo"], areas=names["areas"],
        facilities=names["fac"], overlay=names["overlay"], choropleth=None, shown=shown,
        mask=mask,
    )  # fmt: skip


def spec_bytes(spec: MapSpec) -> int:
    """Bytes the browser receives for a map: every resource and the spec (UTF-8 JSON)."""
    args = json.dumps(spec.args, ensure_ascii=False, separators=(",", ":"))
    return sum(len(r.text.encode()) for r in spec.resources) + len(args.encode())


def lower_bound_bytes(case: MapCase) -> int:
    """The physical lower bound: the coordinates alone, as decimal text at display
    precision, each once: every facility at 5 decimals (about 1 m) and every distinct
    boundary vertex (shared borders once) on the display grid of 4 decimals (about 10 m),
    each number followed by one separator."""
    layers = {"gemeinden": case.data.gemeinden, "city": case.data.city}
    layers.update({f"vg_{v}": g for v, g in case.data.vgs.items()})
    topo = build_topology(layers)
    pts = np.unique(np.concatenate(topo.arcs), axis=0)
    lon = np.round(topo.origin[0] + pts[:, 0] * GRID_DEGREES, 4)
    lat = np.round(topo.origin[1] + pts[:, 1] * GRID_DEGREES, 4)
    located = case.facilities[case.facilities.geometry.notna()]
    flat = [
        *(f"{v:.4f}" for v in lon), *(f"{v:.4f}" for v in lat),
        *(f"{v:.5f}" for v in located.geometry.x), *(f"{v:.5f}" for v in located.geometry.y),
    ]  # fmt: skip
    return sum(len(x) + 1 for x in flat)


def build_plain(
    case: MapCase, base_urls: dict[str, str] | None = None, localize_assets: bool = False
) -> folium.Map:
    """The reference: plain folium, unsimplified polygons, one Marker per facility."""
    m = folium.Map(location=[49.45, 7.7], zoom_start=10, tiles=None)
    folium.GeoJson(
        case.full_gemeinden[["name", "geometry"]], tooltip=folium.GeoJsonTooltip(["name"])
    ).add_to(m)
    pts = case.facilities[case.facilities.geometry.notna()]
    for name, geom in zip(pts["name"], pts.geometry, strict=True):
        folium.Marker([geom.y, geom.x], tooltip=name, popup=name).add_to(m)
    if localize_assets:
        localize(m, base_urls)
    return m


def _median(fn: Callable[[], object], repeat: int) -> float:
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def browser_ms(html: str, condition: str, timeout_ms: int = 180_000) -> float | None:
    """Milliseconds from navigation start until ``condition`` holds, in headless chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import shutil

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "map.html"
        page_path.write_text(html, encoding="utf-8")
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=exe,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("http*://**/*", lambda r: r.abort())
            page.goto(page_path.as_uri(), wait_until="commit")
            page.wait_for_function(condition, polling="raf", timeout=timeout_ms)
            ms = float(page.evaluate("performance.now()"))
            browser.close()
    return ms


OURS_DRAWN = (
    "() => { const m = document.getElementById('map'); return !!m && "
    "m.getAttribute('data-ia-drawn') !== null && Number(m.getAttribute('data-ia-vg')) > 0 && "
    "document.querySelectorAll('.ia-cluster, .ia-fac').length > 0; }"
)
PLAIN_DRAWN = (
    "() => document.querySelectorAll('path.leaflet-interactive').length > 0 && "
    "document.querySelectorAll('.leaflet-marker-icon').length > 0"
)


def measure(
    case: MapCase, repeat: int, browser: bool, reference_html: str | None = None
) -> Measurement:
    """Server build time (median), bytes sent, lower bound and browser time, ours vs plain
    folium (and vs ``reference_html``, the same map drawn by an earlier revision), the
    browser runs alternating in the same run."""
    ours_s = _median(lambda: build_ours(case), repeat)
    spec = build_ours(case)
    update_s = _median(lambda: update_ours(case, spec), repeat)
    plain_runs = max(1, min(repeat, 3))
    plain_s = _median(lambda: build_plain(case).get_root().render(), plain_runs)
    plain_bytes = len(build_plain(case).get_root().render().encode())
    result: Measurement = {
        "case": case.name, "ours_s": ours_s, "update_s": update_s, "ours_bytes": spec_bytes(spec),
        "bound_bytes": lower_bound_bytes(case), "plain_s": plain_s, "plain_bytes": plain_bytes,
        "ours_ms": None, "plain_ms": None, "reference_ms": None,
    }  # fmt: skip
    if browser:
        ours_html = standalone_html(spec)
        plain_html = build_plain(case, None, localize_assets=True).get_root().render()
        ours, plain, reference = [], [], []
        for _ in range(max(5, repeat)):  # alternating, in the same run
            ours.append(browser_ms(ours_html, OURS_DRAWN))
            if reference_html is not None:
                reference.append(browser_ms(reference_html, OURS_DRAWN))
            plain.append(browser_ms(plain_html, PLAIN_DRAWN))
        if None not in ours and None not in plain:
            result["ours_ms"] = statistics.median(x for x in ours if x is not None)
            result["plain_ms"] = statistics.median(x for x in plain if x is not None)
        if reference and None not in reference:
            result["reference_ms"] = statistics.median(x for x in reference if x is not None)
    return result


def analysis_seconds(case: MapCase, repeat: int = 3) -> tuple[float, float]:
    """Median seconds of the full Versorgungsanalyse (all categories and Handlungsfelder,
    measures + flags) at Gemeinde and at VG level."""
    from dashboard.analysis.gaps import gap_flags, make_areas, measures

    pop = case.data.population.set_index("ags")["population"]
    city = case.data.city if "district" in case.name else None  # the state: a Gemeinde
    areas = make_areas(case.full_gemeinden, pop, case.data.membership, city=city)
    vintage = areas.current_vintage

    def run(level: str) -> None:
        gap_flags(measures(areas, case.facilities, None, vintage=vintage, level=level), None)

    return _median(lambda: run("gemeinde"), repeat), _median(lambda: run("vg"), repeat)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def benchmark_cases(state: bool = True) -> list[MapCase]:
    """The map benchmark's cases: the district with the shipped data and with 1,000
    synthetic offers (seed 2), and (``state``) the state-sized case."""
    from benchmarks.bench import load_district_data
    from benchmarks.synthetic import random_points_in, synthetic_located
    from dashboard.config import get_settings
    from dashboard.data.boundaries import load_layer
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
            data, full, shipped, values, f"district, shipped data ({len(shipped)} offers)"
        ),
        district_case(data, full, synthetic, values, "district, 1,000 synthetic offers"),
    ]
    if state:
        cases.append(state_case(settings))
    return cases


def map_rows(repeat: int = 7, state: bool = True, reference: str | None = None) -> list[str]:
    """Markdown rows: the map cases, ours (and today's map at ``reference``, a git
    revision, for the district with 1,000 offers) against plain folium, in one run."""
    from benchmarks.reference import reference_standalone, reference_tree

    reference_html = None
    if reference:
        with tempfile.TemporaryDirectory() as tmp, reference_tree(reference) as tree:
            out = reference_standalone(tree, 1000, Path(tmp) / "reference.html")
            reference_html = out.read_text(encoding="utf-8")
    cases = benchmark_cases(state)
    rows = [
        "| case | ours: build (s) | ours: update (s) | ours: bytes | lower bound (bytes) "
        "| ours: browser (ms) | today's map: browser (ms) | plain folium: browser (ms) "
        "| plain: build (s) | plain: bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        with_reference = reference_html if "1,000" in case.name else None
        r = measure(case, repeat if "district" in case.name else max(1, repeat // 2), True,
                    with_reference)  # fmt: skip
        rows.append(
            f"| {r['case']} | {r['ours_s']:.3f} | {r['update_s']:.3f} | {r['ours_bytes']:,} "
            f"| {r['bound_bytes']:,} | {_ms(r['ours_ms'])} | {_ms(r['reference_ms'])} "
            f"| {_ms(r['plain_ms'])} | {r['plain_s']:.2f} | {r['plain_bytes']:,} |"
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.bench_map``: print the Markdown table."""
    import argparse

    from benchmarks.reference import REFERENCE_REVISION

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs per case (median)")
    parser.add_argument("--no-state", action="store_true", help="leave out the state case")
    parser.add_argument(
        "--reference", default=REFERENCE_REVISION, help="git revision measured beside (today's map)"
    )
    parser.add_argument("--no-reference", action="store_true", help="this revision only")
    args = parser.parse_args(argv)
    reference = None if args.no_reference else args.reference
    print("\n".join(map_rows(args.repeat, not args.no_state, reference)))


if __name__ == "__main__":
    main()
