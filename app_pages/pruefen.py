"""Vorschläge prüfen: pending proposals with their changes, decisions, and the history."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services.workspace import PermissionDenied, StoreError
from dashboard.ui.common import language_switch
from dashboard.ui.editorial import (
    diff_table,
    history_display,
    proposal_title,
    proposals_table,
)
from dashboard.ui.errors import refused
from dashboard.ui.session import require_page, workspace
from dashboard.ui.text import plain, table

lang = language_switch()
require_page("app_pages/pruefen.py", lang)
ws = workspace()
vg_names = ws.areas.vg_names
st.title(t("rev.heading", lang))
if flash := st.session_state.pop("rv_flash", None):
    st.success(flash)

pending = ws.proposals("pending")
st.header(t("rev.pending", lang, n=len(pending)))
if not pending:
    st.caption(t("rev.none", lang))
for p in pending:
    with st.container(border=True):
        st.markdown("**" + plain(proposal_title(p, vg_names, lang)) + "**")
        if p.comment:
            st.caption(plain(t("rev.author_comment", lang, comment=p.comment)))
        table(diff_table(ws.diff(p.id), lang))
        comment = st.text_input(t("rev.comment", lang), key=f"rv_comment_{p.id}")
        c1, c2 = st.columns(2)
        approve = c1.button(t("rev.approve", lang), type="primary", key=f"rv_approve_{p.id}")
        reject = c2.button(t("rev.reject", lang), key=f"rv_reject_{p.id}")
        if approve or reject:
            try:
                ws.review(p.id, approve, comment)
            except (PermissionDenied, StoreError) as exc:
                refused(exc, lang)
            else:
                key = "rev.approved" if approve else "rev.rejected"
                st.session_state["rv_flash"] = t(key, lang, id=p.id)
                st.rerun()

st.header(t("rev.decided", lang))
decided = ws.proposals("approved") + ws.proposals("rejected")
if decided:
    table = proposals_table(decided, vg_names, lang)
    st.dataframe(table, hide_index=True, width="stretch")
else:
    st.caption(t("rev.decided_none", lang))

st.header(t("rev.history", lang))
history = ws.history()
if history.empty:
    st.caption(t("rev.history_empty", lang))
else:
    st.dataframe(history_display(history, lang), hide_index=True, width="stretch")
