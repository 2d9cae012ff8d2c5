"""Maßnahmen: the concept's projects, how far they are, what changed, the Sachstandsbericht."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services.projects import project_desk
from dashboard.ui import project_forms, projects
from dashboard.ui.common import language_switch
from dashboard.ui.session import workspace

lang = language_switch(url=False)  # the filters write the page's view into the URL
desk = project_desk(workspace())

st.title(t("proj.heading", lang))
project_forms.flash(lang)
projects.frame_note(desk, lang)
state, by = projects.filters(desk, lang)
records = projects.selected(desk, state)

sections = ["overview", "detail", "report"] + (["edit"] if desk.can_propose() else [])
section = st.radio(
    t("proj.section", lang), sections, format_func=lambda s: t(f"proj.tab.{s}", lang),
    horizontal=True, key="pj_section",
)  # fmt: skip
if section == "overview":
    projects.overview(desk, records, by, lang)
elif section == "detail":
    record = projects.detail(desk, records, lang)
    if record is not None:
        project_forms.move(desk, record, lang)
        project_forms.edit_project(desk, record, lang)
        projects.changes(desk, record, lang)
    else:
        st.caption(t("proj.none", lang))
elif section == "report":
    projects.report(desk, lang)
else:
    project_forms.new_project(desk, lang)
    project_forms.review(desk, lang)
    project_forms.import_list(desk, lang)
