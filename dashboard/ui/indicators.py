"""Widgets of the indicator page (Kreis-Redaktion): load a table, say what an unknown
indicator is, read the row report, write all or only the valid rows, see how each indicator
aggregates, and the loads so far.

The indicator for rows without one is chosen from the known indicators by their label and
role ("Kinder unter 6 Jahren – Bedarf für Kitas"), or typed as a new one. For an indicator
the atlas does not know the page asks whether it is a count, a share or a rate (and a
share's numerator and denominator if known); nothing is loaded before it is answered. The
upload is read once per file and answers (kept for the data version), not on every click.
"""

from __future__ import annotations

import hashlib

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import vintage_label
from dashboard.i18n.format import fmt_datetime
from dashboard.render.collection_text import aggregation_lines, indicator_report
from dashboard.services import indicators
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace
from dashboard.ui.common import fresh
from dashboard.ui.errors import refused
from dashboard.ui.importing import once
from dashboard.ui.text import plain, table

_PLAN = "ind_plan"
_PAGE = "indikatoren"
#: The indicator a link asked for (``?indikator=<key>``), taken on arrival.
_LINKED = "ind_linked"


def take_link() -> None:
    """On arriving at the page: the indicator a link asked for (``?indikator=<key>``, the
    Versorgungsanalyse's "Indikator ... laden"), chosen for the rows without one; a rerun
    keeps what the user chose since."""
    if fresh(_PAGE, "ind_indicator_choice"):
        st.session_state[_LINKED] = str(st.query_params.get("indikator") or "")


#: The choice "a new indicator" in the list of known ones.
_NEW = "__new__"


def _indicator(lang: str, column: DeltaGenerator) -> str:
    """The indicator for rows without one: a known one by label and role, or a new name."""
    known = dict(indicators.known_indicators(lang))
    options = ["", *known, _NEW]
    linked = st.session_state.pop(_LINKED, "")
    if linked in known:
        st.session_state["ind_indicator_choice"] = linked
    words = {"": t("indload.indicator_none", lang), _NEW: t("indload.indicator_new", lang)}
    choice = column.selectbox(
        t("indload.field.indicator", lang), options, key="ind_indicator_choice",
        format_func=lambda k: words.get(k) or known[k], help=t("indload.indicator_help", lang),
    )  # fmt: skip
    if choice == _NEW:
        return column.text_input(t("indload.indicator_name", lang), key="ind_indicator").strip()
    return str(choice)


def defaults(vintages: tuple[int, ...], lang: str) -> indicators.IndicatorDefaults:
    """Values for rows that leave a field empty, in plain sight before checking
    (``vintages``: the district's, for the VG keys of a table)."""
    st.markdown("**" + t("indload.defaults", lang) + "**")
    c1, c2, c3 = st.columns(3)
    vintage = c1.selectbox(
        t("indload.vintage_select", lang), [0, *vintages],
        format_func=lambda v: t("indload.no_vintage", lang) if not v else vintage_label(v, lang),
        key="ind_vintage",
    )  # fmt: skip
    indicator = _indicator(lang, c2)
    unit = c3.text_input(t("indload.field.unit", lang), key="ind_unit")
    c4, c5 = st.columns(2)
    date = c4.text_input(t("indload.field.reference_date", lang), key="ind_date",
                         help=t("collect.as_of_help", lang))  # fmt: skip
    source = c5.text_input(t("indload.field.source", lang), key="ind_source")
    return indicators.IndicatorDefaults(
        indicator=indicator, unit=unit.strip(), reference_date=date.strip(),
        source=source.strip(), vintage=int(vintage) or None,
    )  # fmt: skip


def _kinds(unknown: set[str], lang: str) -> dict[str, indicators.StatedKind]:
    """Ask, per indicator the atlas does not know, what it is (no answer preselected)."""
    known = dict(indicators.known_indicators(lang))
    stated: dict[str, indicators.StatedKind] = {}
    for name in sorted(unknown):
        st.markdown("**" + plain(t("indload.kind_question", lang, name=name)) + "**")
        kind = st.radio(
            t("indload.kind_label", lang, name=name), list(indicators.KINDS), index=None,
            format_func=lambda k: t(f"indload.kind_option.{k}", lang), key=f"ind_kind_{name}",
            label_visibility="collapsed",
        )  # fmt: skip
        if kind is None:
            continue
        parts = ["", *known]
        numerator = denominator = ""
        if kind != "count":
            c1, c2 = st.columns(2)
            numerator = c1.selectbox(
                t("indload.numerator", lang), parts, key=f"ind_num_{name}",
                format_func=lambda k: known.get(k, t("indload.part_unknown", lang)),
            )  # fmt: skip
            denominator = c2.selectbox(
                t("indload.denominator", lang), parts, key=f"ind_den_{name}",
                format_func=lambda k: known.get(k, t("indload.part_unknown", lang)),
            )  # fmt: skip
        stated[name] = indicators.StatedKind(str(kind), str(numerator), str(denominator))
    return stated


def _plan_once(
    ws: Workspace, name: str, data: bytes, given: indicators.IndicatorDefaults,
    kinds: dict[str, indicators.StatedKind],
) -> indicators.IndicatorPlan:  # fmt: skip
    """The plan of an upload, made once per file, answers, user and data version.

    Raises
    ------
    indicators.ReadError, PermissionDenied
        As :func:`dashboard.services.indicators.plan_indicator_file`.
    """
    key = (hashlib.sha256(data).hexdigest(), name, given, tuple(sorted(kinds.items())),
           ws.user.name, ws.store.data_version())  # fmt: skip
    return once(_PLAN, key, lambda: indicators.plan_indicator_file(ws, data, name, given, kinds),
                (indicators.ReadError, PermissionDenied))  # fmt: skip


def load(ws: Workspace, lang: str) -> None:
    """Upload, say what unknown indicators are, check, write."""
    file = st.file_uploader(t("indload.file", lang), type=list(indicators.FORMATS), key="ind_file")
    given = defaults(ws.config.vintage_years, lang)
    if file is None:
        return
    data = file.getvalue()
    try:
        plan = _plan_once(ws, file.name, data, given, {})
        kinds = _kinds(plan.unknown_kinds, lang) if plan.unknown_kinds else {}
        if kinds:
            plan = _plan_once(ws, file.name, data, given, kinds)
    except (indicators.ReadError, PermissionDenied) as exc:
        refused(exc, lang)
        return
    _report(plan, lang)
    skip = st.checkbox(t("indload.skip_invalid", lang), key="ind_skip")
    if st.button(t("indload.write", lang), type="primary", key="ind_write"):
        try:
            n = indicators.write_indicators(ws, plan, file.name, data, skip_invalid=skip)
        except (indicators.ImportRejected, PermissionDenied, StoreError) as exc:
            refused(exc, lang)
            return
        st.success(tn("indload.written", n, lang, n=n))
        names = sorted({v.indicator for v in plan.valid})
        lines = aggregation_lines(indicators.aggregations(ws, names), lang)
        st.markdown("\n".join(f"- {plain(line)}" for line in lines))


def _report(plan: indicators.IndicatorPlan, lang: str) -> None:
    """Counts, names read as known indicators, and the row report."""
    replaces = tn("indload.replaces_n", len(plan.replaces), lang, n=len(plan.replaces))
    st.markdown(
        plain(
            tn("indload.counts", len(plan.rows), lang, rows=len(plan.rows), valid=len(plan.valid),
               invalid=plan.n_invalid, replaces=replaces)
        )
    )  # fmt: skip
    known = dict(indicators.known_indicators(lang))
    for named, key in sorted(plan.renamed.items()):
        st.info(plain(t("indload.renamed", lang, named=named, indicator=known.get(key, key))))
    if plan.n_invalid:
        st.error(tn("indload.invalid", plan.n_invalid, lang, n=plan.n_invalid))
        table(indicator_report(plan, lang), index=False)


def history(ws: Workspace, lang: str) -> None:
    """The tables loaded so far."""
    st.header(t("indload.history", lang))
    frame = indicators.loads(ws)
    if frame.empty:
        st.caption(t("indload.history_empty", lang))
        return
    shown = frame.assign(at=[fmt_datetime(v, lang) for v in frame["at"]])[
        ["id", "at", "author", "file_name", "rows_written", "comment"]
    ].rename(columns={c: t(f"indload.col.{c}", lang) for c in frame.columns})
    st.dataframe(shown, hide_index=True, width="stretch")
