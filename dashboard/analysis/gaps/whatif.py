"""What if a facility were added: the gap flags before and after (nothing is stored)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.demand import Demand
from dashboard.analysis.gaps.areas import Areas
from dashboard.analysis.gaps.checks import selectors_of
from dashboard.analysis.gaps.flags import gap_flags
from dashboard.analysis.gaps.measures import MeasureOptions, measures
from dashboard.analysis.gaps.thresholds import Thresholds
from dashboard.config import CRS_DISPLAY
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, Facility

#: Measures compared before and after (an area is listed when one of them changes).
COMPARED: tuple[str, ...] = (
    "status", "severity", "offers", "per_1000", "distance_km_low", "distance_km_high",
    "share_covered_low", "share_covered_high", "reason_codes",
)  # fmt: skip

#: Measures shown before and after (the compared ones and what the ranges need).
SHOWN: tuple[str, ...] = (
    *COMPARED, "distance_km", "distance_approx", "share_covered", "population_covered_low",
    "population_covered_high",
)  # fmt: skip

_NUMERIC = frozenset(
    {"severity", "per_1000", "distance_km_low", "distance_km_high", "share_covered_low",
     "share_covered_high"}
)  # fmt: skip


class OutsideDistrict(ValueError):
    """A planned facility was placed outside the district (never clamped into it)."""

    code = "outside_district"


@dataclass(frozen=True, eq=False)
class WhatIf:
    """Gap flags before and after adding a hypothetical facility.

    Attributes
    ----------
    facility
        The hypothetical facility, located like the others (one-row GeoDataFrame).
    before, after
        :func:`gap_flags` output without and with it.
    changes
        Areas where a measure of :data:`COMPARED` changed: ``selector``, ``key``, ``name``,
        ``level``, ``demand_indicator`` and ``<measure>_before`` / ``<measure>_after`` for
        each measure of :data:`SHOWN` (distances and shares as ranges, as in the main
        table).
    """

    facility: gpd.GeoDataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    changes: pd.DataFrame

    @property
    def flag_changes(self) -> pd.DataFrame:
        """Only the areas whose status (gap, uncertain, no gap, unknown) changes."""
        c = self.changes
        return c[c["status_before"] != c["status_after"]].reset_index(drop=True)


def check_position(areas: Areas, lat: float, lon: float) -> tuple[float, float]:
    """``(lat, lon)`` of a planned facility if it lies in the district.

    Raises
    ------
    OutsideDistrict
        For a position outside the district (or not a number).
    """
    for value in (lat, lon):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise OutsideDistrict(f"position must be numbers, got {lat!r}, {lon!r}")
        if not math.isfinite(float(value)):
            raise OutsideDistrict(f"position must be finite, got {lat!r}, {lon!r}")
    if not areas.contains(float(lat), float(lon)):
        raise OutsideDistrict(f"({lat}, {lon}) lies outside the district")
    return float(lat), float(lon)


def _hypothetical(
    areas: Areas, category: str, codes: list[str], lat: float, lon: float, capacity: int | None
) -> gpd.GeoDataFrame:
    from dashboard.data.locate import locate
    from dashboard.data.records import facilities_geoframe

    facility = Facility(
        id="was-waere-wenn", name="was-waere-wenn", category=category,  # type: ignore[arg-type]
        handlungsfelder=codes,  # type: ignore[arg-type]
        lat=lat, lon=lon, precision="exact", capacity=capacity, source="was-waere-wenn",
        reference_date=dt.date.today().isoformat(),
    )  # fmt: skip
    city = areas.city if areas.city is not None else areas.gemeinden.iloc[0:0]
    return locate(facilities_geoframe([facility]), areas.gemeinden, city, areas.membership)


def _changes(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    shown = list(SHOWN)
    joined = before[["selector", "key", "name", "level", "demand_indicator", *shown]].merge(
        after[["selector", "key", *shown]],
        on=["selector", "key"],
        suffixes=("_before", "_after"),
        validate="1:1",
    )
    changed = np.zeros(len(joined), bool)
    for col in COMPARED:
        b, a = joined[f"{col}_before"], joined[f"{col}_after"]
        if col in _NUMERIC:
            same = np.isclose(b.to_numpy(float), a.to_numpy(float), equal_nan=True)
        else:
            same = (b.astype(str) == a.astype(str)).to_numpy(bool)
        changed |= ~same
    return joined[changed].sort_values(["selector", "key"]).reset_index(drop=True)


def what_if(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    category: str,
    lat: float,
    lon: float,
    capacity: int | None = None,
    *,
    vintage: int | None = None,
    handlungsfelder: Sequence[str] | None = None,
    selectors: str | Sequence[str] | None = None,
    thresholds: Thresholds | None = None,
    level: str = "gemeinde",
    include_outside: bool = False,
    decay: str = "gaussian",
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> WhatIf:
    """Measures and gap flags with one extra hypothetical facility (nothing is stored).

    Parameters
    ----------
    areas, facilities
        As for :func:`dashboard.analysis.gaps.measures`.
    category
        Category of the hypothetical facility.
    lat, lon
        Its position (WGS84); it must lie in the district (:func:`check_position`).
    capacity
        Its capacity (supply in the 2SFCA); ``None`` counts as 1.
    vintage
        Boundary vintage of the VGs.
    handlungsfelder
        Its Handlungsfelder; default the category's default Handlungsfelder.
    selectors
        Selectors to evaluate; default the category and its Handlungsfelder.
    thresholds, level, include_outside, decay, demand, lists, include_unconfirmed
        As for :func:`measures` and :func:`gap_flags` (radius from ``thresholds``).

    Raises
    ------
    OutsideDistrict
        For a position outside the district.
    ValueError
        For an unknown category or Handlungsfeld, or a bad capacity.
    """
    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
    lat, lon = check_position(areas, lat, lon)
    if capacity is not None and (
        isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0
    ):
        raise ValueError(f"capacity must be a whole number >= 0 or None, got {capacity!r}")
    default_hf: list[str] = list(CATEGORIES[category]["default_hf"])  # type: ignore[call-overload]
    codes = list(handlungsfelder) if handlungsfelder is not None else default_hf
    for code in codes:
        if code not in HANDLUNGSFELDER:
            raise ValueError(
                f"unknown Handlungsfeld {code!r}; expected one of {', '.join(HANDLUNGSFELDER)}"
            )
    th = thresholds or Thresholds()
    chosen = selectors_of(selectors if selectors is not None else [category, *codes])
    placed = _hypothetical(areas, category, codes, lat, lon, capacity)
    combined = gpd.GeoDataFrame(
        pd.concat([facilities, placed], ignore_index=True), geometry="geometry", crs=CRS_DISPLAY
    )
    options: MeasureOptions = {
        "radius_km": th.radius_km, "level": level, "vintage": vintage,
        "include_outside": include_outside, "decay": decay, "demand": demand, "lists": lists,
        "include_unconfirmed": include_unconfirmed,
    }  # fmt: skip
    before = gap_flags(measures(areas, facilities, chosen, **options), th)
    after = gap_flags(measures(areas, combined, chosen, **options), th)
    return WhatIf(facility=placed, before=before, after=after, changes=_changes(before, after))
