"""The finder's data: one compact JSON document made from the public view.

Only what a resident needs and the public may see goes in: name, category, the needs the
offer answers, its place (metres of EPSG:25832, and WGS84 for "open in a map app" where
the position is exact), precision, address, operator, contact, languages, target
groups, the day it was last checked (or, if never, the date of its source) and the
source. Never a sensitive category (:mod:`dashboard.domain.privacy`), never a note, an
id, a capacity or an editor's name: :func:`build_payload` refuses a sensitive record
outright, so a caller that forgot the public view fails loudly instead of leaking.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
from pyproj import Transformer

from dashboard.config import CRS_DISPLAY, CRS_METRIC
from dashboard.domain import privacy
from dashboard.render.finder.needs import (
    NEED_CODES,
    PUBLIC_CATEGORIES,
    group_code,
    language_code,
    needs_of,
)

#: Version of the document's layout (``finder.js`` checks it).
FORMAT = 1
#: Precisions at which the position is the offer's own (a distance may be claimed).
EXACT_PRECISIONS = frozenset({"exact", "address"})

_TO_METRIC = Transformer.from_crs(CRS_DISPLAY, CRS_METRIC, always_xy=True)


@dataclass(frozen=True)
class Place:
    """A place a resident can search from: a Gemeinde (or the city) or a postcode."""

    key: str
    name: str
    lat: float
    lon: float
    ags: str = ""


def _metres(lat: float, lon: float) -> tuple[int, int]:
    e, n = _TO_METRIC.transform(lon, lat)
    return round(e), round(n)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _iso(value: object) -> str:
    if value is None or value is pd.NaT:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (dt.date, pd.Timestamp)):
        return value.isoformat()[:10]
    return str(value)[:10]


def _split(values: Iterable[str], coder: object) -> tuple[list[str], list[str]]:
    known: list[str] = []
    other: list[str] = []
    for raw in values:
        text = _text(raw)
        if not text:
            continue
        code = coder(text)  # type: ignore[operator]
        if code and code not in known:
            known.append(code)
        elif not code and text not in other:
            other.append(text)
    return known, other


def _offer(
    row: Mapping[str, object], verified: str, gemeinde_index: Mapping[str, int], sources: list[str]
) -> dict[str, object]:
    category = str(row["category"])
    item: dict[str, object] = {
        "n": _text(row["name"]),
        "c": PUBLIC_CATEGORIES.index(category),
        "d": [NEED_CODES.index(c) for c in needs_of(category, list(row["handlungsfelder"]))],  # type: ignore[call-overload]
        "p": str(row["precision"]),
    }
    lat, lon = row.get("lat"), row.get("lon")
    if row["precision"] != "unknown" and lat is not None and lon is not None:
        e, n = _metres(float(lat), float(lon))  # type: ignore[arg-type]
        item["e"], item["N"] = e, n
        if row["precision"] in EXACT_PRECISIONS:
            item["w"] = [round(float(lat), 6), round(float(lon), 6)]  # type: ignore[arg-type]
    ags = _text(row.get("located_ags"))
    if ags in gemeinde_index:
        item["g"] = gemeinde_index[ags]
    for key, field in (("a", "street"), ("z", "postcode"), ("o", "place"), ("op", "operator")):
        value = _text(row.get(field))
        if value:
            item[key] = value
    contact = _text(row.get("contact"))
    if contact:
        item["k"] = contact
    langs, other_langs = _split(row.get("languages") or [], language_code)  # type: ignore[arg-type]
    groups, other_groups = _split(row.get("target_groups") or [], group_code)  # type: ignore[arg-type]
    for key, values in (("l", langs), ("lx", other_langs), ("t", groups), ("tx", other_groups)):
        if values:
            item[key] = values
    if verified:
        item["v"] = verified
    reference = _iso(row.get("reference_date"))
    if reference:
        item["r"] = reference
    source = _text(row.get("source"))
    if source:
        if source not in sources:
            sources.append(source)
        item["s"] = sources.index(source)
    return item


def build_payload(
    offers: pd.DataFrame,
    verified: pd.Series,
    gemeinden: list[Place],
    postcodes: list[Place],
    layers: Mapping[str, object],
    *,
    district: str,
    version: int,
    generated: dt.date,
    attribution: list[str],
) -> dict[str, object]:
    """The finder's data document.

    Parameters
    ----------
    offers
        The active offers the public may see (:meth:`dashboard.services.view.RoleView.active`),
        located (``located_ags``).
    verified
        Per offer (same index), the date it last counts as verified, or ``NaT``
        (:func:`dashboard.domain.staleness.verified_dates`).
    gemeinden, postcodes
        The places to search from (key: AGS, postcode), in WGS84.
    layers
        The map background (:func:`dashboard.render.finder.geometry.map_layers`).
    district, version, generated
        Name of the district, the store's data version and the day of the build.
    attribution
        Sources of the boundaries and postcodes (shown under the map).

    Returns
    -------
    dict
        JSON-ready; offers sorted by name.

    Raises
    ------
    ValueError
        If any offer belongs to a sensitive category, or is not active.
    """
    if privacy.is_sensitive(offers).any():
        raise ValueError("the finder never receives a sensitive offer")
    if (offers["status"] != "active").any():
        raise ValueError("the finder lists active offers only")
    gemeinde_index = {p.key: i for i, p in enumerate(gemeinden)}
    sources: list[str] = []
    ordered = offers.assign(_verified=verified.reindex(offers.index)).sort_values(
        "name", key=lambda s: s.str.casefold()
    )
    items = [
        _offer(row, _iso(row["_verified"]), gemeinde_index, sources)
        for row in ordered.to_dict("records")
    ]
    places = []
    for p in gemeinden:
        e, n = _metres(p.lat, p.lon)
        places.append([p.key, p.name, e, n])
    codes = []
    for p in postcodes:
        e, n = _metres(p.lat, p.lon)
        codes.append([p.key, e, n, gemeinde_index.get(p.ags, -1)])
    return {
        "format": FORMAT,
        "district": district,
        "version": version,
        "generated": generated.isoformat(),
        "needs": list(NEED_CODES),
        "categories": list(PUBLIC_CATEGORIES),
        "gemeinden": places,
        "postcodes": codes,
        "offers": items,
        "sources": sources,
        "map": dict(layers),
        "attribution": attribution,
    }
