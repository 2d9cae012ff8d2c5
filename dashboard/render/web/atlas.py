"""The atlas map: facilities as one clustered data layer, needs overlay, legend, VG focus.

Facilities travel to the browser as one compact JSON array (strings deduplicated into a
table) that a single script turns into markers of a Leaflet.markercluster group: no HTML
element per facility is generated on the server. All text from data is set with
``textContent`` in the browser.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster
from jinja2 import Template

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.analysis.population import Populations
from dashboard.config import BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, PRECISIONS
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int, fmt_percent
from dashboard.render.rates import denominator_date, rate_dates
from dashboard.render.web.assets import localize
from dashboard.render.web.basemap import (
    GEMEINDE_STYLE,
    Attribution,
    SafeGeoJson,
    _gemeinde_tooltips,
    _vg_tooltips,
    base_map,
    safe_json,
)

#: Okabe–Ito colours (colour-blind safe) plus a distinct shape per category.
SYMBOLS: dict[str, tuple[str, str]] = {
    "Kita": ("#E69F00", "circle"),
    "Schule": ("#56B4E9", "square"),
    "Verein": ("#009E73", "triangle"),
    "Beratungsstelle": ("#0072B2", "diamond"),
    "Sprachkurs": ("#D55E00", "pentagon"),
    "Gesundheit": ("#CC79A7", "cross"),
    "Religion": ("#F0E442", "hexagon"),
    "Projektstandort": ("#000000", "star"),
    "Unterkunft": ("#999999", "house"),
}
_SHAPES = {
    "circle": '<circle cx="10" cy="10" r="7"/>',
    "square": '<rect x="3.5" y="3.5" width="13" height="13"/>',
    "triangle": '<polygon points="10,2.5 18,17 2,17"/>',
    "diamond": '<polygon points="10,1.5 18.5,10 10,18.5 1.5,10"/>',
    "pentagon": '<polygon points="10,2 18,8 15,18 5,18 2,8"/>',
    "cross": '<polygon points="7,2 13,2 13,7 18,7 18,13 13,13 13,18 7,18 7,13 2,13 2,7 7,7"/>',
    "hexagon": '<polygon points="10,1.5 17.5,5.8 17.5,14.2 10,18.5 2.5,14.2 2.5,5.8"/>',
    "star": '<polygon points="10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.4 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2"/>',
    "house": '<polygon points="10,2 18,9 16,9 16,18 4,18 4,9 2,9"/>',
}
APPROXIMATE = ("postcode", "gemeinde")


def symbol_svg(category: str, approximate: bool, size: int = 18) -> str:
    """The SVG of a category's map symbol (hollow and dashed when the place is approximate)."""
    color, shape = SYMBOLS[category]
    if approximate:
        style = f'fill="#ffffff" fill-opacity="0.85" stroke="{color}" stroke-width="2.6" stroke-dasharray="3 2"'
        if color == "#F0E442":  # yellow outline on white needs a dark edge to be seen
            style = style.replace('stroke="#F0E442"', 'stroke="#8a7f00"')
    else:
        style = f'fill="{color}" stroke="#1a1a1a" stroke-width="1.2"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f"<g {style}>{_SHAPES[shape]}</g></svg>"
    )


def facility_payload(located: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    """The facility layer's data: lookup tables and one compact row per located facility.

    Row layout: ``[lat, lon, category, approximate, name, id, address, operator, source,
    date, languages, target_groups, handlungsfelder, precision, outside, stale]``; indices point
    into the tables (``strings``, ``categories``, ``precisions``, ``hf``). Repeated texts
    (operators, sources, dates, ...) travel once, in ``strings``.
    """
    cats = list(CATEGORIES)
    prec = list(PRECISIONS)
    hf_index = {h: i for i, h in enumerate(HANDLUNGSFELDER)}
    pts = located[located.geometry.notna()]
    lat = np.round(pts.geometry.y.to_numpy(), 5).tolist()
    lon = np.round(pts.geometry.x.to_numpy(), 5).tolist()
    place = (pts["postcode"].astype(str) + " " + pts["place"].astype(str)).str.strip()
    street = pts["street"].astype(str)
    address = np.where((street != "") & (place != ""), street + ", " + place, street + place)
    dates = pts["reference_date"].astype(str)
    date_text = dates.map({d: fmt_date(d, lang) for d in dates.unique()})
    if "unconfirmed" in pts:  # an offer still to be confirmed says so beside its date
        date_text = date_text.where(
            ~pts["unconfirmed"].fillna(False).astype(bool),
            date_text + " · " + t("status.unconfirmed", lang),
        )
    columns = {
        "address": pd.Series(address, index=pts.index),
        "operator": pts["operator"].astype(str),
        "source": pts["source"].astype(str),
        "date": date_text,
        "languages": pts["languages"].map(", ".join),
        "target_groups": pts["target_groups"].map(", ".join),
    }
    codes, strings = pd.factorize(pd.concat(list(columns.values()), ignore_index=True))
    n = len(pts)
    code_cols = [codes[i * n : (i + 1) * n].tolist() for i in range(len(columns))]
    cat_idx = pts["category"].map({c: i for i, c in enumerate(cats)}).tolist()
    approx = pts["precision"].isin(APPROXIMATE).astype(int).tolist()
    prec_idx = pts["precision"].map({p: i for i, p in enumerate(prec)}).tolist()
    hfs = [[hf_index[h] for h in hs] for hs in pts["handlungsfelder"]]
    outside = pts["outside_district"].astype(bool).astype(int).tolist()
    stale = pts["stale"].astype(bool).astype(int).tolist() if "stale" in pts else [0] * len(pts)
    rows = [
        list(r)
        for r in zip(
            lat, lon, cat_idx, approx, pts["name"].tolist(), pts["id"].tolist(), *code_cols,
            hfs, prec_idx, outside, stale, strict=True,
        )
    ]  # fmt: skip
    return {
        "rows": rows,
        "strings": list(strings),
        "categories": [
            [str(CATEGORIES[c][lang]), symbol_svg(c, False), symbol_svg(c, True)] for c in cats
        ],
        "precisions": [t(f"precision.{p}", lang) for p in prec],
        "hf": [HANDLUNGSFELDER[h][lang] for h in HANDLUNGSFELDER],
        "labels": {
            "operator": t("col.operator", lang),
            "address": t("col.address", lang),
            "languages": t("col.languages", lang),
            "target_groups": t("col.target_groups", lang),
            "hf": t("col.hf", lang),
            "precision": t("col.precision", lang),
            "source": t("field.source", lang),
            "date": t("field.population_date", lang),
            "approx": t("map.approx_marker", lang),
            "outside": t("map.outside_marker", lang),
            "stale": t("map.stale_marker", lang),
            "id": "ID",
        },
    }


class FacilityLayer(JSCSSMixin, MacroElement):
    """All facilities as one clustered layer built in the browser from a data array."""

    default_js = MarkerCluster.default_js
    default_css = MarkerCluster.default_css

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var P = {{ this.payload }};
            var focusId = {{ this.focus_id }};
            var group = L.markerClusterGroup({
                chunkedLoading: true, maxClusterRadius: 45, spiderfyOnMaxZoom: true,
                showCoverageOnHover: false, disableClusteringAtZoom: null
            });
            var icons = {};
            if (!document.getElementById("ia-fac-style")) {
                var st = document.createElement("style");
                st.id = "ia-fac-style";
                st.textContent = ".ia-stale::after{content:'';position:absolute;right:-3px;top:-3px;" +
                    "width:7px;height:7px;border-radius:50%;background:#d7301f;border:1px solid #fff}";
                document.head.appendChild(st);
            }
            function icon(c, approx, stale) {
                var key = c + "_" + approx + "_" + stale;
                if (!icons[key]) {
                    icons[key] = L.divIcon({
                        html: P.categories[c][approx ? 2 : 1],
                        className: "ia-fac ia-cat-" + c + (approx ? " ia-approx" : " ia-exact") +
                            (stale ? " ia-stale" : ""),
                        iconSize: [18, 18], iconAnchor: [9, 9], popupAnchor: [0, -8]
                    });
                }
                return icons[key];
            }
            function row(table, label, value) {
                if (!value) { return; }
                var tr = document.createElement("tr");
                var th = document.createElement("th");
                th.textContent = label; th.style.textAlign = "left"; th.style.paddingRight = "0.6em";
                th.style.verticalAlign = "top";
                var td = document.createElement("td");
                td.textContent = value;
                tr.appendChild(th); tr.appendChild(td); table.appendChild(tr);
            }
            function popup(r) {
                var S = P.strings, L_ = P.labels;
                var box = document.createElement("div");
                box.className = "ia-popup";
                var h = document.createElement("strong");
                h.textContent = r[4];
                box.appendChild(h);
                var cat = document.createElement("div");
                cat.textContent = P.categories[r[2]][0];
                box.appendChild(cat);
                if (r[3]) {
                    var a = document.createElement("div");
                    a.textContent = L_.approx; a.style.fontStyle = "italic";
                    box.appendChild(a);
                }
                if (r[15]) {
                    var sv = document.createElement("div");
                    sv.textContent = L_.stale; sv.style.color = "#b2182b";
                    box.appendChild(sv);
                }
                if (r[14]) {
                    var o = document.createElement("div");
                    o.textContent = L_.outside; o.style.fontStyle = "italic";
                    box.appendChild(o);
                }
                var table = document.createElement("table");
                row(table, L_.operator, S[r[7]]);
                row(table, L_.address, S[r[6]]);
                row(table, L_.languages, S[r[10]]);
                row(table, L_.target_groups, S[r[11]]);
                row(table, L_.hf, r[12].map(function (i) { return P.hf[i]; }).join(", "));
                row(table, L_.precision, P.precisions[r[13]]);
                row(table, L_.source, S[r[8]]);
                row(table, L_.date, S[r[9]]);
                row(table, L_.id, r[5]);
                box.appendChild(table);
                return box;
            }
            var markers = [], focus = null;
            P.rows.forEach(function (r) {
                var m = L.marker([r[0], r[1]], {icon: icon(r[2], r[3], r[15]), title: r[4], alt: r[4]});
                m.bindTooltip(function () {
                    var el = document.createElement("span");
                    el.textContent = r[4] + (r[3] ? " (" + P.labels.approx + ")" : "");
                    return el;
                });
                m.bindPopup(function () { return popup(r); }, {maxWidth: 320});
                markers.push(m);
                if (focusId && r[5] === focusId) { focus = m; }
            });
            group.addLayers(markers);
            group.addTo(map);
            document.body.setAttribute("data-ia-facilities", String(markers.length));
            if (focus) {
                map.setView(focus.getLatLng(), 15);
                group.zoomToShowLayer(focus, function () { focus.openPopup(); });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict[str, Any], focus_id: str = "") -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped __init__
        self._name = "FacilityLayer"
        self.payload = safe_json(payload)
        self.focus_id = safe_json(focus_id or None)


class Legend(MacroElement):
    """A legend control: choropleth classes with dates and sources, facility symbols."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var D = {{ this.data }};
            function panel(position, fill) {
                var ctl = L.control({position: position});
                ctl.onAdd = function () {
                    var div = L.DomUtil.create("div", "ia-legend");
                    div.style.cssText = "background:rgba(255,255,255,0.93);padding:6px 9px;" +
                        "border-radius:4px;font:12px/1.35 sans-serif;max-width:260px;" +
                        "box-shadow:0 1px 4px rgba(0,0,0,0.3)";
                    fill(div);
                    L.DomEvent.disableClickPropagation(div);
                    L.DomEvent.disableScrollPropagation(div);
                    return div;
                };
                ctl.addTo(map);
            }
            function line(parent, swatch, text, cls) {
                var r = document.createElement("div");
                r.style.display = "flex"; r.style.alignItems = "center"; r.style.gap = "6px";
                if (cls) { r.className = cls; }
                if (swatch) { r.appendChild(swatch); }
                var s = document.createElement("span"); s.textContent = text; r.appendChild(s);
                parent.appendChild(r);
            }
            function box(color, dashed) {
                var b = document.createElement("span");
                b.style.cssText = "display:inline-block;flex:none;width:16px;height:12px;" +
                    "border:1px solid #555;background:" + color + (dashed ? ";border-style:dashed" : "");
                return b;
            }
            function title(div, text) {
                var h = document.createElement("div"); h.textContent = text;
                h.style.fontWeight = "bold"; div.appendChild(h);
            }
            if (D.choropleth) {
                panel("bottomright", function (div) {
                    var C = D.choropleth;
                    title(div, C.title);
                    C.classes.forEach(function (c) { line(div, box(c[0]), c[1], "ia-legend-class"); });
                    line(div, box(C.no_data_color, true), C.no_data, "ia-legend-nodata");
                    var note = document.createElement("div");
                    note.textContent = C.note; note.style.color = "#444"; note.style.marginTop = "2px";
                    div.appendChild(note);
                });
            }
            if (D.facilities) {
                panel("topright", function (div) {
                    title(div, D.facilities.title);
                    D.facilities.items.forEach(function (it) {
                        var s = document.createElement("span");
                        s.innerHTML = it[0];  // trusted SVG built on the server from constants
                        line(div, s, it[1], "ia-legend-symbol");
                    });
                    var ap = document.createElement("span"); ap.innerHTML = D.facilities.approx_svg;
                    line(div, ap, D.facilities.approx, "ia-legend-symbol");
                    if (D.facilities.stale) {
                        var dot = document.createElement("span");
                        dot.style.cssText = "display:inline-block;width:8px;height:8px;margin:0 4px;" +
                            "border-radius:50%;background:#d7301f";
                        line(div, dot, D.facilities.stale, "ia-legend-stale");
                    }
                });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped __init__
        self._name = "Legend"
        self.data = safe_json(data)


def value_text(value: float, per_1000: bool, unit: str, lang: str) -> str:
    if value != value:
        return t("map.no_data", lang)
    if per_1000:
        return fmt_float(value, 1, lang)
    if unit == "percent":
        return fmt_percent(value / 100, lang, 1)
    return fmt_int(value, lang) if float(value).is_integer() else fmt_float(value, 1, lang)


def choropleth_table(ch: Choropleth, keys: list[str], names: list[str], lang: str) -> pd.DataFrame:
    """The shaded values as a plain table (area, value, date): the map's text equivalent;
    a rate also names the date of the population it is divided by."""
    table = pd.DataFrame(
        {
            t("field.name", lang): names,
            choropleth_title(ch, lang): [
                value_text(ch.values.get(k, float("nan")), ch.per_1000, ch.unit, lang) for k in keys
            ],
            t("field.population_date", lang): [
                fmt_date(ch.dates.get(k), lang) if ch.values.get(k) == ch.values.get(k) else "–"
                for k in keys
            ],
        }
    )
    if ch.per_1000 and ch.denominator_dates:
        table[t("map.population_date", lang)] = [denominator_date(ch, k, lang) for k in keys]
    return table


def choropleth_title(ch: Choropleth, lang: str) -> str:
    """Indicator name with unit, e.g. "Geflüchtete aus der Ukraine je 1.000 Einwohner"."""
    name: str = getattr(spec(ch.indicator), lang)
    return name + " " + t("map.per_1000", lang) if ch.per_1000 else name


def _legend_data(
    ch: Choropleth | None, located: gpd.GeoDataFrame | None, lang: str
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if ch is not None:
        classes = []
        low = ch.lower
        for color, high in zip(ch.colors, ch.bounds, strict=True):
            classes.append(
                [
                    color,
                    f"{value_text(low, ch.per_1000, ch.unit, lang)} – {value_text(high, ch.per_1000, ch.unit, lang)}",
                ]
            )
            low = high
        date = fmt_date(ch.reference_date, lang) if ch.reference_date else "–"
        note = (
            t("map.legend_date_mixed", lang, date=date)
            if ch.dates_mixed
            else t("map.legend_date", lang, date=date)
        )
        sources = (
            ch.sources
            if len(ch.sources) <= 2
            else [*ch.sources[:1], t("map.more_sources", lang, n=len(ch.sources) - 1)]
        )
        note += " · " + t("field.source", lang) + ": " + "; ".join(sources)
        if ch.derived:
            note += " · " + t("map.legend_derived", lang)
        if rate_dates(ch, lang):  # a rate names the dates of its count and its population
            note += " · " + rate_dates(ch, lang)
        data["choropleth"] = {
            "title": choropleth_title(ch, lang),
            "classes": classes,
            "no_data": t("map.no_data", lang),
            "no_data_color": NO_DATA_COLOR,
            "note": note,
        }
    if located is not None and len(located):
        present = [c for c in CATEGORIES if (located["category"] == c).any()]
        data["facilities"] = {
            "title": t("map.legend_facilities", lang),
            "items": [[symbol_svg(c, False, 16), str(CATEGORIES[c][lang])] for c in present],
            "approx_svg": symbol_svg(present[0] if present else "Kita", True, 16),
            "approx": t("map.legend_approx", lang),
            "stale": t("map.legend_stale", lang)
            if "stale" in located and located["stale"].any()
            else "",
        }
    return data


def build_atlas_map(
    data: DistrictData,
    vintage: int,
    lang: str,
    located: gpd.GeoDataFrame | None = None,
    choropleth: Choropleth | None = None,
    choropleth_level: str = "vg",
    show_gemeinden: bool = True,
    show_city: bool = True,
    basemap: str = "none",
    selected_vg: str = "",
    focus_id: str = "",
    asset_base_urls: dict[str, str] | None = None,
    height: int = 620,
    *,
    populations: Populations,
) -> folium.Map:
    """The atlas map: VGs, optional needs overlay, facilities, legend, attribution.

    Parameters
    ----------
    data
        Web boundaries and population.
    vintage
        VG boundary vintage.
    lang
        ``de`` or ``en``.
    located
        Facilities to show (already filtered), from :func:`dashboard.data.locate.locate`;
        ``None`` hides the layer.
    choropleth
        Classified indicator for ``choropleth_level`` areas; ``None`` hides the overlay.
    choropleth_level
        ``vg`` or ``gemeinde``.
    show_gemeinden, show_city
        Boundary layers.
    basemap
        ``none`` (offline) or an online basemap key.
    selected_vg
        9-digit key of a VG to highlight and zoom to.
    focus_id
        Facility id to zoom to and open (name search).
    asset_base_urls
        Where the app serves the bundles; ``None`` inlines them.
    height
        Pixel height.
    populations
        Headline populations for the tooltips.

    Returns
    -------
    folium.Map
        A map whose assets are all local.
    """
    vgs = data.vgs[vintage]
    minx, miny, maxx, maxy = data.outline.total_bounds
    m = base_map(data, lang, basemap, show_city, height)

    def indicator_rows(key: str) -> list[tuple[str, str]]:
        if choropleth is None:
            return []
        value = choropleth.values.get(key, float("nan"))
        rows = [
            (
                choropleth_title(choropleth, lang),
                value_text(value, choropleth.per_1000, choropleth.unit, lang),
            )
        ]
        if value == value and key in choropleth.dates:
            rows.append((t("field.population_date", lang), fmt_date(choropleth.dates[key], lang)))
        return rows

    gem_tooltips = _gemeinde_tooltips(data, vintage, lang, populations)
    vg_tooltips = _vg_tooltips(data, vintage, lang, populations)
    if choropleth is not None and choropleth_level == "gemeinde":
        styles = [
            {"fillColor": choropleth.color(a), "fillOpacity": 0.7} for a in data.gemeinden["ags"]
        ]
        tips = [
            rows + indicator_rows(a)
            for rows, a in zip(gem_tooltips, data.gemeinden["ags"], strict=True)
        ]
        m.add_child(
            SafeGeoJson(
                data.gemeinden,
                tips,
                dict(GEMEINDE_STYLE, fill=True),
                t("layer.gemeinden", lang),
                "ia-gemeinde",
                styles,
            )
        )
        vg_style = {"color": "#1b3a6b", "weight": 3, "fill": False}
        m.add_child(
            SafeGeoJson(
                vgs,
                [[] for _ in range(len(vgs))],
                vg_style,
                t("layer.vg", lang),
                "ia-vg",
                interactive=False,
            )
        )
    else:
        styles = None
        if choropleth is not None:
            styles = [{"fillColor": choropleth.color(k), "fillOpacity": 0.7} for k in vgs["rs"]]
        tips = [rows + indicator_rows(k) for rows, k in zip(vg_tooltips, vgs["rs"], strict=True)]
        vg_style = {"color": "#1b3a6b", "weight": 3, "fillColor": "#8fb3de", "fillOpacity": 0.15}
        m.add_child(SafeGeoJson(vgs, tips, vg_style, t("layer.vg", lang), "ia-vg", styles))
        if show_gemeinden:
            m.add_child(
                SafeGeoJson(
                    data.gemeinden,
                    [[] for _ in range(len(data.gemeinden))],
                    dict(GEMEINDE_STYLE, fill=False),
                    t("layer.gemeinden", lang),
                    "ia-gemeinde",
                    interactive=False,
                )  # fmt: skip
            )
    if selected_vg and selected_vg in set(vgs["rs"]):
        sel = vgs[vgs["rs"] == selected_vg]
        m.add_child(
            SafeGeoJson(
                sel,
                [[]],
                {"color": "#d7301f", "weight": 5, "fill": False},
                "selected",
                "ia-vg-selected",
                interactive=False,
            )
        )
        sminx, sminy, smaxx, smaxy = sel.total_bounds
        m.fit_bounds([[sminy, sminx], [smaxy, smaxx]])
    else:
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    if located is not None:
        m.add_child(FacilityLayer(facility_payload(located, lang), focus_id))
    m.add_child(Legend(_legend_data(choropleth, located, lang)))
    m.add_child(Attribution([BKG_ATTRIBUTION]))
    localize(m, asset_base_urls)
    return m


def vg_at(vgs: gpd.GeoDataFrame, lat: float, lon: float) -> str:
    """Key of the VG containing a clicked point, or ""."""
    from shapely.geometry import Point

    hits = vgs[vgs.contains(Point(lon, lat))]
    return str(hits["rs"].iloc[0]) if len(hits) else ""


__all__ = ["build_atlas_map", "facility_payload", "symbol_svg", "vg_at", "SYMBOLS", "pd"]
