"""Erhebungsrunde: workbooks to the VGs, returns as proposals, the status board."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui import collection as col_ui
from dashboard.ui.common import language_switch
from dashboard.ui.session import require_page, workspace

col_ui.take_link()  # a link's VG (?vg=), read before the language switch rewrites the URL
lang = language_switch()
require_page("app_pages/erhebung.py", lang)  # Kreis-Redaktion and Admin only
ws = workspace()
st.title(t("collect.heading", lang))
st.write(t("collect.intro", lang))
if flash := st.session_state.pop("col_flash", None):
    st.success(flash)
col_ui.board(ws, lang)
col_ui.send(ws, lang)
col_ui.read_back(ws, lang)
col_ui.confirm(ws, lang)
col_ui.mark(ws, lang)
