"""Facilities placed in the boundaries: Gemeinde and VG derived from the location.

The VG of a facility is never typed in: it follows from the point for any boundary
vintage. Facilities in a context area of the district (a neighbouring kreisfreie Stadt,
the district's ``context``) are kept and marked as outside the district. What the district
is comes from the boundaries passed in: its Gemeinden, its context areas and the vintages
of its membership table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from dashboard.config import CRS_DISPLAY, Settings
from dashboard.data.boundaries import load_layer
from dashboard.data.records import facilities_geoframe
from dashboard.domain.model import Facility


def locate(
    facilities: Iterable[Facility] | gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    city: gpd.GeoDataFrame,
    membership: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """Attach Gemeinde and VG (every vintage) to facilities by their location.

    Parameters
    ----------
    facilities
        Records or a frame from :func:`dashboard.data.records.facilities_geoframe`.
    gemeinden, city
        Full-resolution boundaries (EPSG:4326) with column ``ags``: the district's
        Gemeinden and its context areas.
    membership
        Gemeinde -> VG table (:func:`dashboard.data.population.load_membership`), with
        ``vg_<vintage>`` and ``vg_rs_<vintage>`` for each of the district's vintages.

    Returns
    -------
    geopandas.GeoDataFrame
        The facilities with ``located_ags`` (point in polygon; for unlocated records the
        stored ``ags``), ``gemeinde_name``, ``vg_<vintage>`` and ``vg_rs_<vintage>`` for each
        vintage, ``outside_district`` (True for the city or elsewhere outside), ``in_city``
        and ``location_unknown`` (neither a point nor a Gemeinde key).
    """
    gdf = (
        facilities if isinstance(facilities, gpd.GeoDataFrame) else facilities_geoframe(facilities)
    )
    gdf = gdf.reset_index(drop=True)
    if gdf.crs is None or gdf.crs.to_epsg() != 4326:
        raise ValueError("facilities must be in EPSG:4326")
    areas = pd.concat([gemeinden[["ags", "name", "geometry"]], city[["ags", "name", "geometry"]]])
    areas = gpd.GeoDataFrame(areas, geometry="geometry", crs=CRS_DISPLAY).reset_index(drop=True)
    located = gdf[gdf.geometry.notna()]
    hits = gpd.sjoin(located[["geometry"]], areas, how="left", predicate="within")
    hits = hits[~hits.index.duplicated(keep="first")]
    out = gdf.copy()
    out["located_ags"] = hits["ags"].reindex(out.index)
    missing = out["located_ags"].isna()
    out.loc[missing, "located_ags"] = out.loc[missing, "ags"].replace("", pd.NA)
    names = areas.set_index("ags")["name"]
    out["gemeinde_name"] = out["located_ags"].map(names)
    mem = membership.set_index("ags")
    for vintage in membership_vintages(membership):
        out[f"vg_{vintage}"] = out["located_ags"].map(mem[f"vg_{vintage}"])
        out[f"vg_rs_{vintage}"] = out["located_ags"].map(mem[f"vg_rs_{vintage}"])
    known = out["located_ags"].notna()
    inside = out["located_ags"].isin(set(gemeinden["ags"].astype(str)))
    out["outside_district"] = known & ~inside
    out["location_unknown"] = ~known
    out["in_city"] = out["located_ags"].isin(set(city["ags"].astype(str)))
    return out


def membership_vintages(membership: pd.DataFrame) -> list[int]:
    """The vintages a membership table holds (its ``vg_rs_<vintage>`` columns), oldest first."""
    return sorted(int(c[6:]) for c in membership.columns if re.fullmatch(r"vg_rs_\d{4}", c))


def located_facilities(facilities: Iterable[Facility], settings: Settings) -> gpd.GeoDataFrame:
    """:func:`locate` against the shipped full-resolution boundaries."""
    from dashboard.data.population import load_membership

    return locate(
        facilities,
        load_layer(settings.geodata_dir, "gemeinden"),
        load_layer(settings.geodata_dir, "context"),
        load_membership(settings.datasets_dir),
    )
