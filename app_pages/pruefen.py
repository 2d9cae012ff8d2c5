"""Vorschläge prüfen: pending proposals with what they would change now, decisions, history."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services.editorial import Proposal
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace
from dashboard.ui.common import language_switch
from dashboard.ui.editorial import history_display, proposal_title, proposals_table
from dashboard.ui.errors import refused
from dashboard.ui.review import delta_table
from dashboard.ui.session import require_page, workspace
from dashboard.ui.text import plain, say, table, theirs

lang = language_switch()
require_page("app_pages/pruefen.py", lang)
ws = workspace()
vg_names = ws.areas.vg_names
place_name = ws.areas.geocoder.gemeinde_name
st.title(t("rev.heading", lang))
if flash := st.session_state.pop("rv_flash", None):
    st.success(flash)


def _decide(ws: Workspace, p: Proposal, action: str, comment: str) -> None:
    """Approve, reject or close as done; a refusal is shown, a decision reruns the page."""
    try:
        if action == "done":
            ws.close_done(p.id, comment)
        else:
            ws.review(p.id, action == "approve", comment)
    except (PermissionDenied, StoreError) as exc:
        refused(exc, lang)
    else:
        key = {"approve": "rev.approved", "reject": "rev.rejected", "done": "rev.closed_done"}
        st.session_state["rv_flash"] = t(key[action], lang, id=p.id)
        st.rerun()


pending = ws.proposals("pending")
st.header(t("rev.pending", lang, n=len(pending)))
if not pending:
    st.caption(t("rev.none", lang))
for p in pending:
    with st.container(border=True):
        st.markdown("**" + plain(proposal_title(p, vg_names, lang)) + "**")
        if p.comment:  # the author's words, in the language they wrote them
            st.caption(
                t("rev.author_comment", lang, comment=theirs(p.comment)), unsafe_allow_html=True
            )
        delta = ws.delta(p.id)
        comment = st.text_input(t("rev.comment", lang), key=f"rv_comment_{p.id}")
        if delta.applied:  # already in the record (e.g. a second proposal of the same change)
            st.info(t("rev.already_applied", lang))
            c1, c2 = st.columns(2)
            if c1.button(t("rev.close_done", lang), type="primary", key=f"rv_done_{p.id}"):
                _decide(ws, p, "done", comment)
            if c2.button(t("rev.reject", lang), key=f"rv_reject_{p.id}"):
                _decide(ws, p, "reject", comment)
            continue
        table(delta_table(delta, lang, place_name), index=False)
        if delta.conflicts:
            say("rev.conflict", lang, "warning")
        c1, c2 = st.columns(2)
        if c1.button(
            t("rev.approve", lang),
            type="primary",
            key=f"rv_approve_{p.id}",
            disabled=bool(delta.conflicts),
        ):
            _decide(ws, p, "approve", comment)
        if c2.button(t("rev.reject", lang), key=f"rv_reject_{p.id}"):
            _decide(ws, p, "reject", comment)

st.header(t("rev.decided", lang))
decided = ws.proposals("approved") + ws.proposals("rejected")
if decided:
    st.dataframe(proposals_table(decided, vg_names, lang), hide_index=True, width="stretch")
else:
    st.caption(t("rev.decided_none", lang))

st.header(t("rev.history", lang))
history = ws.history()
if history.empty:
    st.caption(t("rev.history_empty", lang))
else:
    st.dataframe(history_display(history, lang), hide_index=True, width="stretch")
