"""Labels of the Versorgungsanalyse: selections, columns, codes, distances and shares."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dashboard.analysis.demand import POPULATION
from dashboard.analysis.gaps import check_selector
from dashboard.domain.model import CATEGORIES
from dashboard.i18n.catalogue import label, t
from dashboard.i18n.format import fmt_exact, fmt_float, fmt_percent
from dashboard.render.common.dates import date_span


def selector_label(selector: str, lang: str) -> str:
    """Label of a selector: ``Kita``, or ``Handlungsfeld Sprache`` / ``Field of action: Language``."""
    check_selector(selector)
    if selector in CATEGORIES:
        return t(f"cat.{selector}", lang)
    return t("gaps.selector_hf", lang, name=t(f"hf.{selector}", lang))


def vg_label(name: str, lang: str) -> str:
    """``VG Altenglan`` for the VG name ``Altenglan`` (names already saying so are kept)."""
    if name.startswith(("VG ", "Verbandsgemeinde ")):
        return name
    return t("gaps.vg_label", lang, name=name)


def column_label(column: str, lang: str) -> str:
    """Label of a column of the analysis (message ``gaps.col.<column>``)."""
    return t(f"gaps.col.{column}", lang)


def demand_label(indicator: str, lang: str) -> str:
    """The demand group in words: ``Einwohner`` / ``Kinder unter 6 Jahren`` / the
    indicator's label (or its code, for an indicator the catalogue does not know)."""
    if indicator == POPULATION:
        return t("gaps.demand.population", lang)
    return label("ind", indicator, lang)


def status_text(code: str, lang: str) -> str:
    """``Lücke``, ``unsicher – ...``, ``keine Lücke`` or ``unbekannt – keine bestätigte Liste``."""
    return t(f"gaps.status.{code}", lang)


def coverage_text(code: str, lang: str) -> str:
    """Whether the lists behind a row are complete (``vollständig``, ``teilweise``, ...)."""
    return t(f"gaps.coverage.{code}", lang)


def _finite(value: object) -> bool:
    if not isinstance(value, int | float | np.number) or isinstance(value, bool):
        return False
    return math.isfinite(float(value))


def km_range(low: float, high: float, lang: str) -> str:
    """``1,7–5,4`` (or one number when both bounds round alike)."""
    lo, hi = fmt_float(float(low), 1, lang, trim=True), fmt_float(float(high), 1, lang, trim=True)
    return lo if lo == hi else f"{lo}–{hi}"


def distance_text(row: pd.Series, lang: str, suffix: str = "") -> str:
    """The distance to the nearest offer: ``2,4 km``, or a range with a note when the
    offers' positions are approximate (``0–3,5 km, Lage ungefähr``); never an exact 0 for
    an offer known only to its Gemeinde. ``suffix`` reads ``<measure><suffix>`` columns
    (the ``_before`` / ``_after`` columns of a what-if)."""
    low, high = row.get(f"distance_km_low{suffix}"), row.get(f"distance_km_high{suffix}")
    if not _finite(low):
        return t("gaps.no_offer_short", lang)
    if bool(row.get(f"distance_approx{suffix}", False)) and _finite(high):
        return t("gaps.distance_range", lang, range=km_range(float(low), float(high), lang))
    return t("gaps.distance_km", lang, km=fmt_float(float(low), 1, lang, trim=True))


def share_text(row: pd.Series, lang: str, suffix: str = "") -> str:
    """The share of the population within the radius: ``62 %``, or, where the distance
    is a range, ``0 % bis 100 % (unsicher)``; ``–`` without population."""
    low, high = row.get(f"share_covered_low{suffix}"), row.get(f"share_covered_high{suffix}")
    if not (_finite(low) and _finite(high)):
        return "–"
    lo, hi = fmt_percent(float(low), lang), fmt_percent(float(high), lang)
    if lo == hi:
        return lo
    return t("gaps.share_range", lang, low=lo, high=hi)


def date_text(oldest: object, newest: object, lang: str) -> str:
    """A date, or the range of dates of a sum (``31.12.2018 bis 31.12.2022``); ``""``
    without a date."""
    found = [d for d in (oldest, newest) if isinstance(d, str) and d]
    return date_span(found, lang) if found else ""


def distinct(value: float, threshold: float, decimals: int, lang: str) -> tuple[str, float]:
    """``value`` rounded to ``decimals`` (trailing zeros dropped), with more decimals if the
    rounded text would read like the threshold (2.01 km is not shown as "2 km").

    Returns
    -------
    tuple
        The text and the rounded value it shows.
    """
    for dec in range(decimals, decimals + 4):
        shown = round(float(value), dec)
        text = fmt_float(value, dec, lang, trim=True)
        if value == threshold or text != fmt_exact(round(threshold, dec), lang):
            break
    return text, shown
