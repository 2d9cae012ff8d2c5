"""Map page: offers by category and Handlungsfeld, needs overlay, filters, VG view."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from dashboard.analysis.classify import build_choropleth
from dashboard.analysis.filters import apply_filters, public_points, search
from dashboard.analysis.profile import vg_profile
from dashboard.domain.model import SENSITIVE_CATEGORIES
from dashboard.domain.privacy import format_count
from dashboard.i18n.catalogue import t, tn
from dashboard.render.tables import facility_table
from dashboard.render.web.atlas import choropleth_table, vg_at
from dashboard.ui import atlas
from dashboard.ui.common import (
    atlas_map,
    data_key,
    district_data,
    indicator_values,
    language_switch,
    located,
    store,
)
from dashboard.ui.downloads import facility_downloads
from dashboard.ui.exports import map_exports, vg_handout

lang = language_switch()
data, facilities, values, today = district_data(), located(), indicator_values(), dt.date.today()
state = atlas.sidebar(lang, data.vgs, data.gemeinden, data.membership, values, facilities)

filtered = apply_filters(facilities, state, today)
points = public_points(filtered)
hits = search(filtered, state.search)
focus = hits[hits.geometry.notna()]
focus_id = str(focus["id"].iloc[0]) if state.search and len(focus) else ""

st.title(t("atlas.heading", lang))
located_points = points[points.geometry.notna()]
st.markdown(
    t(
        "atlas.count",
        lang,
        shown=len(located_points),
        total=int(
            (
                (facilities["status"] == "active")
                & ~facilities["category"].isin(SENSITIVE_CATEGORIES)
            ).sum()
        ),
    )
)
if len(filtered) - len(filtered[filtered.geometry.notna()]):
    n_unlocated = int(filtered.geometry.isna().sum())
    st.caption(tn("atlas.unlocated", n_unlocated, lang, n=n_unlocated))
n_sensitive = int(filtered["category"].isin(SENSITIVE_CATEGORIES).sum())
if n_sensitive:
    st.caption(t("atlas.sensitive", lang, n=format_count(n_sensitive)))
if state.search:
    st.caption(
        t("atlas.hits", lang, n=len(hits), q=state.search, name=focus["name"].iloc[0])
        if len(focus)
        else t("atlas.no_hits", lang, q=state.search)
    )

col_map, col_table = st.columns([2, 1])
with col_map:
    m = atlas_map(state, data_key(), today, focus_id)
    out = st_folium(
        m, key="atlas_map", height=620, use_container_width=True, returned_objects=["last_clicked"]
    )
    st.caption(t("atlas.click_hint", lang) + " " + t("atlas.share", lang))
clicked = (out or {}).get("last_clicked")
if clicked and clicked != st.session_state.get("atlas_last_click"):
    st.session_state["atlas_last_click"] = clicked
    key = vg_at(data.vgs[state.vintage], clicked["lat"], clicked["lng"])
    if key and key != state.vg:
        atlas.select_vg(key)
        st.rerun()

with col_table:
    if "choropleth" in state.layers and state.indicator:
        areas = data.gemeinden if state.level == "gemeinde" else data.vgs[state.vintage]
        keys = list(areas["ags" if state.level == "gemeinde" else "rs"])
        ch = build_choropleth(
            values,
            data.membership,
            keys,
            state.indicator,
            state.level,
            state.vintage,
            state.per_1000,
            state.scheme,
            state.k,
            state.breaks,
        )
        st.subheader(t("atlas.values_heading", lang))
        table = choropleth_table(ch, keys, list(areas["name"]), lang)
        st.table(table.set_index(table.columns[0]))
        st.caption(t("field.source", lang) + ": " + "; ".join(ch.sources))
    else:
        st.caption(t("atlas.no_choropleth", lang))

with st.expander(t("exp.heading", lang)):
    map_exports(state, lang, today)

if state.vg:
    p = vg_profile(state.vg, state.vintage, data, facilities, values, store().projects(), lang)
    st.header(t("atlas.vg_heading", lang, name=p.name, vg_key=p.key))
    vg_handout(p.key, state.vintage, p.name, lang)
    c1, c2 = st.columns(2)
    c1.table(p.figures.set_index(p.figures.columns[0]))
    c2.table(p.by_category.set_index(p.by_category.columns[0]))
    st.subheader(t("atlas.offer_list", lang))
    st.dataframe(facility_table(public_points(p.offers), lang), hide_index=True, width="stretch")
    facility_downloads(public_points(p.offers), lang, stem=f"angebote-{p.name.lower()}")
    st.subheader(t("atlas.projects", lang))
    if len(p.projects):
        st.table(p.projects)
    else:
        st.caption(t("atlas.no_projects", lang))
    st.subheader(t("atlas.indicators", lang))
    st.table(p.indicators.set_index(p.indicators.columns[0]))
