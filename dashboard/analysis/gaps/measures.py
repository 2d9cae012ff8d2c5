"""The supply measures per Gemeinde, and their aggregation to VGs and the district.

See :mod:`dashboard.analysis.gaps` for what each measure means. Per Gemeinde the measures
are computed from its headline population (:func:`dashboard.analysis.gaps.with_population`)
and representative point; a VG and the district take their own headline population (the
figure the map and the key figures show) and sum or average their Gemeinden otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TypedDict

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.coverage import ListMarks, current_vg_keys, gemeinde_coverage
from dashboard.analysis.demand import POPULATION, Demand, demand_columns, legacy_demand
from dashboard.analysis.gaps.access import two_step_fca
from dashboard.analysis.gaps.aggregate import aggregate, headline_of
from dashboard.analysis.gaps.areas import Areas, vg_columns
from dashboard.analysis.gaps.checks import check_decay, check_level, check_positive, selectors_of
from dashboard.analysis.gaps.offers import Offers, offers_of
from dashboard.analysis.positions import nearest_range

#: Columns of :func:`measures`, in order (``vg_rs`` and ``vg`` only at Gemeinde level).
COLUMNS: tuple[str, ...] = (
    "selector", "level", "vintage", "key", "name", "vg_rs", "vg", "n_gemeinden",
    "population", "population_date", "population_date_newest", "population_basis",
    "population_sources", "demand", "demand_indicator", "demand_chosen", "demand_fallback",
    "demand_missing", "demand_date", "demand_date_newest", "demand_sources", "border_demand",
    "border_basis", "border_date", "border_date_newest", "border_sources", "offers", "per_1000", "distance_km", "distance_km_low", "distance_km_high",
    "distance_approx", "distance_km_max", "radius_km", "population_covered_low",
    "population_covered_high", "share_covered", "share_covered_low", "share_covered_high",
    "access_2sfca_per_1000", "access_e2sfca_per_1000", "coverage", "n_complete",
    "list_as_of", "decay", "include_outside", "include_unconfirmed",
)  # fmt: skip


class Options(TypedDict):
    """The options of one run of :func:`measures` (checked)."""

    radius_km: float
    decay: str
    include_outside: bool
    include_unconfirmed: bool
    lists: ListMarks | None


class MeasureOptions(TypedDict):
    """Keyword arguments :func:`dashboard.analysis.gaps.what_if` passes to :func:`measures`
    (before and after)."""

    radius_km: float
    level: str
    vintage: int | None
    include_outside: bool
    decay: str
    demand: Demand | Mapping[str, Demand] | None
    lists: ListMarks | None
    include_unconfirmed: bool


def _distance_range(areas: Areas, offers: Offers, cand: np.ndarray) -> tuple[np.ndarray, ...]:
    """Bounds (km) of the distance to the nearest candidate offer: an offer placed only in
    its Gemeinde may be anywhere in it (:mod:`dashboard.analysis.positions`)."""
    approx = cand & offers.approx
    places = sorted(set(offers.ags[approx].tolist()))
    exact = cand & ~approx
    low, high = nearest_range(
        areas.xy, offers.xy[exact], [areas.shapes[a] for a in places], places, areas.ranges
    )
    return low / 1000, high / 1000


def _accessibility(
    areas: Areas, offers: Offers, cand: np.ndarray, need: np.ndarray, demand: Demand, opts: Options
) -> dict[str, np.ndarray]:
    n = len(areas.table)
    if not cand.any():
        return {"2sfca": np.zeros(n), "e2sfca": np.zeros(n)}
    if np.isnan(need).any():  # demand partly unknown: accessibility unknown
        return {"2sfca": np.full(n, np.nan), "e2sfca": np.full(n, np.nan)}
    demand_xy, weights_, tree = areas.xy, need, areas.tree
    outside = np.asarray(demand.border, float)
    if len(outside) and (outside > 0).any():
        demand_xy = np.vstack([areas.xy, areas.border[["x", "y"]].to_numpy(float)])
        weights_, tree = np.concatenate([need, outside]), None
    fca = two_step_fca(
        demand_xy, weights_, offers.xy[cand], offers.supply[cand], opts["radius_km"],
        decay=opts["decay"], demand_tree=tree,
    )  # fmt: skip
    return {k: v[:n] for k, v in fca.items()}


def _gemeinde_measures(
    areas: Areas, offers: Offers, selector: str, demand: Demand, opts: Options
) -> dict[str, np.ndarray]:
    """The measures of every Gemeinde for one selector (numbers only)."""
    mask = offers.active & offers.selected(selector)
    if not opts["include_unconfirmed"]:
        mask &= ~offers.unconfirmed
    index = areas.table.index
    counted = offers.ags[mask & ~offers.unknown]
    counts = pd.Series(counted).value_counts().reindex(index, fill_value=0).to_numpy(int)
    pop = areas.table["population"].to_numpy(float)
    need = np.asarray(demand.values, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1000 = np.where(need > 0, counts / need * 1000, np.nan)
    cand = mask & (offers.candidate | (offers.outside if opts["include_outside"] else False))
    if cand.any():
        low, high = _distance_range(areas, offers, cand)
    else:
        low = high = np.full(len(index), np.nan)
    fca = _accessibility(areas, offers, cand, need, demand, opts)
    radius = opts["radius_km"]
    return {
        "population": pop,
        "demand": need,
        "offers": counts,
        "per_1000": per_1000,
        "distance_km_low": low,
        "distance_km_high": high,
        "distance_km_max": high,
        "population_covered_low": np.where(high <= radius, pop, 0.0),
        "population_covered_high": np.where(low <= radius, pop, 0.0),
        "access_2sfca_per_1000": fca["2sfca"] * 1000,
        "access_e2sfca_per_1000": fca["e2sfca"] * 1000,
    }


def demand_of(demand: Demand | Mapping[str, Demand] | None, selector: str, areas: Areas) -> Demand:
    """The demand of one selector: given for it, given for all, or each Gemeinde's
    population (no demand beyond the border)."""
    if isinstance(demand, Demand):
        return demand
    if demand is not None and selector in demand:
        return demand[selector]
    table = areas.table
    dates = table["population_date"] if "population_date" in table else [""] * len(table)
    sources = table["population_source"] if "population_source" in table else [""] * len(table)
    return replace(
        legacy_demand(table["population"].to_numpy(float), list(dates), len(areas.border)),
        sources=tuple(sorted({str(s) for s in sources if s})),
    )


def _selector_frame(
    areas: Areas, offers: Offers, selector: str, need: Demand, opts: Options
) -> pd.DataFrame:
    table = areas.table
    if len(need.values) != len(table) or len(need.border) != len(areas.border):
        raise ValueError(
            f"demand for {selector!r} has {len(need.values)} Gemeinde and {len(need.border)} "
            f"border values; the areas have {len(table)} and {len(areas.border)}"
        )
    part = pd.DataFrame(_gemeinde_measures(areas, offers, selector, need, opts))
    lists = opts["lists"]
    current = (
        current_vg_keys(table, areas.current_vintage) if lists is not None else [""] * len(table)
    )
    complete, as_of = gemeinde_coverage(current, opts["lists"], selector)
    part["_complete"] = complete
    part["list_as_of"] = as_of
    part["demand_date"] = list(need.dates)
    part["demand_sources"] = "; ".join(need.sources)
    part["population_date"] = table["population_date"].to_numpy()
    part["population_sources"] = (
        table["population_source"].to_numpy() if "population_source" in table else ""
    )
    for column, value in demand_columns(need).items():
        part[column] = value
    part.insert(0, "selector", selector)
    part.insert(1, "key", table.index.to_numpy())
    return part


def _gemeinde_level(gem: pd.DataFrame, areas: Areas, vintage: int, repeat: int) -> pd.DataFrame:
    vg_name, vg_key = vg_columns(areas, vintage)
    table = areas.table
    gem["name"] = np.tile(table["name"].to_numpy(), repeat)
    gem["vg_rs"] = np.tile(table[vg_key].to_numpy(), repeat)
    gem["vg"] = np.tile(table[vg_name].to_numpy(), repeat)
    gem["n_gemeinden"] = 1
    gem["coverage"] = np.where(gem["_complete"], "complete", "unknown")
    gem["n_complete"] = gem["_complete"].astype(int)
    gem["demand_date_newest"] = gem["demand_date"]
    gem["population_date_newest"] = gem["population_date"]
    gem["population_basis"] = "official"
    with np.errstate(divide="ignore", invalid="ignore"):
        pop = gem["population"].to_numpy(float)
        for bound in ("low", "high"):
            covered = gem[f"population_covered_{bound}"].to_numpy(float)
            gem[f"share_covered_{bound}"] = np.where(pop > 0, covered / pop, np.nan)
    return gem


def _upper_level(
    gem: pd.DataFrame, areas: Areas, chosen: list[str], level: str, vintage: int
) -> pd.DataFrame:
    table = areas.table
    vg_name, vg_key = vg_columns(areas, vintage)
    if level == "vg":
        keys = pd.Series(np.tile(table[vg_key].to_numpy(), len(chosen)))
        names = table.drop_duplicates(vg_key).set_index(vg_key)[vg_name]
    else:
        if not areas.district_key:
            raise ValueError("the areas name no district (make_areas(district_key=...))")
        keys = pd.Series(areas.district_key, index=gem.index)
        names = pd.Series({areas.district_key: areas.district_name})
    heads = headline_of(areas, level, vintage)
    out = aggregate(gem, keys, heads)
    per_selector = gem.drop_duplicates("selector").set_index("selector")
    for column in demand_columns(demand_of(None, "", areas)):
        out[column] = out["selector"].map(per_selector[column])
    out["name"] = out["key"].map(names)
    return out


def measures(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    selectors: str | Sequence[str] | None = None,
    *,
    vintage: int | None = None,
    radius_km: float = 5.0,
    level: str = "gemeinde",
    include_outside: bool = False,
    decay: str = "gaussian",
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """All supply measures for one or more selectors at one level.

    Parameters
    ----------
    areas, facilities
        From :func:`dashboard.analysis.gaps.with_population` (the headline population of
        the data version) and :func:`dashboard.data.locate.locate` (EPSG:4326).
    selectors
        A category or Handlungsfeld code, a list of them, or ``None`` for all.
    vintage, level
        Boundary vintage of the VGs (default ``areas.current_vintage``); ``gemeinde``,
        ``vg`` or ``landkreis``.
    radius_km, decay
        Radius of the share within reach and of the 2SFCA catchment; E2SFCA weights
        (``gaussian`` or ``step``).
    include_outside, include_unconfirmed
        Also use offers elsewhere outside the district (the context areas' always count);
        also count offers still to be confirmed.
    demand
        :func:`dashboard.analysis.demand.build_demand`, one for all selectors or one per
        selector; default each Gemeinde's population, no demand beyond the border.
    lists
        The completeness marks of the lists; ``None`` treats every list as complete.

    Returns
    -------
    pandas.DataFrame
        One row per selector and area (:data:`COLUMNS`), by selector (order given), key.

    Raises
    ------
    ValueError
        For an unknown selector, level, vintage or decay, or a bad radius.
    """
    chosen = selectors_of(selectors)
    vintage = areas.current_vintage if vintage is None else vintage
    vg_columns(areas, vintage)
    opts: Options = {
        "radius_km": check_positive("radius_km", radius_km),
        "decay": check_decay(decay),
        "include_outside": bool(include_outside),
        "include_unconfirmed": bool(include_unconfirmed),
        "lists": lists,
    }
    check_level(level)
    offers = offers_of(facilities)
    if offers.approx.any():  # somewhere in a known area; elsewhere the point is all we have
        known = pd.Series(offers.ags).isin(set(areas.shapes)).to_numpy()
        offers = replace(offers, approx=offers.approx & known)
    fallback = demand if isinstance(demand, Demand) else demand_of(None, "", areas)
    parts = [
        _selector_frame(
            areas,
            offers,
            sel,
            demand[sel] if isinstance(demand, Mapping) and sel in demand else fallback,
            opts,
        )  # fmt: skip
        for sel in chosen
    ]
    gem = pd.concat(parts, ignore_index=True)
    if level == "gemeinde":
        out = _gemeinde_level(gem, areas, vintage, len(chosen))
    else:
        out = _upper_level(gem, areas, chosen, level, vintage)
    return _finish(out, chosen, level, vintage, opts)


def _finish(
    out: pd.DataFrame, chosen: list[str], level: str, vintage: int, opts: Options
) -> pd.DataFrame:
    """The exact distance and the certain share where there is no range; options; order."""
    low, high = out["distance_km_low"].to_numpy(float), out["distance_km_high"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        out["distance_approx"] = (high - low) > 1e-9
        s_low, s_high = out["share_covered_low"], out["share_covered_high"]
        out["share_covered"] = s_low.where((s_high - s_low).abs() <= 1e-12)
    out["distance_km"] = np.where(out["distance_approx"], np.nan, low)  # never a made-up point
    out["level"] = level
    out["vintage"] = int(vintage)
    out["radius_km"] = opts["radius_km"]
    out["decay"] = opts["decay"]
    out["include_outside"] = opts["include_outside"]
    out["include_unconfirmed"] = opts["include_unconfirmed"]
    order = {s: i for i, s in enumerate(chosen)}
    out = out.sort_values(
        ["selector", "key"], key=lambda c: c.map(order) if c.name == "selector" else c
    )
    columns = [c for c in COLUMNS if level == "gemeinde" or c not in ("vg_rs", "vg")]
    out = out[columns].reset_index(drop=True)
    out["offers"] = out["offers"].astype(int)
    out["n_gemeinden"] = out["n_gemeinden"].astype(int)
    return out


__all__ = ["COLUMNS", "POPULATION", "MeasureOptions", "demand_of", "measures"]
