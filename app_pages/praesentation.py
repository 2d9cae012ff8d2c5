"""Presentation mode: full-screen views, large type, no widgets, next/previous by link."""

import streamlit as st

from dashboard.ui import presentation
from dashboard.ui.common import current_language, language_switch, view

lang = current_language()
v = view()
codes = presentation.sequence(v)
if st.query_params.get("edit") == "1":  # assembling the sequence: the only place with widgets
    language_switch()
    presentation.editor(v, codes, lang)
else:
    presentation.show(v, codes, lang)
