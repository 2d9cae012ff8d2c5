"""The offers of an analysis as arrays: what counts where, and which positions are ranges."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.analysis.gaps.areas import to_metric
from dashboard.domain.model import CATEGORIES
from dashboard.domain.precision import approximate_mask

#: Columns the analysis reads from :func:`dashboard.data.locate.locate`'s output.
FACILITY_COLUMNS = (
    "category",
    "handlungsfelder",
    "status",
    "precision",
    "capacity",
    "located_ags",
    "location_unknown",
    "outside_district",
    "in_city",
    "geometry",
)


@dataclass(frozen=True, eq=False)
class Offers:
    """Facilities as arrays (one entry per facility).

    Attributes
    ----------
    ags
        The located Gemeinde's key (``""`` if none).
    candidate
        Has a point, in the district or a context area (a candidate nearest offer).
    outside
        Has a point elsewhere outside the district.
    xy
        EPSG:25832 metres, NaN without a point.
    approx
        Placed at Gemeinde or postcode precision: somewhere in ``ags``.
    unconfirmed
        Its source says it is still to be confirmed.
    """

    category: np.ndarray
    hfs: list[frozenset[str]]
    active: np.ndarray
    ags: np.ndarray
    unknown: np.ndarray
    candidate: np.ndarray
    outside: np.ndarray
    xy: np.ndarray
    supply: np.ndarray
    approx: np.ndarray
    unconfirmed: np.ndarray

    def selected(self, selector: str) -> np.ndarray:
        """Which offers belong to a category, or to a Handlungsfeld (by code)."""
        if selector in CATEGORIES:
            mask: np.ndarray = self.category == selector
            return mask
        return np.fromiter((selector in h for h in self.hfs), bool, len(self.hfs))


def as_codes(value: Any) -> frozenset[str]:
    """Handlungsfeld codes of a cell (a list, or text joined with ``|``)."""
    if isinstance(value, str):
        return frozenset(v for v in value.split("|") if v)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    return frozenset(str(v) for v in value)


def offers_of(facilities: gpd.GeoDataFrame) -> Offers:
    """The arrays of located facilities (:func:`dashboard.data.locate.locate`, EPSG:4326).

    Raises
    ------
    ValueError
        For another frame, a missing column or another CRS.
    """
    if not isinstance(facilities, gpd.GeoDataFrame):
        raise ValueError("facilities must be a GeoDataFrame from dashboard.data.locate.locate()")
    missing = [c for c in FACILITY_COLUMNS if c not in facilities.columns]
    if missing:
        raise ValueError(
            f"facilities lack column(s) {missing}; pass the output of "
            "dashboard.data.locate.locate() / located_facilities()"
        )
    if len(facilities) and (facilities.crs is None or facilities.crs.to_epsg() != 4326):
        raise ValueError("facilities must be in EPSG:4326")
    geom = facilities.geometry.to_numpy()
    lon, lat = shapely.get_x(geom), shapely.get_y(geom)
    has_point = np.isfinite(lon) & np.isfinite(lat)
    xy = np.full((len(facilities), 2), np.nan)
    if has_point.any():
        xy[has_point, 0], xy[has_point, 1] = to_metric().transform(lon[has_point], lat[has_point])
    unknown = facilities["location_unknown"].fillna(True).to_numpy(bool)
    outside_district = facilities["outside_district"].fillna(False).to_numpy(bool)
    in_city = facilities["in_city"].fillna(False).to_numpy(bool)
    located = has_point & ~unknown
    capacity = pd.to_numeric(facilities["capacity"], errors="coerce").to_numpy(float)
    unconfirmed = (
        facilities["unconfirmed"].fillna(False).astype(bool).to_numpy()
        if "unconfirmed" in facilities.columns
        else np.zeros(len(facilities), bool)
    )
    return Offers(
        category=facilities["category"].astype(str).to_numpy(),
        hfs=[as_codes(v) for v in facilities["handlungsfelder"]],
        active=(facilities["status"].astype(str) == "active").to_numpy(),
        ags=facilities["located_ags"].fillna("").astype(str).to_numpy(),
        unknown=unknown,
        candidate=located & (~outside_district | in_city),
        outside=located & outside_district & ~in_city,
        xy=xy,
        supply=np.where(np.isnan(capacity), 1.0, capacity),
        approx=approximate_mask(facilities["precision"]) & located,
        unconfirmed=unconfirmed,
    )
