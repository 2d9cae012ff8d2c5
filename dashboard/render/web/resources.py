"""The map's data as content-addressed resources: loaded once by the browser, then kept.

Boundaries as one topology of shared arcs, the areas' tooltip texts and label
positions, the offers as compact columns, the overlay's classes. Each resource is JSON
escaped for embedding in a script (:func:`dashboard.render.web.basemap.safe_json`) and
named by the hash of its content; ``static/atlas.js`` decodes them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.analysis.population import Populations
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.precision import APPROXIMATE
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.render.common.legend import area_value_text, choropleth_title
from dashboard.render.common.symbols import symbol_svg
from dashboard.render.web.basemap import safe_json, tooltip_columns
from dashboard.render.web.codec import string_table, vlq
from dashboard.render.web.topology import build_topology

#: Facility coordinates travel as integers of 1e-5 degrees (about 1 m).
POINT_SCALE = 100_000


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
    if "unconfirmed" in pts:  # an offer still to be confirmed says so beside its date
        date_text = date_text.where(
            ~pts["unconfirmed"].fillna(False).astype(bool),
            date_text + " · " + t("status.unconfirmed", lang),
        )
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
        "values": string_table([area_value_text(ch, k, lang) for k in keys]),
        "dates": string_table(
            [
                fmt_date(ch.dates[k], lang) if v == v and ch.dates.get(k) else ""
                for k, v in zip(keys, values, strict=True)
            ]
        ),
    }
    return resource("overlay", payload)
