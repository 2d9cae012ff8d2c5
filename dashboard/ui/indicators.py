"""Widgets of the indicator page (Kreis-Redaktion): load a table, read the row report,
write all or only the valid rows, see how each indicator aggregates, and the loads so far."""

from __future__ import annotations

import streamlit as st

from dashboard.config import VINTAGES
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import vintage_label
from dashboard.i18n.format import fmt_datetime
from dashboard.render.collection_text import aggregation_lines, indicator_report
from dashboard.services import indicators
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace
from dashboard.ui.text import plain, table


def defaults(lang: str) -> indicators.IndicatorDefaults:
    """Values for rows that leave a field empty, in plain sight before checking."""
    st.markdown("**" + t("indload.defaults", lang) + "**")
    c1, c2, c3 = st.columns(3)
    vintage = c1.selectbox(
        t("indload.vintage_select", lang), [0, *sorted(VINTAGES)],
        format_func=lambda v: t("indload.no_vintage", lang) if not v else vintage_label(v, lang),
        key="ind_vintage",
    )  # fmt: skip
    indicator = c2.text_input(t("indload.field.indicator", lang), key="ind_indicator")
    unit = c3.text_input(t("indload.field.unit", lang), key="ind_unit")
    c4, c5 = st.columns(2)
    date = c4.text_input(t("indload.field.reference_date", lang), key="ind_date",
                         help=t("collect.as_of_help", lang))  # fmt: skip
    source = c5.text_input(t("indload.field.source", lang), key="ind_source")
    return indicators.IndicatorDefaults(
        indicator=indicator.strip(), unit=unit.strip(), reference_date=date.strip(),
        source=source.strip(), vintage=int(vintage) or None,
    )  # fmt: skip


def load(ws: Workspace, lang: str) -> None:
    """Upload, check, write."""
    file = st.file_uploader(t("indload.file", lang), type=list(indicators.FORMATS), key="ind_file")
    given = defaults(lang)
    if file is None:
        return
    data = file.getvalue()
    try:
        plan = indicators.plan_indicator_file(ws, data, file.name, given)
    except (indicators.ReadError, PermissionDenied) as exc:
        st.error(plain(str(exc)))
        return
    st.markdown(
        plain(
            t(
                "indload.counts",
                lang,
                rows=len(plan.rows),
                valid=len(plan.valid),
                invalid=plan.n_invalid,
                replaces=len(plan.replaces),
            )
        )  # fmt: skip
    )
    if plan.n_invalid:
        st.error(tn("indload.invalid", plan.n_invalid, lang, n=plan.n_invalid))
        table(indicator_report(plan, lang), index=False)
    skip = st.checkbox(t("indload.skip_invalid", lang), key="ind_skip")
    if st.button(t("indload.write", lang), type="primary", key="ind_write"):
        try:
            n = indicators.write_indicators(ws, plan, file.name, data, skip_invalid=skip)
        except (indicators.ImportRejected, PermissionDenied, StoreError) as exc:
            st.error(plain(str(exc)))
            return
        st.success(tn("indload.written", n, lang, n=n))
        names = sorted({v.indicator for v in plan.valid})
        lines = aggregation_lines(indicators.aggregations(ws, names), lang)
        st.markdown("\n".join(f"- {plain(line)}" for line in lines))


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
