"""Demand by target group: whose need an offer serves, per category.

Kitas serve young children, primary schools children of primary-school age, language
courses people who do not speak German yet; counting the whole population as their
demand hides where the need is. Each selector has a demand indicator (:data:`DEMAND`,
changeable per analysis); the default is the total population.

Rules (stated in every result):

* The chosen indicator is used only if *every* Gemeinde of the district has a value of
  it (the value nearest in date to the analysis date). Otherwise the whole analysis uses
  the total population, and the result says so (``fallback`` with the number of Gemeinden
  without a value): mixing children in one Gemeinde with inhabitants in the next would
  make the figures incomparable.
* Demand across the border: residents of the areas beyond the border whose offers count
  as supply (the district's context areas) count as demand in the 2SFCA. Their value is the
  same indicator for that area (area level ``kreis``, 5-digit key); if it has none, the
  total population times the district's own ratio of the indicator to its population,
  marked ``estimated``; without any population the area adds no demand (and the result
  says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.dates import distance_days, source_date

#: The total population: the default demand and every fallback.
POPULATION = "population"

#: Demand indicator per selector (a category or Handlungsfeld code); others: population.
DEMAND: dict[str, str] = {
    "Kita": "population_under_6",
    "Schule": "population_6_to_9",
    "Sprachkurs": "foreign_population",
    "sprache": "foreign_population",
}


def demand_indicators() -> dict[str, tuple[str, ...]]:
    """Each demand indicator of :data:`DEMAND` -> the selectors whose demand it is."""
    out: dict[str, tuple[str, ...]] = {}
    for selector, indicator in DEMAND.items():
        out[indicator] = (*out.get(indicator, ()), selector)
    return out


def default_indicator(selector: str) -> str:
    """The configured demand indicator of a selector (:data:`DEMAND`, else population)."""
    return DEMAND.get(selector, POPULATION)


@dataclass(frozen=True, eq=False)
class Demand:
    """The demand the analysis of one selector uses.

    Attributes
    ----------
    chosen
        The indicator asked for.
    used
        The indicator used (``chosen``, or ``population`` as the fallback).
    missing
        Gemeinden without a value of ``chosen`` (0 when it is used).
    values, dates
        Demand per Gemeinde (in the order of the analysis areas) and the date of each value.
    border, border_dates
        Demand per area beyond the border (in the order of ``Areas.border``) and its dates.
    border_basis
        Per border area: ``value`` (its own value), ``estimated`` (population times the
        district's ratio) or ``none`` (no population known: no demand counted).
    sources
        Distinct sources of the values used.
    border_sources
        Per border area, the source of its value ("" where none is counted).
    """

    chosen: str
    used: str
    missing: int
    values: np.ndarray
    dates: tuple[str, ...]
    border: np.ndarray
    border_dates: tuple[str, ...]
    border_basis: tuple[str, ...]
    sources: tuple[str, ...] = ()
    border_sources: tuple[str, ...] = ()

    @property
    def fallback(self) -> bool:
        """Whether the total population stands in for the chosen indicator."""
        return self.used != self.chosen


def _nearest(values: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Per area, the value whose date is nearest to ``as_of`` (ties: the newer one)."""
    if values.empty:
        return values
    work = values.assign(
        _gap=[distance_days(d, as_of) for d in values["reference_date"]],
        _date=[str(d) for d in values["reference_date"]],
    )
    work = work.sort_values(["area_key", "_gap", "_date"], ascending=[True, True, False])
    return work.drop_duplicates("area_key").drop(columns=["_gap", "_date"])


def _values(
    indicators: pd.DataFrame, indicator: str, level: str, keys: Sequence[str], as_of: str
) -> pd.DataFrame:
    rows = indicators[(indicators["indicator"] == indicator) & (indicators["area_level"] == level)]
    rows = rows[rows["area_key"].astype(str).isin(set(keys))]
    return _nearest(rows.assign(area_key=rows["area_key"].astype(str)), as_of).set_index("area_key")


def build_demand(
    indicators: pd.DataFrame,
    gemeinde_keys: Sequence[str],
    population: Sequence[float],
    population_dates: Sequence[str],
    border_keys: Sequence[str] = (),
    *,
    indicator: str = POPULATION,
    as_of: str | dt.date | None = None,
    population_sources: Sequence[str] = (),
) -> Demand:
    """The demand of one analysis.

    Parameters
    ----------
    indicators
        Indicator values in long format (``area_level``, ``area_key``, ``indicator``,
        ``value``, ``reference_date``, ``source``).
    gemeinde_keys, population, population_dates
        The analysis areas (AGS) with their inhabitants and dates, in analysis order.
    border_keys
        Keys (AGS) of the areas beyond the border that hold demand (the city); their
        values are looked up at area level ``kreis`` by the first five digits.
    indicator
        The demand indicator asked for (``population`` for the total population).
    as_of
        The date the counted offers refer to (default today): of several values of an
        area, the one nearest in date is used.
    population_sources
        The source of each Gemeinde's population (named as the demand's sources when the
        population is the demand).

    Returns
    -------
    Demand
    """
    if len(gemeinde_keys) != len(population) or len(population) != len(population_dates):
        raise ValueError("gemeinde_keys, population and population_dates differ in length")
    when = source_date(as_of if as_of is not None else dt.date.today())
    keys = [str(k) for k in gemeinde_keys]
    pop = np.asarray(population, float)
    values, dates, used, missing, sources = (
        pop,
        tuple(str(d) for d in population_dates),
        "",
        0,
        set(),
    )
    if indicator != POPULATION:
        found = _values(indicators, indicator, "gemeinde", keys, when)
        missing = sum(k not in found.index for k in keys)
        if missing == 0 and len(keys):
            values = found.loc[keys, "value"].astype(float).to_numpy()
            dates = tuple(str(d) for d in found.loc[keys, "reference_date"])
            sources = set(found["source"].astype(str))
            used = indicator
    if not used:
        used = POPULATION
        sources |= {str(s) for s in population_sources} or set(
            _values(indicators, POPULATION, "gemeinde", keys, when)["source"].astype(str)
        )
    border, border_dates, basis, border_sources = _border(
        indicators, border_keys, used, values, pop, when
    )
    return Demand(
        chosen=indicator, used=used, missing=missing, values=values, dates=dates,
        border=border, border_dates=border_dates, border_basis=basis,
        sources=tuple(sorted(s for s in sources if s)), border_sources=border_sources,
    )  # fmt: skip


def _border(
    indicators: pd.DataFrame,
    keys: Sequence[str],
    used: str,
    district_values: np.ndarray,
    district_population: np.ndarray,
    when: str,
) -> tuple[np.ndarray, tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    kreise = [str(k)[:5] for k in keys]
    own = _values(indicators, used, "kreis", kreise, when)
    pop = _values(indicators, POPULATION, "kreis", kreise, when)
    total = float(district_population.sum())
    ratio = float(district_values.sum()) / total if total > 0 else 0.0
    out, dates, basis, sources = [], [], [], []
    for key in kreise:
        found = own if key in own.index else pop if key in pop.index else None
        if found is None:
            out.append(0.0)
            dates.append("")
            basis.append("none")
            sources.append("")
            continue
        value = float(found.loc[key, "value"])
        out.append(value if found is own else value * ratio)
        dates.append(str(found.loc[key, "reference_date"]))
        basis.append("value" if found is own else "estimated")
        sources.append(str(found.loc[key, "source"]) if "source" in found else "")
    return np.asarray(out, float), tuple(dates), tuple(basis), tuple(sources)


def legacy_demand(population: Sequence[float], dates: Sequence[str], n_border: int = 0) -> Demand:
    """The total population without any demand beyond the border (no indicator table)."""
    return Demand(
        chosen=POPULATION, used=POPULATION, missing=0,
        values=np.asarray(population, float), dates=tuple(str(d) for d in dates),
        border=np.zeros(n_border), border_dates=("",) * n_border,
        border_basis=("none",) * n_border, border_sources=("",) * n_border,
    )  # fmt: skip


def demand_columns(demand: Demand) -> Mapping[str, object]:
    """Columns every row of a result carries about its demand (codes and numbers)."""
    used = np.asarray(demand.border_basis) != "none"
    counted = float(demand.border[used].sum())
    dates = sorted(d for d, u in zip(demand.border_dates, used, strict=True) if u and d)
    sources = dict.fromkeys(s for s, u in zip(demand.border_sources, used, strict=False) if u and s)
    return {
        "demand_chosen": demand.chosen,
        "demand_indicator": demand.used,
        "demand_fallback": demand.fallback,
        "demand_missing": demand.missing,
        "border_demand": counted,
        "border_basis": ",".join(sorted(set(demand.border_basis))) if demand.border_basis else "",
        "border_date": dates[0] if dates else "",
        "border_date_newest": dates[-1] if dates else "",
        "border_sources": "; ".join(sources),
    }
