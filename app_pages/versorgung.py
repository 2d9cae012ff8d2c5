"""Versorgungsanalyse: where need is high and supply thin, and why (flags with reasons)."""

import streamlit as st

from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.ui import gaps as gap_ui
from dashboard.ui.common import language_switch, view

lang = language_switch()
v = view()
gv = gap_ui.sidebar(lang, v)
gap_ui.seed_whatif()

st.title(t("gaps.heading", lang))
n_offers = len(v.facilities())
st.warning(tn("gaps.data_warning", n_offers, lang, n=fmt_int(n_offers, lang)))
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
gap_ui.whatif(changes, gv, lang)
gap_ui.flag_tables(flags, lang)
gap_ui.downloads(flags, gv.selector, lang)

st.subheader(t("gaps.matrix", lang))
st.caption(t("gaps.matrix_note", lang))
gap_ui.matrix(v, gv.vintage, lang)
