"""Indikatoren laden: planners add the indicator tables they receive (per Gemeinde or VG)."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui import indicators as ind_ui
from dashboard.ui.common import language_switch
from dashboard.ui.session import require_page, workspace

ind_ui.take_link()  # a link's indicator (?indikator=)
lang = language_switch()
require_page("app_pages/indikatoren.py", lang)  # Kreis-Redaktion and Admin only
ws = workspace()
st.title(t("indload.heading", lang))
st.write(t("indload.intro", lang))
ind_ui.load(ws, lang)
ind_ui.history(ws, lang)
