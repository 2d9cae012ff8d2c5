"""Data & sources page: what the data covers, how old it is, where it comes from."""

import streamlit as st

from dashboard.config import get_settings
from dashboard.i18n.catalogue import t
from dashboard.render.provenance import manifest_table, population_table
from dashboard.render.web.assets import BUNDLE_VERSIONS
from dashboard.ui.common import district_data, language_switch

lang = language_switch()
settings = get_settings()
data = district_data()

st.title(t("data.heading", lang))
st.write(t("data.intro", lang))

st.subheader(t("data.geodata", lang))
st.dataframe(manifest_table(settings.geodata_dir, lang), hide_index=True, width="stretch")

st.subheader(t("data.datasets", lang))
st.dataframe(manifest_table(settings.datasets_dir, lang), hide_index=True, width="stretch")

st.subheader(t("data.population", lang))
pop = population_table(data.population, lang)
dates = sorted(data.population["population_date"].unique())
st.info(t("data.population_dates", lang, dates=", ".join(dates)))
st.dataframe(pop, hide_index=True, width="stretch")

st.subheader(t("data.assets", lang))
for text in BUNDLE_VERSIONS.values():
    st.markdown(f"- {text}")
