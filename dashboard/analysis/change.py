"""Development over time: an indicator's values at several dates per area, and the change
between two dates.

The values of one date are taken exactly as they are dated (no value of another date
stands in for them), and aggregated the way every other output does
(:func:`dashboard.analysis.indicators.values_for`): a value reported for the area wins;
otherwise counts are summed over the area's Gemeinden of that vintage when every one of
them has a value of that date, shares are recomputed from numerator and denominator of
that date and never summed. An area lacking a value at either date has no change
("keine Daten"), never zero.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.analysis.indicators import values_for
from dashboard.domain.indicators import kind_of, spec

#: Columns of :func:`change`.
CHANGE_COLUMNS: tuple[str, ...] = (
    "area_key", "value_from", "value_to", "absolute", "relative", "derived_from", "derived_to",
)  # fmt: skip


def _parts(indicator: str) -> list[str]:
    s = spec(indicator)
    return [indicator, *(p for p in (s.numerator, s.denominator) if p)]


def dates_of(values: pd.DataFrame, indicator: str) -> list[str]:
    """The dates an indicator has values of (its own rows), oldest first."""
    rows = values.loc[values["indicator"] == indicator, "reference_date"].dropna()
    return sorted({str(d) for d in rows if str(d)})


def kind(values: pd.DataFrame, indicator: str) -> str:
    """``count`` or ``share`` (:func:`dashboard.domain.indicators.kind_of`, by its unit)."""
    units = values.loc[values["indicator"] == indicator, "unit"].dropna()
    return kind_of(indicator, str(units.iloc[0]) if len(units) else "")


def at_date(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    indicator: str,
    level: str,
    vintage: int,
    date: str,
) -> pd.DataFrame:
    """The indicator's values of exactly one date per area of a level and vintage.

    Returns
    -------
    pandas.DataFrame
        ``area_key``, ``value`` (NaN: keine Daten), ``derived`` (aggregated from
        Gemeinden), ``sources``; areas without a value of that date are left out.
    """
    parts = _parts(indicator)
    dated = values[values["indicator"].isin(parts) & (values["reference_date"].astype(str) == date)]
    if dated.empty:
        return pd.DataFrame(columns=["area_key", "value", "derived", "sources"])
    found = values_for(dated, membership, indicator, level, vintage)
    found = found[found["value"].notna()]
    return found[["area_key", "value", "derived", "sources"]].reset_index(drop=True)


def series(
    values: pd.DataFrame, membership: pd.DataFrame, indicator: str, level: str, vintage: int
) -> pd.DataFrame:
    """Every dated value of an indicator per area: the series a line chart draws.

    Returns
    -------
    pandas.DataFrame
        ``area_key``, ``date`` (as its source gives it), ``value``, ``derived``,
        ``sources``, sorted by area and date; only dates at which the area has a value.
    """
    frames = [
        at_date(values, membership, indicator, level, vintage, d).assign(date=d)
        for d in dates_of(values, indicator)
    ]
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=["area_key", "date", "value", "derived", "sources"])
    out = pd.concat(frames, ignore_index=True)
    return out[["area_key", "date", "value", "derived", "sources"]].sort_values(
        ["area_key", "date"], kind="stable", ignore_index=True
    )


def change(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    indicator: str,
    level: str,
    vintage: int,
    area_keys: list[str],
    date_from: str,
    date_to: str,
) -> pd.DataFrame:
    """The change of an indicator between two dates, per area.

    Parameters
    ----------
    values
        Long-format indicator values.
    membership
        Gemeinde -> VG table.
    indicator
        The indicator.
    level, vintage
        ``gemeinde`` or ``vg`` (of a vintage).
    area_keys
        Every area of the layer (those without both values get NaN: "keine Daten").
    date_from, date_to
        The two dates, as the values are dated.

    Returns
    -------
    pandas.DataFrame
        One row per area key in order: ``value_from``, ``value_to``, ``absolute``
        (``to - from``; for a share in percentage points), ``relative`` (``absolute /
        from``; NaN when ``from`` is 0 or a value is missing), ``derived_from``,
        ``derived_to``.
    """
    a = at_date(values, membership, indicator, level, vintage, date_from).set_index("area_key")
    b = at_date(values, membership, indicator, level, vintage, date_to).set_index("area_key")
    out = pd.DataFrame({"area_key": [str(k) for k in area_keys]})
    out["value_from"] = out["area_key"].map(a["value"]).astype(float)
    out["value_to"] = out["area_key"].map(b["value"]).astype(float)
    out["absolute"] = out["value_to"] - out["value_from"]
    base = out["value_from"].where(out["value_from"] != 0)
    out["relative"] = out["absolute"] / base
    out["derived_from"] = out["area_key"].map(a["derived"]).eq(True)
    out["derived_to"] = out["area_key"].map(b["derived"]).eq(True)
    return out[list(CHANGE_COLUMNS)]


def change_classes(changes: pd.Series) -> tuple[list[float], dict[int, int]]:
    """Symmetric class bounds around 0 for a change map (decrease, about unchanged,
    increase), and each row's class (-1: no data).

    Returns
    -------
    tuple
        The bounds (upper bound of each of the five classes) and row position -> class.
    """
    present = changes[changes.notna() & np.isfinite(changes)]
    top = float(present.abs().max()) if len(present) else 0.0
    if top == 0 or math.isnan(top):
        top = 1.0
    small = top / 10
    bounds = [-top / 2, -small, small, top / 2, top]
    classes: dict[int, int] = {}
    for pos, value in enumerate(changes):
        if value != value or not math.isfinite(value):
            classes[pos] = -1
            continue
        classes[pos] = next(i for i, b in enumerate(bounds) if value <= b or i == len(bounds) - 1)
    return bounds, classes
