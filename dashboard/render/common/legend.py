"""The words of a map's legend: indicator values, class labels fitted to the data, the
"Stand" line. One home for the interactive map, the printed map and the presentation.
"""

from __future__ import annotations

from dashboard.analysis.classify import Choropleth, legend_classes
from dashboard.domain.indicators import spec
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int, fmt_percent


def value_text(value: float, per_1000: bool, unit: str, lang: str) -> str:
    """An indicator value as shown in tooltips, tables and legends."""
    if value != value:
        return t("map.no_data", lang)
    if per_1000:
        return fmt_float(value, 1, lang)
    if unit == "percent":
        return fmt_percent(value / 100, lang, 1)
    return fmt_int(value, lang) if float(value).is_integer() else fmt_float(value, 1, lang)


def choropleth_title(ch: Choropleth, lang: str) -> str:
    """Indicator name with unit, e.g. "Geflüchtete aus der Ukraine je 1.000 Einwohner"."""
    if ch.title:
        return ch.title
    name: str = getattr(spec(ch.indicator), lang)
    return name + " " + t("map.per_1000", lang) if ch.per_1000 else name


def area_value_text(ch: Choropleth, key: str, lang: str) -> str:
    """An area's value as shown in its tooltip and the table (named classes: in words)."""
    if key in ch.value_texts:
        return ch.value_texts[key]
    return value_text(ch.values.get(key, float("nan")), ch.per_1000, ch.unit, lang)


def class_bounds(ch: Choropleth, lang: str) -> list[tuple[str, str, str]]:
    """``(colour, low, high)`` texts of each legend class, bounds fitted to the data
    (:func:`dashboard.analysis.classify.legend_classes`); the bounds of whole-number values
    (counts of persons) are whole numbers (never "15.550,8" persons)."""
    values = [v for v in ch.values.values() if v == v]
    whole = bool(values) and not ch.per_1000 and all(float(v).is_integer() for v in values)
    out = []
    for color, low, high in legend_classes(ch):
        if whole:  # counts: class bounds between two counts are shown as whole numbers
            low, high = float(round(low)), float(round(high))
        lo_text = value_text(low, ch.per_1000, ch.unit, lang)
        out.append((color, lo_text, value_text(high, ch.per_1000, ch.unit, lang)))
    return out


def class_labels(ch: Choropleth, lang: str) -> list[tuple[str, str]]:
    """``(colour, label)`` of each legend class (:func:`class_bounds`); a class of one
    value shows it once. Named classes show their labels."""
    if ch.labels:
        return list(zip(ch.colors, ch.labels, strict=True))
    return [(c, lo if lo == hi else f"{lo} – {hi}") for c, lo, hi in class_bounds(ch, lang)]


def date_note(ch: Choropleth, lang: str) -> str:
    """The legend's date line ("Stand: 31.12.2023"), or "ohne Datum" when values carry none."""
    if not ch.reference_date:
        return t("map.legend_undated", lang)
    date = fmt_date(ch.reference_date, lang)
    if ch.dates_mixed:
        return t("map.legend_date_mixed", lang, date=date)
    return t("map.legend_date", lang, date=date)
