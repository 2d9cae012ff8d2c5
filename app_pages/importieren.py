"""Import page: upload, state source and date, confirm the mapping, correct invalid cells in
place, check every row, then import; the summary shows what was written."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services.importing import ImportRejected
from dashboard.services.workspace import PermissionDenied, StoreError
from dashboard.ui import importing
from dashboard.ui.common import language_switch
from dashboard.ui.errors import refused
from dashboard.ui.session import require_page, workspace

lang = language_switch()
user = require_page("app_pages/importieren.py", lang)  # Kreis-Redaktion and Admin only
ws = workspace()
st.title(t("imp.heading", lang))
st.write(t("imp.intro", lang))
summary = st.container()

chosen = importing.upload(lang)
if chosen is None:
    with summary:
        importing.result(lang)  # what the last import wrote
    st.stop()
read, key = chosen
source, ref_date = importing.list_defaults(read, user, key, lang)
mapping = importing.mapping(read, key, lang)
fixed = importing.corrected(read, key)
plan = fixed.plan(ws, mapping, source, ref_date)
importing.fix_rows(plan, fixed, key, lang)
importing.report(plan, fixed, lang)

skip = st.checkbox(t("imp.skip_invalid", lang), value=False, key="imp_skip")
if st.button(t("imp.run", lang), type="primary", key="imp_run"):
    try:
        n = ws.import_plan(plan, skip_invalid=skip, comment=f"Import {read.name}")
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        refused(exc, lang)
    else:
        importing.remember_result(plan, n, skip, read.name)
        st.rerun()
