"""Widgets of the import page: the list's source and date, column mapping, corrections of
invalid cells, validation report, preview and the result of the import."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import PurePath
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from dashboard.domain.roles import User
from dashboard.i18n.catalogue import field_label, t, tn
from dashboard.i18n.format import fmt_int
from dashboard.render.tables import import_preview_table, import_problems_table
from dashboard.services.importing import (
    FIELDS,
    ImportPlan,
    ReadError,
    Upload,
    read_upload,
    row_label,
)
from dashboard.services.outputs import csv_bytes
from dashboard.ui.errors import refused
from dashboard.ui.text import plain, table

_RESULT = "imp_result"
T = TypeVar("T")


def once(
    slot: str, key: tuple[object, ...], make: Callable[[], T],
    errors: tuple[type[Exception], ...],
) -> T:  # fmt: skip
    """What ``make`` returns for an upload, made once per ``key`` (the file's content, the
    answers on the page, the user, the store's data version) and kept in the session: a
    click does not read the file again. A refusal (one of ``errors``) is kept as well and
    raised again.
    """
    kept = st.session_state.get(slot)
    if kept is None or kept[0] != key:
        try:
            kept = (key, make())
        except errors as exc:
            kept = (key, exc)
        st.session_state[slot] = kept
    if isinstance(kept[1], Exception):
        raise kept[1]
    return kept[1]


def upload(lang: str) -> tuple[Upload, str] | None:
    """The file uploader; the file read once (``None`` until a file is chosen).

    Returns
    -------
    tuple or None
        The read file and a short digest of its bytes (the key of its widgets).
    """
    gen = int(st.session_state.setdefault("imp_gen", 0))
    file = st.file_uploader(
        t("imp.file", lang),
        type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "osm", "pbf"],
        key=f"imp_file_{gen}",
    )
    if file is None:
        return None
    st.session_state.pop(_RESULT, None)  # a new list: the last import's summary is done
    data = file.getvalue()
    digest = hashlib.sha256(data).hexdigest()[:16]
    if st.session_state.get("imp_upload_key") != digest:  # read once per file, not per rerun
        try:
            st.session_state["imp_upload"] = read_upload(file.name, data)
        except ReadError as exc:
            refused(exc, lang)
            return None
        st.session_state["imp_upload_key"] = digest
    read: Upload = st.session_state["imp_upload"]
    info = read.info_text(lang)
    rows = len(read.raw.row_labels)
    st.caption(
        tn("imp.read_info", rows, lang, fmt=read.raw.fmt.upper(), rows=rows, info=plain(info))
    )
    return read, digest


def list_defaults(read: Upload, user: User, key: str, lang: str) -> tuple[str, str]:
    """Source and reference date of the whole list, in plain sight before the check: rows
    without their own get these. Defaults: the file and the signed-in user, and today.

    Returns
    -------
    tuple
        Source text and the date as ``YYYY-MM-DD``.
    """
    st.header(t("imp.defaults", lang))
    st.caption(t("imp.defaults_help", lang))
    c1, c2 = st.columns([3, 1])
    source = c1.text_input(
        t("imp.default_source", lang),
        value=t("imp.source_value", lang, file=read.name, name=user.name),
        key=f"imp_source_{key}",
    )
    date = c2.date_input(
        t("imp.default_date", lang), value=dt.date.today(), format="DD.MM.YYYY",
        key=f"imp_date_{key}",
    )  # fmt: skip
    return source, date.isoformat() if isinstance(date, dt.date) else ""


def mapping(read: Upload, key: str, lang: str) -> dict[str, str]:
    """The proposed column mapping, confirmed or changed by the user (field names in the
    user's language)."""
    chosen = read.proposed_mapping()
    if read.canonical:
        return chosen
    with st.expander(t("imp.mapping", lang), expanded=True):
        st.caption(t("imp.mapping_help", lang))
        options = ["", *FIELDS]
        cols = st.columns(3)
        for i, header in enumerate(read.columns):
            chosen[header] = cols[i % 3].selectbox(
                plain(header),
                options,
                index=options.index(chosen.get(header, "")),
                format_func=lambda o: field_label(o, lang) if o else t("imp.ignore", lang),
                key=f"map_{key}_{i}",
            )
    return chosen


def corrected(read: Upload, key: str) -> Upload:
    """The file with the cells corrected on this page so far."""
    fixes: dict[int, dict[str, str]] = st.session_state.get(f"imp_fixes_{key}", {})
    if not fixes:
        return read
    # one corrected file per set of corrections: its plan cache survives reruns (a click on
    # a checkbox does not check the file again)
    marker = repr(sorted((pos, sorted(cells.items())) for pos, cells in fixes.items()))
    cached = st.session_state.get(f"imp_fixed_{key}")
    if cached is not None and cached[0] == marker:
        kept: Upload = cached[1]
        return kept
    fixed = read.corrected(fixes)
    st.session_state[f"imp_fixed_{key}"] = (marker, fixed)
    return fixed


def fix_rows(plan: ImportPlan, read: Upload, key: str, lang: str) -> None:
    """The invalid rows as an editable table: a corrected cell is checked again at once
    (the row leaves the table when it is valid)."""
    invalid = [(pos, r) for pos, r in enumerate(plan.rows) if r.status == "invalid"]
    if not invalid:
        return
    st.header(tn("imp.fix_heading", len(invalid), lang, n=fmt_int(len(invalid), lang)))
    st.caption(t("imp.fix_help", lang))
    row_col, problem_col = t("imp.fix_row", lang), t("imp.fix_problem", lang)
    positions = [pos for pos, _ in invalid]
    frame = read.raw.frame.iloc[positions][read.columns].fillna("").astype(str)
    frame.index = pd.Index(positions)
    frame.insert(
        0, problem_col, ["; ".join(_problem(p, lang) for p in r.problems) for _, r in invalid]
    )
    frame.insert(0, row_col, [row_label(r.row, lang) for _, r in invalid])
    gen = int(st.session_state.setdefault(f"imp_fix_gen_{key}", 0))
    edited = st.data_editor(
        frame, key=f"imp_fix_{key}_{gen}", disabled=[row_col, problem_col], hide_index=True,
        num_rows="fixed", width="stretch",
        column_config={
            row_col: st.column_config.TextColumn(width="small"),
            problem_col: st.column_config.TextColumn(width="medium"),
        },
    )  # fmt: skip
    changes = _changed_cells(frame, edited, read.columns)
    if changes:
        fixes: dict[int, dict[str, str]] = st.session_state.setdefault(f"imp_fixes_{key}", {})
        for pos, cells in changes.items():
            fixes.setdefault(pos, {}).update(cells)
        st.session_state[f"imp_fix_gen_{key}"] = gen + 1  # a fresh table of what is left
        st.rerun()


def _problem(p: Any, lang: str) -> str:
    return f"{field_label(p.field, lang)}: {p.problem_text(lang)}"


def _changed_cells(
    before: pd.DataFrame, after: pd.DataFrame, columns: list[str]
) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for pos in before.index:
        for column in columns:
            old, new = str(before.at[pos, column]), str(after.at[pos, column] or "")
            if new != old:
                out.setdefault(int(pos), {})[column] = new
    return out


def report(plan: ImportPlan, read: Upload, lang: str) -> None:
    """Counts, the row-by-row validation report (with download) and the preview."""
    counts = {s: plan.count(s) for s in ("add", "change", "unchanged", "invalid")}
    (st.warning if counts["invalid"] else st.success)(t("imp.counts", lang, **counts))
    if plan.problems:
        st.header(t("imp.problems", lang))
        frame = import_problems_table(plan, lang)
        if len(frame) <= 200:  # a plain table: readable by screen readers and copyable
            table(frame)
        else:
            st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button(
            t("imp.report_download", lang),
            csv_bytes(frame),
            file_name=f"pruefbericht-{PurePath(read.name).stem}.csv",
            mime="text/csv",
            on_click="ignore",
        )
    st.header(t("imp.preview", lang))
    st.dataframe(import_preview_table(plan, lang), hide_index=True, width="stretch")


def remember_result(plan: ImportPlan, written: int, skipped: bool, name: str) -> None:
    """Keep what was written for the summary, and empty the page for the next list."""
    st.session_state[_RESULT] = {
        "written": written,
        "add": plan.count("add"),
        "change": plan.count("change"),
        "skipped": plan.count("invalid") if skipped else 0,
        "file": name,
    }
    st.session_state["imp_gen"] = int(st.session_state.get("imp_gen", 0)) + 1


def result(lang: str) -> None:
    """The summary of the last import: what was written, not what was planned."""
    done = st.session_state.get(_RESULT)
    if not done:
        return
    n = int(done["written"])
    if not n:
        st.info(t("imp.nothing", lang))
        return
    text = tn("imp.done", n, lang, n=fmt_int(n, lang)) + " " + t(
        "imp.written", lang, file=plain(done["file"]), add=fmt_int(done["add"], lang),
        change=fmt_int(done["change"], lang),
    )  # fmt: skip
    if done["skipped"]:
        text += " " + tn("imp.skipped", done["skipped"], lang, n=fmt_int(done["skipped"], lang))
    st.success(text)
