"""Load the processed boundaries of ``geodata/``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.config import CRS_DISPLAY, District, Settings

LAYERS = ("gemeinden", "landkreis", "context")
#: Columns of an area layer, also when it has no features (a district without context).
_AREA_COLUMNS = ("ags", "rs", "name", "kind", "area_km2")


def load_layer(geodata_dir: Path, name: str, web: bool = False) -> gpd.GeoDataFrame:
    """Read one boundary layer.

    Parameters
    ----------
    geodata_dir
        The ``geodata/`` folder.
    name
        ``gemeinden``, ``landkreis``, ``context`` (the context areas beside the district,
        possibly none) or ``vg_<vintage>``.
    web
        ``True`` for the coverage-simplified version sent to browsers, ``False`` for
        full resolution (analysis).

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326; keys (``ags``, ``rs``) as strings.
    """
    if name not in LAYERS and not re.fullmatch(r"vg_\d{4}", name):
        raise ValueError(f"unknown layer {name!r}; expected one of {[*LAYERS, 'vg_<vintage>']}")
    path = geodata_dir / ("web" if web else "") / f"{name}.geojson"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; run python -m dashboard build-geodata")
    gdf = gpd.read_file(path, datetime_as_string=True)
    if gdf.empty:
        missing = [c for c in _AREA_COLUMNS if c not in gdf.columns]
        gdf = gdf.assign(**{c: pd.Series(dtype=str) for c in missing})
        gdf = gdf.set_crs(CRS_DISPLAY, allow_override=True)
    for col in ("ags", "rs"):
        if col in gdf.columns:
            gdf[col] = gdf[col].astype(str)
    return gdf


def load_vgs(geodata_dir: Path, vintage: int, web: bool = False) -> gpd.GeoDataFrame:
    """Read the Verbandsgemeinden of one boundary vintage of the district (``ValueError``
    for a name that is no vintage, ``FileNotFoundError`` for one not built)."""
    return load_layer(geodata_dir, f"vg_{vintage}", web=web)


@dataclass(frozen=True)
class DistrictData:
    """Everything the district map shows, loaded once.

    Attributes
    ----------
    vgs
        Vintage -> web-simplified VG polygons.
    gemeinden, city, outline
        Web-simplified boundaries.
    population, membership
        From :mod:`dashboard.data.population`.
    config
        The district (its key, vintages, current vintage, context areas).
    """

    vgs: dict[int, gpd.GeoDataFrame]
    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    outline: gpd.GeoDataFrame
    population: pd.DataFrame
    membership: pd.DataFrame
    config: District


def load_district_data(settings: Settings) -> DistrictData:
    """Boundaries (web versions, every vintage of ``settings.district``) and population, as
    the pages show them."""
    from dashboard.data.population import load_membership, load_population

    return DistrictData(
        vgs={
            v: load_vgs(settings.geodata_dir, v, web=True) for v in settings.district.vintage_years
        },
        gemeinden=load_layer(settings.geodata_dir, "gemeinden", web=True),
        city=load_layer(settings.geodata_dir, "context", web=True),
        outline=load_layer(settings.geodata_dir, "landkreis", web=True),
        population=load_population(settings.datasets_dir),
        membership=load_membership(settings.datasets_dir),
        config=settings.district,
    )
