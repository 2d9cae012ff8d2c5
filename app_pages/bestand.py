"""Data inventory: what the data covers, offers with filters and downloads, projects."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui import inventory
from dashboard.ui.common import language_switch
from dashboard.ui.session import workspace

lang = language_switch()
ws = workspace()
v = ws.view()

st.title(t("fac.heading", lang))
inventory.summary(v, lang)
inventory.offers(v, lang)
inventory.projects_and_indicators(v, lang)
inventory.history(ws, lang)
