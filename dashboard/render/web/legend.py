"""The words of the map: indicator values, class labels fitted to the data, the legend.

Shared by the interactive map and the printed map (one home for class labels and the
"Stand" line).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.domain.model import CATEGORIES
from dashboard.domain.precision import APPROXIMATE
from dashboard.i18n.catalogue import N_, t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.common.legend import (
    area_value_text,
    choropleth_title,
    class_labels,
    date_note,
)
from dashboard.render.common.symbols import symbol_svg
from dashboard.render.rates import denominator_date, rate_dates
from dashboard.render.web.basemap import CITY_STYLE
from dashboard.render.web.project_sites import Site, legend_section

#: Kinds of marks (positions that are not offers) and their legend texts.
MARK_KINDS = {"planned": N_("map.legend_planned"), "picked": N_("map.legend_picked")}


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
    project_sites: Sequence[Site] = (),
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
    projects = legend_section(project_sites, lang)
    if projects is not None:
        sections.append(projects)
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
    project_sites: Sequence[Site] = (),
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
    project_sites
        The sites of the "Projektstandorte" layer drawn (empty: the layer is off or empty).

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
    if project_sites:
        parts.append(_sites_part(project_sites, lang))
    if selected:
        parts.append(t("map.summary_selected", lang, name=selected))
    parts += [t(MARK_KINDS[kind], lang) for kind in dict.fromkeys(mark_kinds)]
    return "; ".join(parts) + ". " + t("map.summary_keys", lang)


def _sites_part(sites: Sequence[Site], lang: str) -> str:
    """The sites in words, e.g. "3 Projektstandorte auf der Karte (2 mit ungefährer Lage …)"."""
    n = len(sites)
    text = tn("map.summary_projects", n, lang, n=fmt_int(n, lang))
    approximate = sum(1 for s in sites if s.approximate)
    if approximate:
        text += " " + t("map.summary_projects_approx", lang, n=fmt_int(approximate, lang))
    return text
