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
from dashboard.ui.common import fresh, remember, shared_state
from dashboard.ui.downloads import facility_downloads


def summary(view: RoleView, lang: str) -> None:
    """What the inventory covers and how old it is (the user's records only)."""
    st.info(dataset_summary(view.facilities(), lang))
    st.caption(t("fac.shipped_note", lang))


def offers(view: RoleView, lang: str) -> None:
    """The offers with filters (VG, category, Handlungsfeld) and downloads.

    The filters are the session's shared view (:mod:`dashboard.ui.common`): a VG chosen on
    the map (in its successor of the current vintage) or a single category or
    Handlungsfeld preselects them, and a choice here is kept for the other pages.
    """
    vg_names = view.vg_names()
    if fresh(_PAGE, "inv_vg"):
        _seed(view, vg_names)
    all_ = t("filter.all", lang)
    c1, c2, c3 = st.columns(3)
    vg = c1.selectbox(
        t("filter.vg", lang),
        ["", *sorted(vg_names, key=lambda k: vg_names[k])],
        format_func=lambda k: vg_names.get(k, all_),
        key="inv_vg",
        on_change=_vg_changed,
        args=(view,),
    )
    category = c2.selectbox(
        t("filter.category", lang),
        ["", *view.categories()],
        format_func=lambda c: str(CATEGORIES[c][lang]) if c else all_,
        key="inv_category",
        on_change=_changed,
        args=("inv_category", "categories"),
    )
    hf = c3.selectbox(
        t("filter.hf", lang),
        ["", *HANDLUNGSFELDER],
        format_func=lambda c: HANDLUNGSFELDER[c][lang] if c else all_,
        key="inv_hf",
        on_change=_changed,
        args=("inv_hf", "handlungsfelder"),
    )
    subset = view.inventory(vg=vg or None, category=category or None, handlungsfeld=hf or None)
    st.header(t("fac.list", lang, n=len(subset)))
    st.dataframe(
        facility_table(subset, lang, vintage=view.current_vintage), hide_index=True, width="stretch"
    )
    facility_downloads(view, subset, lang, stem="einrichtungen")


_PAGE = "bestand"


def _seed(view: RoleView, vg_names: dict[str, str]) -> None:
    """Set the filters from the shared view before they are drawn."""
    state = shared_state()
    vg = view.carry_vg(state.vg, state.vintage, view.current_vintage) if state.vg else ""
    categories = [c for c in state.categories if c in view.categories()]
    st.session_state["inv_vg"] = vg if vg in vg_names else ""
    st.session_state["inv_category"] = categories[0] if len(categories) == 1 else ""
    hfs = state.handlungsfelder
    st.session_state["inv_hf"] = hfs[0] if len(hfs) == 1 else ""


def _vg_changed(view: RoleView) -> None:
    key = st.session_state["inv_vg"]
    state = shared_state()
    remember(vg=view.carry_vg(key, view.current_vintage, state.vintage) if key else "", gemeinde="")


def _changed(widget: str, field: str) -> None:
    value = st.session_state[widget]
    remember(**{field: (value,) if value else ()})


def projects_and_indicators(view: RoleView, lang: str) -> None:
    """The projects of the integration concept and the indicator values."""
    st.header(t("fac.projects", lang))
    st.caption(t("fac.projects_note", lang))
    st.dataframe(project_table(view.projects(), lang), hide_index=True, width="stretch")
    st.header(t("fac.indicators", lang))
    st.dataframe(indicator_table(view.indicators(), lang), hide_index=True, width="stretch")


def history(ws: Workspace, lang: str) -> None:
    """The change history: only for the Kreis-Redaktion and admins (it holds comments,
    account names and earlier positions); nothing at all for anyone else."""
    if not ws.can_apply():
        return
    st.header(t("fac.history", lang))
    frame = ws.history()
    if frame.empty:
        st.caption(t("fac.history_empty", lang))
    else:
        st.dataframe(history_table(frame, lang), hide_index=True, width="stretch")
