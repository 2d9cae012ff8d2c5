"""Widgets of the collection-round page (Kreis-Redaktion): status board, workbooks out,
returns in as proposals, returns confirmed, lists marked directly.

A returned workbook is read once per upload (the change set is kept for the file, the user
and the store's data version, not read again on every click); every refusal is shown with
its reason in the user's language (:func:`dashboard.ui.errors.refused`)."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from dashboard.i18n.catalogue import t, tn
from dashboard.render.collection_text import (
    changeset_table,
    marks_table,
    problems_table,
    status_board_table,
)
from dashboard.services import collection
from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError, Workspace
from dashboard.ui.common import fresh
from dashboard.ui.errors import refused
from dashboard.ui.importing import once
from dashboard.ui.text import plain, say, table

_PLAN = "col_plan"
_PAGE = "erhebung"
#: The VG a link asked for (``?vg=<key>``), taken on arrival.
_LINKED = "col_linked_vg"


def take_link() -> None:
    """On arriving at the page: the VG a link asked for (``?vg=<key>``, the
    Versorgungsanalyse's "Erhebungsrunde für VG ..."), chosen in the page's VG fields when
    they are drawn. Called before the language switch puts the shared view into the URL;
    a rerun of the page keeps what the user chose since."""
    if fresh(_PAGE, "col_vg"):
        st.session_state[_LINKED] = str(st.query_params.get("vg") or "")


def _apply_link(names: dict[str, str]) -> None:
    linked = st.session_state.pop(_LINKED, "")
    if linked in names:
        st.session_state["col_vg"] = st.session_state["col_mark_vg"] = linked


def board(ws: Workspace, lang: str) -> None:
    """The status board: per VG sent, returned, reviewed, confirmed, age."""
    st.header(t("collect.board", lang))
    frame = status_board_table(collection.status_board(ws, dt.date.today()), lang)
    st.dataframe(frame, hide_index=True, width="stretch")


def send(ws: Workspace, lang: str) -> None:
    """Make the workbook of one VG (recorded as sent) and offer it for download."""
    st.header(t("collect.send", lang))
    st.caption(t("collect.send_note", lang))
    names = ws.areas.vg_names
    _apply_link(names)
    c1, c2 = st.columns(2)
    vg = c1.selectbox(
        t("gaps.col.vg", lang), sorted(names, key=lambda k: names[k]),
        format_func=lambda k: names[k], key="col_vg",
    )  # fmt: skip
    round_ = c2.text_input(t("collect.round", lang), collection.default_round(), key="col_round")
    if st.button(t("collect.make", lang), key="col_make"):
        try:
            st.session_state["col_book"] = collection.workbook(ws, vg, round_.strip() or "-")
        except (PermissionDenied, StoreError) as exc:
            refused(exc, lang)
    book = st.session_state.get("col_book")
    if book:
        name, data = book
        st.download_button(
            t("collect.download", lang, name=name), data, file_name=name, key="col_download",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )  # fmt: skip


def _read_once(ws: Workspace, name: str, data: bytes) -> collection.ReturnPlan:
    """The change set of an upload, read once per file, user and data version.

    Raises
    ------
    collection.ReadError, PermissionDenied
        As :func:`dashboard.services.collection.read_return`.
    """
    key = (hashlib.sha256(data).hexdigest(), name, ws.user.name, ws.store.data_version())
    return once(_PLAN, key, lambda: collection.read_return(ws, data, name),
                (collection.ReadError, PermissionDenied))  # fmt: skip


def read_back(ws: Workspace, lang: str) -> None:
    """Upload a returned workbook, show its change set, write it as proposals."""
    st.header(t("collect.read", lang))
    file = st.file_uploader(t("collect.file", lang), type=["xlsx"], key="col_upload")
    if file is None:
        return
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    try:
        plan = _read_once(ws, file.name, data)
    except (collection.ReadError, PermissionDenied) as exc:
        refused(exc, lang)
        return
    _show_plan(ws, plan, lang)
    skip = st.checkbox(t("collect.skip_invalid", lang), key=f"col_skip_{digest}")
    if st.button(t("collect.submit", lang), type="primary", key=f"col_submit_{digest}"):
        try:
            done = collection.submit_return(ws, plan, file.name, data, skip_invalid=skip)
        except (collection.ImportRejected, PermissionDenied, StaleVersionError, StoreError) as exc:
            refused(exc, lang)
        else:
            n = len(done.proposals)
            marks = tn("collect.marks_n", done.marks, lang, n=done.marks)
            st.success(tn("collect.submitted", n, lang, id=done.return_id, n=n, marks=marks))


def _show_plan(ws: Workspace, plan: collection.ReturnPlan, lang: str) -> None:
    """The change set: what the VG changed, the lists it marked, flags and problems."""
    book = plan.book
    st.markdown(tn("collect.read_info", len(book.rows), lang,
        vg=plain(ws.areas.vg_names.get(book.vg_key, book.vg_key)), rows=len(book.rows),
        unchanged=len(plan.unchanged), by=plain(book.filled_by or "–")))  # fmt: skip
    for flag in plan.flags:
        st.warning(plain(flag.text(lang)))
    changes = changeset_table(plan, lang)
    st.markdown("**" + tn("collect.proposals_n", len(changes), lang, n=len(changes)) + "**")
    if len(changes):
        table(changes, index=False)
    marks = marks_table(plan, lang)
    if len(marks):
        st.markdown("**" + t("collect.marks", lang) + "**")
        table(marks, index=False)
    for f in plan.missing:
        say("collect.missing", lang, "warning", name=f.name)
    problems = problems_table(plan, lang)
    if len(problems):
        st.error(tn("collect.problems", len(problems), lang, n=len(problems)))
        table(problems, index=False)


def confirm(ws: Workspace, lang: str) -> None:
    """Returns waiting for confirmation: confirm once every proposal is decided."""
    st.header(t("collect.confirm", lang))
    returns = collection.status_board(ws, dt.date.today())
    waiting = returns[returns["return_id"].notna() & (returns["confirmed"] == "")]
    if waiting.empty:
        st.caption(t("collect.confirm_none", lang))
        return
    for _, r in waiting.iterrows():
        rid = int(r["return_id"])
        c1, c2 = st.columns([3, 1])
        pending = int(r["pending"])
        c1.markdown(
            plain(
                tn(
                    "collect.confirm_line",
                    int(r["proposals"]),
                    lang,
                    id=rid,
                    vg=r["vg"],
                    n=int(r["proposals"]),
                )
            )
            + ("  \n" + tn("collect.confirm_pending", pending, lang, n=pending) if pending else "")
        )
        if c2.button(t("collect.confirm_button", lang), key=f"col_confirm_{rid}",
                     disabled=pending > 0):  # fmt: skip
            try:
                collection.confirm_return(ws, rid)
            except (PermissionDenied, StoreError) as exc:
                refused(exc, lang)
            else:
                st.session_state["col_flash"] = t("collect.confirmed", lang, id=rid, vg=r["vg"])
                st.rerun()


def mark(ws: Workspace, lang: str) -> None:
    """Record a list's completeness directly (e.g. confirmed by phone)."""
    with st.expander(t("collect.mark", lang)):
        names = ws.areas.vg_names
        with st.form("col_mark_form", border=False):
            vg = st.selectbox(t("gaps.col.vg", lang), sorted(names, key=lambda k: names[k]),
                              format_func=lambda k: names[k], key="col_mark_vg")  # fmt: skip
            cat = st.selectbox(
                t("col.category", lang), list(collection.LIST_CATEGORIES),
                format_func=lambda c: t(f"cat.{c}", lang), key="col_mark_cat",
            )  # fmt: skip
            complete = st.checkbox(t("collect.mark_complete", lang), value=True, key="col_mark_ok")
            as_of = st.text_input(t("collect.col.as_of", lang), help=t("collect.as_of_help", lang),
                                  key="col_mark_date")  # fmt: skip
            comment = st.text_input(t("rev.comment", lang), key="col_mark_comment")
            if st.form_submit_button(t("collect.mark_save", lang)):
                try:
                    collection.mark_list(ws, vg, cat, complete, as_of, comment)
                except (PermissionDenied, StoreError) as exc:
                    refused(exc, lang)
                else:
                    st.success(t("collect.marked", lang))
