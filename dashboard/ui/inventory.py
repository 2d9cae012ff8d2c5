"""Sections of the "Datenbestand" page: coverage, offers, projects, indicators, history."""

from __future__ import annotations

import streamlit as st

from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.i18n.catalogue import t
from dashboard.render.tables import (
    dataset_summary,
    facility_table,
    history_table,
    indicator_table,
    project_table,
)
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace
from dashboard.ui.downloads import facility_downloads


def summary(view: RoleView, lang: str) -> None:
    """What the inventory covers and how old it is (the user's records only)."""
    st.info(dataset_summary(view.facilities(), lang))
    st.caption(t("fac.shipped_note", lang))


def offers(view: RoleView, lang: str) -> None:
    """The offers with filters (VG, category, Handlungsfeld) and downloads."""
    vg_names = sorted(view.vg_names().values())
    all_ = t("filter.all", lang)
    c1, c2, c3 = st.columns(3)
    vg = c1.selectbox(t("filter.vg", lang), [all_, *vg_names], key="inv_vg")
    category = c2.selectbox(
        t("filter.category", lang),
        [all_, *view.categories()],
        format_func=lambda c: c if c == all_ else str(CATEGORIES[c][lang]),
        key="inv_category",
    )
    hf = c3.selectbox(
        t("filter.hf", lang),
        [all_, *HANDLUNGSFELDER],
        format_func=lambda c: c if c == all_ else HANDLUNGSFELDER[c][lang],
        key="inv_hf",
    )
    subset = view.inventory(
        vg=None if vg == all_ else vg,
        category=None if category == all_ else category,
        handlungsfeld=None if hf == all_ else hf,
    )
    st.subheader(t("fac.list", lang, n=len(subset)))
    st.dataframe(facility_table(subset, lang), hide_index=True, width="stretch")
    facility_downloads(view, subset, lang, stem="einrichtungen")


def projects_and_indicators(view: RoleView, lang: str) -> None:
    """The projects of the integration concept and the indicator values."""
    st.subheader(t("fac.projects", lang))
    st.caption(t("fac.projects_note", lang))
    st.dataframe(project_table(view.projects(), lang), hide_index=True, width="stretch")
    st.subheader(t("fac.indicators", lang))
    st.dataframe(indicator_table(view.indicators(), lang), hide_index=True, width="stretch")


def history(ws: Workspace, lang: str) -> None:
    """The change history: only for the Kreis-Redaktion and admins (it holds comments,
    account names and earlier positions); nothing at all for anyone else."""
    if not ws.can_apply():
        return
    st.subheader(t("fac.history", lang))
    frame = ws.history()
    if frame.empty:
        st.caption(t("fac.history_empty", lang))
    else:
        st.dataframe(history_table(frame, lang), hide_index=True, width="stretch")
