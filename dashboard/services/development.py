"""What has changed since the concept: an indicator's series per area, the change between
two dates, and the projects then and now, from the user's view.

Pages and files read these through the service so that the series, the change map, its
table and the Kreistag view "seit dem Konzept" are made from one set of values (the
store's current data version, :class:`dashboard.services.view.RoleView`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard.analysis import change as changes
from dashboard.analysis.classify import Choropleth
from dashboard.analysis.projects import summary
from dashboard.domain.dates import span
from dashboard.render.change_text import change_choropleth
from dashboard.services.projects import ProjectDesk
from dashboard.services.view import RoleView


@dataclass(frozen=True)
class Areas:
    """The areas of a level and vintage: keys in layer order and names."""

    keys: list[str]
    names: dict[str, str]


def areas_of(view: RoleView, level: str, vintage: int) -> Areas:
    """The Gemeinden, or the VGs of ``vintage``, of the district."""
    frame = view.district.gemeinden if level == "gemeinde" else view.district.vgs[vintage]
    key = "ags" if level == "gemeinde" else "rs"
    keys = [str(k) for k in frame[key]]
    return Areas(keys, dict(zip(keys, frame["name"].astype(str), strict=True)))


def indicators_over_time(view: RoleView) -> list[str]:
    """Indicators with values at two or more dates (a development can be shown)."""
    values = view.indicators()
    counts = values.groupby("indicator")["reference_date"].nunique()
    return sorted(str(i) for i, n in counts.items() if n >= 2)


def dates(view: RoleView, indicator: str) -> list[str]:
    """The dates the indicator has values of, oldest first."""
    return changes.dates_of(view.indicators(), indicator)


def kind(view: RoleView, indicator: str) -> str:
    """``count`` or ``share``."""
    return changes.kind(view.indicators(), indicator)


def series(view: RoleView, indicator: str, level: str, vintage: int) -> pd.DataFrame:
    """:func:`dashboard.analysis.change.series` on the view's values."""
    return changes.series(view.indicators(), view.district.membership, indicator, level, vintage)


def change(
    view: RoleView, indicator: str, level: str, vintage: int, date_from: str, date_to: str
) -> pd.DataFrame:
    """:func:`dashboard.analysis.change.change` for every area of the level."""
    return changes.change(
        view.indicators(), view.district.membership, indicator, level, vintage,
        areas_of(view, level, vintage).keys, date_from, date_to,
    )  # fmt: skip


def change_map(
    view: RoleView,
    indicator: str,
    level: str,
    vintage: int,
    date_from: str,
    date_to: str,
    lang: str,
) -> tuple[pd.DataFrame, Choropleth]:
    """The change and its map (:func:`dashboard.render.change_text.change_choropleth`)."""
    frame = change(view, indicator, level, vintage, date_from, date_to)
    values = view.indicators()
    used = values[
        (values["indicator"] == indicator) & values["reference_date"].astype(str).isin([date_from, date_to])
    ]  # fmt: skip
    sources = [str(s) for s in used["source"].dropna().unique()]
    return frame, change_choropleth(
        frame, indicator, kind(view, indicator), date_from, date_to, sources, lang
    )


def concept_day(desk: ProjectDesk) -> dt.date:
    """The last day of the concept's date (the council paper's year: 31 December 2013)."""
    frame = desk.documented().reference_date
    return span(frame)[1] if frame else dt.date(2013, 12, 31)


def projects_then_and_now(desk: ProjectDesk, today: dt.date) -> pd.DataFrame:
    """The projects per status on the concept's day and today (counts over all
    Handlungsfelder, a project once): ``status``, ``then``, ``now``."""
    records = desk.records()
    then = (
        summary(records, "arbeitskreis", concept_day(desk)).drop(columns=["group", "total"]).sum()
    )
    now = summary(records, "arbeitskreis", today).drop(columns=["group", "total"]).sum()
    return pd.DataFrame({"status": list(then.index), "then": then.to_list(), "now": now.to_list()})
