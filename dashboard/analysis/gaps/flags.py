"""The gap rule: which areas have a supply gap, which are uncertain, which unknown.

An area's verdict needs a complete list of offers (``coverage == "complete"``); without
one its ``status`` is ``unknown`` ("unbekannt – keine bestätigte Liste") and it has no
verdict and no severity at all (empty, never "no gap" or 0).

With a complete list, the criteria:

``none``
    no candidate offer at all;
``far``
    the nearest offer is farther than ``max_distance_km`` for certain: even the lower
    bound of the distance exceeds it;
``few``
    fewer than ``min_per_1000`` offers per 1,000 of the demand;
``far_uncertain``
    the distance is a range (offers placed only in their Gemeinde or postcode area) that
    contains ``max_distance_km``: the offer may be nearer or farther than the threshold.

``status`` is ``gap`` when ``none``, ``far`` or ``few`` holds; otherwise ``uncertain``
("unsicher") when ``far_uncertain`` holds, else ``no_gap``. Only a gap is ranked; its
severity counts the certain part (the lower bound of the distance)::

    severity = min(max(0, distance_km_low / max_distance_km - 1), 10)   # distance excess
             + max(0, 1 - per_1000 / min_per_1000)                      # per-1,000 shortfall

The distance term is 10 when no offer exists at all. ``severity`` is 0 for ``no_gap`` and
empty (NaN) for ``uncertain`` and ``unknown``; ``flagged`` is true for a gap, false for no
gap and empty (``<NA>``) for both others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.demand import Demand
from dashboard.analysis.gaps.areas import Areas
from dashboard.analysis.gaps.checks import check_level, check_positive, check_selector
from dashboard.analysis.gaps.measures import measures
from dashboard.analysis.gaps.thresholds import Thresholds

#: Reason codes of a row (column ``reason_codes``, joined with ``|``), in this order.
REASON_CODES: tuple[str, ...] = ("none", "far", "few", "far_uncertain")

#: Status codes of a row, in the order of the page's counts.
STATUS_CODES: tuple[str, ...] = ("gap", "uncertain", "no_gap", "unknown")

#: Separator of several codes in ``reason_codes``.
CODE_SEP = "|"

#: Cap of the distance term of the severity score (also its value when no offer exists).
MAX_DISTANCE_TERM = 10.0


def _criteria(out: pd.DataFrame, th: Thresholds) -> dict[str, np.ndarray]:
    low = out["distance_km_low"].to_numpy(float)
    high = out["distance_km_high"].to_numpy(float)
    per_1000 = out["per_1000"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        none = np.isnan(low)
        return {
            "none": none,
            "far": ~none & (low > th.max_distance_km),
            "few": ~np.isnan(per_1000) & (per_1000 < th.min_per_1000),
            "far_uncertain": ~none & (low <= th.max_distance_km) & (high > th.max_distance_km),
        }


def _severity(out: pd.DataFrame, th: Thresholds, hit: dict[str, np.ndarray]) -> np.ndarray:
    low = out["distance_km_low"].to_numpy(float)
    per_1000 = out["per_1000"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance_term = np.where(
            hit["none"],
            MAX_DISTANCE_TERM,
            np.clip(low / th.max_distance_km - 1, 0, MAX_DISTANCE_TERM),
        )
        per_term = np.where(hit["few"], 1 - per_1000 / (th.min_per_1000 or 1), 0.0)
    return np.asarray(distance_term + per_term, float)


def gap_flags(frame: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Apply the gap rule (module docstring) to a :func:`measures` frame and rank the gaps.

    Parameters
    ----------
    frame
        Output of :func:`measures` computed with ``radius_km=thresholds.radius_km``.
    thresholds
        Default :class:`Thresholds` ().

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``status`` (:data:`STATUS_CODES`), ``flagged`` (nullable boolean),
        ``severity``, ``reason_codes`` (codes of :data:`REASON_CODES` joined with
        :data:`CODE_SEP`; empty for ``unknown``), the thresholds ``max_distance_km`` and
        ``min_per_1000``, and ``rank`` (1 = most severe gap, missing otherwise), sorted by
        severity (descending, empty last), population (descending), selector and key.
        Words for the codes are made where the flags are shown
        (:mod:`dashboard.render.gaps_text`).

    Raises
    ------
    ValueError
        If columns are missing or the frame was computed with another radius.
    """
    th = thresholds or Thresholds()
    needed = {"selector", "level", "key", "population", "per_1000", "distance_km_low",
              "distance_km_high", "radius_km"}  # fmt: skip
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ValueError(f"frame lacks column(s) {missing}; pass the output of measures()")
    radii = frame["radius_km"].dropna().unique()
    if len(radii) and not np.allclose(radii, th.radius_km):
        raise ValueError(
            f"measures were computed with radius_km={radii.tolist()} but thresholds.radius_km="
            f"{th.radius_km}; compute them with radius_km=thresholds.radius_km"
        )
    out = frame.copy()
    hit = _criteria(out, th)
    known = (
        (out["coverage"] == "complete").to_numpy(bool)
        if "coverage" in out
        else np.ones(len(out), bool)
    )
    gap = hit["none"] | hit["far"] | hit["few"]
    status = np.where(gap, "gap", np.where(hit["far_uncertain"], "uncertain", "no_gap"))
    out["status"] = np.where(known, status, "unknown")
    is_gap = out["status"].to_numpy() == "gap"
    out["flagged"] = pd.array(
        [True if s == "gap" else False if s == "no_gap" else pd.NA for s in out["status"]],
        dtype="boolean",
    )
    severity = _severity(out, th, hit)
    out["severity"] = np.where(is_gap, severity, np.where(out["status"] == "no_gap", 0.0, np.nan))
    out["reason_codes"] = [
        CODE_SEP.join(code for code in REASON_CODES if hit[code][i]) if known[i] else ""
        for i in range(len(out))
    ]
    out["max_distance_km"] = th.max_distance_km
    out["min_per_1000"] = th.min_per_1000
    out = out.sort_values(
        ["severity", "population", "selector", "key"],
        ascending=[False, False, True, True],
        na_position="last",
    ).reset_index(drop=True)
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    gaps = (out["status"] == "gap").to_numpy()
    rank[gaps] = np.arange(1, int(gaps.sum()) + 1)
    out["rank"] = rank
    return out


def gaps_table(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    selector: str,
    thresholds: Thresholds,
    *,
    vintage: int | None = None,
    level: str = "gemeinde",
    include_outside: bool = False,
    decay: str = "gaussian",
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """Measures and gap flags of one selector (the table of downloads and the ``gaps``
    command): :func:`gap_flags` of :func:`measures` with ``thresholds.radius_km``.

    The service passes the user's visible offers, the areas of the data version, the
    store's demand and list marks; nothing here opens a store or a file.
    """
    check_selector(selector)
    check_level(level)
    th = replace(thresholds, radius_km=check_positive("radius_km", thresholds.radius_km))
    frame = measures(
        areas, facilities, selector, vintage=vintage, radius_km=th.radius_km, level=level,
        include_outside=include_outside, decay=decay, demand=demand, lists=lists,
        include_unconfirmed=include_unconfirmed,
    )  # fmt: skip
    return gap_flags(frame, th)
