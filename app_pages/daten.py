"""Data & sources page: what the data covers, how old it is, where it comes from."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui import sources
from dashboard.ui.common import language_switch, view

lang = language_switch()
st.title(t("data.heading", lang))
st.write(t("data.intro", lang))
sources.district(view(), lang)
sources.manifests(lang)
sources.populations(view(), lang)
sources.libraries(lang)
