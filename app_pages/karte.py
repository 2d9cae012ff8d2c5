"""Map page: offers by category and Handlungsfeld, needs overlay, filters, VG view."""

import datetime as dt

import streamlit as st

from dashboard.i18n.catalogue import t, tn
from dashboard.ui import atlas, vgview
from dashboard.ui.accessibility import announce, live_region
from dashboard.ui.common import language_switch, view
from dashboard.ui.exports import map_exports
from dashboard.ui.mapview import show_map
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
# lines that come and go sit in one container that is always drawn: the map below keeps
# its place in the page, so it stays alive (zoom, centre) across reruns
with st.container():
    total = v.n_drawable()
    count = tn("atlas.count", total, lang, shown=len(located_points), total=total)
    announce(live_region(), count, visible=True)  # read out when a filter changes it
    unlocated = int(v.filtered(state, today).geometry.isna().sum())
    if unlocated:
        st.caption(tn("atlas.unlocated", unlocated, lang, n=unlocated))
    if note := v.sensitive_note(state, lang):
        say("atlas.sensitive", lang, "caption", n=note)
    if state.search:
        if len(focus):
            say(
                "atlas.hits",
                lang,
                "caption",
                n=len(hits),
                q=state.search,
                name=focus["name"].iloc[0],
            )
        else:
            say("atlas.no_hits", lang, "caption", q=state.search)

col_map, col_table = st.columns([2, 1])
with col_map:
    clicked = show_map(
        v, state, "atlas_map", height=620, focus_id=focus_id, reveal_on_click=".st-key-vg_view"
    )
    st.caption(t("atlas.click_hint", lang) + " " + t("atlas.share", lang))
if clicked and clicked.vg:  # the VG's view below, brought into sight by the next run's map
    atlas.select_vg(clicked.vg)

with col_table:
    atlas.values_table(v, state, lang)

with st.expander(t("exp.heading", lang)):
    map_exports(v, state, lang, today)

if state.vg:
    with st.container(key="vg_view"):
        vgview.show(v, state.vg, state.vintage, lang)
