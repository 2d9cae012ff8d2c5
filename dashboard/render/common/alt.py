"""The text alternative of a map: what its legend says, with how many areas fall into each
class, and which offers are drawn. The presentation's map images
(:mod:`dashboard.render.web.presentation`) and the maps of the PDFs
(:mod:`dashboard.render.print`) say it in the same words.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.analysis.classify import Choropleth
from dashboard.domain.model import CATEGORIES
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.common.legend import choropleth_title, class_bounds


def _areas_text(level: str, kind: str, n: int, lang: str, **values: str) -> str:
    """``0 bis 5: 3 Gemeinden`` (``kind`` ``class``) or ``keine Angabe: 1 Verbandsgemeinde``
    (``no_data``), in the words of the areas' ``level``."""
    count = fmt_int(n, lang)
    if level == "gemeinde":
        if kind == "class":
            return tn("alt.class_gemeinde", n, lang, n=count, **values)
        return tn("alt.no_data_gemeinde", n, lang, n=count)
    if kind == "class":
        return tn("alt.class_vg", n, lang, n=count, **values)
    return tn("alt.no_data_vg", n, lang, n=count)


def map_alt_text(
    choropleth: Choropleth | None, points: gpd.GeoDataFrame | None, level: str, lang: str
) -> str:
    """The text alternative of a map's content: what the legend says, with how many areas
    fall into each class, and which offers are drawn. The area shown and the selected VG
    come from the title (the slide's; :func:`sheet_alt_text` for the printed maps).

    Parameters
    ----------
    choropleth
        The overlay shown, or ``None``.
    points
        The offers drawn, or ``None``.
    level
        ``vg`` or ``gemeinde``: the areas the overlay shades.
    lang
        ``de`` or ``en``.
    """
    parts: list[str] = []
    if choropleth is not None:
        counts = pd.Series(list(choropleth.classes.values()), dtype="int64").value_counts()
        classes = []
        for i, (_color, lo, hi) in enumerate(class_bounds(choropleth, lang)):  # as the legend
            n = int(counts.get(i, 0))
            classes.append(_areas_text(level, "class", n, lang, low=lo, high=hi))
        missing = int(counts.get(-1, 0))
        if missing:
            classes.append(_areas_text(level, "no_data", missing, lang))
        date = fmt_date(choropleth.reference_date, lang) if choropleth.reference_date else "–"
        title = choropleth_title(choropleth, lang)
        parts.append(t("alt.shading", lang, title=title, date=date, classes="; ".join(classes)))
    if points is not None and len(points):
        names = [str(CATEGORIES[c][lang]) for c in CATEGORIES if (points["category"] == c).any()]
        n = len(points)
        parts.append(tn("alt.offers", n, lang, n=fmt_int(n, lang), categories=", ".join(names)))
    return " ".join(parts)


def sheet_alt_text(
    title: str,
    areas: tuple[int, int],
    selected: str,
    content: tuple[Choropleth | None, gpd.GeoDataFrame | None, str],
    lang: str,
    notes: tuple[str, ...] = (),
) -> str:
    """The alternative text of a printed map (a PDF's figure): what it is, which areas it
    draws, the selected VG, its shading and offers (:func:`map_alt_text`), and ``notes``
    (the data dates and sources printed on the sheet).

    Parameters
    ----------
    title
        What the map is of (its title, or the VG's).
    areas
        The number of VGs drawn and their boundary vintage.
    selected
        The name of the selected VG ("": none).
    content
        The overlay (or ``None``), the offers drawn (or ``None``) and the overlay's level.
    lang
        ``de`` or ``en``.
    notes
        Further sentences (e.g. the sheet's footer).

    Returns
    -------
    str
        ``Karte: …`` / ``Map: …``, never empty.
    """
    n, vintage = areas
    drawn = tn("map.summary_areas", n, lang, n=fmt_int(n, lang), vintage=vintage)
    if selected:
        drawn += "; " + t("map.summary_selected", lang, name=selected)
    parts = [t("alt.slide_map", lang, title=title), drawn + ".", map_alt_text(*content, lang)]
    sentences = [n if n.endswith(".") else n + "." for n in notes if n]
    return " ".join(p for p in (*parts, *sentences) if p)
