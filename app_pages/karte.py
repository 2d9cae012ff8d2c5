"""Map page: offers by category and Handlungsfeld, needs overlay, filters, VG view."""

import datetime as dt

import streamlit as st
from streamlit_folium import st_folium

from dashboard.i18n.catalogue import t, tn
from dashboard.ui import atlas, vgview
from dashboard.ui.common import atlas_map, language_switch, new_click, view
from dashboard.ui.exports import map_exports
from dashboard.ui.text import say

lang = language_switch(url=False)  # the sidebar writes the whole view into the URL
v, today = view(), dt.date.today()
state = atlas.sidebar(lang, v)

points = v.points(state, today)
hits = v.search(state, today)
focus = hits[hits.geometry.notna()]
focus_id = str(focus["id"].iloc[0]) if state.search and len(focus) else ""

st.title(t("atlas.heading", lang))
located_points = points[points.geometry.notna()]
st.markdown(t("atlas.count", lang, shown=len(located_points), total=v.n_drawable()))
unlocated = int(v.filtered(state, today).geometry.isna().sum())
if unlocated:
    st.caption(tn("atlas.unlocated", unlocated, lang, n=unlocated))
if note := v.sensitive_note(state, lang):
    say("atlas.sensitive", lang, "caption", n=note)
if state.search:
    if len(focus):
        say("atlas.hits", lang, "caption", n=len(hits), q=state.search, name=focus["name"].iloc[0])
    else:
        say("atlas.no_hits", lang, "caption", q=state.search)

col_map, col_table = st.columns([2, 1])
with col_map:
    out = st_folium(
        atlas_map(v, state, today, focus_id),
        key="atlas_map",
        height=620,
        use_container_width=True,
        returned_objects=["last_clicked"],
    )
    st.caption(t("atlas.click_hint", lang) + " " + t("atlas.share", lang))
if clicked := new_click(out, "atlas_last_click"):
    key = atlas.vg_at_click(v, state.vintage, clicked["lat"], clicked["lng"])
    if key and key != state.vg:
        atlas.select_vg(key)  # reruns; the sidebar and the VG view show it

with col_table:
    atlas.values_table(v, state, lang)

with st.expander(t("exp.heading", lang)):
    map_exports(v, state, lang, today)

if state.vg:
    vgview.show(v, state.vg, state.vintage, lang)
