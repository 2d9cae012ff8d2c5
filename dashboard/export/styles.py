"""QGIS layer styles in a GeoPackage: the ``layer_styles`` table with QML and SLD.

QGIS opens a GeoPackage layer with the style marked ``useAsDefault`` in its
``layer_styles`` table. This module writes such rows for a *categorised* style: one class
per value of one field (an offer's category, an area's class), each with its colour, its
shape (points) and whether it is drawn dashed (areas whose status is "unbekannt", the
class without data). The classes, colours, shapes and labels are passed in
(:class:`LayerStyle`); they come from the atlas's own legend models
(:mod:`dashboard.services.geopackage` builds them), so QGIS draws what the atlas draws.

Each style is written twice: as QML (QGIS's own format, ``styleQML``) and as SLD 1.1
(``styleSLD``, for GeoServer, a geoportal or any other SLD reader), with one rule per
class in both.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import geopandas as gpd

#: The table QGIS reads styles from (same name and columns as QGIS writes).
STYLE_TABLE = "layer_styles"

_CREATE = f"""CREATE TABLE IF NOT EXISTS {STYLE_TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    f_table_catalog TEXT(256),
    f_table_schema TEXT(256),
    f_table_name TEXT(256),
    f_geometry_column TEXT(256),
    styleName TEXT(30),
    styleQML TEXT,
    styleSLD TEXT,
    useAsDefault BOOLEAN,
    description TEXT,
    owner TEXT(30),
    ui TEXT(30),
    update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
)"""

#: Atlas marker shapes -> QGIS simple marker names (the nearest where QGIS has no such shape).
QGIS_SHAPES: dict[str, str] = {
    "circle": "circle",
    "square": "square",
    "triangle": "triangle",
    "diamond": "diamond",
    "pentagon": "pentagon",
    "cross": "cross_fill",
    "hexagon": "hexagon",
    "star": "star",
    "house": "shield",
}
#: Atlas marker shapes -> SLD well-known names (SLD knows only a few) and a rotation.
SLD_SHAPES: dict[str, tuple[str, int]] = {
    "circle": ("circle", 0),
    "square": ("square", 0),
    "triangle": ("triangle", 0),
    "diamond": ("square", 45),
    "pentagon": ("circle", 0),
    "cross": ("cross", 0),
    "hexagon": ("circle", 0),
    "star": ("star", 0),
    "house": ("square", 0),
}
_SLD = "http://www.opengis.net/sld"
_SE = "http://www.opengis.net/se"
_OGC = "http://www.opengis.net/ogc"


@dataclass(frozen=True)
class StyleClass:
    """One class of a categorised style.

    Attributes
    ----------
    value
        The field value of the class (compared as text).
    label
        The legend text.
    fill
        Fill colour ``#rrggbb``.
    stroke
        Outline colour ``#rrggbb``.
    shape
        Marker shape of points (a key of :data:`QGIS_SHAPES`); ignored for areas.
    dashed
        Outline dashed (the atlas's "unbekannt").
    """

    value: str
    label: str
    fill: str
    stroke: str = "#1a1a1a"
    shape: str = "circle"
    dashed: bool = False


@dataclass(frozen=True)
class LayerStyle:
    """A categorised style of one GeoPackage layer.

    Attributes
    ----------
    table
        The layer (feature table) it belongs to.
    field
        The field whose value selects the class.
    geometry
        ``point`` or ``polygon``.
    name
        Style name shown in QGIS.
    title
        Description (a sentence for the style manager).
    classes
        One :class:`StyleClass` per value, in legend order.
    """

    table: str
    field: str
    geometry: str
    name: str
    title: str
    classes: tuple[StyleClass, ...] = ()


def _rgba(color: str) -> str:
    value = color.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"{r},{g},{b},255"


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    holder = ET.SubElement(parent, "Option", type="Map")
    for name, value in values.items():
        ET.SubElement(holder, "Option", name=name, type="QString", value=value)


def _qml_symbol(parent: ET.Element, index: int, cls: StyleClass, geometry: str) -> None:
    kind = "marker" if geometry == "point" else "fill"
    symbol = ET.SubElement(
        parent, "symbol", type=kind, name=str(index), alpha="1", clip_to_extent="1", force_rhr="0"
    )
    if kind == "marker":
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker"}, enabled="1", pass_="0")
        _options(
            layer,
            {
                "name": QGIS_SHAPES.get(cls.shape, "circle"),
                "color": _rgba(cls.fill),
                "outline_color": _rgba(cls.stroke),
                "outline_style": "dash" if cls.dashed else "solid",
                "outline_width": "0.3",
                "outline_width_unit": "MM",
                "size": "3.2",
                "size_unit": "MM",
                "angle": "0",
            },
        )
    else:
        layer = ET.SubElement(symbol, "layer", {"class": "SimpleFill"}, enabled="1", pass_="0")
        _options(
            layer,
            {
                "color": _rgba(cls.fill),
                "style": "solid",
                "outline_color": _rgba(cls.stroke),
                "outline_style": "dash" if cls.dashed else "solid",
                "outline_width": "0.4",
                "outline_width_unit": "MM",
            },
        )


def qml(style: LayerStyle) -> str:
    """The style as a QGIS QML document (a categorised renderer, one category per class)."""
    root = ET.Element("qgis", version="3.28.0", styleCategories="Symbology")
    renderer = ET.SubElement(
        root, "renderer-v2", type="categorizedSymbol", attr=style.field, symbollevels="0",
        enableorderby="0", forceraster="0",
    )  # fmt: skip
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for i, cls in enumerate(style.classes):
        ET.SubElement(
            categories, "category", value=cls.value, symbol=str(i), label=cls.label, render="true"
        )
        _qml_symbol(symbols, i, cls, style.geometry)
    text = ET.tostring(root, encoding="unicode").replace(" pass_=", " pass=")
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + text


def _sld_param(parent: ET.Element, tag: str, params: dict[str, str]) -> None:
    holder = ET.SubElement(parent, f"{{{_SE}}}{tag}")
    for name, value in params.items():
        ET.SubElement(holder, f"{{{_SE}}}SvgParameter", name=name).text = value


def _stroke(cls: StyleClass, width: str) -> dict[str, str]:
    params = {"stroke": cls.stroke, "stroke-width": width}
    if cls.dashed:
        params["stroke-dasharray"] = "4 2"
    return params


def _sld_rule(parent: ET.Element, style: LayerStyle, cls: StyleClass) -> None:
    rule = ET.SubElement(parent, f"{{{_SE}}}Rule")
    ET.SubElement(rule, f"{{{_SE}}}Name").text = cls.value
    about = ET.SubElement(rule, f"{{{_SE}}}Description")
    ET.SubElement(about, f"{{{_SE}}}Title").text = cls.label
    condition = ET.SubElement(
        ET.SubElement(rule, f"{{{_OGC}}}Filter"), f"{{{_OGC}}}PropertyIsEqualTo"
    )
    ET.SubElement(condition, f"{{{_OGC}}}PropertyName").text = style.field
    ET.SubElement(condition, f"{{{_OGC}}}Literal").text = cls.value
    if style.geometry == "point":
        graphic = ET.SubElement(
            ET.SubElement(rule, f"{{{_SE}}}PointSymbolizer"), f"{{{_SE}}}Graphic"
        )
        mark = ET.SubElement(graphic, f"{{{_SE}}}Mark")
        name, rotation = SLD_SHAPES.get(cls.shape, ("circle", 0))
        ET.SubElement(mark, f"{{{_SE}}}WellKnownName").text = name
        _sld_param(mark, "Fill", {"fill": cls.fill})
        _sld_param(mark, "Stroke", _stroke(cls, "1"))
        ET.SubElement(graphic, f"{{{_SE}}}Size").text = "12"
        if rotation:
            ET.SubElement(graphic, f"{{{_SE}}}Rotation").text = str(rotation)
    else:
        symbolizer = ET.SubElement(rule, f"{{{_SE}}}PolygonSymbolizer")
        _sld_param(symbolizer, "Fill", {"fill": cls.fill})
        _sld_param(symbolizer, "Stroke", _stroke(cls, "1"))


def sld(style: LayerStyle) -> str:
    """The style as an SLD 1.1 document (one rule per class, filtered on the field)."""
    ET.register_namespace("", _SLD)
    ET.register_namespace("se", _SE)
    ET.register_namespace("ogc", _OGC)
    root = ET.Element(f"{{{_SLD}}}StyledLayerDescriptor", version="1.1.0")
    layer = ET.SubElement(root, f"{{{_SLD}}}NamedLayer")
    ET.SubElement(layer, f"{{{_SE}}}Name").text = style.table
    user = ET.SubElement(layer, f"{{{_SLD}}}UserStyle")
    ET.SubElement(user, f"{{{_SE}}}Name").text = style.name
    types = ET.SubElement(user, f"{{{_SE}}}FeatureTypeStyle")
    for cls in style.classes:
        _sld_rule(types, style, cls)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


def _geometry_column(con: sqlite3.Connection, table: str) -> str:
    row = con.execute(
        "SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
    ).fetchone()
    if row is None:
        raise ValueError(f"{table!r} is not a feature table of the GeoPackage")
    return str(row[0])


def write_layer_styles(gpkg: Path, styles: Sequence[LayerStyle]) -> int:
    """Add the styles to a GeoPackage as the default style of their layers.

    Creates ``layer_styles`` (registered in ``gpkg_contents`` as attributes) if missing;
    an earlier default style of the same layer stops being the default.

    Parameters
    ----------
    gpkg
        A GeoPackage that holds every ``style.table`` as a feature table.
    styles
        The styles (one per layer).

    Returns
    -------
    int
        Number of styles written.

    Raises
    ------
    ValueError
        If a style names a table or field the GeoPackage does not have.
    """
    con = sqlite3.connect(gpkg)
    try:
        with con:
            con.execute(_CREATE)
            con.execute(
                "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier) "
                "VALUES (?, 'attributes', ?)",
                (STYLE_TABLE, STYLE_TABLE),
            )
            for style in styles:
                geometry = _geometry_column(con, style.table)
                columns = {str(r[1]) for r in con.execute(f'PRAGMA table_info("{style.table}")')}
                if style.field not in columns:
                    raise ValueError(f"{style.table!r} has no field {style.field!r}")
                con.execute(
                    f"UPDATE {STYLE_TABLE} SET useAsDefault = 0 WHERE f_table_name = ?",
                    (style.table,),
                )
                con.execute(
                    f"INSERT INTO {STYLE_TABLE} (f_table_catalog, f_table_schema, f_table_name, "
                    "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, "
                    "description, owner, ui) VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', '')",
                    (style.table, geometry, style.name, qml(style), sld(style), style.title),
                )
    finally:
        con.close()
    return len(styles)


def write_gpkg_layers(
    out: Path, layers: Mapping[str, gpd.GeoDataFrame], styles: Sequence[LayerStyle]
) -> None:
    """Write several layers and their styles as one GeoPackage, all or nothing.

    Parameters
    ----------
    out
        Target file; replaced only when the new one is complete.
    layers
        Layer name -> features (any CRS; written as they are).
    styles
        Styles of (some of) these layers.
    """
    out = Path(out)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / "atlas.gpkg"
        for name, frame in layers.items():
            kinds = {g.geom_type for g in frame.geometry if g is not None and not g.is_empty}
            geometry_type = kinds.pop() if len(kinds) == 1 else "Unknown"
            frame.to_file(
                tmp, driver="GPKG", layer=name, engine="pyogrio", geometry_type=geometry_type
            )
        write_layer_styles(tmp, styles)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
