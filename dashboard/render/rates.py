"""The dates of a figure per 1,000 inhabitants: both named, in legends and tables.

A rate divides a count of one date by a population of another; the population used is
the one nearest in date to the count (:func:`dashboard.analysis.classify.build_choropleth`).
Legends and tables name both dates through these helpers.
"""

from __future__ import annotations

from dashboard.analysis.classify import Choropleth
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date


def rate_dates(ch: Choropleth, lang: str) -> str:
    """``Zähler: Stand 12.12.2022 · Einwohner: Stand 31.12.2022`` ("" unless per 1,000)."""
    if not ch.per_1000 or not ch.denominator_date:
        return ""
    return t(
        "map.rate_dates", lang,
        counted=fmt_date(ch.numerator_date, lang), population=fmt_date(ch.denominator_date, lang),
    )  # fmt: skip


def denominator_date(ch: Choropleth, key: str, lang: str) -> str:
    """The date of the population an area's rate is divided by ("–" if none)."""
    return fmt_date(ch.denominator_dates.get(key), lang)
