"""The atlas map as data for the browser: boundaries, area texts, facilities, overlay, legend.

The map is drawn in the browser by ``static/atlas.js`` (Leaflet, served from installed
packages). The server never builds HTML for it: it sends *resources*, content-addressed
JSON that the browser loads once and keeps (the boundaries as a topology of shared arcs,
the texts of the areas, the facilities as compact columns, the overlay's classes), and
per update a small *spec* (which resources, which layers, which facilities are shown,
the legend). All text from data is set with ``textContent`` in the browser, and all
JSON is escaped for embedding in a script (:func:`dashboard.render.web.basemap.safe_json`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth, legend_classes
from dashboard.analysis.population import Populations
from dashboard.config import BASEMAPS, BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.i18n.catalogue import N_, t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int, fmt_percent
from dashboard.render.web.basemap import CITY_STYLE, GEMEINDE_STYLE, safe_json, tooltip_columns
from dashboard.render.web.codec import bitset, string_table, vlq
from dashboard.render.web.topology import build_topology

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
#: Facility coordinates travel as integers of 1e-5 degrees (about 1 m).
POINT_SCALE = 100_000
#: Kinds of marks (positions that are not offers) and their legend texts.
MARK_KINDS = {"planned": N_("map.legend_planned"), "picked": N_("map.legend_picked")}

#: Path styles of the layers (Leaflet options), sent with every spec.
STYLE: dict[str, Any] = {
    "city": CITY_STYLE,
    "gemeinde": dict(GEMEINDE_STYLE, fill=False),
    "gemeinde_filled": dict(GEMEINDE_STYLE, fill=True, fillOpacity=0.7, fillColor=NO_DATA_COLOR),
    "vg": {"color": "#1b3a6b", "weight": 3, "fill": False},
    "vg_filled": {"color": "#1b3a6b", "weight": 3, "fillColor": "#8fb3de", "fillOpacity": 0.15},
    "overlay_opacity": 0.7,
    "selected": {"color": "#d7301f", "weight": 5},
}


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


# -- resources ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resource:
    """One content-addressed piece of map data.

    Attributes
    ----------
    name
        ``<kind>-<hash>.json``: the same content always has the same name, so a browser
        that has it never loads it again.
    text
        The JSON, escaped for embedding in a script.
    """

    name: str
    text: str


def resource(kind: str, payload: Any) -> Resource:
    """Wrap a JSON-serialisable payload as a :class:`Resource`."""
    text = safe_json(payload)
    return Resource(f"{kind}-{hashlib.sha256(text.encode()).hexdigest()[:24]}.json", text)


def boundaries_resource(data: DistrictData) -> Resource:
    """Every boundary layer (Gemeinden, city, the VGs of each vintage) as one topology."""
    layers = {"gemeinden": data.gemeinden, "city": data.city}
    layers.update({f"vg_{v}": frame for v, frame in sorted(data.vgs.items())})
    return resource("topo", build_topology(layers).encode())


def _label_points(frame: gpd.GeoDataFrame, precise: bool) -> tuple[str, str]:
    """Where an area's name goes (VLQ of longitude, latitude) and its bounding boxes."""
    geoms = frame.geometry.to_numpy()
    if precise:
        pts = []
        for g in geoms:
            parts = list(getattr(g, "geoms", [g]))
            largest = max(parts, key=lambda p: p.area)
            pts.append(polylabel(largest, tolerance=0.0005))
        xy = shapely.get_coordinates(np.array(pts, dtype=object))
    else:
        xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    bounds = shapely.bounds(geoms)
    return (
        vlq(np.round(xy * POINT_SCALE).astype(np.int64).ravel()),
        vlq(np.round(bounds * POINT_SCALE).astype(np.int64).ravel()),
    )


def _area_texts(
    data: DistrictData,
    layer: str,
    frame: gpd.GeoDataFrame,
    vintage: int,
    lang: str,
    populations: Populations,
) -> dict[str, Any]:
    labels, cols = tooltip_columns(data, layer, vintage, lang, populations)
    label, bbox = _label_points(frame, precise=layer == "vg")
    return {
        "n": len(frame),
        "labels": labels,
        "cols": [string_table(c) for c in cols],
        "names": string_table(frame["name"].astype(str).tolist()),
        "label": label,
        "bbox": bbox,
    }


def areas_resource(
    data: DistrictData, vintage: int, lang: str, populations: Populations
) -> Resource:
    """Tooltip rows and name labels of the areas of one vintage, in one language."""
    vgs = data.vgs[vintage]
    payload = {
        "vg": {
            **_area_texts(data, "vg", vgs, vintage, lang, populations),
            "keys": [str(k) for k in vgs["rs"]],
        },
        "gemeinden": _area_texts(data, "gemeinden", data.gemeinden, vintage, lang, populations),
        "city": _area_texts(data, "city", data.city, vintage, lang, populations),
    }
    return resource("areas", payload)


def _facility_columns(pts: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    place = (pts["postcode"].astype(str) + " " + pts["place"].astype(str)).str.strip()
    street = pts["street"].astype(str)
    address = np.where((street != "") & (place != ""), street + ", " + place, street + place)
    dates = pts["reference_date"].astype(str)
    date_text = dates.map({d: fmt_date(d, lang) for d in dates.unique()})
    hf_keys = pts["handlungsfelder"].map(tuple)
    hf_text = hf_keys.map(
        {
            hs: ", ".join(HANDLUNGSFELDER[h][lang] for h in hs if h in HANDLUNGSFELDER)
            for hs in hf_keys.unique()
        }
    )
    prec = pts["precision"].astype(str)
    precision = prec.map({p: t(f"precision.{p}", lang) for p in prec.unique()})
    columns = {
        "name": pts["name"].astype(str),
        "id": pts["id"].astype(str),
        "address": pd.Series(address, index=pts.index),
        "operator": pts["operator"].astype(str),
        "source": pts["source"].astype(str),
        "date": date_text,
        "languages": pts["languages"].map(", ".join),
        "target_groups": pts["target_groups"].map(", ".join),
        "hf": hf_text,
        "precision": precision,
    }
    return {k: string_table(v.tolist()) for k, v in columns.items()}


def facility_payload(located: gpd.GeoDataFrame, lang: str) -> tuple[dict[str, Any], list[str]]:
    """The facilities as compact columns, sorted by position, and their ids in that order.

    Coordinates are integers of 1e-5 degrees, sorted by latitude and delta-encoded;
    category and flags (bit 0: approximate place, bit 1: not verified for 12 months,
    bit 2: outside the district) are small integers; texts are front-coded tables with
    one index per row (:mod:`dashboard.render.web.codec`).

    Parameters
    ----------
    located
        Facilities (already filtered and drawable) with point geometry; rows without a
        location are left out.
    lang
        ``de`` or ``en``.

    Returns
    -------
    tuple
        The payload and the facility ids in its row order.
    """
    pts = located[located.geometry.notna() & ~located.geometry.is_empty]
    lat = np.round(pts.geometry.y.to_numpy() * POINT_SCALE).astype(np.int64)
    lng = np.round(pts.geometry.x.to_numpy() * POINT_SCALE).astype(np.int64)
    order = np.lexsort((lng, lat))
    pts = pts.iloc[order]
    cats = list(CATEGORIES)
    cat = pts["category"].map({c: i for i, c in enumerate(cats)}).fillna(0).astype(int)
    approx = pts["precision"].isin(APPROXIMATE).to_numpy().astype(int)
    stale = pts["stale"].astype(bool).to_numpy() if "stale" in pts else np.zeros(len(pts), bool)
    outside = (
        pts["outside_district"].astype(bool).to_numpy()
        if "outside_district" in pts
        else np.zeros(len(pts), bool)
    )
    flags = approx | (stale.astype(int) << 1) | (outside.astype(int) << 2)
    payload: dict[str, Any] = {
        "n": len(pts),
        "lat": vlq(lat[order], delta=True),
        "lng": vlq(lng[order], delta=True),
        "cat": vlq(cat.to_numpy()),
        "flags": vlq(flags),
        "cols": _facility_columns(pts, lang) if len(pts) else {},
        "tables": {
            "categories": [
                [str(CATEGORIES[c][lang]), symbol_svg(c, False), symbol_svg(c, True)] for c in cats
            ]
        },
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
    return payload, pts["id"].astype(str).tolist()


def facilities_resource(located: gpd.GeoDataFrame, lang: str) -> tuple[Resource, list[str]]:
    """:func:`facility_payload` as a resource, and the ids in its row order."""
    payload, ids = facility_payload(located, lang)
    return resource("fac", payload), ids


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
    name: str = getattr(spec(ch.indicator), lang)
    return name + " " + t("map.per_1000", lang) if ch.per_1000 else name


def class_labels(ch: Choropleth, lang: str) -> list[tuple[str, str]]:
    """``(colour, label)`` of each legend class, bounds fitted to the data
    (:func:`dashboard.analysis.classify.legend_classes`); a class of one value shows it once,
    and the bounds of whole-number values (counts) are whole numbers."""
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
    """The shaded values as a plain table (area, value, date): the map's text equivalent."""
    return pd.DataFrame(
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


def overlay_resource(
    ch: Choropleth, data: DistrictData, level: str, vintage: int, lang: str
) -> Resource:
    """The overlay's class, value and date per area, in the order of the topology's layer."""
    if level not in ("gemeinde", "vg"):
        raise ValueError(f"unknown level {level!r}; expected gemeinde or vg")
    keys = [
        str(k) for k in (data.gemeinden["ags"] if level == "gemeinde" else data.vgs[vintage]["rs"])
    ]
    values = [ch.values.get(k, float("nan")) for k in keys]
    payload = {
        "level": "gemeinden" if level == "gemeinde" else "vg",
        "title": choropleth_title(ch, lang),
        "date_label": t("field.population_date", lang),
        "colors": list(ch.colors),
        "no_data": NO_DATA_COLOR,
        "classes": vlq([ch.classes.get(k, -1) for k in keys]),
        "values": string_table([value_text(v, ch.per_1000, ch.unit, lang) for v in values]),
        "dates": string_table(
            [
                fmt_date(ch.dates[k], lang) if v == v and ch.dates.get(k) else ""
                for k, v in zip(keys, values, strict=True)
            ]
        ),
    }
    return resource("overlay", payload)


# -- the spec of one update ------------------------------------------------------------------
@dataclass(frozen=True)
class MapMark:
    """A position drawn on the map that is not an offer.

    Attributes
    ----------
    lat, lng
        WGS84 degrees.
    kind
        ``planned`` (the what-if's facility, never stored) or ``picked`` (a position
        chosen by a click, e.g. for an edit).
    label
        Its tooltip; default the legend text of the kind.
    """

    lat: float
    lng: float
    kind: str
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MARK_KINDS:
            raise ValueError(
                f"unknown mark kind {self.kind!r}; expected one of {sorted(MARK_KINDS)}"
            )


def _legend(
    ch: Choropleth | None,
    shown: pd.DataFrame | None,
    marks: Sequence[MapMark],
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
        present = [c for c in CATEGORIES if (shown["category"] == c).any()]
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
    for kind in dict.fromkeys(m.kind for m in marks):
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


@dataclass(frozen=True)
class MapSpec:
    """What the browser needs to draw one view: resources (loaded once) and the spec.

    Attributes
    ----------
    resources
        The content-addressed data the spec refers to.
    args
        The spec: names of the resources, layers, shown facilities, legend, view.
    """

    resources: tuple[Resource, ...]
    args: dict[str, Any] = field(default_factory=dict)


def map_args(
    data: DistrictData,
    vintage: int,
    lang: str,
    *,
    topo: Resource,
    areas: Resource,
    facilities: Resource | None,
    overlay: Resource | None,
    choropleth: Choropleth | None,
    choropleth_level: str = "vg",
    shown: pd.DataFrame | None = None,
    mask: np.ndarray | None = None,
    extra: dict[str, Any] | None = None,
    show_facilities: bool = True,
    show_gemeinden: bool = True,
    show_city: bool = True,
    basemap: str = "none",
    selected_vg: str = "",
    focus: int = -1,
    marks: Sequence[MapMark] = (),
    height: int = 620,
) -> dict[str, Any]:
    """The spec of one update (small; the resources carry the data).

    Parameters
    ----------
    data
        Boundaries (for the extent and the VG keys).
    vintage, lang
        VG vintage and language.
    topo, areas, facilities, overlay
        The resources to draw from (:func:`boundaries_resource`, :func:`areas_resource`,
        :func:`facilities_resource`, :func:`overlay_resource`).
    choropleth, choropleth_level
        The overlay (for its legend) and its level.
    shown
        The facilities drawn (for the legend's symbols).
    mask
        Which rows of ``facilities`` are drawn (``None``: all).
    extra
        Facilities drawn besides the resource's (:func:`facility_payload`).
    show_facilities, show_gemeinden, show_city
        Layer switches.
    basemap
        A key of :data:`dashboard.config.BASEMAPS`; ``none`` keeps the map offline.
    selected_vg
        The VG to outline and zoom to ("": none).
    focus
        Row of ``facilities`` to zoom to and open (-1: none).
    marks
        Positions that are not offers (:class:`MapMark`).
    height
        Pixel height.

    Returns
    -------
    dict
        JSON-serialisable; the browser keeps zoom and centre unless ``fit`` changes.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {sorted(BASEMAPS)}")
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    vgs = data.vgs[vintage]
    selected = selected_vg if selected_vg in set(vgs["rs"].astype(str)) else ""
    minx, miny, maxx, maxy = data.outline.total_bounds
    attribution = [BKG_ATTRIBUTION]
    tiles = None
    if basemap != "none":
        tiles = {"url": BASEMAPS[basemap]["url"]}
        attribution.append(BASEMAPS[basemap]["attribution"])
    return {
        "res": {
            "topo": topo.name,
            "areas": areas.name,
            "fac": facilities.name if facilities is not None else None,
            "overlay": overlay.name if overlay is not None else None,
        },
        "vintage": vintage,
        "layers": {
            "facilities": show_facilities,
            "gemeinden": show_gemeinden,
            "city": show_city,
        },
        "mask": None if mask is None or bool(np.all(mask)) else bitset(mask),
        "extra": extra,
        "selected": selected,
        "focus": int(focus),
        "fit": f"vg:{selected}" if selected else "all",
        "bounds": [
            [round(float(miny), 5), round(float(minx), 5)],
            [round(float(maxy), 5), round(float(maxx), 5)],
        ],
        "marks": [
            [round(m.lat, 6), round(m.lng, 6), m.kind, m.label or t(MARK_KINDS[m.kind], lang)]
            for m in marks
        ],
        "legend": _legend(
            choropleth,
            shown if show_facilities else None,
            marks,
            vintage,
            lang,
            level=choropleth_level,
            show_gemeinden=show_gemeinden,
            show_city=show_city,
            selected=bool(selected),
        ),  # fmt: skip
        "labels": True,
        "basemap": tiles,
        "attribution": attribution,
        "style": STYLE,
        "texts": {"cluster": t("map.cluster_tip", lang), "error": t("map.error", lang)},
        "height": int(height),
    }


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
    height: int = 620,
    marks: Sequence[MapMark] = (),
    *,
    populations: Populations,
) -> MapSpec:
    """The atlas map of one view, all resources made anew (the offline export and tests;
    the app caches the resources and sends only what changed).

    Parameters
    ----------
    data
        Web boundaries and population.
    vintage
        VG boundary vintage.
    lang
        ``de`` or ``en``.
    located
        Facilities to show (filtered, drawable); ``None`` hides the layer.
    choropleth, choropleth_level
        Classified indicator and its level (``vg`` or ``gemeinde``); ``None``: no overlay.
    show_gemeinden, show_city
        Boundary layers.
    basemap
        ``none`` (offline) or an online basemap key.
    selected_vg
        9-digit key of a VG to outline and zoom to.
    focus_id
        Facility id to zoom to and open (name search).
    height
        Pixel height.
    marks
        Positions that are not offers.
    populations
        Headline populations for the tooltips.

    Returns
    -------
    MapSpec
        Resources and spec.
    """
    topo = boundaries_resource(data)
    areas = areas_resource(data, vintage, lang, populations)
    fac: Resource | None = None
    ids: list[str] = []
    if located is not None:
        fac, ids = facilities_resource(located, lang)
    overlay = (
        overlay_resource(choropleth, data, choropleth_level, vintage, lang)
        if choropleth is not None
        else None
    )
    focus = ids.index(focus_id) if focus_id and focus_id in ids else -1
    args = map_args(
        data, vintage, lang, topo=topo, areas=areas, facilities=fac, overlay=overlay,
        choropleth=choropleth, choropleth_level=choropleth_level, shown=located,
        show_facilities=located is not None, show_gemeinden=show_gemeinden, show_city=show_city,
        basemap=basemap, selected_vg=selected_vg, focus=focus, marks=marks, height=height,
    )  # fmt: skip
    resources = tuple(r for r in (topo, areas, fac, overlay) if r is not None)
    return MapSpec(resources, args)


def vg_at(vgs: gpd.GeoDataFrame, lat: float, lon: float) -> str:
    """Key of the VG containing a clicked point, or ""."""
    from shapely.geometry import Point

    hits = vgs[vgs.contains(Point(lon, lat))]
    return str(hits["rs"].iloc[0]) if len(hits) else ""


__all__ = [
    "APPROXIMATE",
    "MapMark",
    "MapSpec",
    "Resource",
    "SYMBOLS",
    "areas_resource",
    "boundaries_resource",
    "build_atlas_map",
    "choropleth_table",
    "choropleth_title",
    "class_labels",
    "date_note",
    "facilities_resource",
    "facility_payload",
    "map_args",
    "overlay_resource",
    "symbol_svg",
    "value_text",
    "vg_at",
]
