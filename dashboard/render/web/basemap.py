"""Folium map builders. Offline by construction: assets are localised, data is inlined.

Text from data never becomes HTML: tooltips are built in the browser with
``textContent``, and JSON embedded in scripts escapes ``<``, ``>`` and ``&``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from dashboard.analysis.population import Populations
from dashboard.config import BASEMAPS, BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_float
from dashboard.render.profile import headline_texts
from dashboard.render.web.assets import localize

#: Decimal places of coordinates sent to the browser (about 1 m).
COORD_DECIMALS = 5
#: Leaflet needs maxZoom on a map without tiles (markercluster refuses otherwise).
MAX_ZOOM = 18
MIN_ZOOM = 8

VG_STYLE = {"color": "#1b3a6b", "weight": 3, "fillColor": "#8fb3de", "fillOpacity": 0.25}
GEMEINDE_STYLE = {
    "color": "#5a6f8a",
    "weight": 1,
    "fill": True,
    "fillOpacity": 0.0,
    "dashArray": "3 3",
}
CITY_STYLE = {
    "color": "#6b6b6b",
    "weight": 1.5,
    "dashArray": "5 4",
    "fillColor": "#f4f1ea",
    "fillOpacity": 0.8,
}


def safe_json(value: Any) -> str:
    """JSON for embedding inside ``<script>``: ``<``, ``>`` and ``&`` are escaped.

    Parameters
    ----------
    value
        Any JSON-serialisable value.

    Returns
    -------
    str
        JSON text that cannot close a script element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


class _TooltipHelper(MacroElement):
    """Defines ``iaTooltip(rows)``: a tooltip table built with textContent only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        window.iaTooltip = function (rows) {
            var table = document.createElement("table");
            table.className = "ia-tooltip";
            rows.forEach(function (row) {
                var tr = document.createElement("tr");
                var th = document.createElement("th");
                th.textContent = row[0];
                th.style.textAlign = "left";
                th.style.paddingRight = "0.6em";
                var td = document.createElement("td");
                td.textContent = row[1];
                tr.appendChild(th);
                tr.appendChild(td);
                table.appendChild(tr);
            });
            return table;
        };
        {% endmacro %}
        """
    )


class SafeGeoJson(MacroElement):
    """A GeoJSON layer whose tooltips are rows of plain text.

    Parameters
    ----------
    gdf
        Features in EPSG:4326.
    tooltips
        One list of ``(label, value)`` rows per feature, in ``gdf`` order (empty: none).
    style
        Leaflet path options shared by all features.
    name
        Layer name.
    class_name
        CSS class of every path (for styling and tests).
    feature_styles
        Optional per-feature overrides of ``style`` (e.g. choropleth fill colours).
    interactive
        ``False`` lets clicks and hovers pass through to layers below.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data }}, {
            className: {{ this.class_name }},
            interactive: {{ this.interactive }},
            style: function (feature) {
                var s = feature.properties && feature.properties.s;
                return s ? Object.assign({}, {{ this.style }}, s) : {{ this.style }};
            },
            onEachFeature: function (feature, layer) {
                var rows = feature.properties && feature.properties.tt;
                if (rows) { layer.bindTooltip(window.iaTooltip(rows), {sticky: true}); }
            }
        }).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        gdf: gpd.GeoDataFrame,
        tooltips: list[list[tuple[str, str]]],
        style: dict[str, Any],
        name: str,
        class_name: str,
        feature_styles: list[dict[str, Any]] | None = None,
        interactive: bool = True,
    ) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped __init__
        if len(tooltips) != len(gdf):
            raise ValueError(f"{len(tooltips)} tooltips for {len(gdf)} features")
        self._name = "SafeGeoJson"
        self.layer_name = name
        self.interactive = "true" if interactive else "false"
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            raise ValueError("SafeGeoJson expects EPSG:4326")
        geoms = gdf.geometry.to_numpy()
        rounded = shapely.transform(geoms, lambda xy: np.round(xy, COORD_DECIMALS))
        geometry_json = shapely.to_geojson(rounded)
        styles: Sequence[dict[str, Any] | None] = (
            feature_styles if feature_styles else [None] * len(gdf)
        )
        parts = []
        for geom, rows, fstyle in zip(geometry_json, tooltips, styles, strict=True):
            props: dict[str, Any] = {"tt": [list(r) for r in rows]} if rows else {}
            if fstyle:
                props["s"] = fstyle
            parts.append(
                '{"type":"Feature","properties":' + safe_json(props) + ',"geometry":' + geom + "}"
            )
        self.data = '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"
        self.style = safe_json(style)
        self.class_name = safe_json(class_name)


class Attribution(MacroElement):
    """Adds plain-text attributions to the map's attribution control."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            {{ this.texts }}.forEach(function (text) {
                var span = document.createElement("span");
                span.textContent = text;
                map.attributionControl.addAttribution(span.outerHTML);
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, texts: list[str]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca: untyped __init__
        self._name = "Attribution"
        self.texts = safe_json(texts)


def _validity(vintage: int, lang: str) -> str:
    return validity_text(vintage, lang)


def vg_table(data: DistrictData, vintage: int, lang: str, populations: Populations) -> pd.DataFrame:
    """Key figures per VG of one vintage, as displayed (also the map's tooltips).

    Returns
    -------
    pandas.DataFrame
        Columns (localised): name, key, Gemeinden, area, population, date, validity.
    """
    rows = [
        dict(_vg_rows(vg, populations.of("vg", str(vg["rs"]), vintage), vintage, lang))
        | {t("field.area", lang): fmt_float(float(vg["area_km2"]), 1, lang)}
        for _, vg in data.vgs[vintage].iterrows()
    ]
    order = [
        t("field.vg", lang), t("field.key", lang), t("field.gemeinden", lang),
        t("field.area", lang), t("field.population", lang), t("field.population_date", lang),
        t("field.validity", lang),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=order).rename(columns={order[0]: t("field.name", lang)})


def _vg_rows(vg: pd.Series, pop: pd.Series, vintage: int, lang: str) -> list[tuple[str, str]]:
    number, date = headline_texts(pop, lang)
    return [
        (t("field.vg", lang), str(vg["name"])),
        (t("field.key", lang), str(vg["rs"])),
        (t("field.gemeinden", lang), str(vg["n_gemeinden"])),
        (t("field.population", lang), number),
        (t("field.population_date", lang), date),
        (t("field.validity", lang), _validity(vintage, lang)),
    ]


def _vg_tooltips(
    data: DistrictData, vintage: int, lang: str, populations: Populations
) -> list[list[tuple[str, str]]]:
    return [
        _vg_rows(vg, populations.of("vg", str(vg["rs"]), vintage), vintage, lang)
        for _, vg in data.vgs[vintage].iterrows()
    ]


def _gemeinde_tooltips(
    data: DistrictData, vintage: int, lang: str, populations: Populations
) -> list[list[tuple[str, str]]]:
    vg_of = data.membership.set_index("ags")[f"vg_{vintage}"]
    rows = []
    for _, g in data.gemeinden.iterrows():
        p = populations.of("gemeinde", str(g["ags"]), vintage)
        number, date = headline_texts(p, lang)
        rows.append(
            [
                (t("field.name", lang), str(g["name"])),
                (t("field.ags", lang), str(g["ags"])),
                (t("field.kind", lang), t(f"kind.{g['kind']}", lang)),
                (t("field.vg", lang), str(vg_of[g["ags"]])),
                (t("field.population", lang), number),
                (t("field.population_date", lang), date),
                (t("field.source", lang), str(p["sources"])),
            ]
        )
    return rows


def base_map(
    data: DistrictData, lang: str, basemap: str, show_city: bool, height: int
) -> folium.Map:
    """An empty district map: offline by default, tooltip helper, optional basemap and city.

    Parameters
    ----------
    data
        Boundaries (the outline centres the map).
    lang
        ``de`` or ``en``.
    basemap
        Key of :data:`dashboard.config.BASEMAPS`; ``none`` needs no network.
    show_city
        Draw the district's context areas (if it has any).
    height
        Pixel height.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {sorted(BASEMAPS)}")
    minx, miny, maxx, maxy = data.outline.total_bounds
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=10,
        tiles=None,
        height=height,
        control_scale=True,
        maxZoom=MAX_ZOOM,
        minZoom=MIN_ZOOM,
        zoomSnap=0.25,
    )
    if basemap != "none":
        spec = BASEMAPS[basemap]
        folium.TileLayer(
            spec["url"], attr=spec["attribution"], max_zoom=MAX_ZOOM, name=basemap
        ).add_to(m)
    m.add_child(_TooltipHelper())  # type: ignore[no-untyped-call]  # branca: untyped __init__
    if show_city:
        rows = [
            [(t("field.name", lang), str(n)), (t("field.kind", lang), t("kind.city", lang))]
            for n in data.city["name"]
        ]
        m.add_child(SafeGeoJson(data.city, rows, CITY_STYLE, t("layer.city", lang), "ia-city"))
    return m


def build_district_map(
    data: DistrictData,
    vintage: int,
    lang: str = "de",
    basemap: str = "none",
    show_gemeinden: bool = True,
    show_city: bool = True,
    asset_base_urls: dict[str, str] | None = None,
    height: int = 620,
    *,
    populations: Populations,
) -> folium.Map:
    """Build the district map: VGs of a vintage, Gemeinden, city context, attribution.

    Parameters
    ----------
    data
        Loaded boundaries and population.
    vintage
        2013, 2014 or 2019.
    lang
        ``de`` or ``en``.
    basemap
        Key of :data:`dashboard.config.BASEMAPS`; ``none`` needs no network.
    show_gemeinden, show_city
        Layer switches.
    asset_base_urls
        Where the app serves the Leaflet bundles (see :func:`dashboard.render.web.assets.localize`);
        ``None`` inlines them (standalone HTML).
    height
        Map height in pixels.
    populations
        Headline populations for the tooltips.

    Returns
    -------
    folium.Map
        A map whose every asset is local.
    """
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    m = base_map(data, lang, basemap, show_city, height)
    minx, miny, maxx, maxy = data.outline.total_bounds
    m.add_child(
        SafeGeoJson(
            data.vgs[vintage],
            _vg_tooltips(data, vintage, lang, populations),
            VG_STYLE,
            t("layer.vg", lang),
            "ia-vg",
        )
    )
    if show_gemeinden:
        m.add_child(
            SafeGeoJson(
                data.gemeinden,
                _gemeinde_tooltips(data, vintage, lang, populations),
                GEMEINDE_STYLE,
                t("layer.gemeinden", lang),
                "ia-gemeinde",
            )
        )
    m.add_child(Attribution([BKG_ATTRIBUTION]))
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    localize(m, asset_base_urls)
    return m
