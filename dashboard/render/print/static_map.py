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

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.figure import Figure

from dashboard.analysis.classify import Choropleth
from dashboard.config import CRS_METRIC
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES
from dashboard.domain.precision import approximate_mask
from dashboard.domain.privacy import drawable
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import validity_text
from dashboard.render.common.alt import sheet_alt_text
from dashboard.render.common.legend import choropleth_title
from dashboard.render.print.furniture import (
    Block,
    draw_furniture,
    keep_labels_clear,
    legend_blocks,
    map_footer_lines,
)
from dashboard.render.print.geometry import fan_out, fit_extent, label, metric, polygons, shrink
from dashboard.render.print.markers import MARKERS, marker_style
from dashboard.render.print.sheet import (
    MAP_FORMATS,
    MM_PER_INCH,
    ORIENTATIONS,
    PAPER_MM,
    PT_TO_MM,
    Layout,
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
    return metric(pub) if len(pub) else empty


def _scene(
    data: DistrictData, vintage: int, located: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None, choropleth_level: str, selected_vg: str,
    show_gemeinden: bool, show_city: bool,
) -> _Scene:  # fmt: skip
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    if choropleth_level not in ("vg", "gemeinde"):
        raise ValueError(f"unknown level {choropleth_level!r}; expected vg or gemeinde")
    vgs = metric(data.vgs[vintage])
    if selected_vg and selected_vg not in set(vgs["rs"]):
        raise ValueError(f"unknown VG {selected_vg!r} for vintage {vintage}")
    return _Scene(
        vgs=vgs, gemeinden=metric(data.gemeinden), city=metric(data.city),
        outline=metric(data.outline), points=_points(located), membership=data.membership,
        vintage=vintage, selected_vg=selected_vg, show_gemeinden=show_gemeinden,
        show_city=show_city, choropleth=choropleth, choropleth_level=choropleth_level,
    )  # fmt: skip


def _headings(scene: _Scene, title: str | None, subtitle: str | None, lang: str) -> tuple[str, str]:
    """The title and subtitle (``None``: the defaults for the district or the VG). A given
    title is not repeated by the default subtitle (a presentation view's title names the VG
    and the shading already: the subtitle then says only what the title does not)."""
    given = title or ""
    if title is None:
        title = t("map.title", lang)
    if subtitle is None:
        vgs = scene.vgs
        validity = validity_text(scene.vintage, lang)
        parts = [t("map.subtitle", lang, vintage=scene.vintage, validity=validity)]
        if scene.selected_vg:
            name = str(vgs.loc[vgs["rs"] == scene.selected_vg, "name"].iloc[0])
            if f"{name} ({scene.selected_vg})" in given:
                parts = [t("map.subtitle_vintage", lang, vintage=scene.vintage, validity=validity)]
            else:
                parts = [t("map.subtitle_vg", lang, name=name, vg_key=scene.selected_vg,
                           vintage=scene.vintage)]  # fmt: skip
        shading = choropleth_title(scene.choropleth, lang) if scene.choropleth else ""
        if shading and shading not in given:
            parts.append(shading)
        subtitle = " · ".join(parts)
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
    extent = fit_extent(bounds, mw, mh, pad)
    ax.set_xlim(extent[0], extent[2])
    ax.set_ylim(extent[1], extent[3])
    ax.set_aspect("equal", adjustable="box")
    return ax, extent


def _draw_areas(ax: Any, scene: _Scene, font: float) -> None:
    """Area fills (the overlay) and boundaries, from the city below to the selected VG."""
    ch = scene.choropleth
    if scene.show_city:
        polygons(ax, list(scene.city.geometry), facecolors=CITY_FILL, edgecolor=CITY_EDGE,
                  linewidth=0.8 * font, linestyle=(0, (4, 3)), zorder=1)  # fmt: skip
    if ch is not None and scene.choropleth_level == "gemeinde":
        fills = [ch.color(a) for a in scene.gemeinden["ags"]]
        polygons(ax, list(scene.gemeinden.geometry), facecolors=fills, edgecolor="none",
                  linewidth=0, zorder=1.5)  # fmt: skip
        vg_fill: Sequence[str] | str = "none"
    elif ch is not None:
        vg_fill = [ch.color(k) for k in scene.vgs["rs"]]
    else:
        vg_fill = VG_FILL
    vgs = list(scene.vgs.geometry)
    polygons(ax, vgs, facecolors=vg_fill, edgecolor="none", linewidth=0, zorder=1.6)
    if scene.show_gemeinden or scene.gemeinde_fill:
        filled = scene.gemeinde_fill
        polygons(
            ax, list(scene.gemeinden.geometry), facecolors="none",
            edgecolor="#ffffff" if filled else GEMEINDE_EDGE,
            linewidth=(0.6 if filled else 0.45) * font,
            linestyle="solid" if filled else (0, (2.5, 2)), zorder=2,
        )  # fmt: skip
    polygons(ax, vgs, facecolors="none", edgecolor=VG_EDGE, linewidth=1.6 * font, zorder=3)
    if scene.selected_vg:
        sel = scene.vgs[scene.vgs["rs"] == scene.selected_vg]
        polygons(ax, list(sel.geometry), facecolors="none", edgecolor=SELECTED_EDGE,
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
            label(ax, p.x, p.y - label_dy, t("city.label", lang), 6.5 * font, color="#555555",
                   style="italic")  # fmt: skip
    vgs = scene.vgs
    if not scene.selected_vg:
        for _, v in vgs.iterrows():
            p = v.geometry.representative_point()
            label(ax, p.x, p.y, str(v["name"]), 7.5 * font, color=VG_EDGE, weight="bold")
        return
    mem = scene.membership
    members = set(mem.loc[mem[f"vg_rs_{scene.vintage}"] == scene.selected_vg, "ags"])
    gem = scene.gemeinden
    for _, g in gem[gem["ags"].isin(members)].iterrows():
        p = g.geometry.representative_point()
        label(ax, p.x, p.y - label_dy, str(g["name"]), 5.8 * font, color="#2b3a4f")
    view = shapely.box(*shrink(extent, 0.06))
    for _, v in vgs[vgs["rs"] != scene.selected_vg].iterrows():
        part = v.geometry.intersection(view)
        if part.is_empty or part.area < 0.01 * view.area:
            continue
        p = part.representative_point()
        label(ax, p.x, p.y, str(v["name"]), 6.8 * font, color=VG_EDGE, weight="bold",
               alpha=0.8)  # fmt: skip


def _draw_points(ax: Any, points: gpd.GeoDataFrame, m_per_mm: float, font: float) -> None:
    """The offers: one symbol per category, hollow and dashed where approximate; offers at
    one place fanned out on a small circle."""
    if not len(points):
        return
    size_pt = 6.6 * font
    xy = np.column_stack([points.geometry.x.to_numpy(), points.geometry.y.to_numpy()])
    xy = fan_out(xy, size_pt * PT_TO_MM * 1.25 * m_per_mm)
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


def _figure(lay: Layout, dpi: float) -> tuple[Figure, Sheet]:
    """A white figure of the sheet's size in whole pixels at ``dpi`` (A4 landscape at 300
    dpi: 3508 x 2480 px), and the sheet to draw on in millimetres."""
    px_w, px_h = round(lay.width / MM_PER_INCH * dpi), round(lay.height / MM_PER_INCH * dpi)
    fig = Figure(figsize=(px_w / dpi, px_h / dpi), dpi=dpi)
    fig.patch.set_facecolor("white")
    return fig, Sheet(fig, lay)


def _legend(scene: _Scene, lang: str, draw_points: bool) -> list[Block]:
    return legend_blocks(
        scene.vintage, scene.points, scene.choropleth, lang, scene.show_gemeinden,
        scene.show_city, bool(scene.selected_vg), draw_points, scene.gemeinde_fill,
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
    data, vintage
        Boundaries and population; the VG boundary vintage.
    located
        Facilities to draw (already filtered); sensitive categories, closed offers and
        facilities without a point are dropped here. ``None`` draws no facility layer.
    choropleth, choropleth_level
        Classified indicator of the ``vg`` or ``gemeinde`` areas, or ``None``.
    size_mm, dpi
        Sheet (width, height) in millimetres; resolution when saved as a raster.
    title, subtitle
        Heading lines; ``title=""`` leaves out the title band, ``None`` uses defaults.
    lang
        ``de`` or ``en``.
    selected_vg
        9-digit key of a VG of ``vintage`` to outline and zoom to.
    show_gemeinden, show_city
        Boundary layers.
    compact, font_scale
        Smaller fonts and margins (a map inside a report page); a factor on every font
        size and label line width (e.g. for a projector).
    with_footer, legend
        Print data dates, sources and licence below the map (the BKG attribution inside
        the frame is always drawn); draw the legend beside the map (``False``: the map
        takes the whole width, for a screen that shows the legend itself).

    Returns
    -------
    matplotlib.figure.Figure
        The drawn sheet.
    """
    scene = _scene(data, vintage, located, choropleth, choropleth_level, selected_vg,
                   show_gemeinden, show_city)  # fmt: skip
    title, subtitle = _headings(scene, title, subtitle, lang)
    footer = map_footer_lines(vintage, scene.points, choropleth, lang) if with_footer else []
    lay = layout(*size_mm, footer, bool(title), compact, legend, font_scale)
    fig, sheet = _figure(lay, dpi)
    ax, extent = _axes(fig, sheet, scene)
    m_per_mm = (extent[2] - extent[0]) / lay.map_box[2]
    _draw_areas(ax, scene, lay.font)
    _draw_labels(ax, scene, extent, m_per_mm, lay.font, lang)
    if located is not None:
        _draw_points(ax, scene.points, m_per_mm, lay.font)
    blocks = _legend(scene, lang, located is not None) if legend else None
    draw_furniture(sheet, title=title, subtitle=subtitle or "", blocks=blocks, extent=extent,
                   lang=lang)  # fmt: skip
    keep_labels_clear(fig, ax)
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
        data, vintage, located, choropleth, size_mm=size, title=title, subtitle=subtitle,
        lang=lang, choropleth_level=choropleth_level, selected_vg=selected_vg,
        show_gemeinden=show_gemeinden, show_city=show_city, dpi=dpi,
    )  # fmt: skip
    alt = ""
    if fmt == "pdf":
        alt = sheet_alt(data, vintage, located, choropleth, title=title, subtitle=subtitle,
                        lang=lang, choropleth_level=choropleth_level, selected_vg=selected_vg)  # fmt: skip
    return save_figure(fig, out, fmt, dpi, title or t("map.title", lang), alt=alt, lang=lang)


def sheet_alt(
    data: DistrictData,
    vintage: int,
    located: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None,
    *,
    title: str | None,
    subtitle: str | None,
    lang: str,
    choropleth_level: str = "vg",
    selected_vg: str = "",
) -> str:
    """The alternative text of a printed map sheet (the figure of its PDF): title and
    subtitle, the areas drawn, the selected VG, the shading's classes with how many areas
    fall into each, the offers drawn, and the footer (data dates, sources, licence).

    Parameters
    ----------
    data, vintage, located, choropleth
        As for :func:`map_figure`.
    title, subtitle, lang, choropleth_level, selected_vg
        As for :func:`map_figure`.

    Returns
    -------
    str
        ``Karte: …`` (``Map: …``).
    """
    scene = _scene(data, vintage, located, choropleth, choropleth_level, selected_vg,
                   show_gemeinden=True, show_city=True)  # fmt: skip
    title, subtitle = _headings(scene, title, subtitle, lang)
    vgs = scene.vgs
    selected = str(vgs.loc[vgs["rs"] == selected_vg, "name"].iloc[0]) if selected_vg else ""
    points = scene.points if located is not None else None
    footer = map_footer_lines(vintage, scene.points, choropleth, lang)
    return sheet_alt_text(
        " – ".join(x for x in (title, subtitle) if x), (len(vgs), vintage), selected,
        (choropleth, points, choropleth_level), lang, tuple(footer),
    )  # fmt: skip


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
    "sheet_alt",
]
