"""Data inventory: what the data covers, facilities with filters and downloads, projects."""

import streamlit as st

from dashboard.config import get_settings
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.export.facilities import filter_facilities
from dashboard.i18n.catalogue import t
from dashboard.render.tables import (
    dataset_summary,
    facility_table,
    history_table,
    indicator_table,
    project_table,
)
from dashboard.ui.common import district_data, language_switch, located, store
from dashboard.ui.downloads import facility_downloads
from dashboard.ui.session import workspace

lang = language_switch()
settings = get_settings()
facilities = workspace().visible_located(located())  # no Unterkunft for the public

st.title(t("fac.heading", lang))
st.info(dataset_summary(facilities, lang))
st.caption(t("fac.shipped_note", lang))

vg_names = sorted(district_data().vgs[2019]["name"])
all_ = t("filter.all", lang)
c1, c2, c3 = st.columns(3)
vg = c1.selectbox(t("filter.vg", lang), [all_, *vg_names], key="inv_vg")
category = c2.selectbox(
    t("filter.category", lang),
    [all_, *CATEGORIES],
    format_func=lambda c: c if c == all_ else str(CATEGORIES[c][lang]),
    key="inv_category",
)
hf = c3.selectbox(
    t("filter.hf", lang),
    [all_, *HANDLUNGSFELDER],
    format_func=lambda c: c if c == all_ else HANDLUNGSFELDER[c][lang],
    key="inv_hf",
)
subset = filter_facilities(
    facilities,
    vg=None if vg == all_ else vg,
    category=None if category == all_ else category,
    handlungsfeld=None if hf == all_ else hf,
)
st.subheader(t("fac.list", lang, n=len(subset)))
st.dataframe(facility_table(subset, lang), hide_index=True, width="stretch")
facility_downloads(subset, lang, stem="einrichtungen")

st.subheader(t("fac.projects", lang))
st.caption(t("fac.projects_note", lang))
st.dataframe(project_table(store().projects(), lang), hide_index=True, width="stretch")

st.subheader(t("fac.indicators", lang))
st.dataframe(indicator_table(store().indicators(), lang), hide_index=True, width="stretch")

st.subheader(t("fac.history", lang))
history = store().history()
if history.empty:
    st.caption(t("fac.history_empty", lang))
else:
    st.dataframe(history_table(history, lang), hide_index=True, width="stretch")
st.caption(t("fac.store", lang, path=str(settings.store_path)))
