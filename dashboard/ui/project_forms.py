"""The forms of the "Maßnahmen" page: a new or changed project, a status change with its
date, the proposals to review, an imported list with its row report.

Rights are the service's (:class:`dashboard.services.projects.ProjectDesk`): the
Kreis-Redaktion saves directly, a VG-Redaktion proposes for its own VG(s), the public sees
no form. Every refusal is one line in the user's language (:func:`dashboard.ui.errors.refused`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.domain.projects import ARBEITSKREISE, STATUS_ORDER, ProjectRecord, allowed_next
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_datetime, fmt_int
from dashboard.render.projects_text import places_text, status_label
from dashboard.services.projects import (
    InvalidProject,
    ProjectDesk,
    ProjectImportPlan,
    ProjectProposal,
    Saved,
)
from dashboard.services.workspace import PermissionDenied, StoreError
from dashboard.ui.errors import refused
from dashboard.ui.text import plain, table

_P = "pjf_"
_FLASH = "pj_flash"


def flash(lang: str) -> None:
    """The notice of the last save, shown once after the page reran."""
    if text := st.session_state.pop(_FLASH, None):
        st.success(text)


def _attempt(action: Callable[[], object], lang: str) -> object | None:
    try:
        return action()
    except InvalidProject as exc:
        refused(exc, lang)
        table(
            pd.DataFrame(
                [(p.field, p.problem_text(lang), p.value) for p in exc.problems],
                columns=[t("imp.field.field", lang), t("imp.field.problem", lang), t("imp.field.value", lang)],
            ),
            index=False,
        )  # fmt: skip
    except (PermissionDenied, StoreError) as exc:
        refused(exc, lang)
    return None


def _done(saved: Saved, lang: str) -> None:
    if saved.proposal is not None:
        st.session_state[_FLASH] = t("proj.proposed", lang, id=saved.proposal.id)
    elif saved.stored is not None:
        st.session_state[_FLASH] = t("proj.saved", lang, title=saved.stored.title)
    st.rerun()


def _place_fields(
    desk: ProjectDesk, base: ProjectRecord | None, lang: str, k: str
) -> dict[str, object]:
    """The places of the form: Gemeinden, VGs, linked offers, a point with its name."""
    names = desk.names()
    geo_keys = sorted((a for a in names if len(a) == 8 and a.isdigit()), key=lambda a: names[a])
    vg_keys = sorted(desk.ws.areas.vg_names, key=lambda v: names.get(v, v))
    offers = desk.view().facilities()
    offer_ids = sorted(offers["id"].astype(str), key=lambda i: names.get(i, i))
    places = base.places if base else []
    point = next((p for p in places if p.kind == "point"), None)
    v: dict[str, object] = {}
    st.markdown("**" + t("proj.col.places", lang) + "**")
    c1, c2, c3 = st.columns(3)
    v["gemeinden"] = c1.multiselect(t("pcol.gemeinden", lang), geo_keys, default=[p.ref for p in places if p.kind == "gemeinde"],
                                    format_func=lambda a: names.get(a, a), key=k + "gem", placeholder=t("f.choose", lang))  # fmt: skip
    v["vgs"] = c2.multiselect(t("pcol.vgs", lang), vg_keys, default=[p.ref for p in places if p.kind == "vg"],
                              format_func=lambda a: names.get(a, a), key=k + "vgs", placeholder=t("f.choose", lang))  # fmt: skip
    v["offers"] = c3.multiselect(t("pcol.offers", lang), offer_ids, default=[p.ref for p in places if p.kind == "offer" and p.ref in offer_ids],
                                 format_func=lambda i: names.get(i, i), key=k + "offers", placeholder=t("f.choose", lang))  # fmt: skip
    c1, c2, c3 = st.columns(3)
    v["lat"] = c1.text_input(
        t("pcol.lat", lang), value=str(point.lat) if point else "", key=k + "lat"
    )
    v["lon"] = c2.text_input(
        t("pcol.lon", lang), value=str(point.lon) if point else "", key=k + "lon"
    )
    v["place_label"] = c3.text_input(
        t("pcol.place_label", lang), value=point.label if point else "", key=k + "plabel"
    )
    return v


def _fields(desk: ProjectDesk, base: ProjectRecord | None, lang: str, k: str) -> dict[str, object]:
    """The form's widgets, started from ``base`` (or empty); their values by field."""
    v: dict[str, object] = {}
    v["title"] = st.text_input(
        t("pcol.title", lang), key=k + "title", value=base.title if base else ""
    )
    c1, c2 = st.columns(2)
    v["handlungsfelder"] = c1.multiselect(t("pcol.handlungsfelder", lang), list(HANDLUNGSFELDER), default=list(base.handlungsfelder) if base else [],
                                          format_func=lambda c: HANDLUNGSFELDER[c][lang], key=k + "hf", placeholder=t("f.choose", lang))  # fmt: skip
    v["arbeitskreis"] = c2.selectbox(t("pcol.arbeitskreis", lang), ["", *ARBEITSKREISE], index=(["", *ARBEITSKREISE].index(base.arbeitskreis) if base else 0),
                                     format_func=lambda c: t(f"ak.{c}", lang) if c else "–", key=k + "ak")  # fmt: skip
    v["leitziel"] = st.text_input(
        t("pcol.leitziel", lang), key=k + "leitziel", value=base.leitziel if base else ""
    )
    c1, c2 = st.columns(2)
    with c1:
        v["lead_organisation"] = st.text_input(
            t("pcol.lead_organisation", lang),
            key=k + "lead",
            value=base.lead_organisation if base else "",
        )
        v["target_groups"] = st.text_input(t("pcol.target_groups", lang), key=k + "groups", value="; ".join(base.target_groups) if base else "", help=t("proj.help.list", lang))  # fmt: skip
    with c2:
        v["partners"] = st.text_input(t("pcol.partners", lang), key=k + "partners", value="; ".join(base.partners) if base else "", help=t("proj.help.list", lang))  # fmt: skip
        v["languages"] = st.text_input(t("pcol.languages", lang), key=k + "langs", value="; ".join(base.languages) if base else "", help=t("proj.help.list", lang))  # fmt: skip
    v |= _place_fields(desk, base, lang, k)
    c1, c2, c3, c4 = st.columns(4)
    for col, name in zip(
        (c1, c2, c3, c4),
        ("planned_start", "planned_end", "actual_start", "actual_end"),
        strict=True,
    ):
        value = getattr(base, name) if base else None
        v[name] = col.text_input(t(f"pcol.{name}", lang), value=fmt_date(value, "de") if value else "", key=k + name, help=t("proj.help.date", lang))  # fmt: skip
    if base is None:
        c1, c2 = st.columns(2)
        v["status"] = c1.selectbox(t("proj.status_initial", lang), list(STATUS_ORDER), format_func=lambda s: status_label(s, lang), key=k + "status")  # fmt: skip
        v["status_on"] = c2.text_input(
            t("pcol.status_on", lang), key=k + "status_on", help=t("proj.help.date", lang)
        )
    c1, c2 = st.columns(2)
    v["funding_programme"] = c1.text_input(
        t("pcol.funding_programme", lang),
        value=base.funding_programme if base else "",
        key=k + "fprog",
    )
    v["funding_amount"] = c2.text_input(t("pcol.funding_amount", lang), value="" if base is None or base.funding_amount is None else str(base.funding_amount), key=k + "famount")  # fmt: skip
    figure = base.figures[0] if base and base.figures else None
    c1, c2, c3, c4 = st.columns(4)
    v["figure"] = c1.text_input(
        t("pcol.figure", lang),
        value=figure.label if figure else "",
        key=k + "fig",
        help=t("proj.help.figure", lang),
    )
    v["target"] = c2.text_input(t("pcol.target", lang), value="" if figure is None or figure.target is None else f"{figure.target:g}", key=k + "target")  # fmt: skip
    v["achieved"] = c3.text_input(t("pcol.achieved", lang), value="" if figure is None or figure.achieved is None else f"{figure.achieved:g}", key=k + "achieved")  # fmt: skip
    v["figure_as_of"] = c4.text_input(t("pcol.figure_as_of", lang), value=fmt_date(figure.as_of, "de") if figure and figure.as_of else "", key=k + "fasof")  # fmt: skip
    v["contact"] = st.text_input(
        t("pcol.contact", lang), value=base.contact if base else "", key=k + "contact"
    )
    v["open_to_residents"] = "ja" if st.checkbox(t("proj.open_to_residents", lang), value=base.open_to_residents if base else False, key=k + "open") else "nein"  # fmt: skip
    v["note"] = st.text_area(
        t("pcol.note", lang), value=base.note if base else "", key=k + "note", height=70
    )
    v["internal_note"] = st.text_area(t("proj.internal_note_label", lang), value=base.internal_note if base else "", key=k + "internal", height=70)  # fmt: skip
    c1, c2 = st.columns(2)
    v["source"] = c1.text_input(
        t("pcol.source", lang), value=base.source if base else "", key=k + "source"
    )
    v["reference_date"] = c2.text_input(t("pcol.reference_date", lang), value=fmt_date(base.reference_date, "de") if base else fmt_date(dt.date.today(), "de"), key=k + "refdate", help=t("proj.help.date", lang))  # fmt: skip
    return v


def new_project(desk: ProjectDesk, lang: str) -> None:
    """The form for a new project (Kreis-Redaktion: saved; VG-Redaktion: proposed)."""
    if not desk.can_propose():
        return
    if st.toggle(t("proj.new", lang), key=_P + "show_new"):  # the form only while wanted
        if not desk.can_apply():
            st.caption(t("proj.new_vg_note", lang))
        with st.form(_P + "new"):
            values = _fields(desk, None, lang, _P + "new_")
            comment = st.text_input(t("proj.comment", lang), key=_P + "new_comment")
            label = t("proj.save", lang) if desk.can_apply() else t("proj.propose", lang)
            if st.form_submit_button(label, type="primary"):
                record = _attempt(lambda: desk.from_form(values, None), lang)
                if isinstance(record, ProjectRecord):
                    saved = _attempt(lambda: desk.save(record, None, comment), lang)
                    if isinstance(saved, Saved):
                        _done(saved, lang)


def edit_project(desk: ProjectDesk, record: ProjectRecord, lang: str) -> None:
    """The form changing a stored project (its status changes with :func:`move`)."""
    if not desk.can_propose() or not desk.may_change(record):
        return
    if st.toggle(t("proj.edit", lang), key=f"{_P}show_edit_{record.id}"):
        with st.form(_P + "edit_" + record.id):
            values = _fields(desk, record, lang, f"{_P}edit_{record.id}_{record.version}_")
            comment = st.text_input(t("proj.comment", lang), key=f"{_P}edit_comment_{record.id}")
            label = t("proj.save", lang) if desk.can_apply() else t("proj.propose", lang)
            if st.form_submit_button(label, type="primary"):
                changed = _attempt(lambda: desk.from_form(values, record), lang)
                if isinstance(changed, ProjectRecord):
                    saved = _attempt(lambda: desk.save(changed, record.version, comment), lang)
                    if isinstance(saved, Saved):
                        _done(saved, lang)


def move(desk: ProjectDesk, record: ProjectRecord, lang: str) -> None:
    """A status change with its date and a note (or its proposal)."""
    if not desk.can_propose() or not desk.may_change(record):
        return
    options = allowed_next(record.status)
    if not options:
        st.caption(t("proj.final", lang, status=status_label(record.status, lang)))
        return
    with st.form(f"{_P}move_{record.id}"):
        st.markdown("**" + t("proj.move", lang) + "**")
        c1, c2 = st.columns(2)
        status = c1.selectbox(t("proj.new_status", lang), options, format_func=lambda s: status_label(s, lang), key=f"{_P}move_status_{record.id}")  # fmt: skip
        on = c2.text_input(
            t("proj.move_on", lang), key=f"{_P}move_on_{record.id}", help=t("proj.help.date", lang)
        )
        note = st.text_input(t("pcol.status_note", lang), key=f"{_P}move_note_{record.id}")
        label = t("proj.move_save", lang) if desk.can_apply() else t("proj.move_propose", lang)
        if st.form_submit_button(label, type="primary"):
            saved = _attempt(
                lambda: desk.move(record.id, str(status), on, note, record.version), lang
            )
            if isinstance(saved, Saved):
                _done(saved, lang)


def review(desk: ProjectDesk, lang: str) -> None:
    """Pending proposals of the VG-Redaktionen, with approve and reject (Kreis-Redaktion)."""
    if not desk.can_apply():
        return
    pending = desk.proposals("pending")
    st.header(t("proj.review", lang, n=len(pending)))
    if not pending:
        st.caption(t("proj.review_none", lang))
    names = desk.names()
    for p in pending:
        _decide(desk, p, names, lang)


def _decide(desk: ProjectDesk, p: ProjectProposal, names: dict[str, str], lang: str) -> None:
    with st.container(border=True):
        st.markdown("**" + plain(t("proj.review_item", lang, id=p.id, kind=t(f"proj.kind.{p.kind}", lang),
                    title=p.record.title, author=p.author, at=fmt_datetime(p.created, lang))) + "**")  # fmt: skip
        st.caption(
            plain(f"{status_label(p.record.status, lang)} · {places_text(p.record, names, lang)}")
        )
        if p.comment:
            st.caption(plain(t("rev.author_comment", lang, comment=p.comment)))
        comment = st.text_input(t("rev.comment", lang), key=f"{_P}rv_comment_{p.id}")
        c1, c2 = st.columns(2)
        if c1.button(t("rev.approve", lang), type="primary", key=f"{_P}rv_ok_{p.id}"):
            if _attempt(lambda: desk.review(p.id, True, comment), lang) is not None:
                st.session_state[_FLASH] = t("rev.approved", lang, id=p.id)
                st.rerun()
        if c2.button(t("rev.reject", lang), key=f"{_P}rv_no_{p.id}"):
            if _attempt(lambda: desk.review(p.id, False, comment), lang) is not None:
                st.session_state[_FLASH] = t("rev.rejected", lang, id=p.id)
                st.rerun()


def import_list(desk: ProjectDesk, lang: str) -> None:
    """An XLSX or CSV list of projects: the row report, then all rows or the valid ones."""
    if not desk.can_apply():
        return
    with st.expander(t("proj.import", lang)):
        st.caption(t("proj.import_note", lang))
        gen = int(st.session_state.setdefault(_P + "gen", 0))
        file = st.file_uploader(
            t("proj.import_file", lang), type=["xlsx", "csv", "txt"], key=f"{_P}file_{gen}"
        )
        if file is None:
            return
        data = file.getvalue()
        plan = _attempt(lambda: desk.plan_upload(file.name, data), lang)
        if plan is None:
            return
        assert isinstance(plan, ProjectImportPlan)
        st.markdown(
            t(
                "proj.import_summary",
                lang,
                rows=len(plan.rows),
                valid=len(plan.valid),
                invalid=plan.n_invalid,
            )
        )
        if plan.problems:
            table(plan.problems_frame(lang), index=False)
        digest = hashlib.sha256(data).hexdigest()[:12]
        c1, c2 = st.columns(2)
        choice = None
        if c1.button(t("proj.import_all", lang), key=f"{_P}all_{digest}", type="primary"):
            choice = False
        if (
            plan.problems
            and plan.valid
            and c2.button(t("proj.import_valid", lang), key=f"{_P}valid_{digest}")
        ):
            choice = True
        if choice is not None:
            n = _attempt(lambda: desk.import_list(plan, skip_invalid=bool(choice)), lang)
            if isinstance(n, int):
                st.session_state[_P + "gen"] = gen + 1
                st.session_state[_FLASH] = tn(
                    "proj.imported", n, lang, n=fmt_int(n, lang), file=plan.name
                )
                st.rerun()
