"""Helpers of the Versorgungsanalyse page: severity classes and the what-if wiring.

Numbers and codes only; the words are made by :mod:`dashboard.render.gaps_text`.
"""

from __future__ import annotations

import math
from typing import TypedDict

import geopandas as gpd
import pandas as pd

from dashboard.analysis.classify import Choropleth
from dashboard.analysis.gaps import Areas, Thresholds, gap_flags, measures, what_if
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER

#: Severity classes (upper bounds) and colours (ColorBrewer YlOrRd, colour-blind safe).
SEVERITY_BOUNDS = [0.0, 1.0, 3.0, 11.0]
SEVERITY_COLORS = ["#f7f7f7", "#fecc5c", "#fd8d3c", "#e31a1c"]


class _Common(TypedDict):
    """Keyword arguments :func:`analyse` passes to both ``measures`` and ``what_if``."""

    level: str
    vintage: int
    include_outside: bool


def severity_choropleth(
    flags: pd.DataFrame, keys: list[str], population_dates: dict[str, str], source: str = ""
) -> Choropleth:
    """Areas coloured by gap severity (class 0: no gap), for the atlas map builder.

    ``source`` is the legend's source line, in the user's language (given by the caller).
    """
    by_key = flags.set_index("key")
    values, classes = {}, {}
    for key in keys:
        if key not in by_key.index:
            values[key], classes[key] = math.nan, -1
            continue
        row = by_key.loc[key]
        sev = float(row["severity"]) if bool(row["flagged"]) else 0.0
        values[key] = sev
        classes[key] = 0 if sev <= 0 else (1 if sev <= 1 else (2 if sev <= 3 else 3))
    dates = {k: population_dates.get(k, "") for k in keys}
    shown = sorted(d for d in dates.values() if d)
    return Choropleth(
        values=values, classes=classes, lower=0.0, bounds=SEVERITY_BOUNDS, colors=SEVERITY_COLORS,
        indicator="gap_severity", unit="", per_1000=False,
        reference_date=shown[0] if shown else "", dates=dates, dates_mixed=len(set(shown)) > 1,
        sources=[source] if source else [],
        derived=False,
    )  # fmt: skip


def selected_offers(facilities: gpd.GeoDataFrame, selector: str) -> gpd.GeoDataFrame:
    """Facilities of a category, or of a Handlungsfeld (by code)."""
    if selector in HANDLUNGSFELDER:
        return facilities[facilities["handlungsfelder"].map(lambda hs: selector in hs)]
    return facilities[facilities["category"] == selector]


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
    planned_name: str = "planned",
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, pd.DataFrame | None]:
    """Flags for a selection, the offers to draw, and the what-if changes (if planned).

    Parameters
    ----------
    planned
        ``(lat, lon, capacity)`` of a hypothetical facility (never stored), or ``None``.
    planned_name
        Name and source shown for the planned facility (in the user's language).

    Returns
    -------
    tuple
        Gap flags, offers of the selection (with the planned one), what-if changes.
    """
    common: _Common = {"level": level, "vintage": vintage, "include_outside": include_outside}
    if planned is None:
        frame = measures(areas, facilities, selector, radius_km=thresholds.radius_km, **common)
        return gap_flags(frame, thresholds), selected_offers(facilities, selector), None
    lat, lon, capacity = planned
    is_category = selector in CATEGORIES
    scenario = what_if(
        areas, facilities, selector if is_category else "Projektstandort", lat, lon, capacity,
        handlungsfelder=None if is_category else [selector], selectors=selector,
        thresholds=thresholds, **common,
    )  # fmt: skip
    extra = scenario.facility.assign(name=planned_name, source=planned_name)
    shown = gpd.GeoDataFrame(pd.concat([facilities, extra], ignore_index=True), crs=facilities.crs)
    return scenario.after, selected_offers(shown, selector), scenario.changes
