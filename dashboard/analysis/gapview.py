"""Helpers of the Versorgungsanalyse page: status classes of the map and the what-if wiring.

Numbers and codes only; the words are made by :mod:`dashboard.render.gaps_text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypedDict

import geopandas as gpd
import pandas as pd

from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.demand import Demand
from dashboard.analysis.gaps import (
    MAX_DISTANCE_TERM,
    Areas,
    Summary,
    Thresholds,
    WhatIf,
    WhatIfEffects,
    gap_flags,
    measures,
    summarise,
    what_if,
    whatif_effects,
)
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER

#: Classes of the analysis map, in legend order: three gap classes by severity, uncertain
#: (the distance is a range around the threshold), no gap, unknown (no confirmed list) and
#: no data (no demand to measure against).
STATUS_CLASSES: tuple[str, ...] = (
    "gap_none",
    "gap_high",
    "gap_low",
    "uncertain",
    "no_gap",
    "unknown",
    "no_data",
)

#: Fill colours (gap classes ColorBrewer YlOrRd; uncertain a pale violet; no gap a pale
#: blue; unknown and no data greys, unknown with a dashed outline).
STATUS_COLORS: dict[str, str] = {
    "gap_none": "#bd0026",
    "gap_high": "#fd8d3c",
    "gap_low": "#fed976",
    "uncertain": "#dcd0ea",
    "no_gap": "#d1e5f0",
    "unknown": "#f0f0f0",
    "no_data": "#ffffff",
}

#: Severity from which a gap is "high" (the distance or per-1,000 term alone exceeds 1).
HIGH_SEVERITY = 1.0


@dataclass(frozen=True)
class StatusMap:
    """The class of every area of the analysis map, and what the legend shows.

    Attributes
    ----------
    classes
        Area key -> class code of :data:`STATUS_CLASSES`.
    counts
        Class code -> number of areas (only classes present).
    ranges
        Gap class -> (lowest, highest) severity among its areas (legend bounds that fit
        the data).
    """

    classes: dict[str, str]
    counts: dict[str, int]
    ranges: dict[str, tuple[float, float]]


def _status_class(row: pd.Series) -> str:
    status = str(row["status"])
    if status in ("unknown", "no_gap", "uncertain"):
        return status
    if not math.isfinite(float(row["per_1000"])) and not math.isfinite(
        float(row["distance_km_low"])
    ):
        return "no_data"
    severity = float(row["severity"])
    if severity >= MAX_DISTANCE_TERM:
        return "gap_none"
    return "gap_high" if severity >= HIGH_SEVERITY else "gap_low"


def status_map(flags: pd.DataFrame, keys: list[str]) -> StatusMap:
    """Classes of the analysis map for the areas ``keys`` (missing areas: no data)."""
    by_key = flags.set_index("key")
    classes: dict[str, str] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for key in keys:
        if key not in by_key.index:
            classes[key] = "no_data"
            continue
        row = by_key.loc[key]
        code = _status_class(row)
        classes[key] = code
        if code.startswith("gap_"):
            sev = float(row["severity"])
            low, high = ranges.get(code, (sev, sev))
            ranges[code] = (min(low, sev), max(high, sev))
    counts = {c: sum(v == c for v in classes.values()) for c in STATUS_CLASSES}
    return StatusMap(classes, {c: n for c, n in counts.items() if n}, ranges)


def selected_offers(facilities: gpd.GeoDataFrame, selector: str) -> gpd.GeoDataFrame:
    """Facilities of a category, or of a Handlungsfeld (by code)."""
    if selector in HANDLUNGSFELDER:
        return facilities[facilities["handlungsfelder"].map(lambda hs: selector in hs)]
    return facilities[facilities["category"] == selector]


class _Common(TypedDict):
    """Keyword arguments :func:`analyse` passes to both ``measures`` and ``what_if``."""

    level: str
    vintage: int
    include_outside: bool
    demand: Demand | None
    lists: ListMarks | None
    include_unconfirmed: bool


@dataclass(frozen=True, eq=False)
class GapResult:
    """What the page shows of one analysis.

    Attributes
    ----------
    flags
        :func:`~dashboard.analysis.gaps.gap_flags` as they are (without a planned facility).
    offers
        The offers of the selection (drawn on the map).
    planned
        The planned facility (one row, never stored), or ``None``.
    whatif
        Flags before and after the planned facility, or ``None``.
    summary
        What the shown flags say, for the first sentences
        (:func:`~dashboard.analysis.gaps.summarise`).
    effects
        What the planned facility changes (:func:`~dashboard.analysis.gaps.whatif_effects`),
        or ``None``.
    """

    flags: pd.DataFrame
    offers: gpd.GeoDataFrame
    summary: Summary
    planned: gpd.GeoDataFrame | None = None
    whatif: WhatIf | None = None
    effects: WhatIfEffects | None = None

    @property
    def shown(self) -> pd.DataFrame:
        """The flags with the planned facility when there is one (the map), else as they are."""
        return self.whatif.after if self.whatif is not None else self.flags


def analyse(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    selector: str,
    thresholds: Thresholds,
    *,
    level: str,
    vintage: int,
    include_outside: bool,
    planned: tuple[float, float, int | None] | None = None,
    demand: Demand | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> GapResult:
    """Flags for a selection, the offers to draw, and the what-if (if planned).

    Parameters
    ----------
    planned
        ``(lat, lon, capacity)`` of a hypothetical facility (never stored), or ``None``;
        it must lie in the district (:class:`dashboard.analysis.gaps.OutsideDistrict`).
    demand, lists, include_unconfirmed
        As for :func:`dashboard.analysis.gaps.measures`.
    """
    common: _Common = {
        "level": level, "vintage": vintage, "include_outside": include_outside,
        "demand": demand, "lists": lists, "include_unconfirmed": include_unconfirmed,
    }  # fmt: skip
    offers = selected_offers(facilities, selector)
    if planned is None:
        frame = measures(areas, facilities, selector, radius_km=thresholds.radius_km, **common)
        flags = gap_flags(frame, thresholds)
        return GapResult(flags, offers, summarise(flags, areas, lists))
    lat, lon, capacity = planned
    is_category = selector in CATEGORIES
    scenario = what_if(
        areas, facilities, selector if is_category else "Projektstandort", lat, lon, capacity,
        handlungsfelder=None if is_category else [selector], selectors=selector,
        thresholds=thresholds, **common,
    )  # fmt: skip
    placed = scenario.facility.iloc[0]
    effects = whatif_effects(
        scenario.changes, str(placed.get("gemeinde_name") or ""), level, thresholds.radius_km
    )
    summary = summarise(scenario.after, areas, lists)
    return GapResult(scenario.before, offers, summary, scenario.facility, scenario, effects)
