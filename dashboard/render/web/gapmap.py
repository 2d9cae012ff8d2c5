"""The map of the Versorgungsanalyse: every area classed as gap, no gap or unknown.

Built on the atlas map (boundaries, the selection's offers, their legend, offline assets);
this module adds the analysis layer and its legend, and the planned facility of the
what-if with its own symbol and legend entry ("geplant, nicht gespeichert").

Classes (:data:`dashboard.analysis.gapview.STATUS_CLASSES`): three gap classes by
severity with the bounds found in the data, no gap, "unbekannt – keine bestätigte Liste"
(a light grey with a dashed outline: drawn apart from gaps and from no gap), no data.
"""

from __future__ import annotations

import json
from html import escape as html_escape
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard.analysis.gapview import STATUS_COLORS, StatusMap
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_float, fmt_int
from dashboard.render import gaps_text
from dashboard.render.web.basemap import SafeGeoJson

#: CSS class of the analysis areas (tests find them by it).
AREA_CLASS = "ia-gapstatus"

_BASE_STYLE = {"color": "#555555", "weight": 1, "fillOpacity": 0.6, "fill": True}
_UNKNOWN_STYLE = {"color": "#6b6b6b", "weight": 1.5, "dashArray": "4 3", "fillOpacity": 0.55}

#: The planned facility: a hollow diamond with a dashed outline (no offer looks like it).
PLANNED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="26" viewBox="0 0 26 26">'
    '<path d="M13 2 L24 13 L13 24 L2 13 Z" fill="#ffffff" fill-opacity="0.85" '
    'stroke="#6a3d9a" stroke-width="2.5" stroke-dasharray="3 2"/>'
    '<path d="M13 8 V18 M8 13 H18" stroke="#6a3d9a" stroke-width="2.5"/></svg>'
)


class GapLegend(MacroElement):
    """The analysis legend (bottom left): classes with their counts, the planned facility."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var ctl = L.control({position: "bottomleft"});
            ctl.onAdd = function () {
                var div = L.DomUtil.create("div", "ia-gap-legend");
                div.style.cssText = "background:#fff;padding:6px 8px;font:13px sans-serif;"
                    + "max-width:260px;box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px";
                div.innerHTML = {{ this.html }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            ctl.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped __init__
        self._name = "GapLegend"
        self.html = json.dumps(html)


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
        lines.append(
            f'<div class="ia-gap-planned">{icon} {html_escape(t("gapmap.planned", lang))}</div>'
        )
    return "".join(lines)


def _tooltip(row: pd.Series | None, name: str, code: str, lang: str) -> list[tuple[str, str]]:
    rows = [
        (t("field.name", lang), name),
        (t("gapmap.tooltip_status", lang), _class_label(code, StatusMap({}, {}, {}), lang)),
    ]
    if row is None:
        return rows
    rows.append((gaps_text.column_label("offers", lang), fmt_int(row["offers"], lang)))
    rows.append((gaps_text.column_label("distance_km", lang), gaps_text.distance_text(row, lang)))
    reason = gaps_text.reasons(row.to_frame().T, lang)[0] if bool(row["flagged"]) else ""
    if reason:
        rows.append((gaps_text.column_label("reason", lang), reason))
    return rows


def add_gap_layers(
    m: folium.Map,
    areas: gpd.GeoDataFrame,
    key_column: str,
    flags: pd.DataFrame,
    status: StatusMap,
    lang: str,
    *,
    title: str,
    planned: gpd.GeoDataFrame | None = None,
) -> folium.Map:
    """Add the analysis areas, their legend and the planned facility to a map.

    Parameters
    ----------
    m
        The base map (:func:`dashboard.render.web.atlas.build_atlas_map`).
    areas
        The areas of the analysis level (EPSG:4326) with ``name`` and ``key_column``.
    flags
        :func:`dashboard.analysis.gaps.gap_flags` of these areas.
    status
        :func:`dashboard.analysis.gapview.status_map` of these areas.
    title
        Legend title (the selection in words).
    planned
        The planned facility (one row, never stored), or ``None``.
    """
    by_key = flags.set_index("key")
    keys = areas[key_column].astype(str).tolist()
    styles: list[dict[str, Any]] = []
    tips = []
    for key, name in zip(keys, areas["name"].astype(str), strict=True):
        code = status.classes.get(key, "no_data")
        style = dict(_BASE_STYLE, fillColor=STATUS_COLORS[code])
        if code == "unknown":
            style.update(_UNKNOWN_STYLE)
        styles.append(style)
        row = by_key.loc[key] if key in by_key.index else None
        tips.append(_tooltip(row, name, code, lang))
    layer = SafeGeoJson(areas, tips, dict(_BASE_STYLE), title, AREA_CLASS, styles)
    m.add_child(layer)
    if planned is not None and len(planned):
        point = planned.geometry.iloc[0]
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=PLANNED_SVG, icon_size=(26, 26), icon_anchor=(13, 13), class_name="ia-planned"
            ),  # fmt: skip
            tooltip=t("gapmap.planned", lang),
        ).add_to(m)
    shown = planned is not None and len(planned) > 0
    m.add_child(GapLegend(legend_html(status, lang, shown, title)))
    return m
