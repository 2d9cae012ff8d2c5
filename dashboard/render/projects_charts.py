"""Charts of the projects and of the development over time, as Vega-Lite (Altair) specs.

Streamlit bundles Vega-Lite, so the charts are drawn in the browser without any request
to another host. They are drawn as SVG (``usermeta.embedOptions.renderer``): their texts
(project titles, areas) are text in the page, readable by assistive technology and by
the browser tests; each chart carries a description, and the pages show the same data as
a table beside it.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.analysis.projects import group_order
from dashboard.domain.dates import span
from dashboard.domain.projects import PROJECT_STATUSES
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.render.projects_text import group_label, status_label

#: One colour per status (Okabe–Ito, colour-blind safe), in the statuses' order.
STATUS_COLORS: dict[str, str] = {
    "vorgeschlagen": "#999999", "beschlossen": "#56B4E9", "in_vorbereitung": "#E69F00",
    "laufend": "#009E73", "abgeschlossen": "#0072B2", "eingestellt": "#D55E00",
}  # fmt: skip
_SVG = {"embedOptions": {"renderer": "svg"}}
#: Width of the timeline's bars (pixels; a faceted chart cannot follow its container).
TIMELINE_WIDTH = 460


def timeline_chart(frame: pd.DataFrame, by: str, today: dt.date, lang: str) -> alt.FacetChart:
    """Status bands over time per project, one panel per Handlungsfeld or Arbeitskreis.

    Parameters
    ----------
    frame
        :func:`dashboard.analysis.projects.bands`.
    by
        ``handlungsfeld`` or ``arbeitskreis``.
    today
        Where the open bands end (named in the description).
    lang
        ``de`` or ``en``.
    """
    order = [group_label(g, by, lang) for g in group_order(by)]
    data = pd.DataFrame(
        {
            "project": frame["title"].astype(str),
            "group": [group_label(g, by, lang) for g in frame["group"]],
            "status": [status_label(s, lang) for s in frame["status"]],
            "start": [d.isoformat() for d in frame["start"]],
            "end": [d.isoformat() for d in frame["end"]],
            "since": [fmt_date(d, lang) for d in frame["on"]],
        }
    )
    color = alt.Color(
        "status:N",
        title=t("pcol.status", lang),
        legend=alt.Legend(orient="bottom", direction="horizontal"),
        scale=alt.Scale(
            domain=[status_label(s, lang) for s in PROJECT_STATUSES],
            range=list(STATUS_COLORS.values()),
        ),
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height={"band": 0.7})
        .encode(
            x=alt.X("start:T", title=t("proj.chart.time", lang)),
            x2="end:T",
            y=alt.Y("project:N", title=None, axis=alt.Axis(labelLimit=260)),
            color=color,
            tooltip=[
                alt.Tooltip("project:N", title=t("pcol.title", lang)),
                alt.Tooltip("status:N", title=t("pcol.status", lang)),
                alt.Tooltip("since:N", title=t("proj.col.since", lang)),
            ],
        )
        .properties(height=alt.Step(24), width=TIMELINE_WIDTH)
    )
    described = t(
        "proj.chart.description", lang, by=t(f"proj.by.{by}", lang), date=fmt_date(today, lang)
    )
    chart: alt.FacetChart = (
        bars.facet(row=alt.Row("group:N", title=None, sort=order, header=alt.Header(labelAngle=0, labelAlign="left", labelLimit=220)))
        .resolve_scale(y="independent")
        .properties(description=described, usermeta=_SVG)
    )  # fmt: skip
    return chart


def series_chart(series: pd.DataFrame, names: dict[str, str], title: str, lang: str) -> alt.Chart:
    """An indicator's values over time, one line per area.

    Parameters
    ----------
    series
        :func:`dashboard.analysis.change.series` (``area_key``, ``date``, ``value``).
    names
        Area key -> name.
    title
        The indicator with its unit.
    lang
        ``de`` or ``en``.
    """
    data = pd.DataFrame(
        {
            "area": [names.get(str(k), str(k)) for k in series["area_key"]],
            "date": [span(d)[0].isoformat() for d in series["date"]],
            "as_given": [fmt_date(d, lang) for d in series["date"]],
            "value": series["value"].astype(float),
        }
    )
    chart: alt.Chart = (
        alt.Chart(data)
        .mark_line(point=True)
        .encode(
            x=alt.X("date:T", title=t("proj.chart.date", lang)),
            y=alt.Y("value:Q", title=title),
            color=alt.Color("area:N", title=t("change.area", lang)),
            tooltip=[
                alt.Tooltip("area:N", title=t("change.area", lang)),
                alt.Tooltip("as_given:N", title=t("change.date", lang)),
                alt.Tooltip("value:Q", title=title, format=",.6~g"),
            ],
        )
        .properties(
            height=320,
            width="container",
            description=t("change.chart.description", lang, indicator=title),
            usermeta=_SVG,
        )
    )
    return chart
