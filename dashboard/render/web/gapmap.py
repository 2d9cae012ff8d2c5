"""The map of the Versorgungsanalyse: every area classed as gap, no gap or unknown.

Drawn by the interactive map (boundaries, the selection's offers, their legend, offline
assets): this module turns the analysis classes into the map's overlay with a legend of
the classes present; the planned facility of the what-if is a mark of its own
("geplant, nicht gespeichert").

Classes (:data:`dashboard.analysis.gapview.STATUS_CLASSES`): three gap classes by
severity with the bounds found in the data, no gap, "unbekannt – keine bestätigte Liste"
(a light grey with a dashed outline: drawn apart from gaps and from no gap), no data.
"""

from __future__ import annotations

from html import escape as html_escape

import pandas as pd

from dashboard.analysis.classify import Choropleth
from dashboard.analysis.gapview import STATUS_COLORS, StatusMap
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_float, fmt_int
from dashboard.render import gaps_text

#: The planned facility: a hollow diamond with a dashed outline (no offer looks like it).
PLANNED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 26 26">'
    '<path d="M13 2 L24 13 L13 24 L2 13 Z" fill="#ffffff" fill-opacity="0.85" '
    'stroke="#6a3d9a" stroke-width="2.5" stroke-dasharray="3 2"/>'
    '<path d="M13 8 V18 M8 13 H18" stroke="#6a3d9a" stroke-width="2.5"/></svg>'
)


def _swatch(color: str, dashed: bool = False) -> str:
    border = "1.5px dashed #6b6b6b" if dashed else "1px solid #555"
    return (
        f'<span style="display:inline-block;width:14px;height:12px;background:{color};'
        f'border:{border};margin-right:6px;vertical-align:middle"></span>'
    )


def _class_label(code: str, status: StatusMap, lang: str) -> str:
    text = t(f"gapmap.class.{code}", lang)
    if code in ("gap_high", "gap_low") and code in status.ranges:
        low, high = status.ranges[code]
        bounds = fmt_float(low, 1, lang, trim=True)
        if high > low:
            bounds += "–" + fmt_float(high, 1, lang, trim=True)
        text += " " + t("gapmap.severity", lang, bounds=bounds)
    return text


def legend_html(status: StatusMap, lang: str, planned: bool, title: str) -> str:
    """The legend's HTML (every text escaped): only the classes present, with counts."""
    lines = [f"<b>{html_escape(title)}</b>"]
    for code, n in status.counts.items():
        label = _class_label(code, status, lang)
        lines.append(
            f'<div class="ia-gap-class ia-gap-{code}">'
            f"{_swatch(STATUS_COLORS[code], code == 'unknown')}"
            f"{html_escape(label)} ({html_escape(fmt_int(n, lang))})</div>"
        )
    if planned:
        icon = PLANNED_SVG.replace('width="26" height="26"', 'width="16" height="16"')
        text = html_escape(t("gapmap.planned", lang))
        lines.append(f'<div class="ia-gap-planned">{icon} {text}</div>')
    return "".join(lines)


def _area_text(row: pd.Series | None, code: str, lang: str) -> str:
    """An area's value in words for its tooltip and the map's table: class, offers,
    distance to the nearest offer."""
    status = _class_label(code, StatusMap({}, {}, {}), lang)
    parts = [t("gapmap.tooltip_status", lang) + ": " + status]
    if row is not None:
        parts.append(gaps_text.column_label("offers", lang) + ": " + fmt_int(row["offers"], lang))
        parts.append(
            gaps_text.column_label("distance_km", lang) + ": " + gaps_text.distance_text(row, lang)
        )
    return " · ".join(parts)


def status_choropleth(
    flags: pd.DataFrame,
    keys: list[str],
    status: StatusMap,
    lang: str,
    *,
    title: str,
    source: str,
    dates: dict[str, str],
) -> Choropleth:
    """The analysis classes as an overlay of the interactive map
    (:func:`dashboard.ui.mapview.show_map`): only the classes present, each with its count
    and (gap classes) the severity range found in the data; "unbekannt" drawn apart.

    Parameters
    ----------
    flags
        :func:`dashboard.analysis.gaps.gap_flags` of the areas.
    keys
        The areas of the analysis level, in the map's order.
    status
        :func:`dashboard.analysis.gapview.status_map` of these areas.
    title
        Legend title (the selection in words).
    source
        What the classes are computed from (legend note).
    dates
        Area key -> date (ISO) of the population the analysis used.
    """
    present = [c for c in status.counts]
    index = {c: i for i, c in enumerate(present)}
    by_key = flags.set_index("key")
    classes, texts, values = {}, {}, {}
    for key in keys:
        code = status.classes.get(key, "no_data")
        classes[key] = index.get(code, -1)
        row = by_key.loc[key] if key in by_key.index else None
        texts[key] = _area_text(row, code, lang)
        values[key] = float(row["severity"]) if row is not None else float("nan")
    shown_dates = sorted({d for k, d in dates.items() if k in classes and d})
    return Choropleth(
        values=values, classes=classes, lower=0.0, bounds=[float(i) for i in range(len(present))],
        colors=[STATUS_COLORS[c] for c in present], indicator="gap_status", unit="",
        per_1000=False, reference_date=shown_dates[0] if shown_dates else "",
        dates={k: d for k, d in dates.items() if k in classes}, dates_mixed=len(shown_dates) > 1,
        sources=[source], derived=False, title=title,
        labels=tuple(
            f"{_class_label(c, status, lang)} ({fmt_int(status.counts[c], lang)})" for c in present
        ),
        value_texts=texts,
    )  # fmt: skip
