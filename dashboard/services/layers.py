"""The atlas as GIS layers: one table with geometry per collection, as one user may see it.

The OGC API – Features service (:mod:`dashboard.ogc`) and the styled GeoPackage
(:func:`dashboard.services.geopackage.write_atlas`) both read these layers, so a GIS sees
what the pages show that user at the current data version:

``angebote``
    The active offers the user's map draws (:meth:`RoleView.points`: never a sensitive
    category, for anyone), with category, Handlungsfelder, address, source and date.
``gemeinden``, ``vg<vintage>``
    The areas with their headline figures: the headline population
    (:mod:`dashboard.analysis.population`) and every other indicator with a value for the
    level, each with its date (``_stand``) and source (``_quelle``); the VGs of the count
    vintage also carry the count of sensitive offers as the privacy rule gives it
    (``"<5"`` for 1 to 4, :func:`dashboard.domain.privacy.sensitive_counts`).
``projekte``
    The projects of the integration concept, placed at their Gemeinden.
``versorgung_<category>``
    The Versorgungsanalyse of one category per Gemeinde (:meth:`RoleView.gaps_table` with
    the default thresholds), as the analysis for machines
    (:func:`dashboard.render.gaps_text.data_table`) with the map's status class
    (:data:`dashboard.analysis.gapview.STATUS_CLASSES`, "unbekannt" included).

Property names are German (lower case, ``_``); titles of layers and properties come in
German and English (:func:`layer_specs`, :func:`property_titles`). Every layer is in
EPSG:4326 (lon/lat) with the feature id in the index; results are kept per data version
and audience.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import MultiPoint

from dashboard.analysis import gaps
from dashboard.analysis.gapview import STATUS_CLASSES, status_map
from dashboard.analysis.indicators import values_for
from dashboard.config import CRS_DISPLAY
from dashboard.domain import privacy
from dashboard.domain.dates import source_date
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import N_, t
from dashboard.render.gaps_text import data_table
from dashboard.services.view import RoleView

OFFERS = "angebote"
GEMEINDEN = "gemeinden"
PROJECTS = "projekte"
ANALYSIS_PREFIX = "versorgung_"
LANGUAGES = ("de", "en")

#: Offer columns of the store -> property names of the layer (German), in order.
OFFER_PROPERTIES: dict[str, str] = {
    "id": "id",
    "name": "name",
    "category": "kategorie",
    "category_label": "kategorie_text",
    "handlungsfelder": "handlungsfelder",
    "operator": "traeger",
    "street": "strasse",
    "postcode": "plz",
    "place": "ort",
    "gemeinde_name": "gemeinde",
    "vg": "vg",  # the VG of the district's current vintage
    "vg_rs": "vg_schluessel",
    "precision": "lagegenauigkeit",
    "languages": "sprachen",
    "target_groups": "zielgruppen",
    "contact": "kontakt",
    "capacity": "plaetze",
    "source": "quelle",
    "reference_date": "stand",
    "last_verified": "zuletzt_geprueft",
    "unconfirmed": "unbestaetigt",
    "stale": "pruefung_faellig",
}
#: The property holding an offer's category code (styles classify by it).
CATEGORY_PROPERTY = OFFER_PROPERTIES["category"]
#: The property holding an analysis area's status class (styles classify by it).
CLASS_PROPERTY = "klasse"
CLASS_TEXT_PROPERTY = "klasse_text"

_KEEP = 64
_cache: OrderedDict[Hashable, gpd.GeoDataFrame] = OrderedDict()
_cache_lock = threading.Lock()


@dataclass(frozen=True)
class LayerSpec:
    """One layer (an OGC collection, a GeoPackage table).

    Attributes
    ----------
    id
        Identifier (URL path part, table name).
    titles, descriptions
        Language code -> text (``de``, ``en``).
    geometry
        ``Point``, ``MultiPoint`` or ``MultiPolygon``.
    """

    id: str
    titles: dict[str, str]
    descriptions: dict[str, str]
    geometry: str


def _texts(key: str, **kwargs: object) -> dict[str, str]:
    return {lang: t(key, lang, **kwargs) for lang in LANGUAGES}


def analysis_categories(view: RoleView) -> list[str]:
    """The categories whose Versorgungsanalyse the user may read (public: no sensitive)."""
    return [s for s in view.gap_selectors() if s in CATEGORIES]


def layer_specs(view: RoleView) -> list[LayerSpec]:
    """Every layer of the user's view, in the order a GIS lists them."""
    specs = [
        LayerSpec(
            OFFERS, _texts(N_("ogc.layer.offers")), _texts(N_("ogc.layer.offers_about")), "Point"
        ),
        LayerSpec(
            GEMEINDEN,
            _texts(N_("ogc.layer.gemeinden")),
            _texts(N_("ogc.layer.areas_about")),
            "MultiPolygon",
        ),
    ]
    for vintage in view.config.vintage_years:
        specs.append(
            LayerSpec(
                f"vg{vintage}",
                _texts(N_("ogc.layer.vgs"), vintage=vintage),
                _texts(N_("ogc.layer.areas_about")),
                "MultiPolygon",
            )
        )
    specs.append(
        LayerSpec(
            PROJECTS,
            _texts(N_("ogc.layer.projects")),
            _texts(N_("ogc.layer.projects_about")),
            "MultiPoint",
        )
    )
    for category in analysis_categories(view):
        specs.append(
            LayerSpec(
                ANALYSIS_PREFIX + category.lower(),
                {
                    lang: t(N_("ogc.layer.analysis"), lang, what=t(f"cat.{category}", lang))
                    for lang in LANGUAGES
                },
                _texts(N_("ogc.layer.analysis_about")),
                "MultiPolygon",
            )  # fmt: skip
        )
    return specs


def layer_frame(view: RoleView, layer_id: str, today: dt.date | None = None) -> gpd.GeoDataFrame:
    """One layer of the user's view (EPSG:4326, feature id as index, German properties).

    Built once per data version and audience; the caller must not change the result.

    Raises
    ------
    KeyError
        For a layer the user's view does not have.
    """
    day = today or dt.date.today()
    known = {s.id for s in layer_specs(view)}
    if layer_id not in known:
        raise KeyError(layer_id)
    key = (view.key, layer_id, day)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    frame = _build(view, layer_id, day)
    with _cache_lock:
        _cache[key] = frame
        while len(_cache) > _KEEP:
            _cache.popitem(last=False)
    return frame


def _build(view: RoleView, layer_id: str, day: dt.date) -> gpd.GeoDataFrame:
    builders: dict[str, Callable[[], gpd.GeoDataFrame]] = {
        OFFERS: lambda: offers_layer(view, day),
        GEMEINDEN: lambda: areas_layer(view, "gemeinde", view.current_vintage),
        PROJECTS: lambda: projects_layer(view),
    }
    for vintage in view.config.vintage_years:
        builders[f"vg{vintage}"] = lambda v=vintage: areas_layer(view, "vg", v)  # type: ignore[misc]
    if layer_id.startswith(ANALYSIS_PREFIX):
        wanted = layer_id.removeprefix(ANALYSIS_PREFIX)
        category = next(c for c in analysis_categories(view) if c.lower() == wanted)
        return analysis_layer(view, category)
    return builders[layer_id]()


# -- offers ----------------------------------------------------------------------------------
def _joined(value: object, names: dict[str, dict[str, str]] | None = None) -> str:
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [str(v) for v in value]
    elif value is None or (isinstance(value, float) and value != value) or value == "":
        items = []
    else:
        items = [str(value)]
    if names is not None:
        items = [names[i]["de"] if i in names else i for i in items]
    return ", ".join(items)


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    return str(value)


def _iso(value: object) -> str | None:
    text = _text(value)
    if not text or text == "NaT":
        return None
    return text[:10]


def offers_layer(view: RoleView, today: dt.date) -> gpd.GeoDataFrame:
    """The offers the user's map draws (active, never sensitive), with German properties."""
    shown = view.points(ViewState(vintage=view.current_vintage), today)
    rows = pd.DataFrame(
        {
            "id": shown["id"].astype(str).to_numpy(),
            "name": shown["name"].astype(str).to_numpy(),
            "category": shown["category"].astype(str).to_numpy(),
            "category_label": [t(f"cat.{c}", "de") for c in shown["category"]],
            "handlungsfelder": [_joined(v, HANDLUNGSFELDER) for v in shown["handlungsfelder"]],
            "languages": [_joined(v) for v in shown["languages"]],
            "target_groups": [_joined(v) for v in shown["target_groups"]],
            "reference_date": [
                source_date(v) if _text(v) else None for v in shown["reference_date"]
            ],
            "last_verified": [_iso(v) for v in shown["last_verified"]],
            "capacity": pd.array(shown["capacity"], dtype="Int64"),
            "unconfirmed": shown["unconfirmed"].fillna(False).astype(bool).to_numpy(),
            "stale": shown["stale"].astype(bool).to_numpy(),
        }
    )
    current = {"vg": f"vg_{view.current_vintage}", "vg_rs": f"vg_rs_{view.current_vintage}"}
    for column in OFFER_PROPERTIES:
        if column not in rows:
            rows[column] = [_text(v) for v in shown[current.get(column, column)]]
    rows = rows[list(OFFER_PROPERTIES)].rename(columns=OFFER_PROPERTIES)
    geometry = [None if g is None or g.is_empty else g for g in shown.geometry.to_numpy()]
    frame = gpd.GeoDataFrame(rows, geometry=geometry, crs=shown.crs).to_crs(CRS_DISPLAY)
    return frame.set_index(pd.Index(frame["id"], name="fid"), drop=False)


# -- areas -----------------------------------------------------------------------------------
def figure_columns(view: RoleView, level: str, vintage: int) -> list[str]:
    """The headline figures of a level: population first, then the other indicators."""
    others = [i for i in view.indicator_choices(level, vintage) if i != "population"]
    return ["population", *others]


def figure_property(indicator: str) -> str:
    """The property name of an indicator's value (``einwohner`` for the population)."""
    return "einwohner" if indicator == "population" else indicator


def _figures(view: RoleView, level: str, vintage: int, keys: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.Index(keys, name="key"))
    heads = view.populations.at(level, vintage).reindex(keys)
    name = figure_property("population")
    out[name] = heads["population"].to_numpy()
    out[f"{name}_stand"] = [_text(v) for v in heads["reference_date"]]
    out[f"{name}_quelle"] = [_text(v) for v in heads["sources"]]
    out[f"{name}_summe_der_gemeinden"] = [b == "sum_of_gemeinden" for b in heads["basis"]]
    values = view.indicators()
    for indicator in figure_columns(view, level, vintage)[1:]:
        found = values_for(values, view.district.membership, indicator, level, vintage)
        found = found.set_index(found["area_key"].astype(str)).reindex(keys)
        name = figure_property(indicator)
        out[name] = found["value"].astype(float).to_numpy()
        out[f"{name}_stand"] = [_text(v) for v in found["reference_date"]]
        out[f"{name}_quelle"] = [_text(v) for v in found["sources"]]
    return out


def areas_layer(view: RoleView, level: str, vintage: int) -> gpd.GeoDataFrame:
    """Gemeinden or the VGs of a vintage with their headline figures (value, date, source)."""
    data = view.district
    if level == "gemeinde":
        areas = data.gemeinden
        keys = areas["ags"].astype(str).tolist()
        vg_of = data.membership.set_index(data.membership["ags"].astype(str))
        base = pd.DataFrame(
            {
                "schluessel": keys,
                "name": areas["name"].astype(str).to_numpy(),
                "art": areas["kind"].astype(str).to_numpy(),
                "flaeche_km2": areas["area_km2"].astype(float).round(3).to_numpy(),
                "vg": [_text(vg_of[f"vg_{vintage}"].get(k)) for k in keys],
                "vg_schluessel": [_text(vg_of[f"vg_rs_{vintage}"].get(k)) for k in keys],
            }
        )
    else:
        areas = data.vgs[vintage]
        keys = areas["rs"].astype(str).tolist()
        base = pd.DataFrame(
            {
                "schluessel": keys,
                "name": areas["name"].astype(str).to_numpy(),
                "gebietsstand": vintage,
                "gueltig_ab": [_iso(v) for v in areas["valid_from"]],
                "gueltig_bis": [_iso(v) for v in areas["valid_to"]],
                "anzahl_gemeinden": areas["n_gemeinden"].astype(int).to_numpy(),
                "flaeche_km2": areas["area_km2"].astype(float).round(3).to_numpy(),
            }
        )
    figures = _figures(view, level, vintage, keys).reset_index(drop=True)
    rows = pd.concat([base, figures], axis=1)
    if level == "vg" and vintage == view.current_vintage:  # counts only for the current VGs
        counts = view.sensitive_counts("de")
        for category in sorted(privacy.SENSITIVE_CATEGORIES):
            rows[f"{category.lower()}_anzahl"] = [
                privacy.sensitive_count_for(counts, k, category, vintage) for k in keys
            ]
    frame = gpd.GeoDataFrame(rows, geometry=areas.geometry.to_numpy(), crs=areas.crs)
    frame = frame.to_crs(CRS_DISPLAY)
    return frame.set_index(pd.Index(keys, name="fid"), drop=False)


# -- projects --------------------------------------------------------------------------------
def projects_layer(view: RoleView) -> gpd.GeoDataFrame:
    """The projects, each at the centres of its Gemeinden (none: no geometry)."""
    gem = view.district.gemeinden.to_crs(CRS_DISPLAY)
    centres = dict(zip(gem["ags"].astype(str), gem.geometry.representative_point(), strict=True))
    rows, geoms = [], []
    for p in view.projects():
        rows.append(
            {
                "id": p.id,
                "titel": p.title,
                "status": p.status,
                "handlungsfelder": _joined(p.handlungsfelder, HANDLUNGSFELDER),
                "traeger": p.lead_organisation,
                "beginn": p.actual_start or p.planned_start,  # as precise as the source
                "ende": p.actual_end or p.planned_end,
                "gemeinden": ", ".join(p.location_ags),
                "quelle": p.source,
                "stand": source_date(p.reference_date) if p.reference_date else None,
            }
        )
        points = [centres[a] for a in p.location_ags if a in centres]
        geoms.append(MultiPoint(points) if points else None)
    columns = ["id", "titel", "status", "handlungsfelder", "traeger", "beginn", "ende",
               "gemeinden", "quelle", "stand"]  # fmt: skip
    frame = gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=geoms, crs=CRS_DISPLAY)
    return frame.set_index(pd.Index(frame["id"], name="fid"), drop=False)


# -- analysis --------------------------------------------------------------------------------
def analysis_layer(view: RoleView, category: str) -> gpd.GeoDataFrame:
    """The Versorgungsanalyse of one category per Gemeinde (default thresholds): the
    analysis for machines (:func:`dashboard.render.gaps_text.data_table`) plus the map's
    status class (``klasse``, ``klasse_text``)."""
    flags = view.gaps_table(
        category, gaps.Thresholds(), level="gemeinde", vintage=view.current_vintage
    )
    gem = view.district.gemeinden
    keys = gem["ags"].astype(str).tolist()
    classes = status_map(flags, keys).classes
    table = data_table(flags, "de")
    table = table.set_index(table["schluessel"].astype(str)).reindex(keys)
    table[CLASS_PROPERTY] = [classes[k] for k in keys]
    table[CLASS_TEXT_PROPERTY] = [t(f"gapmap.class.{classes[k]}", "de") for k in keys]
    frame = gpd.GeoDataFrame(
        table.reset_index(drop=True), geometry=gem.geometry.to_numpy(), crs=gem.crs
    ).to_crs(CRS_DISPLAY)
    frame["schluessel"] = keys
    return frame.set_index(pd.Index(keys, name="fid"), drop=False)


def status_classes() -> tuple[str, ...]:
    """The status classes of the analysis layers, in legend order."""
    return STATUS_CLASSES


def service_texts() -> dict[str, dict[str, str]]:
    """Title, description and keywords of the atlas as a service, in German and English."""
    return {
        "title": _texts(N_("ogc.title")),
        "description": _texts(N_("ogc.description")),
        "keywords": _texts(N_("ogc.keywords")),
    }
