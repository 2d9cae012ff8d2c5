"""Needs overlay: indicator values per area, classified with mapclassify, with dates.

Areas without a value are "keine Daten" (never zero). Rates per 1,000 inhabitants are
recomputed from the count and the population of the same area; the value's date is the
oldest of the dates involved.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import mapclassify
import numpy as np
import pandas as pd

from dashboard.analysis.indicators import aggregable, values_for
from dashboard.domain.indicators import kind_in, refuse_per_1000, spec

#: ColorBrewer YlGnBu (sequential, colour-blind safe), light to dark.
PALETTE = ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"]  # fmt: skip
NO_DATA_COLOR = "#d9d9d9"


@dataclass(frozen=True)
class Choropleth:
    """A classified indicator for a set of areas.

    Attributes
    ----------
    values
        Area key -> value (NaN = keine Daten).
    classes
        Area key -> class index (0-based), or -1 for keine Daten.
    bounds
        Class bounds: ``bounds[i]`` is the upper bound of class ``i``; ``lower`` the minimum.
    colors
        One colour per class.
    indicator, unit
        What is shown (``per_1000`` appends "je 1.000 Einwohner").
    reference_date
        The oldest date among the values shown (ISO), or "".
    dates
        Area key -> ISO date of that area's value.
    dates_mixed
        Whether values carry different dates.
    sources
        Distinct sources.
    derived
        Whether values were aggregated from Gemeinden.
    title, labels, value_texts
        Only for named classes (not numbers): the legend's title, the label of each class
        and each area's value in words.
    numerator_date, denominator_date
        For a figure per 1,000 inhabitants: the dates (oldest among the areas shown) of
        the counts and of the populations they are divided by; each area's population is
        the one nearest in date to its count (``denominator_dates``).
    """

    values: dict[str, float]
    classes: dict[str, int]
    lower: float
    bounds: list[float]
    colors: list[str]
    indicator: str
    unit: str
    per_1000: bool
    reference_date: str
    dates: dict[str, str]
    dates_mixed: bool
    sources: list[str]
    derived: bool
    numerator_date: str = ""
    denominator_date: str = ""
    denominator_dates: dict[str, str] = field(default_factory=dict)
    #: A map of named classes (e.g. the analysis's gap / no gap / unknown): the title, one
    #: legend label per class and each area's value in words replace the numeric ones.
    title: str = ""
    labels: tuple[str, ...] = ()
    value_texts: dict[str, str] = field(default_factory=dict)

    def color(self, key: str) -> str:
        """Fill colour of an area."""
        c = self.classes.get(key, -1)
        return NO_DATA_COLOR if c < 0 else self.colors[c]


def legend_classes(ch: Choropleth) -> list[tuple[str, float, float]]:
    """The classes a legend shows, with bounds that fit the data.

    The first class starts at the smallest value, the last one shown ends at the largest
    value (never at a fixed bound beyond it, e.g. not "3 – 11" when the largest value is
    3.3), and classes above the largest value are left out.

    Parameters
    ----------
    ch
        A classified indicator.

    Returns
    -------
    list of tuple
        ``(colour, low, high)`` per class, lowest first; empty when no area has a value.
    """
    present = [v for v in ch.values.values() if v == v and math.isfinite(v)]
    if not present or not ch.bounds:
        return []
    top, low = max(present), ch.lower if math.isfinite(ch.lower) else min(present)
    out: list[tuple[str, float, float]] = []
    for color, high in zip(ch.colors, ch.bounds, strict=True):
        out.append((color, low, min(high, top)))
        if high >= top:
            break
        low = high
    return out


def available_indicators(values: pd.DataFrame, level: str, vintage: int) -> list[str]:
    """Indicators that have values for the level (direct or from Gemeinden)."""
    area_level = "gemeinde" if level == "gemeinde" else f"vg_{vintage}"
    direct = set(values.loc[values["area_level"] == area_level, "indicator"])
    if level == "vg":  # from Gemeinden only what may be aggregated (never a share summed)
        parts = set(values.loc[values["area_level"] == "gemeinde", "indicator"])
        direct |= {i for i in parts if aggregable(values, i)}
    return sorted(direct)


def _classify(
    y: np.ndarray, scheme: str, k: int, breaks: tuple[float, ...]
) -> tuple[np.ndarray, list[float]]:
    unique = np.unique(y)
    if scheme == "manual":
        if not breaks:
            raise ValueError("manual classification needs at least one break")
        bins = sorted(set(breaks))
        if bins[-1] < y.max():
            bins.append(float(y.max()))
        c = mapclassify.UserDefined(y, bins)
        return np.asarray(c.yb), [float(b) for b in c.bins]
    if len(unique) == 1:
        return np.zeros(len(y), dtype=int), [float(unique[0])]
    k = max(1, min(k, len(unique)))
    if scheme == "quantiles":
        c = mapclassify.Quantiles(y, k=k)
    elif scheme == "natural_breaks":
        c = mapclassify.FisherJenks(y, k=k)
    elif scheme == "equal_interval":
        c = mapclassify.EqualInterval(y, k=k)
    else:
        raise ValueError(
            f"unknown classification {scheme!r}; expected quantiles, natural_breaks, equal_interval, manual"
        )
    return np.asarray(c.yb), [float(b) for b in c.bins]


def _palette(n: int) -> list[str]:
    if n <= 1:
        return [PALETTE[5]]
    idx = np.linspace(1, len(PALETTE) - 1, n).round().astype(int)
    return [PALETTE[i] for i in idx]


def _classes(
    y: pd.Series, present: pd.Series, area_keys: list[str], scheme: str, k: int,
    breaks: tuple[float, ...],
) -> tuple[dict[str, int], list[float], float, list[str]]:  # fmt: skip
    """Class of each area (-1: no value), class bounds, lowest value and colours."""
    classes = {key: -1 for key in area_keys}
    if not present.any():
        return classes, [], math.nan, []
    with warnings.catch_warnings():  # mapclassify: "Numba not installed" (pure Python is fine)
        warnings.simplefilter("ignore", UserWarning)
        yb, bounds = _classify(y[present].to_numpy(), scheme, k, breaks)
    for key, c in zip(y[present].index, yb, strict=True):
        classes[key] = int(c)
    return classes, bounds, float(y[present].min()), _palette(len(bounds))


def build_choropleth(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    area_keys: list[str],
    indicator: str,
    level: str,
    vintage: int,
    per_1000: bool = False,
    scheme: str = "quantiles",
    k: int = 4,
    breaks: tuple[float, ...] = (),
) -> Choropleth:
    """Classify an indicator over the areas of a layer.

    Parameters
    ----------
    values, membership
        Long-format indicator values; Gemeinde -> VG table.
    area_keys
        Keys of the drawn areas (AGS or 9-digit VG keys), in layer order.
    indicator
        Indicator name.
    level
        ``gemeinde`` or ``vg``.
    vintage
        VG vintage.
    per_1000
        Divide by the area's population and multiply by 1,000.
    scheme, k, breaks
        Classification (``quantiles``, ``natural_breaks``, ``equal_interval``, ``manual``).

    Returns
    -------
    Choropleth
        Values, classes, bounds, colours and provenance.
    """
    if per_1000:  # a share or rate is never divided per 1,000
        refuse_per_1000(indicator, kind_in(values, indicator))
    v = values_for(values, membership, indicator, level, vintage).set_index("area_key")
    v = v.reindex(area_keys)
    dates = v["reference_date"].copy()
    sources = set(v["sources"].dropna())
    y = v["value"].astype(float)
    numerator = {k_: str(d) for k_, d in dates.items() if isinstance(d, str) and d}
    denominator: dict[str, str] = {}
    if per_1000:
        pop = values_for(
            values, membership, "population", level, vintage, near=numerator
        ).set_index("area_key")
        pop = pop.reindex(area_keys)
        y = y / pop["value"].astype(float) * 1000.0
        denominator = {
            k_: str(d) for k_, d in pop["reference_date"].items() if isinstance(d, str) and d
        }
        dates = pd.concat([dates, pop["reference_date"]], axis=1).min(axis=1)
        sources |= set(pop["sources"].dropna())
    present = y.notna() & np.isfinite(y)
    classes, bounds, lower, colors = _classes(y, present, area_keys, scheme, k, breaks)
    shown_dates = {k_: str(d) for k_, d in dates.items() if isinstance(d, str) and d}
    date_values = sorted(set(shown_dates[k_] for k_ in y[present].index if k_ in shown_dates))
    s = spec(indicator)
    return Choropleth(
        values={k_: float(val) for k_, val in y.items()},
        classes=classes,
        lower=lower,
        bounds=bounds,
        colors=colors,
        indicator=indicator,
        unit=s.unit,
        per_1000=per_1000,
        reference_date=date_values[0] if date_values else "",
        dates=shown_dates,
        dates_mixed=len(date_values) > 1,
        sources=sorted(sources),
        derived=bool(v["derived"].fillna(False).any()),
        numerator_date=_oldest(numerator, y[present].index),
        denominator_date=_oldest(denominator, y[present].index),
        denominator_dates=denominator,
    )


def _oldest(dates: dict[str, str], keys: pd.Index) -> str:
    found = sorted(dates[k] for k in keys if k in dates)
    return found[0] if found else ""
