"""The VG view below the map: key figures, offers by category, list, projects, indicators."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.render.tables import facility_table
from dashboard.services.view import RoleView
from dashboard.ui.downloads import facility_downloads
from dashboard.ui.exports import vg_handout
from dashboard.ui.text import say, table


def show(view: RoleView, key: str, vintage: int, lang: str) -> None:
    """Draw the view of VG ``key`` (of ``vintage``) as the user may see it."""
    p = view.vg_profile(key, vintage, lang)
    say("atlas.vg_heading", lang, "header", name=p.name, vg_key=p.key)
    vg_handout(view, p.key, vintage, p.name, lang)
    c1, c2 = st.columns(2)
    with c1:
        table(p.figures)
    with c2:
        table(p.by_category)
    st.subheader(t("atlas.offer_list", lang))
    st.dataframe(facility_table(p.offers, lang, vintage=vintage), hide_index=True, width="stretch")
    facility_downloads(view, p.offers, lang, stem=f"angebote-{p.name.lower()}")
    st.subheader(t("atlas.projects", lang))
    if len(p.projects):
        table(p.projects, index=False)
    else:
        st.caption(t("atlas.no_projects", lang))
    st.subheader(t("atlas.indicators", lang))
    table(p.indicators)
