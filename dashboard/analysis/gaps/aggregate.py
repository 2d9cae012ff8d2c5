"""From Gemeinden to a VG or the district: one population (the headline), sums and means.

The population of a VG or of the district is its headline figure
(:func:`dashboard.analysis.population.headline_population`: the figure reported for that
area, else the sum of its Gemeinden), with its date and source: the number the map, the VG
view and the key figures show. Where the demand is the population, the demand is that
figure too, so ``per_1000`` is the same everywhere. Another demand indicator is summed
over the Gemeinden (a VG with a Gemeinde without value has none).

Counts are summed; the shares within reach are recomputed from the Gemeinden's
populations (both bounds); distances and accessibility are demand-weighted means of the
Gemeinden (``distance_km_max``: the worst upper bound).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from pandas.api.typing import DataFrameGroupBy

from dashboard.analysis.coverage import combine
from dashboard.analysis.demand import POPULATION
from dashboard.analysis.gaps.areas import Areas
from dashboard.analysis.population import SUM_OF_GEMEINDEN

#: Measures averaged with the Gemeinden's demand as weights.
WEIGHTED: tuple[str, ...] = (
    "distance_km_low",
    "distance_km_high",
    "access_2sfca_per_1000",
    "access_e2sfca_per_1000",
)


def headline_of(areas: Areas, level: str, vintage: int) -> pd.DataFrame | None:
    """The headline populations of ``level`` (``None``: the areas carry none)."""
    if areas.populations is None:
        return None
    return areas.populations.at(level, vintage)


def oldest(values: pd.Series) -> str:
    """The oldest of some ISO dates (``""`` if none); ISO text of any precision sorts by time."""
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[0] if found else ""


def newest(values: pd.Series) -> str:
    """The newest of some ISO dates (``""`` if none)."""
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[-1] if found else ""


def joined(values: pd.Series) -> str:
    """The distinct sources of several rows (each maybe ``a; b``), sorted, joined by ``; ``."""
    found = {p.strip() for v in values if isinstance(v, str) for p in v.split(";")}
    return "; ".join(sorted(p for p in found if p))


def _population(out: pd.DataFrame, grouped: DataFrameGroupBy, heads: pd.DataFrame | None) -> None:
    """The population of each row with date, basis and sources (headline, else parts)."""
    g = grouped
    parts = out["_parts_population"]
    if heads is None:
        out["population"] = parts
        out["population_date"] = g["population_date"].agg(oldest).to_numpy()
        out["population_date_newest"] = g["population_date"].agg(newest).to_numpy()
        out["population_basis"] = SUM_OF_GEMEINDEN
        out["population_sources"] = g["population_sources"].agg(joined).to_numpy()
        return
    head = heads.reindex(out["key"].astype(str))
    out["population"] = head["population"].astype(float).to_numpy()
    out["population_date"] = head["reference_date"].fillna("").astype(str).to_numpy()
    out["population_date_newest"] = head["date_newest"].fillna("").astype(str).to_numpy()
    out["population_basis"] = head["basis"].fillna(SUM_OF_GEMEINDEN).astype(str).to_numpy()
    out["population_sources"] = head["sources"].fillna("").astype(str).to_numpy()


def _demand(out: pd.DataFrame, grouped: DataFrameGroupBy) -> None:
    """The demand: the population where it is the population, else the sum of parts."""
    g = grouped
    is_pop = (out["demand_indicator"].astype(str) == POPULATION).to_numpy()
    out["demand"] = np.where(is_pop, out["population"], out["_parts_demand"])
    dates = g["demand_date"]
    out["demand_date"] = np.where(is_pop, out["population_date"], dates.agg(oldest).to_numpy())
    out["demand_date_newest"] = np.where(
        is_pop, out["population_date_newest"], dates.agg(newest).to_numpy()
    )
    sources = g["demand_sources"].agg(joined).to_numpy()
    out["demand_sources"] = np.where(is_pop, out["population_sources"], sources)


def aggregate(frame: pd.DataFrame, keys: pd.Series, heads: pd.DataFrame | None) -> pd.DataFrame:
    """The Gemeinde rows of :func:`dashboard.analysis.gaps.measures` per selector and
    area ``keys`` (one key per row), with the areas' headline populations ``heads``."""
    work = frame.assign(_key=keys.to_numpy())
    for col in WEIGHTED:
        work[f"_w_{col}"] = work[col] * work["demand"]
        work[f"_nan_{col}"] = work[col].isna()
    work["_nan_population"] = work["population"].isna()
    work["_nan_demand"] = work["demand"].isna()
    grouped = work.groupby(["selector", "_key"], sort=False)
    sums = grouped[
        ["population", "demand", "offers", "population_covered_low", "population_covered_high"]
    ].sum()
    unknown = grouped["_nan_population"].any().to_numpy()  # a part without population
    out = pd.DataFrame(index=sums.index)
    out["_parts_population"] = np.where(unknown, np.nan, sums["population"])
    out["_parts_demand"] = np.where(grouped["_nan_demand"].any().to_numpy(), np.nan, sums["demand"])
    out["offers"] = sums["offers"].astype(int)
    out["n_gemeinden"] = grouped.size()
    out["distance_km_max"] = grouped["distance_km_max"].max()
    out["coverage"] = grouped["_complete"].agg(combine)
    out["n_complete"] = grouped["_complete"].sum().astype(int)
    out["list_as_of"] = grouped["list_as_of"].agg(oldest)
    out["demand_indicator"] = grouped["demand_indicator"].first()
    with np.errstate(divide="ignore", invalid="ignore"):
        weight = sums["demand"].to_numpy(float)
        for col in WEIGHTED:
            mean = grouped[f"_w_{col}"].sum().to_numpy(float) / weight
            nan = grouped[f"_nan_{col}"].any().to_numpy() | (weight <= 0)
            out[col] = np.where(nan, np.nan, mean)
        parts = out["_parts_population"].to_numpy(float)
        for bound in ("low", "high"):
            covered = np.where(unknown, np.nan, sums[f"population_covered_{bound}"])
            out[f"population_covered_{bound}"] = covered
            out[f"share_covered_{bound}"] = np.where(parts > 0, covered / parts, np.nan)
    out = out.reset_index().rename(columns={"_key": "key"})
    _population(out, grouped, heads)
    _demand(out, grouped)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = out["demand"].to_numpy(float)
        out["per_1000"] = np.where(need > 0, out["offers"].to_numpy(float) / need * 1000, np.nan)
    return out.drop(columns=["_parts_population", "_parts_demand"])
