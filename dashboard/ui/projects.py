"""Sections of the "Maßnahmen" page: how much of the concept is documented, filters shared
with the map, the summary per Handlungsfeld or Arbeitskreis, the timeline, the table, one
project with its status history, and the Sachstandsbericht.

Everything is read through :class:`dashboard.services.projects.ProjectDesk` (what the user
may see); the forms that change projects are in :mod:`dashboard.ui.project_forms`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.analysis.projects import GROUPINGS, bands, summary
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.domain.projects import ARBEITSKREISE, PROJECT_STATUSES, ProjectRecord
from dashboard.domain.viewstate import ViewState, to_query
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.render.projects_charts import timeline_chart
from dashboard.render.projects_text import (
    documented_text,
    figures_text,
    funding_text,
    group_label,
    hf_text,
    history_table,
    period_text,
    places_text,
    project_table,
    status_label,
    status_text,
    summary_table,
)
from dashboard.services.projects import ProjectDesk
from dashboard.ui.common import fresh, remember, shared_state, sync_url
from dashboard.ui.editorial import history_display
from dashboard.ui.text import plain, say, table

PAGE = "massnahmen"
_P = "pj_"
_MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}


def frame_note(desk: ProjectDesk, lang: str) -> None:
    """ "3 von 23 dokumentiert", with where the 23 come from; never an invented title."""
    doc = desk.documented()
    st.markdown("**" + plain(documented_text(doc, lang)) + "**")
    if doc.proposed is not None:
        say(
            "proj.frame_note",
            lang,
            "caption",
            source=doc.source,
            date=fmt_date(doc.reference_date, lang),
        )


def _seed(desk: ProjectDesk) -> None:
    view = desk.view()
    state = view.resolved(shared_state())
    current = view.current_vintage
    vg = view.carry_vg(state.vg, state.vintage, current) if state.vg else ""
    st.session_state[_P + "vg"] = vg if vg in view.vg_names(current) else ""
    st.session_state[_P + "hf"] = list(state.handlungsfelder)
    st.session_state[_P + "status"] = list(state.project_statuses)
    st.session_state[_P + "ak"] = list(state.arbeitskreise)


def _changed(desk: ProjectDesk) -> None:
    key = st.session_state[_P + "vg"]
    state = desk.view().resolved(shared_state())
    remember(
        vg=desk.view().carry_vg(key, desk.view().current_vintage, state.vintage) if key else "",
        gemeinde="",
        handlungsfelder=tuple(st.session_state[_P + "hf"]),
        project_statuses=tuple(st.session_state[_P + "status"]),
        arbeitskreise=tuple(st.session_state[_P + "ak"]),
    )


def filters(desk: ProjectDesk, lang: str) -> tuple[ViewState, str]:
    """The filters (VG, Handlungsfelder, status, Arbeitskreis: shared with the map and its
    Projektstandorte layer) and the grouping; the URL holds them."""
    if fresh(PAGE, _P + "vg"):
        _seed(desk)
    names = desk.view().vg_names(desk.view().current_vintage)
    all_ = t("filter.all", lang)
    c1, c2, c3, c4 = st.columns(4)
    c1.selectbox(t("filter.vg", lang), ["", *sorted(names, key=lambda k: names[k])],
                 format_func=lambda k: names.get(k, all_), key=_P + "vg", on_change=_changed, args=(desk,))  # fmt: skip
    c2.multiselect(t("filter.hf", lang), list(HANDLUNGSFELDER), format_func=lambda c: HANDLUNGSFELDER[c][lang],
                   key=_P + "hf", on_change=_changed, args=(desk,), placeholder=all_)  # fmt: skip
    c3.multiselect(t("proj.filter.status", lang), list(PROJECT_STATUSES), format_func=lambda c: status_label(c, lang),
                   key=_P + "status", on_change=_changed, args=(desk,), placeholder=all_)  # fmt: skip
    c4.multiselect(t("proj.filter.ak", lang), list(ARBEITSKREISE), format_func=lambda c: t(f"ak.{c}", lang),
                   key=_P + "ak", on_change=_changed, args=(desk,), placeholder=all_)  # fmt: skip
    by = st.radio(t("proj.group_by", lang), GROUPINGS, format_func=lambda g: t(f"proj.by.{g}", lang),
                  horizontal=True, key=_P + "by")  # fmt: skip
    state = shared_state()
    own = to_query(
        replace(
            ViewState(), project_statuses=state.project_statuses, arbeitskreise=state.arbeitskreise
        )
    )
    own.pop("lang", None)
    sync_url(own, shared=("lang", "vintage", "vg", "handlungsfelder"))
    return state, str(by)


def selected(desk: ProjectDesk, state: ViewState) -> list[ProjectRecord]:
    """The projects of the filters (VG of the shared vintage, Handlungsfelder, status,
    Arbeitskreis)."""
    return desk.filtered(state, state.project_statuses, state.arbeitskreise)


def overview(desk: ProjectDesk, records: list[ProjectRecord], by: str, lang: str) -> None:
    """Summary per group, the timeline (with a table of the same bands), the list."""
    st.header(t("proj.summary", lang, by=t(f"proj.by.{by}", lang)))
    table(summary_table(summary(records, by), by, lang))
    st.header(t("proj.timeline", lang))
    today = dt.date.today()
    frame = bands(records, by, today)
    if frame.empty:
        st.caption(t("proj.none", lang))
    else:
        chart = timeline_chart(frame, by, today, lang)
        st.altair_chart(chart, width="stretch")
        st.caption(t("proj.timeline_note", lang))
    st.header(t("proj.list", lang, n=len(records)))
    names = desk.names()
    st.dataframe(
        project_table(records, names, lang, internal=desk.may_read_internal()),
        hide_index=True,
        width="stretch",
    )


def detail(desk: ProjectDesk, records: list[ProjectRecord], lang: str) -> ProjectRecord | None:
    """One project chosen from the list: its fields, places and status history."""
    if not records:
        return None
    by_id = {r.id: r for r in records}
    pid = st.selectbox(
        t("proj.choose", lang), list(by_id), format_func=lambda i: by_id[i].title, key=_P + "pick"
    )
    record = by_id.get(str(pid))
    if record is None:
        return None
    names = desk.names()
    rows = [
        (t("pcol.status", lang), status_text(record, lang)),
        (t("pcol.handlungsfelder", lang), hf_text(record, lang)),
        (t("pcol.arbeitskreis", lang), group_label(record.arbeitskreis, "arbeitskreis", lang)),
        (t("pcol.leitziel", lang), record.leitziel or "–"),
        (t("pcol.lead_organisation", lang), record.lead_organisation or "–"),
        (t("pcol.partners", lang), "; ".join(record.partners) or "–"),
        (t("pcol.target_groups", lang), "; ".join(record.target_groups) or "–"),
        (t("pcol.languages", lang), "; ".join(record.languages) or "–"),
        (t("proj.col.places", lang), places_text(record, names, lang)),
        (t("proj.col.planned", lang), period_text(record.planned_start, record.planned_end, lang)),
        (t("proj.col.actual", lang), period_text(record.actual_start, record.actual_end, lang)),
        (t("pcol.funding_programme", lang), funding_text(record, lang)),
        (t("pcol.figure", lang), figures_text(record, lang)),
        (t("pcol.contact", lang), record.contact or "–"),
        (t("pcol.note", lang), record.note or "–"),
        (t("pcol.source", lang), f"{record.source} ({fmt_date(record.reference_date, lang)})"),
    ]
    if record.internal_note:  # only in the records of those who may read it
        rows.append((t("pcol.internal_note", lang), record.internal_note))
    table(pd.DataFrame(rows, columns=[t("proj.col.field", lang), t("proj.col.value", lang)]))
    st.markdown("**" + t("proj.history", lang) + "**")
    table(history_table(record, lang), index=False)
    return record


def changes(desk: ProjectDesk, record: ProjectRecord, lang: str) -> None:
    """The record's change history (editors who may change it)."""
    if not desk.can_propose() or not desk.may_change(record):
        return
    history = desk.history(record.id)
    if len(history):
        st.markdown("**" + t("proj.changes", lang) + "**")
        st.dataframe(history_display(history, lang), hide_index=True, width="stretch")


def _last_session(today: dt.date) -> dt.date:
    """The earlier day the form starts with: the end of the previous year."""
    return dt.date(today.year, 1, 1) - dt.timedelta(days=1)


def report(desk: ProjectDesk, lang: str) -> None:
    """The Sachstandsbericht on a chosen day with the changes since an earlier day (PDF or
    XLSX; the public version, or the Kreisverwaltung's internal one), and the list."""
    today = dt.date.today()
    c1, c2 = st.columns(2)
    day = c1.date_input(
        t("proj.report.day", lang), value=today, key=_P + "day", format="DD.MM.YYYY"
    )
    since = c2.date_input(t("proj.report.since_day", lang), value=_last_session(today),
                          key=_P + "since", format="DD.MM.YYYY")  # fmt: skip
    internal = False
    if desk.may_read_internal():
        internal = st.checkbox(t("proj.report.with_internal", lang), key=_P + "internal")
    if not isinstance(day, dt.date) or not isinstance(since, dt.date) or since > day:
        st.warning(t("proj.report.order", lang))
        return
    suffix = "-intern" if internal else ""
    c1, c2, c3 = st.columns(3)
    for col, fmt in ((c1, "pdf"), (c2, "xlsx")):
        made = f"{_P}file|{fmt}|{day}|{since}|{internal}|{lang}|{desk.view().version}"
        if col.button(t("proj.report.make", lang, fmt=fmt.upper()), key=_P + "make_" + fmt):
            st.session_state[made] = desk.sachstand(day, since, lang, fmt, internal=internal)
        data = st.session_state.get(made)
        if data:
            col.download_button(t("proj.report.download", lang, fmt=fmt.upper()), data=data,
                                file_name=f"sachstand-{day.isoformat()}{suffix}.{fmt}", mime=_MIME[fmt],
                                key=_P + "dl_" + fmt, on_click="ignore")  # fmt: skip
    c3.download_button(t("proj.list_download", lang), data=desk.list_file(lang, "xlsx", internal=internal),
                       file_name=f"massnahmen{suffix}.xlsx", mime=_MIME["xlsx"], key=_P + "dl_list",
                       on_click="ignore")  # fmt: skip


__all__ = ["changes", "detail", "filters", "frame_note", "overview", "report", "selected"]
