"""Seit dem Konzept: indicators then and now (series per area, change map between two
dates) and the projects then and now, for the Kreistag."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services.projects import project_desk
from dashboard.ui import development
from dashboard.ui.common import language_switch, shared_state
from dashboard.ui.session import workspace

lang = language_switch()
ws = workspace()
view = ws.view()
state = view.resolved(shared_state())

st.title(t("change.heading", lang))
st.caption(t("change.intro", lang))
development.projects_then_now(project_desk(ws), lang)
choice = development.indicator_choice(view, state, lang)
if choice is not None:
    indicator, level = choice
    development.development(view, state, indicator, level, lang)
    development.change_view(view, state, indicator, level, lang)
