"""The span of many dates in words: ``31.12.2018 bis 31.12.2022`` (one home for it)."""

from __future__ import annotations

from collections.abc import Iterable

from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date


def date_span(dates: Iterable[object], lang: str) -> str:
    """``oldest bis newest`` of ISO strings or dates (missing ones ignored), or ``–``.

    Each date keeps the precision of its source (``2012``, ``08.2024``,
    :func:`dashboard.i18n.format.fmt_date`); one date is written once.
    """
    values = sorted({str(d)[:10] for d in dates if d is not None and d == d and str(d)})
    if not values:
        return "–"
    if values[0] == values[-1]:
        return fmt_date(values[0], lang)
    return t(
        "dates.range", lang, oldest=fmt_date(values[0], lang), newest=fmt_date(values[-1], lang)
    )
