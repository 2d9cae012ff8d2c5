"""The answer first and the next step in sight, on the Versorgungsanalyse.

The result opens with a few sentences (:func:`dashboard.render.gaps_text.answer.answer_lines`):
what is known, where the gaps are, what is unknown and why. Where the answer is "unbekannt"
for want of a confirmed list, the Kreis-Redaktion sees per Verbandsgemeinde the state of its
collection round and a link that opens the Erhebungsrunde with that VG chosen (only for a VG
the user may act in, :meth:`~dashboard.services.workspace.Workspace.may_act_in`); the public
reads what is missing and who can supply it. A missing demand indicator is said where the
user looks, with a link that opens "Indikatoren laden" with that indicator chosen (staff).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.analysis.gaps import Summary
from dashboard.config import REPO_ROOT
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_list
from dashboard.render.collection_text import round_state_text
from dashboard.render.gaps_text import answer as words
from dashboard.render.gaps_text.labels import demand_label, selector_label, vg_label
from dashboard.services import collection
from dashboard.services.view import RoleView
from dashboard.services.workspace import PermissionDenied, Workspace
from dashboard.ui.session import may_open, workspace
from dashboard.ui.text import plain

#: The pages the next steps lead to.
COLLECT_PAGE = "app_pages/erhebung.py"
INDICATOR_PAGE = "app_pages/indikatoren.py"


def answer(summary: Summary, lang: str) -> None:
    """The first sentences of the result, then the next steps (staff: links; public: who
    can supply what is missing)."""
    with st.container(border=True, key="gaps_answer"):
        st.markdown("**" + t("answer.heading", lang) + "**")
        lines = words.answer_lines(summary, lang)
        demand = words.demand_text(summary, lang)
        st.markdown("\n".join(f"- {plain(line)}" for line in lines if line != demand))
        if demand:
            _demand_notice(summary, demand, lang)
        if summary.missing:
            _next_step(summary, lang)


def _demand_notice(summary: Summary, text: str, lang: str) -> None:
    """The missing demand indicator, where the user looks (not a grey note), and how to
    load it."""
    st.warning(plain(text))
    name = demand_label(summary.demand_chosen, lang)
    if may_open(INDICATOR_PAGE):
        st.page_link(
            str(REPO_ROOT / INDICATOR_PAGE), label=t("answer.load_indicator", lang, name=name),
            icon=":material/upload:", query_params={"indikator": summary.demand_chosen},
        )  # fmt: skip
    else:
        st.caption(plain(t("answer.demand_public", lang, name=name)))


def _next_step(summary: Summary, lang: str) -> None:
    """Staff: per VG without a confirmed list, its collection round and a link there; the
    public: what is missing and who can supply it."""
    ws = workspace()
    mine = [m for m in summary.missing if ws.may_act_in(m.vg_key)]
    if not (may_open(COLLECT_PAGE) and mine):
        st.markdown(plain(words.public_next_step(summary, lang)))
        return
    board = _board(ws)
    st.markdown("**" + t("answer.next_heading", lang) + "**")
    for m in mine:
        state = board.get(m.vg_key)
        line = words.missing_list_text(m, lang)
        if state is not None:
            line = t("answer.round_state", lang, missing=line, state=round_state_text(state, lang))
        st.markdown(plain(line))
        st.page_link(
            str(REPO_ROOT / COLLECT_PAGE), icon=":material/assignment:",
            label=t("answer.round_link", lang, vg=vg_label(m.vg_name, lang)),
            query_params={"vg": m.vg_key},
        )  # fmt: skip


def _board(ws: Workspace) -> dict[str, dict[str, object]]:
    """The collection round's state per VG (empty if the user may not see it)."""
    try:
        frame = collection.status_board(ws, dt.date.today())
    except PermissionDenied:
        return {}
    return {str(r["vg_key"]): r.to_dict() for _, r in frame.iterrows()}


def absent_layers(view: RoleView, level: str, vintage: int, lang: str) -> None:
    """Under the map's layer choice: the demand indicators it cannot offer (no values for
    this level), why, and (staff) a link to load each."""
    absent = view.absent_demand(level, vintage)
    if not absent:
        return
    names = fmt_list([demand_label(i, lang) for i in absent], lang)
    needed = fmt_list(
        list(dict.fromkeys(selector_label(s, lang) for sel in absent.values() for s in sel)), lang
    )
    st.caption(
        plain(tn("answer.absent_layers", len(absent), lang, names=names, needed=needed,
                 level=t(f"atlas.level.{level}", lang)))
    )  # fmt: skip
    if not may_open(INDICATOR_PAGE):
        return
    for indicator in absent:
        st.page_link(
            str(REPO_ROOT / INDICATOR_PAGE), icon=":material/upload:",
            label=t("answer.load_indicator", lang, name=demand_label(indicator, lang)),
            query_params={"indikator": indicator},
        )  # fmt: skip
