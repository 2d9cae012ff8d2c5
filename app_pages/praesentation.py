"""Presentation mode: full-screen views, large type, no widgets, next/previous by link."""

import datetime as dt
import html
from urllib.parse import urlencode

import streamlit as st
from streamlit_folium import st_folium

from dashboard.i18n.catalogue import t
from dashboard.render.web.presentation import SEP, build_slide, parse_sequence, view_label
from dashboard.ui.common import (
    atlas_map,
    current_language,
    data_key,
    district_data,
    indicator_values,
    language_switch,
    located,
    store,
)
from dashboard.ui.exports import all_vgs_handout

lang = current_language()
data = district_data()
codes = parse_sequence(st.query_params.get("seq"), data)

if st.query_params.get("edit") == "1":  # assembling the sequence: the only place with widgets
    language_switch()
    st.title(t("pres.compose", lang))
    st.caption(t("pres.compose_help", lang))
    all_codes = parse_sequence(None, data)
    chosen = st.multiselect(
        t("pres.compose", lang),
        all_codes,
        default=codes,
        format_func=lambda c: view_label(c, data, lang),
        key="pres_codes",
    )
    st.link_button(
        t("pres.start", lang),
        "?" + urlencode({"seq": SEP.join(chosen or all_codes), "i": 0, "lang": lang}),
        type="primary",
    )
    st.subheader(t("exp.heading", lang))
    all_vgs_handout(lang)
    st.stop()

try:
    i = min(max(int(st.query_params.get("i", "0")), 0), len(codes) - 1)
except ValueError:
    i = 0
slide = build_slide(codes[i], data, located(), indicator_values(), store().projects(), lang)

st.markdown(
    """<style>
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
    .block-container { padding-top: 1.2rem !important; max-width: 96vw !important; }
    .ia-pres h1 { font-size: 2.6rem; margin: 0 0 0.2rem 0; }
    .ia-pres p.sub { font-size: 1.4rem; color: #444; margin: 0; }
    .ia-pres-nav { display: flex; justify-content: space-between; font-size: 1.5rem; margin: 0.4rem 0; }
    .ia-pres-nav a { text-decoration: none; padding: 0.2rem 0.8rem; border: 2px solid #1b3a6b; border-radius: 6px; color: #1b3a6b; }
    [data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.25rem !important; }
    .ia-pres-footer { font-size: 1.05rem; color: #333; margin-top: 0.4rem; }
    </style>""",
    unsafe_allow_html=True,
)


def _link(j: int, label: str, cls: str) -> str:
    query = urlencode({"seq": SEP.join(codes), "i": j, "lang": lang})
    return f'<a class="{cls}" href="?{html.escape(query)}" target="_self">{html.escape(label)}</a>'


prev_link = _link(i - 1, t("pres.prev", lang), "ia-prev") if i > 0 else "<span></span>"
next_link = _link(i + 1, t("pres.next", lang), "ia-next") if i < len(codes) - 1 else "<span></span>"
position = html.escape(t("pres.position", lang, i=i + 1, n=len(codes)))
st.markdown(
    f'<div class="ia-pres"><h1>{html.escape(slide.title)}</h1><p class="sub">{html.escape(slide.subtitle)}</p></div>'
    f'<div class="ia-pres-nav">{prev_link}<span>{position}</span>{next_link}</div>',
    unsafe_allow_html=True,
)
col_map, col_fig = st.columns([3, 2])
with col_map:
    st_folium(
        atlas_map(slide.state, data_key(), dt.date.today(), ""),
        key=f"pres_map_{i}",
        height=600,
        use_container_width=True,
        returned_objects=[],
    )
with col_fig:
    st.table(slide.figures.set_index(slide.figures.columns[0]))
st.markdown(
    f'<div class="ia-pres-footer">{html.escape(slide.footer)}</div>', unsafe_allow_html=True
)
