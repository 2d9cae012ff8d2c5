"""Filtering facilities for the map view, and name search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import geopandas as gpd

from dashboard.domain.staleness import stale_mask
from dashboard.domain.viewstate import ViewState


def apply_filters(
    located: gpd.GeoDataFrame,
    state: ViewState,
    today: dt.date,
    confirmations: Mapping[str, dt.date] | None = None,
) -> gpd.GeoDataFrame:
    """The active facilities that match the view's filters.

    Parameters
    ----------
    located
        From :func:`dashboard.data.locate.locate`.
    state
        The view (VG of its vintage, Gemeinde, categories, Handlungsfelder, language,
        target group, precisions, verification).
    today
        Reference day for "verified within 12 months".
    confirmations
        VG key -> date of the latest "list is current" confirmation (counts as verified,
        :func:`dashboard.domain.staleness.stale_mask`).

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows (closed offers are never shown).
    """
    f = located[located["status"] == "active"]
    if state.vg:
        f = f[f[f"vg_rs_{state.vintage}"] == state.vg]
    if state.gemeinde:
        f = f[f["located_ags"] == state.gemeinde]
    if state.categories:
        f = f[f["category"].isin(state.categories)]
    if state.handlungsfelder:
        wanted = set(state.handlungsfelder)
        f = f.loc[f["handlungsfelder"].map(lambda hs: bool(wanted & set(hs))).astype(bool)]
    if state.language:
        f = f.loc[f["languages"].map(lambda ls: state.language in ls).astype(bool)]
    if state.target_group:
        f = f.loc[f["target_groups"].map(lambda gs: state.target_group in gs).astype(bool)]
    if state.precisions:
        f = f[f["precision"].isin(state.precisions)]
    if state.verified != "all":
        recent = ~stale_mask(f, today, confirmations)
        f = f[recent] if state.verified == "12m" else f[~recent]
    return f


def search(filtered: gpd.GeoDataFrame, query: str, limit: int = 20) -> gpd.GeoDataFrame:
    """Facilities whose name contains the query (case-insensitive), located ones first."""
    q = query.strip().casefold()
    if not q:
        return filtered.iloc[0:0]
    hits = filtered[filtered["name"].str.casefold().str.contains(q, regex=False)]
    return hits.sort_values(by="name", key=lambda s: s.str.len()).head(limit)


def options(located: gpd.GeoDataFrame, column: str) -> list[str]:
    """Distinct values of a list column (languages, target groups), sorted."""
    values: set[str] = set()
    for items in located[column]:
        values.update(items)
    return sorted(values, key=str.casefold)
