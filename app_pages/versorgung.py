"""Versorgungsanalyse: where need is high and supply thin, and why (flags with reasons)."""

import streamlit as st

from dashboard.i18n.catalogue import fmt_date, t
from dashboard.ui import gaps as gap_ui
from dashboard.ui.common import language_switch, view
from dashboard.ui.text import table

lang = language_switch()
v = view()
gv = gap_ui.sidebar(lang, v)
gap_ui.seed_whatif()

st.title(t("gaps.heading", lang))
st.warning(t("gaps.data_warning", lang, n=len(v.facilities())))
dates = v.district.population["population_date"]
st.caption(
    t(
        "gaps.population_dates",
        lang,
        oldest=fmt_date(dates.min(), lang),
        newest=fmt_date(dates.max(), lang),
    )
)
gap_ui.explanations(lang)
planned = gap_ui.whatif_inputs(lang)

flags, selected, changes = v.analyse(
    gv.selector, gv.thresholds, level=gv.level, vintage=gv.vintage,
    include_outside=gv.include_outside, planned=planned, planned_name=t("gaps.planned_name", lang),
)  # fmt: skip
gap_ui.analysis_map(v, gv, flags, selected, lang)
if changes is not None:
    st.subheader(t("gaps.whatif_changes", lang))
    if len(changes):
        st.dataframe(changes, hide_index=True, width="stretch")
    else:
        st.caption(t("gaps.whatif_none", lang))

st.subheader(t("gaps.flags", lang))
flagged = flags[flags["flagged"]].sort_values("severity", ascending=False)
if flagged.empty:
    st.caption(t("gaps.none", lang))
else:
    table(flagged[["rank", "name", "severity", "reason", "thresholds"]].round({"severity": 2}))
st.subheader(t("gaps.table", lang))
st.dataframe(flags.drop(columns=["thresholds"]), hide_index=True, width="stretch")
gap_ui.downloads(flags, gv.selector, lang)

st.subheader(t("gaps.matrix", lang))
st.caption(t("gaps.matrix_note", lang))
gap_ui.matrix(v, gv.vintage, lang)
