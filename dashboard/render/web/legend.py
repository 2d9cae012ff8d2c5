"""The words of the map: indicator values, class labels fitted to the data, the legend.

Shared by the interactive map and the printed map (one home for class labels and the
"Stand" line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth, legend_classes
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES
from dashboard.i18n.catalogue import N_, t, tn
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int, fmt_percent
from dashboard.render.rates import denominator_date, rate_dates
from dashboard.render.web.basemap import CITY_STYLE
from dashboard.render.web.symbols import APPROXIMATE, symbol_svg

#: Kinds of marks (positions that are not offers) and their legend texts.
MARK_KINDS = {"planned": N_("map.legend_planned"), "picked": N_("map.legend_picked")}


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


def class_labels(ch: Choropleth, lang: str) -> list[tuple[str, str]]:
    """``(colour, label)`` of each legend class, bounds fitted to the data
    (:func:`dashboard.analysis.classify.legend_classes`); a class of one value shows it once,
    and the bounds of whole-number values (counts) are whole numbers. Named classes show
    their labels."""
    if ch.labels:
        return list(zip(ch.colors, ch.labels, strict=True))
    values = [v for v in ch.values.values() if v == v]
    whole = bool(values) and not ch.per_1000 and all(float(v).is_integer() for v in values)
    out = []
    for color, low, high in legend_classes(ch):
        if whole:  # counts: class bounds between two counts are shown as whole numbers
            low, high = float(round(low)), float(round(high))
        lo_text = value_text(low, ch.per_1000, ch.unit, lang)
        hi_text = value_text(high, ch.per_1000, ch.unit, lang)
        out.append((color, lo_text if lo_text == hi_text else f"{lo_text} – {hi_text}"))
    return out


def date_note(ch: Choropleth, lang: str) -> str:
    """The legend's date line ("Stand: 31.12.2023"), or "ohne Datum" when values carry none."""
    if not ch.reference_date:
        return t("map.legend_undated", lang)
    date = fmt_date(ch.reference_date, lang)
    if ch.dates_mixed:
        return t("map.legend_date_mixed", lang, date=date)
    return t("map.legend_date", lang, date=date)


def choropleth_table(ch: Choropleth, keys: list[str], names: list[str], lang: str) -> pd.DataFrame:
    """The shaded values as a plain table (area, value, date): the map's text equivalent;
    a rate also names the date of the population it is divided by."""
    table = pd.DataFrame(
        {
            t("field.name", lang): names,
            choropleth_title(ch, lang): [area_value_text(ch, k, lang) for k in keys],
            t("field.population_date", lang): [
                fmt_date(ch.dates.get(k), lang) if ch.values.get(k) == ch.values.get(k) else "–"
                for k in keys
            ],
        }
    )
    if ch.per_1000 and ch.denominator_dates:
        table[t("map.population_date", lang)] = [denominator_date(ch, k, lang) for k in keys]
    return table


def legend(
    ch: Choropleth | None,
    shown: pd.DataFrame | None,
    mark_kinds: Sequence[str],
    vintage: int,
    lang: str,
    *,
    level: str,
    show_gemeinden: bool,
    show_city: bool,
    selected: bool,
) -> dict[str, Any]:
    sections: list[dict[str, Any]] = []
    if ch is not None:
        items = [
            {"swatch": {"fill": color}, "text": label, "cls": "ia-legend-class"}
            for color, label in class_labels(ch, lang)
        ]
        items.append(
            {
                "swatch": {"fill": NO_DATA_COLOR, "dashed": True},
                "text": t("map.no_data", lang),
                "cls": "ia-legend-nodata",
            }
        )
        sources = (
            ch.sources
            if len(ch.sources) <= 2
            else [*ch.sources[:1], t("map.more_sources", lang, n=len(ch.sources) - 1)]
        )
        note = date_note(ch, lang)
        if sources:
            note += " · " + t("field.source", lang) + ": " + "; ".join(sources)
        if ch.derived:
            note += " · " + t("map.legend_derived", lang)
        if rate_dates(ch, lang):  # a rate names the dates of its count and its population
            note += " · " + rate_dates(ch, lang)
        sections.append(
            {
                "title": choropleth_title(ch, lang),
                "items": items,
                "note": note,
                "cls": "ia-legend-overlay",
            }
        )
    items = []
    if shown is not None and len(shown):
        have = set(shown["category"].unique())  # once over the rows (20,000 offers)
        present = [c for c in CATEGORIES if c in have]
        items += [
            {
                "swatch": {"svg": symbol_svg(c, False, 16)},
                "text": str(CATEGORIES[c][lang]),
                "cls": "ia-legend-symbol",
            }
            for c in present
        ]
        if shown["precision"].isin(APPROXIMATE).any():
            items.append(
                {
                    "swatch": {"svg": symbol_svg(present[0], True, 16)},
                    "text": t("map.legend_approx", lang),
                    "cls": "ia-legend-symbol",
                }
            )
        if "stale" in shown and shown["stale"].astype(bool).any():
            items.append(
                {
                    "swatch": {"dot": True},
                    "text": t("map.legend_stale", lang),
                    "cls": "ia-legend-stale",
                }
            )
        items.append(
            {
                "swatch": {"cluster": "12"},
                "text": t("map.legend_cluster", lang),
                "cls": "ia-legend-cluster",
            }
        )
    for kind in dict.fromkeys(mark_kinds):
        items.append(
            {"swatch": {"mark": kind}, "text": t(MARK_KINDS[kind], lang), "cls": "ia-legend-mark"}
        )
    if items:
        sections.append(
            {"title": t("map.legend_facilities", lang), "items": items, "cls": "ia-legend-offers"}
        )
    lines = [
        {"swatch": {"line": "#1b3a6b", "width": 3}, "text": t("legend.vg", lang, vintage=vintage)}
    ]
    if selected:
        lines.append(
            {"swatch": {"line": "#d7301f", "width": 4}, "text": t("legend.selected", lang)}
        )
    if show_gemeinden or (ch is not None and level == "gemeinde"):
        lines.append(
            {
                "swatch": {"line": "#5a6f8a", "width": 1, "dash": True},
                "text": t("legend.gemeinde", lang),
            }
        )
    if show_city:
        lines.append(
            {
                "swatch": {"fill": CITY_STYLE["fillColor"], "dashed": True},
                "text": t("legend.city", lang),
            }
        )
    sections.append(
        {"title": t("legend.boundaries", lang), "items": lines, "cls": "ia-legend-lines"}
    )
    return {
        "title": t("map.legend", lang),
        "show": t("map.legend_show", lang),
        "hide": t("map.legend_hide", lang),
        "sections": sections,
    }


def map_summary(
    vgs: Sequence[str],
    vintage: int,
    lang: str,
    *,
    offers: int | None,
    choropleth: Choropleth | None,
    selected: str,
    mark_kinds: Sequence[str],
) -> str:
    """What the map shows, in one paragraph (read by screen readers with the map).

    Parameters
    ----------
    vgs
        The names of the VGs drawn (the vintage's).
    vintage
        The VG vintage.
    lang
        ``de`` or ``en``.
    offers
        Offers drawn; ``None``: the layer is off.
    choropleth
        The overlay, if any (its values are in the table with the map).
    selected
        Name of the selected VG ("": none).
    mark_kinds
        Kinds of the marks drawn (e.g. the what-if's planned facility).

    Returns
    -------
    str
        The summary, ending with how to reach the VGs with the keyboard.
    """
    n = len(vgs)
    parts = [tn("map.summary_areas", n, lang, n=fmt_int(n, lang), vintage=vintage)]
    if offers is not None:
        parts.append(tn("map.summary_offers", offers, lang, n=fmt_int(offers, lang)))
    if choropleth is not None:
        parts.append(t("map.summary_overlay", lang, title=choropleth_title(choropleth, lang)))
    if selected:
        parts.append(t("map.summary_selected", lang, name=selected))
    parts += [t(MARK_KINDS[kind], lang) for kind in dict.fromkeys(mark_kinds)]
    return "; ".join(parts) + ". " + t("map.summary_keys", lang)
