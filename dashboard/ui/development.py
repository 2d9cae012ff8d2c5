"""The Kreistag view "Seit dem Konzept": indicators then and now (a line per area and a
change map between two chosen dates, with its table) and the projects then and now."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.change_text import change_table, indicator_name, series_table
from dashboard.render.projects_charts import series_chart
from dashboard.render.projects_text import documented_text, status_label
from dashboard.services import development as dev
from dashboard.services.projects import ProjectDesk
from dashboard.services.view import RoleView
from dashboard.ui.mapview import show_map
from dashboard.ui.text import table

_P = "dev_"


def indicator_choice(view: RoleView, state: ViewState, lang: str) -> tuple[str, str] | None:
    """The indicator (with values at two or more dates) and the level; ``None`` if none."""
    found = dev.indicators_over_time(view)
    if not found:
        st.info(t("change.none", lang))
        return None
    c1, c2 = st.columns(2)
    start = state.indicator if state.indicator in found else found[0]
    indicator = c1.selectbox(t("change.indicator", lang), found, index=found.index(start),
                             format_func=lambda i: indicator_name(i, lang), key=_P + "indicator")  # fmt: skip
    level = c2.radio(t("change.level", lang), ("vg", "gemeinde"), horizontal=True,
                     format_func=lambda lv: t(f"atlas.level.{lv}", lang), key=_P + "level")  # fmt: skip
    return str(indicator), str(level)


def development(view: RoleView, state: ViewState, indicator: str, level: str, lang: str) -> None:
    """The series per area: a line chart and the same values as a table."""
    areas = dev.areas_of(view, level, state.vintage)
    kind = dev.kind(view, indicator)
    found = dev.series(view, indicator, level, state.vintage)
    st.header(t("change.series", lang, indicator=indicator_name(indicator, lang)))
    if found.empty:
        st.caption(t("change.series_none", lang))
        return
    st.altair_chart(
        series_chart(found, areas.names, indicator_name(indicator, lang), lang), width="stretch"
    )
    st.caption(t("change.series_note", lang, what=t(f"change.kind.{kind}", lang)))
    # as many columns as dates: a grid the keyboard can scroll (a wide table box cannot)
    st.dataframe(series_table(found, areas.names, kind, lang), hide_index=True, width="stretch")


def change_view(view: RoleView, state: ViewState, indicator: str, level: str, lang: str) -> None:
    """The change map between two dates chosen by the user, and its table."""
    dates = sorted(set(dev.series(view, indicator, level, state.vintage)["date"]))
    st.header(t("change.map", lang))
    if len(dates) < 2:  # dates at which some area of this level has a value
        st.caption(t("change.too_few", lang))
        return
    c1, c2 = st.columns(2)
    date_from = c1.selectbox(t("change.from", lang), dates, index=0, format_func=lambda d: fmt_date(d, lang), key=_P + "from")  # fmt: skip
    date_to = c2.selectbox(t("change.to", lang), dates, index=len(dates) - 1, format_func=lambda d: fmt_date(d, lang), key=_P + "to")  # fmt: skip
    if date_from == date_to:
        st.warning(t("change.same_date", lang))
        return
    frame, ch = dev.change_map(
        view, indicator, level, state.vintage, str(date_from), str(date_to), lang
    )
    areas = dev.areas_of(view, level, state.vintage)
    shown = replace(state, layers=("choropleth",), level=level, indicator=indicator, categories=())
    show_map(view, shown, "change_map", height=520, choropleth=ch)
    # below the map, at the page's width: a table box beside it would scroll, and a
    # scrolling table box cannot be reached by keyboard
    kind = dev.kind(view, indicator)
    table(change_table(frame, areas.names, kind, str(date_from), str(date_to), lang))
    missing = int(frame["absolute"].isna().sum())
    if missing:
        st.caption(tn("change.missing", missing, lang, n=fmt_int(missing, lang)))


def projects_then_now(desk: ProjectDesk, lang: str) -> None:
    """The projects on the concept's day and today, per status, and how many are
    documented of the proposed."""
    today = dt.date.today()
    then = dev.concept_day(desk)
    st.header(t("change.projects", lang))
    st.markdown("**" + documented_text(desk.documented(), lang) + "**")
    frame = dev.projects_then_and_now(desk, today)
    table(
        pd.DataFrame(
            {
                t("pcol.status", lang): [status_label(s, lang) for s in frame["status"]],
                t("change.then", lang, date=fmt_date(then, lang)): [fmt_int(v, lang) for v in frame["then"]],
                t("change.now", lang, date=fmt_date(today, lang)): [fmt_int(v, lang) for v in frame["now"]],
            }
        )
    )  # fmt: skip
    st.caption(t("change.projects_note", lang))
