"""Versorgungsanalyse: where need is high and supply thin, and why; gaps only where the
lists of offers are confirmed complete, "unbekannt" elsewhere."""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui import gaps as gap_ui
from dashboard.ui.accessibility import announce, live_region
from dashboard.ui.answer import answer
from dashboard.ui.common import language_switch, view

lang = language_switch()
v = view()
gv = gap_ui.sidebar(lang, v)
gap_ui.seed_whatif(v)

st.title(t("gaps.heading", lang))
changes = live_region()  # the what-if's changes, read out when they change
first = st.container()  # the answer first: filled once the analysis has run
gap_ui.coverage(v, lang)
planned = gap_ui.whatif_inputs(v, lang)
result = v.analyse(
    gv.selector, gv.thresholds, level=gv.level, vintage=gv.vintage,
    include_outside=gv.include_outside, planned=planned, demand=gv.demand or None,
    include_unconfirmed=gv.include_unconfirmed,
)  # fmt: skip
with first:
    answer(result.summary, lang)
st.header(t("gaps.result", lang))
gap_ui.summary(result, gv, v, lang)
gap_ui.analysis_map(v, gv, result, lang)
gap_ui.whatif(result, lang)
announce(changes, gap_ui.whatif_announcement(result, lang))
gap_ui.findings(result, lang)
gap_ui.results_table(result, lang)
gap_ui.downloads(result, gv, lang)
gap_ui.matrix(v, gv, lang)
gap_ui.explanations(lang)
