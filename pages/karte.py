"""Map page: VGs of a boundary vintage, Gemeinden, city context."""

import streamlit as st

from dashboard.config import BASEMAPS, BKG_ATTRIBUTION, CURRENT_VINTAGE, VINTAGES, get_settings
from dashboard.i18n import t
from dashboard.maps import build_district_map, vg_table
from dashboard.ui.common import district_data, language_switch
from dashboard.ui.mapview import asset_base_urls, show_map

lang = language_switch()
data = district_data()
settings = get_settings()

st.title(t("map.heading", lang))
st.caption(t("map.intro", lang))

with st.sidebar:
    vintages = sorted(VINTAGES)
    vintage = st.radio(
        t("vintage.label", lang),
        vintages,
        index=vintages.index(CURRENT_VINTAGE),
        format_func=lambda v: t(f"vintage.{v}", lang),
        key="vintage",
    )
    st.markdown(f"**{t('layers.label', lang)}**")
    show_gemeinden = st.checkbox(t("layer.gemeinden", lang), value=True, key="show_gemeinden")
    show_city = st.checkbox(t("layer.city", lang), value=True, key="show_city")
    basemaps = list(BASEMAPS)
    basemap = st.selectbox(
        t("basemap.label", lang),
        basemaps,
        index=basemaps.index(settings.default_basemap),
        format_func=lambda b: t(f"basemap.{b}", lang),
        key="basemap",
    )
    if basemap != "none":
        st.info(t("basemap.online_note", lang))

m = build_district_map(
    data,
    vintage,
    lang=lang,
    basemap=basemap,
    show_gemeinden=show_gemeinden,
    show_city=show_city,
    asset_base_urls=asset_base_urls,
)
show_map(m, key=f"district_map_{vintage}_{lang}_{basemap}_{show_gemeinden}_{show_city}")

st.caption(t("sources.caption", lang, bkg=BKG_ATTRIBUTION))
st.subheader(t("table.vg_heading", lang, vintage=vintage))
st.dataframe(vg_table(data, vintage, lang), hide_index=True, width="stretch")
