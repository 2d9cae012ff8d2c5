"""Filtering facilities for the map view, and name search."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from dashboard.domain.model import SENSITIVE_CATEGORIES
from dashboard.domain.viewstate import ViewState, verified_cutoff


def apply_filters(located: gpd.GeoDataFrame, state: ViewState, today: dt.date) -> gpd.GeoDataFrame:
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
        f = f[f["handlungsfelder"].map(lambda hs: bool(wanted & set(hs)))]
    if state.language:
        f = f[f["languages"].map(lambda ls: state.language in ls)]
    if state.target_group:
        f = f[f["target_groups"].map(lambda gs: state.target_group in gs)]
    if state.precisions:
        f = f[f["precision"].isin(state.precisions)]
    if state.verified != "all":
        cutoff = pd.Timestamp(verified_cutoff(today))
        verified = pd.to_datetime(f["last_verified"], errors="coerce")
        recent = verified.notna() & (verified >= cutoff)
        f = f[recent] if state.verified == "12m" else f[~recent]
    return f


def public_points(filtered: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Facilities that may be drawn as points: never the sensitive categories (Unterkunft)."""
    return filtered[~filtered["category"].isin(SENSITIVE_CATEGORIES)]


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


def stale_flags(
    located: pd.DataFrame, today: dt.date, confirmed: dict[str, dt.date] | None = None
) -> pd.Series:
    """Offers nobody verified for 12 months (True), for marking on the map.

    An offer counts as verified on its ``last_verified`` date or on the last date its VG's
    list was confirmed as current, whichever is later (as in
    :meth:`dashboard.services.workspace.Workspace.stale_offers`).

    Parameters
    ----------
    located
        Facilities with ``last_verified`` and ``vg_rs_2019``.
    today
        Reference day.
    confirmed
        VG key (2019) -> date of the latest "list is current" confirmation.
    """
    cutoff = pd.Timestamp(verified_cutoff(today))
    verified = pd.to_datetime(located["last_verified"], errors="coerce")
    if confirmed:
        vg_dates = pd.to_datetime(located["vg_rs_2019"].map(confirmed), errors="coerce")
        verified = pd.concat([verified, vg_dates], axis=1).max(axis=1)
    return ~(verified.notna() & (verified >= cutoff))
