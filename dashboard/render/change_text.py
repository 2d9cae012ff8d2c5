"""The development of an indicator in words: the change map's classes and legend, the
table beside it (both dates named, "keine Daten" where a date is missing), the series as
a table.

A count's change is told in its unit and in per cent; a share's change in percentage
points (and in per cent of its earlier value), never as a sum of shares.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from dashboard.analysis.change import change_classes
from dashboard.analysis.classify import Choropleth
from dashboard.domain.indicators import spec
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int, fmt_percent

#: Diverging colours (ColorBrewer RdBu, colour-blind safe): decrease, about the same,
#: increase.
CHANGE_COLORS: tuple[str, ...] = ("#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac")


def indicator_name(indicator: str, lang: str) -> str:
    """The indicator's name in ``lang``."""
    return str(getattr(spec(indicator), lang))


def value_text(value: float, kind: str, lang: str) -> str:
    """A value of one date: a count as a whole number where it is one, a share with one
    decimal and "%"; "keine Daten" when missing."""
    if value != value:
        return t("map.no_data", lang)
    if kind == "share":
        return fmt_percent(value / 100, lang, 1)
    return fmt_int(value, lang) if float(value).is_integer() else fmt_float(value, 1, lang)


def _signed(text: str, value: float) -> str:
    return text if value < 0 or text.startswith(("-", "−")) else "+" + text


def absolute_text(value: float, kind: str, lang: str) -> str:
    """The absolute change: "+120", "−3,5 Prozentpunkte"; "keine Daten" when missing."""
    if value != value:
        return t("map.no_data", lang)
    if kind == "share":
        return t("change.points", lang, n=_signed(fmt_float(value, 1, lang), value))
    number = fmt_int(value, lang) if float(value).is_integer() else fmt_float(value, 1, lang)
    return _signed(number, value)


def relative_text(value: float, lang: str) -> str:
    """The relative change in per cent ("+2,3 %"); ``–`` without an earlier value."""
    if value != value or not math.isfinite(value):
        return "–"
    return _signed(fmt_percent(value, lang, 1), value)


def change_title(indicator: str, date_from: str, date_to: str, lang: str) -> str:
    """ "Einwohner: Veränderung 31.12.2018 → 31.12.2022" (both dates named)."""
    return t(
        "change.title", lang, indicator=indicator_name(indicator, lang),
        date_from=fmt_date(date_from, lang), date_to=fmt_date(date_to, lang),
    )  # fmt: skip


def change_table(
    frame: pd.DataFrame,
    names: Mapping[str, str],
    kind: str,
    date_from: str,
    date_to: str,
    lang: str,
) -> pd.DataFrame:
    """:func:`dashboard.analysis.change.change` for reading: area, the value at each date
    (headed with its date), the absolute and the relative change."""
    return pd.DataFrame(
        {
            t("change.area", lang): [names.get(k, k) for k in frame["area_key"]],
            t("change.value_at", lang, date=fmt_date(date_from, lang)): [value_text(v, kind, lang) for v in frame["value_from"]],
            t("change.value_at", lang, date=fmt_date(date_to, lang)): [value_text(v, kind, lang) for v in frame["value_to"]],
            t("change.absolute", lang): [absolute_text(v, kind, lang) for v in frame["absolute"]],
            t("change.relative", lang): [relative_text(v, lang) if a == a else t("map.no_data", lang)
                                         for v, a in zip(frame["relative"], frame["absolute"], strict=True)],
        }
    )  # fmt: skip


def change_choropleth(
    frame: pd.DataFrame,
    indicator: str,
    kind: str,
    date_from: str,
    date_to: str,
    sources: list[str],
    lang: str,
) -> Choropleth:
    """The change map: the absolute change per area in five classes around 0 (decrease,
    about the same, increase), areas lacking either date grey "keine Daten"; the title
    names both dates, each area's tooltip its change."""
    changes = frame["absolute"].astype(float)
    bounds, classes = change_classes(changes)
    keys = [str(k) for k in frame["area_key"]]
    low = -bounds[-1]
    labels = []
    for i, high in enumerate(bounds):
        lower = low if i == 0 else bounds[i - 1]
        labels.append(
            t("change.class", lang, low=absolute_text(lower, kind, lang), high=absolute_text(high, kind, lang))
        )  # fmt: skip
    texts = {
        k: f"{absolute_text(a, kind, lang)} ({relative_text(r, lang)})" if a == a else t("map.no_data", lang)
        for k, a, r in zip(keys, frame["absolute"], frame["relative"], strict=True)
    }  # fmt: skip
    return Choropleth(
        values=dict(zip(keys, changes.tolist(), strict=True)),
        classes={k: classes[i] for i, k in enumerate(keys)},
        lower=low,
        bounds=bounds,
        colors=list(CHANGE_COLORS),
        indicator=indicator,
        unit=spec(indicator).unit,
        per_1000=False,
        reference_date=date_to,
        dates={k: date_to for k, a in zip(keys, frame["absolute"], strict=True) if a == a},
        dates_mixed=False,
        sources=sorted(set(sources)),
        derived=bool(frame["derived_from"].any() or frame["derived_to"].any()),
        title=change_title(indicator, date_from, date_to, lang),
        labels=tuple(labels),
        value_texts=texts,
    )


def series_table(
    series: pd.DataFrame, names: Mapping[str, str], kind: str, lang: str
) -> pd.DataFrame:
    """The series as a table: one row per area, one column per date (headed with it)."""
    if series.empty:
        return pd.DataFrame()
    wide = series.pivot_table(index="area_key", columns="date", values="value", aggfunc="first")
    out = pd.DataFrame({t("change.area", lang): [names.get(str(k), str(k)) for k in wide.index]})
    for d in wide.columns:
        out[fmt_date(str(d), lang)] = [value_text(float(v), kind, lang) for v in wide[d]]
    return out
