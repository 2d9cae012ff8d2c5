"""GeoPackages that open in QGIS as the atlas draws them (``layer_styles`` with QML and SLD).

The classes, colours, shapes and labels of every style come from the atlas's own legend
models, never from a copy:

* offers by category: :data:`dashboard.render.common.symbols.SYMBOLS` (colour and shape),
  labels ``cat.<category>``;
* the needs overlay: the classes of :meth:`RoleView.choropleth` (its colours and
  :func:`dashboard.render.common.legend.class_labels`), plus "keine Daten";
* the Versorgungsanalyse: :data:`dashboard.analysis.gapview.STATUS_COLORS`, labels
  ``gapmap.class.<code>``, "unbekannt" dashed as on the map.

:func:`style_facilities_file` styles the offers export (``export --format gpkg`` and the
download, :func:`dashboard.services.outputs.write_facilities`); :func:`write_atlas` writes
the atlas GeoPackage (offers, Gemeinden, VGs, needs overlay, analysis per category, each
layer styled) from the same layers as the OGC API (:mod:`dashboard.services.layers`).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.analysis.gapview import STATUS_CLASSES, STATUS_COLORS
from dashboard.domain.model import CATEGORIES
from dashboard.domain.viewstate import ViewState
from dashboard.export.facilities import GPKG_LAYER, gpkg_column
from dashboard.export.styles import LayerStyle, StyleClass, write_gpkg_layers, write_layer_styles
from dashboard.i18n.catalogue import N_, t
from dashboard.render.common.legend import area_value_text, choropleth_title, class_labels
from dashboard.render.common.symbols import SYMBOLS
from dashboard.services.layers import (
    CATEGORY_PROPERTY,
    CLASS_PROPERTY,
    CLASS_TEXT_PROPERTY,
    OFFERS,
    analysis_categories,
    layer_frame,
    layer_specs,
)
from dashboard.services.view import RoleView

NEEDS = "bedarf"
_NO_DATA = "-1"
_UNKNOWN_STROKE = "#6b6b6b"


def offer_style(table: str, field: str, categories: list[str], lang: str = "de") -> LayerStyle:
    """Offers by category: the map's colour and shape per category present."""
    order = [c for c in CATEGORIES if c in set(categories)]
    classes = tuple(
        StyleClass(c, t(f"cat.{c}", lang), SYMBOLS[c][0], shape=SYMBOLS[c][1]) for c in order
    )
    return LayerStyle(
        table, field, "point", t(N_("gpkg.style.offers"), lang),
        t(N_("gpkg.style.offers_about"), lang), classes,
    )  # fmt: skip


def status_style(table: str, field: str, present: list[str], lang: str = "de") -> LayerStyle:
    """Versorgungsanalyse classes present, in legend order ("unbekannt" dashed)."""
    classes = tuple(
        StyleClass(
            code,
            t(f"gapmap.class.{code}", lang),
            STATUS_COLORS[code],
            stroke=_UNKNOWN_STROKE if code == "unknown" else "#555555",
            dashed=code == "unknown",
        )  # fmt: skip
        for code in STATUS_CLASSES
        if code in set(present)
    )
    return LayerStyle(
        table, field, "polygon", t(N_("gpkg.style.analysis"), lang),
        t(N_("gpkg.style.analysis_about"), lang), classes,
    )  # fmt: skip


def needs_style(
    table: str, field: str, ch: Choropleth, present: list[str], lang: str
) -> LayerStyle:
    """The needs overlay: its classes (colour and legend label) present, and "keine Daten"."""
    labels = class_labels(ch, lang)
    classes = [
        StyleClass(str(i), label, color, stroke="#555555")
        for i, (color, label) in enumerate(labels)
        if str(i) in set(present)
    ]
    if _NO_DATA in set(present):
        classes.append(
            StyleClass(
                _NO_DATA, t("map.no_data", lang), NO_DATA_COLOR, _UNKNOWN_STROKE, dashed=True
            )
        )
    return LayerStyle(table, field, "polygon", choropleth_title(ch, lang),
                      t(N_("gpkg.style.needs_about"), lang), tuple(classes))  # fmt: skip


def _distinct(gpkg: Path, table: str, field: str) -> list[str]:
    con = sqlite3.connect(gpkg)
    try:
        rows = con.execute(f'SELECT DISTINCT "{field}" FROM "{table}" WHERE "{field}" IS NOT NULL')
        return sorted(str(r[0]) for r in rows)
    finally:
        con.close()


def style_facilities_file(gpkg: Path, lang: str = "de") -> None:
    """Give an offers export (:func:`dashboard.export.facilities.export_facilities`, format
    ``gpkg``) the atlas's style: one class per category present in the file."""
    field = gpkg_column("category", lang)
    present = _distinct(gpkg, GPKG_LAYER, field)
    write_layer_styles(gpkg, [offer_style(GPKG_LAYER, field, present, lang)])


def _needs_layer(view: RoleView, state: ViewState, lang: str) -> gpd.GeoDataFrame | None:
    ch = view.choropleth(state)
    if ch is None:
        return None
    data = view.district
    areas = data.gemeinden if state.level == "gemeinde" else data.vgs[state.vintage]
    keys = areas["ags" if state.level == "gemeinde" else "rs"].astype(str).tolist()
    frame = pd.DataFrame(
        {
            "schluessel": keys,
            "name": areas["name"].astype(str).to_numpy(),
            "wert": [ch.values.get(k, float("nan")) for k in keys],
            "wert_text": [area_value_text(ch, k, lang) for k in keys],
            "stand": [ch.dates.get(k) or None for k in keys],
            CLASS_PROPERTY: [str(ch.classes.get(k, -1)) for k in keys],
        }
    )
    labels = dict(enumerate(label for _, label in class_labels(ch, lang)))
    frame[CLASS_TEXT_PROPERTY] = [
        labels.get(int(c), t("map.no_data", lang)) for c in frame[CLASS_PROPERTY]
    ]
    return gpd.GeoDataFrame(frame, geometry=areas.geometry.to_numpy(), crs=areas.crs).to_crs(
        "EPSG:4326"
    )


def write_atlas(
    view: RoleView, out: Path, state: ViewState | None = None, lang: str = "de"
) -> dict[str, int]:
    """The atlas as one styled GeoPackage: the layers of the OGC API that a planner opens
    in QGIS (offers, Gemeinden, VGs of the current vintage, the analysis per category) and
    the needs overlay of ``state`` (default: the map's default overlay).

    Returns
    -------
    dict
        Layer -> number of features written.
    """
    state = state or ViewState(lang=lang, vintage=view.current_vintage)
    ids = [OFFERS, "gemeinden", f"vg{view.current_vintage}"]
    ids += [s.id for s in layer_specs(view) if s.id.startswith("versorgung_")]
    layers = {i: layer_frame(view, i).reset_index(drop=True) for i in ids}
    needs = _needs_layer(view, state, lang)
    if needs is not None:
        layers[NEEDS] = needs
    styles = [offer_style(OFFERS, CATEGORY_PROPERTY, list(layers[OFFERS][CATEGORY_PROPERTY]), lang)]
    for i in ids[3:]:
        styles.append(status_style(i, CLASS_PROPERTY, list(layers[i][CLASS_PROPERTY]), lang))
    if needs is not None:
        ch = view.choropleth(state)
        assert ch is not None
        styles.append(needs_style(NEEDS, CLASS_PROPERTY, ch, list(needs[CLASS_PROPERTY]), lang))
    write_gpkg_layers(out, layers, styles)
    return {k: len(v) for k, v in layers.items()}


def atlas_file(view: RoleView, lang: str = "de") -> bytes:
    """The styled atlas GeoPackage of a view as bytes (:func:`write_atlas`)."""
    with tempfile.TemporaryDirectory(prefix="integrationsatlas-") as tmp:
        out = Path(tmp) / "integrationsatlas.gpkg"
        write_atlas(view, out, lang=lang)
        return out.read_bytes()


__all__ = [
    "atlas_file",
    "NEEDS",
    "analysis_categories",
    "needs_style",
    "offer_style",
    "status_style",
    "style_facilities_file",
    "write_atlas",
]
