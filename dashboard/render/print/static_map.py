"""Printable maps drawn on the server with matplotlib: no browser, no network.

The map is drawn in ETRS89 / UTM zone 32N (EPSG:25832), so one millimetre on paper is the
same number of metres everywhere on the sheet and the scale bar is true. The symbols are
those of the web map (:mod:`dashboard.render.common.symbols`): the same colour and a
matching shape per category, hollow with a dashed edge when the place is only approximate.
Sensitive categories (Unterkunft) are never drawn (:func:`dashboard.domain.privacy.drawable`).

This module draws the map (areas, boundaries, labels, offers); the furniture around it
(title, legend, scale bar, north arrow, footer) is :mod:`dashboard.render.print.furniture`,
the sheet and its layout :mod:`dashboard.render.print.sheet`. The output of the same inputs
is the same file (no timestamps in metadata).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from dashboard.analysis.classify import Choropleth
from dashboard.config import CRS_METRIC
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES
from dashboard.domain.precision import approximate_mask
from dashboard.domain.privacy import drawable
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import validity_text
from dashboard.render.common.legend import choropleth_title
from dashboard.render.print.furniture import draw_furniture, legend_blocks, map_footer_lines
from dashboard.render.print.markers import MARKERS, marker_style
from dashboard.render.print.sheet import (
    MAP_FORMATS,
    MM_PER_INCH,
    ORIENTATIONS,
    PAPER_MM,
    PT_TO_MM,
    Sheet,
    layout,
    paper_size_mm,
    save_figure,
)
from dashboard.render.print.styles import (
    CITY_EDGE,
    CITY_FILL,
    GEMEINDE_EDGE,
    OUTSIDE_FILL,
    SELECTED_EDGE,
    VG_EDGE,
    VG_FILL,
)


def _geom_path(geom: Any) -> MplPath:
    """A matplotlib path of a (multi)polygon with its holes."""
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            parts.append(MplPath(xy, codes))
    return MplPath.make_compound_path(*parts) if parts else MplPath(np.zeros((0, 2)))


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ValueError("layer without CRS; expected EPSG:4326")
    return gdf.to_crs(CRS_METRIC)


def _polygons(
    ax: Any,
    geoms: Sequence[Any],
    *,
    facecolors: Sequence[str] | str,
    edgecolor: str,
    linewidth: float,
    linestyle: Any = "solid",
    zorder: float = 1,
    alpha: float = 1.0,
) -> None:
    patches = [PathPatch(_geom_path(g)) for g in geoms]
    if not patches:
        return
    coll = PatchCollection(
        patches,
        facecolors=facecolors,
        edgecolors=edgecolor,
        linewidths=linewidth,
        linestyles=linestyle,
        zorder=zorder,
        alpha=alpha,
    )
    coll.set_joinstyle("round")
    ax.add_collection(coll, autolim=False)


def _fan_out(xy: np.ndarray, spacing_m: float) -> np.ndarray:
    """Spread points that share a place on a small circle around it (deterministic)."""
    out = xy.copy()
    if len(xy) < 2:
        return out
    keys = [(round(x), round(y)) for x, y in xy]
    groups: dict[tuple[int, int], list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    for members in groups.values():
        n = len(members)
        if n < 2:
            continue
        radius = max(spacing_m * 0.75, spacing_m * n / (2 * math.pi))
        for j, i in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * j / n
            out[i, 0] = xy[i, 0] + radius * math.cos(angle)
            out[i, 1] = xy[i, 1] + radius * math.sin(angle)
    return out


def _shrink(
    bounds: tuple[float, float, float, float], fraction: float
) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * fraction, (maxy - miny) * fraction
    return minx + dx, miny + dy, maxx - dx, maxy - dy


def _fit_extent(
    bounds: tuple[float, float, float, float], box_w: float, box_h: float, pad: float
) -> tuple[float, float, float, float]:
    """Expand bounds (metres) by ``pad`` and to the aspect of the map box."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    minx, maxx, miny, maxy = minx - dx, maxx + dx, miny - dy, maxy + dy
    w, h = maxx - minx, maxy - miny
    target = box_w / box_h
    if w / h < target:
        extra = (h * target - w) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (w / target - h) / 2
        miny, maxy = miny - extra, maxy + extra
    return minx, miny, maxx, maxy


def _label(ax: Any, x: float, y: float, text: str, size: float, **kw: Any) -> None:
    ax.text(
        x,
        y,
        text,
        fontsize=size,
        ha="center",
        va="center",
        parse_math=False,
        clip_on=True,
        path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
        zorder=6,
        **kw,
    )


@dataclass(frozen=True, eq=False)
class _Scene:
    """The layers of one map in metres, and what is shown."""

    vgs: gpd.GeoDataFrame
    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    outline: gpd.GeoDataFrame
    points: gpd.GeoDataFrame
    membership: Any
    vintage: int
    selected_vg: str
    show_gemeinden: bool
    show_city: bool
    choropleth: Choropleth | None
    choropleth_level: str

    @property
    def gemeinde_fill(self) -> bool:
        return self.choropleth is not None and self.choropleth_level == "gemeinde"


def _points(located: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    """The offers that may be drawn (active, not sensitive, with a point), in metres."""
    empty = gpd.GeoDataFrame(
        {"category": [], "precision": [], "reference_date": [], "source": []},
        geometry=[],
        crs=CRS_METRIC,
    )
    if located is None:
        return empty
    active = located[located["status"] == "active"] if "status" in located else located
    pub = drawable(active)
    pub = pub[pub.geometry.notna() & ~pub.geometry.is_empty]
    pub = pub.sort_values(["category", "name", "id"], kind="stable") if len(pub) else pub
    return _metric(pub) if len(pub) else empty


def _scene(
    data: DistrictData, vintage: int, located: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None, choropleth_level: str, selected_vg: str,
    show_gemeinden: bool, show_city: bool,
) -> _Scene:  # fmt: skip
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    if choropleth_level not in ("vg", "gemeinde"):
        raise ValueError(f"unknown level {choropleth_level!r}; expected vg or gemeinde")
    vgs = _metric(data.vgs[vintage])
    if selected_vg and selected_vg not in set(vgs["rs"]):
        raise ValueError(f"unknown VG {selected_vg!r} for vintage {vintage}")
    return _Scene(
        vgs=vgs, gemeinden=_metric(data.gemeinden), city=_metric(data.city),
        outline=_metric(data.outline), points=_points(located), membership=data.membership,
        vintage=vintage, selected_vg=selected_vg, show_gemeinden=show_gemeinden,
        show_city=show_city, choropleth=choropleth, choropleth_level=choropleth_level,
    )  # fmt: skip


def _headings(scene: _Scene, title: str | None, subtitle: str | None, lang: str) -> tuple[str, str]:
    """The title and subtitle (``None``: the defaults for the district or the VG)."""
    if title is None:
        title = t("map.title", lang)
    if subtitle is None:
        vgs = scene.vgs
        if scene.selected_vg:
            name = str(vgs.loc[vgs["rs"] == scene.selected_vg, "name"].iloc[0])
            subtitle = t("map.subtitle_vg", lang, name=name, vg_key=scene.selected_vg,
                         vintage=scene.vintage)  # fmt: skip
        else:
            validity = validity_text(scene.vintage, lang)
            subtitle = t("map.subtitle", lang, vintage=scene.vintage, validity=validity)
        if scene.choropleth is not None:
            subtitle += " · " + choropleth_title(scene.choropleth, lang)
    return title, subtitle


def _axes(
    fig: Figure, sheet: Sheet, scene: _Scene
) -> tuple[Any, tuple[float, float, float, float]]:
    """The map's axes in the map box, zoomed to the district or the selected VG."""
    lay = sheet.lay
    mx, my, mw, mh = lay.map_box
    ax = fig.add_axes((mx / lay.width, my / lay.height, mw / lay.width, mh / lay.height))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#333333")
    ax.set_facecolor(OUTSIDE_FILL)
    if scene.selected_vg:
        bounds = tuple(scene.vgs.loc[scene.vgs["rs"] == scene.selected_vg].total_bounds)
        pad = 0.08
    else:
        bounds = tuple(scene.outline.total_bounds)
        pad = 0.03
    extent = _fit_extent(bounds, mw, mh, pad)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    return ax, extent


def _draw_areas(ax: Any, scene: _Scene, font: float) -> None:
    """Area fills (the overlay) and boundaries, from the city below to the selected VG."""
    ch = scene.choropleth
    if scene.show_city:
        _polygons(ax, list(scene.city.geometry), facecolors=CITY_FILL, edgecolor=CITY_EDGE,
                  linewidth=0.8 * font, linestyle=(0, (4, 3)), zorder=1)  # fmt: skip
    if ch is not None and scene.choropleth_level == "gemeinde":
        fills = [ch.color(a) for a in scene.gemeinden["ags"]]
        _polygons(ax, list(scene.gemeinden.geometry), facecolors=fills, edgecolor="none",
                  linewidth=0, zorder=1.5)  # fmt: skip
        vg_fill: Sequence[str] | str = "none"
    elif ch is not None:
        vg_fill = [ch.color(k) for k in scene.vgs["rs"]]
    else:
        vg_fill = VG_FILL
    vgs = list(scene.vgs.geometry)
    _polygons(ax, vgs, facecolors=vg_fill, edgecolor="none", linewidth=0, zorder=1.6)
    if scene.show_gemeinden or scene.gemeinde_fill:
        filled = scene.gemeinde_fill
        _polygons(
            ax, list(scene.gemeinden.geometry), facecolors="none",
            edgecolor="#ffffff" if filled else GEMEINDE_EDGE,
            linewidth=(0.6 if filled else 0.45) * font,
            linestyle="solid" if filled else (0, (2.5, 2)), zorder=2,
        )  # fmt: skip
    _polygons(ax, vgs, facecolors="none", edgecolor=VG_EDGE, linewidth=1.6 * font, zorder=3)
    if scene.selected_vg:
        sel = scene.vgs[scene.vgs["rs"] == scene.selected_vg]
        _polygons(ax, list(sel.geometry), facecolors="none", edgecolor=SELECTED_EDGE,
                  linewidth=2.4 * font, zorder=3.5)  # fmt: skip


def _draw_labels(
    ax: Any, scene: _Scene, extent: tuple[float, float, float, float], m_per_mm: float,
    font: float, lang: str,
) -> None:  # fmt: skip
    """Names: below the place (offers at a Gemeinde centre would hide them); with a VG
    selected its Gemeinden and the neighbouring VGs in view, else every VG."""
    label_dy = 4.2 * font * m_per_mm
    if scene.show_city:
        for geom in scene.city.geometry:
            p = geom.representative_point()
            _label(ax, p.x, p.y - label_dy, t("city.label", lang), 6.5 * font, color="#555555",
                   style="italic")  # fmt: skip
    vgs = scene.vgs
    if not scene.selected_vg:
        for _, v in vgs.iterrows():
            p = v.geometry.representative_point()
            _label(ax, p.x, p.y, str(v["name"]), 7.5 * font, color=VG_EDGE, weight="bold")
        return
    mem = scene.membership
    members = set(mem.loc[mem[f"vg_rs_{scene.vintage}"] == scene.selected_vg, "ags"])
    gem = scene.gemeinden
    for _, g in gem[gem["ags"].isin(members)].iterrows():
        p = g.geometry.representative_point()
        _label(ax, p.x, p.y - label_dy, str(g["name"]), 5.8 * font, color="#2b3a4f")
    view = shapely.box(*_shrink(extent, 0.06))
    for _, v in vgs[vgs["rs"] != scene.selected_vg].iterrows():
        part = v.geometry.intersection(view)
        if part.is_empty or part.area < 0.01 * view.area:
            continue
        p = part.representative_point()
        _label(ax, p.x, p.y, str(v["name"]), 6.8 * font, color=VG_EDGE, weight="bold",
               alpha=0.8)  # fmt: skip


def _draw_points(ax: Any, points: gpd.GeoDataFrame, m_per_mm: float, font: float) -> None:
    """The offers: one symbol per category, hollow and dashed where approximate; offers at
    one place fanned out on a small circle."""
    if not len(points):
        return
    size_pt = 6.6 * font
    xy = np.column_stack([points.geometry.x.to_numpy(), points.geometry.y.to_numpy()])
    xy = _fan_out(xy, size_pt * PT_TO_MM * 1.25 * m_per_mm)
    approx = approximate_mask(points["precision"])
    cats = points["category"].to_numpy()
    for c in CATEGORIES:
        for is_approx in (False, True):
            sel_idx = (cats == c) & (approx == is_approx)
            if not sel_idx.any():
                continue
            st = marker_style(c, is_approx)
            ax.scatter(
                xy[sel_idx, 0], xy[sel_idx, 1], s=(size_pt * st["scale"]) ** 2,
                marker=st["marker"], facecolors=st["facecolor"], edgecolors=st["edgecolor"],
                linewidths=1.0 * font if is_approx else 0.7 * font,
                linestyles=st["linestyle"], zorder=7 if not is_approx else 6.5,
            )  # fmt: skip


def map_figure(
    data: DistrictData,
    vintage: int,
    located: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None,
    *,
    size_mm: tuple[float, float],
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "de",
    choropleth_level: str = "vg",
    selected_vg: str = "",
    show_gemeinden: bool = True,
    show_city: bool = True,
    compact: bool = False,
    with_footer: bool = True,
    dpi: float = 300,
    legend: bool = True,
    font_scale: float = 1.0,
) -> Figure:
    """Draw the map on a matplotlib figure of a given size (no pyplot, no global state).

    Parameters
    ----------
    data
        Boundaries and population.
    vintage
        VG boundary vintage.
    located
        Facilities to draw (already filtered); sensitive categories, closed offers and
        facilities without a point are dropped here. ``None`` draws no facility layer.
    choropleth
        Classified indicator for the ``choropleth_level`` areas, or ``None``.
    size_mm
        Sheet (width, height) in millimetres.
    title, subtitle
        Heading lines; ``title=""`` leaves out the title band, ``None`` uses defaults.
    lang
        ``de`` or ``en``.
    choropleth_level
        ``vg`` or ``gemeinde``.
    selected_vg
        9-digit key of a VG of ``vintage`` to outline and zoom to.
    show_gemeinden, show_city
        Boundary layers.
    compact
        Smaller fonts and margins (for a map inside a report page).
    with_footer
        Print data dates, sources and licence below the map (the BKG attribution inside
        the map frame is always drawn).
    dpi
        Resolution used when the figure is saved as a raster.
    legend
        Draw the legend beside the map (``False``: the map takes the whole width; for a
        screen that shows the legend itself).
    font_scale
        Factor on every font size and line width of labels (e.g. for a projector).

    Returns
    -------
    matplotlib.figure.Figure
        The drawn sheet.
    """
    scene = _scene(data, vintage, located, choropleth, choropleth_level, selected_vg,
                   show_gemeinden, show_city)  # fmt: skip
    title, subtitle = _headings(scene, title, subtitle, lang)
    footer = map_footer_lines(vintage, scene.points, choropleth, lang) if with_footer else []
    width, height = size_mm
    lay = layout(width, height, footer, bool(title), compact, legend, font_scale)
    # whole pixels at ``dpi`` (A4 landscape at 300 dpi: 3508 x 2480 px)
    px_w, px_h = round(width / MM_PER_INCH * dpi), round(height / MM_PER_INCH * dpi)
    fig = Figure(figsize=(px_w / dpi, px_h / dpi), dpi=dpi)
    fig.patch.set_facecolor("white")
    sheet = Sheet(fig, lay)
    ax, extent = _axes(fig, sheet, scene)
    m_per_mm = (extent[2] - extent[0]) / lay.map_box[2]
    _draw_areas(ax, scene, lay.font)
    _draw_labels(ax, scene, extent, m_per_mm, lay.font, lang)
    if located is not None:
        _draw_points(ax, scene.points, m_per_mm, lay.font)
    blocks = (
        legend_blocks(
            vintage,
            scene.points,
            choropleth,
            lang,
            show_gemeinden,
            show_city,
            bool(selected_vg),
            located is not None,
            scene.gemeinde_fill,
        )  # fmt: skip
        if legend
        else None
    )
    draw_furniture(sheet, title=title, subtitle=subtitle or "", blocks=blocks, extent=extent,
                   lang=lang)  # fmt: skip
    return fig


def render_map(
    data: DistrictData,
    vintage: int,
    located: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None,
    *,
    paper: str = "A4",
    orientation: str = "landscape",
    dpi: int = 300,
    fmt: str = "png",
    title: str | None = None,
    lang: str = "de",
    out: Path,
    subtitle: str | None = None,
    choropleth_level: str = "vg",
    selected_vg: str = "",
    show_gemeinden: bool = True,
    show_city: bool = True,
) -> Path:
    """Render a printable map (PNG or PDF) on the server, without browser or network.

    Parameters
    ----------
    data
        Boundaries and population.
    vintage
        VG boundary vintage.
    located
        Facilities to draw (filtered as on the map page); sensitive categories are never
        drawn. ``None`` leaves out the facility layer.
    choropleth
        Classified indicator (:func:`dashboard.analysis.classify.build_choropleth`) or ``None``.
    paper, orientation
        ``A4``/``A3`` and ``landscape``/``portrait``.
    dpi
        Resolution of the PNG (A4 at 300 dpi: 3508 x 2480 px).
    fmt
        ``png`` or ``pdf`` (vector, text selectable).
    title, subtitle
        Heading; ``None`` uses the defaults.
    lang
        ``de`` or ``en``.
    out
        Target file.
    choropleth_level
        ``vg`` or ``gemeinde``.
    selected_vg
        VG key to outline and zoom to ("" = whole district).
    show_gemeinden, show_city
        Boundary layers.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    size = paper_size_mm(paper, orientation)
    if fmt not in MAP_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {MAP_FORMATS}")
    if dpi <= 0:
        raise ValueError("dpi must be positive")
    fig = map_figure(
        data,
        vintage,
        located,
        choropleth,
        size_mm=size,
        title=title,
        subtitle=subtitle,
        lang=lang,
        choropleth_level=choropleth_level,
        selected_vg=selected_vg,
        show_gemeinden=show_gemeinden,
        show_city=show_city,
        dpi=dpi,
    )
    return save_figure(fig, out, fmt, dpi, title or t("map.title", lang))


__all__ = [
    "MAP_FORMATS",
    "MARKERS",
    "ORIENTATIONS",
    "PAPER_MM",
    "map_figure",
    "map_footer_lines",
    "marker_style",
    "paper_size_mm",
    "render_map",
    "save_figure",
]
