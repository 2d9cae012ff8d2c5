"""Printable maps drawn on the server with matplotlib: no browser, no network.

The map is drawn in ETRS89 / UTM zone 32N (EPSG:25832), so one millimetre on paper is the
same number of metres everywhere on the sheet and the scale bar is true. The symbols are
those of the web map (:data:`dashboard.render.web.atlas.SYMBOLS`): the same colour and a matching
shape per category, hollow with a dashed edge when the place is only approximate.
Sensitive categories (Unterkunft) are never drawn (:func:`dashboard.domain.privacy.drawable`).

All furniture (title, legend, scale bar, north arrow, footer) is placed in millimetres on
the sheet; the output of the same inputs is the same file (no timestamps in metadata).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D, Transform
from pyproj import Transformer

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.config import BKG_ATTRIBUTION, CRS_DISPLAY, CRS_METRIC
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_exact, fmt_int
from dashboard.render.rates import rate_dates
from dashboard.render.web.basemap import _validity
from dashboard.render.web.legend import choropleth_title, class_labels, date_note
from dashboard.render.web.symbols import APPROXIMATE, SYMBOLS

#: Paper sizes (width, height) in millimetres, portrait.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS: tuple[str, ...] = ("landscape", "portrait")
MAP_FORMATS: tuple[str, ...] = ("png", "pdf")

_MM_PER_INCH = 25.4
_PT_TO_MM = 25.4 / 72.0
#: Average glyph width of DejaVu Sans as a fraction of the font size (for wrapping).
_CHAR_WIDTH = 0.56


def _house_marker() -> MplPath:
    """The house symbol of the web map (SVG polygon, y flipped) as a marker path."""
    pts = [(10, 2), (18, 9), (16, 9), (16, 18), (4, 18), (4, 9), (2, 9)]
    verts = [((x - 10) / 8.0, (10 - y) / 8.0) for x, y in pts]
    verts.append(verts[0])
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(pts) - 1) + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


#: Web symbol shape -> matplotlib marker.
MARKERS: dict[str, Any] = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "pentagon": "p",
    "cross": "P",
    "hexagon": "h",
    "star": "*",
    "house": _house_marker(),
}
#: Marker size factors so that all shapes look about equally large.
_MARKER_SCALE = {"triangle": 1.1, "diamond": 0.85, "star": 1.3, "cross": 1.05, "house": 1.0}

VG_EDGE = "#1b3a6b"
GEMEINDE_EDGE = "#5a6f8a"
CITY_EDGE = "#6b6b6b"
CITY_FILL = "#f4f1ea"
VG_FILL = "#dde8f5"  # the web map's #8fb3de at 15 % opacity over white
SELECTED_EDGE = "#d7301f"
OUTSIDE_FILL = "#ffffff"
_DARK_YELLOW_EDGE = "#8a7f00"  # a yellow outline on white needs a dark edge to be seen


def marker_style(category: str, approximate: bool) -> dict[str, Any]:
    """Marker keyword arguments for a category (filled, or hollow and dashed).

    Parameters
    ----------
    category
        A key of :data:`dashboard.render.web.atlas.SYMBOLS`.
    approximate
        Whether the place is only known to the Gemeinde or postcode.

    Returns
    -------
    dict
        ``marker``, ``facecolor``, ``edgecolor``, ``linestyle`` and ``scale``.
    """
    color, shape = SYMBOLS[category]
    line: str | tuple[int, tuple[float, float]]  # a matplotlib line style
    if approximate:
        edge = _DARK_YELLOW_EDGE if color.upper() == "#F0E442" else color
        face, line = "#ffffff", (0, (2.2, 1.2))
    else:
        edge, face, line = "#1a1a1a", color, "solid"
    return {
        "marker": MARKERS[shape],
        "facecolor": face,
        "edgecolor": edge,
        "linestyle": line,
        "scale": _MARKER_SCALE.get(shape, 1.0),
    }


# -- geometry helpers ------------------------------------------------------------------------
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


def _nice_length(target_m: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not above ``target_m``."""
    exp = math.floor(math.log10(max(target_m, 1.0)))
    best = 10.0**exp
    for f in (1, 2, 5, 10):
        if f * 10**exp <= target_m:
            best = f * 10.0**exp
    return best


def _round_scale(n: float) -> int:
    """Scale denominator rounded to three significant digits."""
    if n <= 0 or not math.isfinite(n):
        return 0
    digits = max(0, int(math.floor(math.log10(n))) - 2)
    return int(round(n / 10**digits) * 10**digits)


def _grid_convergence_deg(x: float, y: float) -> float:
    """Angle (degrees, clockwise positive) from grid north to true north at a point."""
    to_geo = Transformer.from_crs(CRS_METRIC, CRS_DISPLAY, always_xy=True)
    to_grid = Transformer.from_crs(CRS_DISPLAY, CRS_METRIC, always_xy=True)
    lon, lat = to_geo.transform(x, y)
    x2, y2 = to_grid.transform(lon, lat + 0.01)
    return math.degrees(math.atan2(x2 - x, y2 - y))


def _wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    chars = max(10, int(width_mm / (size_pt * _PT_TO_MM * _CHAR_WIDTH)))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


def _line_mm(size_pt: float) -> float:
    return size_pt * _PT_TO_MM * 1.32


# -- content ---------------------------------------------------------------------------------
def _date_range(dates: Sequence[Any], lang: str) -> str:
    """``oldest bis newest`` of ISO strings or dates (missing ones ignored), or "–"."""
    values = sorted({str(d)[:10] for d in dates if d is not None and d == d and str(d)})
    if not values:
        return "–"
    if values[0] == values[-1]:
        return fmt_date(values[0], lang)
    return t(
        "dates.range", lang, oldest=fmt_date(values[0], lang), newest=fmt_date(values[-1], lang)
    )


def _sources_text(sources: Sequence[str], lang: str, limit: int) -> str:
    distinct = sorted({s for s in sources if s})
    if len(distinct) > limit:
        rest = len(distinct) - limit
        distinct = [*distinct[:limit], t("footer.more_sources", lang, n=rest)]
    return "; ".join(distinct)


def map_footer_lines(
    vintage: int,
    points: gpd.GeoDataFrame,
    choropleth: Choropleth | None,
    lang: str,
    source_limit: int = 6,
) -> list[str]:
    """The footer of a printed map: data dates, sources and the BKG attribution.

    Parameters
    ----------
    vintage
        VG boundary vintage.
    points
        The facilities drawn.
    choropleth
        The shaded indicator, if any.
    lang
        ``de`` or ``en``.
    source_limit
        Facility sources named before "and n more" (the indicator's are all named).

    Returns
    -------
    list of str
        Paragraphs (dates; sources; licence and attribution).
    """
    dates = [
        t("footer.boundaries", lang, vintage=vintage, validity=_validity(vintage, lang)),
    ]
    if choropleth is not None:
        date = (
            fmt_date(choropleth.reference_date, lang)
            if choropleth.reference_date
            else t("map.legend_undated", lang)
        )
        if choropleth.dates_mixed:
            date = t("footer.mixed", lang, date=date)
        dates.append(
            t("footer.indicator", lang, title=choropleth_title(choropleth, lang), date=date)
        )
    if len(points):
        dates.append(
            t("footer.offers", lang, dates=_date_range(list(points["reference_date"]), lang))
        )
    sources = ["BKG VG250"]
    if choropleth is not None:
        sources += [s for s in choropleth.sources if s not in sources]
    offer_sources = sorted({str(s) for s in points["source"]} - set(sources)) if len(points) else []
    if offer_sources:
        sources.append(_sources_text(offer_sources, lang, source_limit))
    return [
        t("footer.dates", lang) + ": " + "; ".join(dates),
        t("footer.sources", lang) + ": " + "; ".join(sources),
        t("footer.licence", lang, bkg=BKG_ATTRIBUTION) + " · " + t("crs", lang),
    ]


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    margin: float
    font: float  # scale of all font sizes
    map_box: tuple[float, float, float, float]  # x, y, w, h in mm
    legend_box: tuple[float, float, float, float]
    legend_columns: int
    title_y: float
    footer_y: float
    footer_lines: list[str]
    footer_size: float


def _layout(
    width: float,
    height: float,
    footer: list[str],
    has_title: bool,
    compact: bool,
    legend: bool = True,
    font_scale: float = 1.0,
) -> _Layout:
    font = 1.0 if width * height <= 210 * 297 * 1.05 else math.sqrt(2) * 0.85
    if compact:
        font = 0.8
    font *= font_scale
    margin = 6.0 if compact else (10.0 if font == 1.0 else 13.0)
    title_h = (17.0 * font) if has_title else 0.0
    footer_size = 6.4 * font
    inner_w = width - 2 * margin
    wrapped = [line for para in footer for line in _wrap(para, inner_w, footer_size)]
    footer_h = len(wrapped) * _line_mm(footer_size) + (3.5 if wrapped else 0.0)
    top = height - margin - title_h
    bottom = margin + footer_h
    landscape = width / height > 1.15
    if landscape:
        legend_w = (58.0 if not compact else 50.0) * font if legend else 0.0
        gap = 4.0 if legend else 0.0
        map_box = (margin, bottom, inner_w - legend_w - gap, top - bottom)
        legend_box = (margin + inner_w - legend_w, bottom, legend_w, top - bottom)
        columns = 1
    else:
        legend_h = 52.0 * font
        map_box = (margin, bottom + legend_h + 3.0, inner_w, top - bottom - legend_h - 3.0)
        legend_box = (margin, bottom, inner_w, legend_h)
        columns = 3
    return _Layout(
        width,
        height,
        margin,
        font,
        map_box,
        legend_box,
        columns,
        height - margin,
        margin + footer_h - 3.5 if wrapped else margin,
        wrapped,
        footer_size,
    )


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


class _Sheet:
    """Drawing helpers in millimetres on the sheet (origin bottom left)."""

    def __init__(self, fig: Figure, lay: _Layout) -> None:
        self.fig = fig
        self.lay = lay
        self.mm: Transform = Affine2D().scale(1 / _MM_PER_INCH) + fig.dpi_scale_trans

    def text(self, x: float, y: float, s: str, size: float, **kw: Any) -> None:
        kw.setdefault("va", "baseline")
        self.fig.text(
            x, y, s, transform=self.mm, fontsize=size * self.lay.font, parse_math=False, **kw
        )

    def rect(self, x: float, y: float, w: float, h: float, **kw: Any) -> None:
        self.fig.add_artist(Rectangle((x, y), w, h, transform=self.mm, **kw))

    def marker(self, x: float, y: float, style: dict[str, Any], size: float) -> None:
        self.fig.add_artist(
            Line2D(
                [x],
                [y],
                transform=self.mm,
                marker=style["marker"],
                markersize=size * style["scale"],
                markerfacecolor=style["facecolor"],
                markeredgecolor=style["edgecolor"],
                markeredgewidth=0.9 if style["linestyle"] == "solid" else 1.1,
                linestyle="none",
                dash_capstyle="butt",
            )
        )

    def line(self, x: float, y: float, w: float, **kw: Any) -> None:
        self.fig.add_artist(Line2D([x, x + w], [y, y], transform=self.mm, **kw))


def _legend_blocks(
    vintage: int,
    points: gpd.GeoDataFrame,
    choropleth: Choropleth | None,
    lang: str,
    show_gemeinden: bool,
    show_city: bool,
    selected: bool,
    draw_points: bool,
    gemeinde_fill: bool = False,
) -> list[tuple[str, list[tuple[str, Any, str]]]]:
    """Legend blocks: (title, entries); an entry is (kind, swatch spec, label)."""
    blocks: list[tuple[str, list[tuple[str, Any, str]]]] = []
    if choropleth is not None:
        entries: list[tuple[str, Any, str]] = [
            ("fill", (color, "solid"), label) for color, label in class_labels(choropleth, lang)
        ]
        entries.append(("fill", (NO_DATA_COLOR, "dashed"), t("map.no_data", lang)))
        note = date_note(choropleth, lang)
        if choropleth.derived:
            note += "; " + t("map.legend_derived", lang)
        if rate_dates(choropleth, lang):  # a rate names both dates
            note += "; " + rate_dates(choropleth, lang)
        entries.append(("note", None, note))
        blocks.append((choropleth_title(choropleth, lang), entries))
    if draw_points:
        present = [c for c in CATEGORIES if c in set(points["category"])]
        entries = [("marker", marker_style(c, False), str(CATEGORIES[c][lang])) for c in present]
        if len(points) and points["precision"].isin(APPROXIMATE).any():
            sample = present[0] if present else "Kita"
            entries.append(("marker", marker_style(sample, True), t("map.legend_approx", lang)))
        if not present:
            entries.append(("note", None, t("legend.no_offers", lang)))
        if len(points) and len(points) != len({(round(p.x), round(p.y)) for p in points.geometry}):
            entries.append(("note", None, t("legend.stacked", lang)))
        if SENSITIVE_CATEGORIES:
            entries.append(("note", None, t("legend.sensitive", lang)))
        blocks.append((t("map.legend_facilities", lang), entries))
    entries = [("edge", (VG_EDGE, 1.6, "solid", VG_FILL), t("legend.vg", lang, vintage=vintage))]
    if selected:
        entries.append(("edge", (SELECTED_EDGE, 2.4, "solid", "none"), t("legend.selected", lang)))
    if gemeinde_fill:
        entries.append(("edge", ("#ffffff", 0.8, "solid", "#7fcdbb"), t("legend.gemeinde", lang)))
    elif show_gemeinden:
        entries.append(
            ("edge", (GEMEINDE_EDGE, 0.6, (0, (2.5, 2)), "none"), t("legend.gemeinde", lang))
        )
    if show_city:
        entries.append(("edge", (CITY_EDGE, 0.8, (0, (4, 3)), CITY_FILL), t("legend.city", lang)))
    blocks.append((t("legend.boundaries", lang), entries))
    return blocks


def _draw_legend(sheet: _Sheet, blocks: list[tuple[str, list[tuple[str, Any, str]]]]) -> None:
    lay = sheet.lay
    x0, y0, w, h = lay.legend_box
    cols = lay.legend_columns
    col_w = (w - (cols - 1) * 4.0) / cols
    title_size, label_size, note_size = 8.2, 7.2, 6.3
    sw = 6.0 * lay.font  # swatch width (mm)
    gap = 2.0 * lay.font
    text_w = col_w - sw - gap
    col, y = 0, y0 + h
    for title, entries in blocks:
        # estimate the block height; start a new column when it does not fit
        lines = len(_wrap(title, col_w, title_size * lay.font))
        need = lines * _line_mm(title_size * lay.font) + 2.0
        for kind, _spec, label in entries:
            size = note_size if kind == "note" else label_size
            width = col_w if kind == "note" else text_w
            n = len(_wrap(label, width, size * lay.font))
            need += max(n * _line_mm(size * lay.font), 4.4 * lay.font if kind != "note" else 0)
        if y - need < y0 and y < y0 + h and col < cols - 1:
            col, y = col + 1, y0 + h
        x = x0 + col * (col_w + 4.0)
        for line in _wrap(title, col_w, title_size * lay.font):
            y -= _line_mm(title_size * lay.font)
            sheet.text(x, y, line, title_size, weight="bold", color="#1a1a1a")
        y -= 1.2
        for kind, spec, label in entries:
            size = note_size if kind == "note" else label_size
            wrapped = _wrap(label, col_w if kind == "note" else text_w, size * lay.font)
            row_h = max(
                len(wrapped) * _line_mm(size * lay.font), 0 if kind == "note" else 4.4 * lay.font
            )
            top = y
            mid = top - min(row_h, 4.4 * lay.font) / 2
            if kind == "fill":
                color, style = spec
                sheet.rect(
                    x,
                    mid - 1.6 * lay.font,
                    sw,
                    3.2 * lay.font,
                    facecolor=color,
                    edgecolor="#555555",
                    linewidth=0.5,
                    linestyle=style,
                )
            elif kind == "marker":
                sheet.marker(x + sw / 2, mid, spec, 7.0 * lay.font)
            elif kind == "edge":
                color, lw, style, fill = spec
                if fill != "none":
                    sheet.rect(
                        x,
                        mid - 1.6 * lay.font,
                        sw,
                        3.2 * lay.font,
                        facecolor=fill,
                        edgecolor="none",
                    )
                sheet.line(x, mid, sw, color=color, linewidth=lw, linestyle=style)
            tx = x if kind == "note" else x + sw + gap
            ty = top - _line_mm(size * lay.font) * 0.78
            if kind != "note" and len(wrapped) == 1:
                ty = mid - size * lay.font * _PT_TO_MM * 0.36
            for line in wrapped:
                sheet.text(tx, ty, line, size, color="#444444" if kind == "note" else "#1a1a1a")
                ty -= _line_mm(size * lay.font)
            y = top - row_h - 0.6
        y -= 3.0


def _draw_scale_bar(sheet: _Sheet, m_per_mm: float, lang: str) -> None:
    lay = sheet.lay
    mx, my, mw, _mh = lay.map_box
    length_m = _nice_length(mw * m_per_mm / 5)
    bar_mm = length_m / m_per_mm
    x, y = mx + 4.0, my + 5.0
    seg_h = 1.6 * lay.font
    sheet.rect(
        x - 2.0,
        y - 2.2,
        bar_mm + 14.0 * lay.font,
        11.5 * lay.font,
        facecolor="white",
        edgecolor="none",
        alpha=0.85,
        zorder=3,
    )
    for i in range(4):
        sheet.rect(
            x + i * bar_mm / 4,
            y,
            bar_mm / 4,
            seg_h,
            facecolor="#1a1a1a" if i % 2 == 0 else "white",
            edgecolor="#1a1a1a",
            linewidth=0.6,
            zorder=4,
        )
    km = length_m / 1000
    half = fmt_exact(km / 2, lang)
    sheet.text(x, y + seg_h + 1.0, "0", 6.5, ha="center", zorder=5)
    sheet.text(x + bar_mm / 2, y + seg_h + 1.0, half, 6.5, ha="center", zorder=5)
    sheet.text(x + bar_mm, y + seg_h + 1.0, f"{fmt_exact(km, lang)} km", 6.5, ha="center", zorder=5)


def _draw_north_arrow(sheet: _Sheet, angle_deg: float, lang: str) -> None:
    lay = sheet.lay
    mx, my, mw, mh = lay.map_box
    cx, cy = mx + mw - 9.0 * lay.font, my + mh - 13.0 * lay.font
    size = 7.0 * lay.font
    rot = Affine2D().rotate_deg(-angle_deg).translate(cx, cy)
    left = np.array([[0, size / 2], [-size * 0.32, -size / 2], [0, -size * 0.25]])
    right = np.array([[0, size / 2], [size * 0.32, -size / 2], [0, -size * 0.25]])
    sheet.rect(
        cx - size * 0.75,
        cy - size * 0.75,
        size * 1.5,
        size * 2.05,
        facecolor="white",
        edgecolor="none",
        alpha=0.85,
        zorder=3,
    )
    for pts, face in ((left, "#1a1a1a"), (right, "white")):
        sheet.fig.add_artist(
            Polygon(
                rot.transform(pts),
                closed=True,
                transform=sheet.mm,
                facecolor=face,
                edgecolor="#1a1a1a",
                linewidth=0.6,
                zorder=4,
            )
        )
    tip = rot.transform([[0, size / 2 + 1.2]])[0]
    sheet.text(
        tip[0], tip[1], t("north", lang), 8.5, ha="center", va="bottom", weight="bold", zorder=5
    )


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
        Boundaries and population (:func:`benchmarks.bench.load_district_data`).
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
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    if choropleth_level not in ("vg", "gemeinde"):
        raise ValueError(f"unknown level {choropleth_level!r}; expected vg or gemeinde")
    vgs = _metric(data.vgs[vintage])
    if selected_vg and selected_vg not in set(vgs["rs"]):
        raise ValueError(f"unknown VG {selected_vg!r} for vintage {vintage}")
    gemeinden = _metric(data.gemeinden)
    city = _metric(data.city)
    outline = _metric(data.outline)

    points = gpd.GeoDataFrame(
        {"category": [], "precision": [], "reference_date": [], "source": []},
        geometry=[],
        crs=CRS_METRIC,
    )
    if located is not None:
        active = located[located["status"] == "active"] if "status" in located else located
        pub = drawable(active)
        pub = pub[pub.geometry.notna() & ~pub.geometry.is_empty]
        pub = pub.sort_values(["category", "name", "id"], kind="stable") if len(pub) else pub
        points = _metric(pub) if len(pub) else points

    if title is None:
        title = t("map.title", lang)
    if subtitle is None:
        if selected_vg:
            name = str(vgs.loc[vgs["rs"] == selected_vg, "name"].iloc[0])
            subtitle = t("map.subtitle_vg", lang, name=name, vg_key=selected_vg, vintage=vintage)
        else:
            subtitle = t("map.subtitle", lang, vintage=vintage, validity=_validity(vintage, lang))
        if choropleth is not None:
            subtitle += " · " + choropleth_title(choropleth, lang)

    footer = map_footer_lines(vintage, points, choropleth, lang) if with_footer else []
    width, height = size_mm
    lay = _layout(width, height, footer, bool(title), compact, legend, font_scale)
    # whole pixels at ``dpi`` (A4 landscape at 300 dpi: 3508 x 2480 px)
    px_w, px_h = round(width / _MM_PER_INCH * dpi), round(height / _MM_PER_INCH * dpi)
    fig = Figure(figsize=(px_w / dpi, px_h / dpi), dpi=dpi)
    fig.patch.set_facecolor("white")
    sheet = _Sheet(fig, lay)

    mx, my, mw, mh = lay.map_box
    ax = fig.add_axes((mx / width, my / height, mw / width, mh / height))
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_linewidth(0.6)
        spine.set_color("#333333")
    ax.set_facecolor(OUTSIDE_FILL)
    if selected_vg:
        bounds = tuple(vgs.loc[vgs["rs"] == selected_vg].total_bounds)
        pad = 0.08
    else:
        bounds = tuple(outline.total_bounds)
        pad = 0.03
    minx, miny, maxx, maxy = _fit_extent(bounds, mw, mh, pad)
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal", adjustable="box")
    m_per_mm = (maxx - minx) / mw

    # area fills and boundaries
    if show_city:
        _polygons(
            ax,
            list(city.geometry),
            facecolors=CITY_FILL,
            edgecolor=CITY_EDGE,
            linewidth=0.8 * lay.font,
            linestyle=(0, (4, 3)),
            zorder=1,
        )
    if choropleth is not None and choropleth_level == "gemeinde":
        fills = [choropleth.color(a) for a in gemeinden["ags"]]
        _polygons(
            ax,
            list(gemeinden.geometry),
            facecolors=fills,
            edgecolor="none",
            linewidth=0,
            zorder=1.5,
        )
        vg_fill: Sequence[str] | str = "none"
    elif choropleth is not None:
        vg_fill = [choropleth.color(k) for k in vgs["rs"]]
    else:
        vg_fill = VG_FILL
    _polygons(ax, list(vgs.geometry), facecolors=vg_fill, edgecolor="none", linewidth=0, zorder=1.6)
    gemeinde_fill = choropleth is not None and choropleth_level == "gemeinde"
    if show_gemeinden or gemeinde_fill:
        _polygons(
            ax,
            list(gemeinden.geometry),
            facecolors="none",
            edgecolor="#ffffff" if gemeinde_fill else GEMEINDE_EDGE,
            linewidth=(0.6 if gemeinde_fill else 0.45) * lay.font,
            linestyle="solid" if gemeinde_fill else (0, (2.5, 2)),
            zorder=2,
        )
    _polygons(
        ax,
        list(vgs.geometry),
        facecolors="none",
        edgecolor=VG_EDGE,
        linewidth=1.6 * lay.font,
        zorder=3,
    )
    if selected_vg:
        sel = vgs[vgs["rs"] == selected_vg]
        _polygons(
            ax,
            list(sel.geometry),
            facecolors="none",
            edgecolor=SELECTED_EDGE,
            linewidth=2.4 * lay.font,
            zorder=3.5,
        )

    # labels: below the place, where offers at the Gemeinde centre would hide them
    label_dy = 4.2 * lay.font * m_per_mm
    if show_city:
        for geom in city.geometry:
            p = geom.representative_point()
            _label(
                ax,
                p.x,
                p.y - label_dy,
                t("city.label", lang),
                6.5 * lay.font,
                color="#555555",
                style="italic",
            )
    if selected_vg:
        members = set(
            data.membership.loc[data.membership[f"vg_rs_{vintage}"] == selected_vg, "ags"]
        )
        for _, g in gemeinden[gemeinden["ags"].isin(members)].iterrows():
            p = g.geometry.representative_point()
            _label(ax, p.x, p.y - label_dy, str(g["name"]), 5.8 * lay.font, color="#2b3a4f")
        view = shapely.box(*_shrink((minx, miny, maxx, maxy), 0.06))
        for _, v in vgs[vgs["rs"] != selected_vg].iterrows():
            part = v.geometry.intersection(view)
            if part.is_empty or part.area < 0.01 * view.area:
                continue
            p = part.representative_point()
            _label(
                ax,
                p.x,
                p.y,
                str(v["name"]),
                6.8 * lay.font,
                color=VG_EDGE,
                weight="bold",
                alpha=0.8,
            )
    else:
        for _, v in vgs.iterrows():
            p = v.geometry.representative_point()
            _label(ax, p.x, p.y, str(v["name"]), 7.5 * lay.font, color=VG_EDGE, weight="bold")

    # facilities
    draw_points = located is not None
    if draw_points and len(points):
        size_pt = 6.6 * lay.font
        xy = np.column_stack([points.geometry.x.to_numpy(), points.geometry.y.to_numpy()])
        xy = _fan_out(xy, size_pt * _PT_TO_MM * 1.25 * m_per_mm)
        approx = points["precision"].isin(APPROXIMATE).to_numpy()
        cats = points["category"].to_numpy()
        for c in CATEGORIES:
            for is_approx in (False, True):
                sel_idx = (cats == c) & (approx == is_approx)
                if not sel_idx.any():
                    continue
                st = marker_style(c, is_approx)
                ax.scatter(
                    xy[sel_idx, 0],
                    xy[sel_idx, 1],
                    s=(size_pt * st["scale"]) ** 2,
                    marker=st["marker"],
                    facecolors=st["facecolor"],
                    edgecolors=st["edgecolor"],
                    linewidths=1.0 * lay.font if is_approx else 0.7 * lay.font,
                    linestyles=st["linestyle"],
                    zorder=7 if not is_approx else 6.5,
                )

    # furniture
    if title:
        sheet.text(
            lay.margin, lay.title_y - 6.0 * lay.font, title, 15, weight="bold", color="#1b3a6b"
        )
        if subtitle:
            sheet.text(lay.margin, lay.title_y - 12.5 * lay.font, subtitle, 9.5, color="#333333")
    ty = lay.footer_y
    for line in lay.footer_lines:
        sheet.text(lay.margin, ty, line, lay.footer_size / lay.font, color="#333333")
        ty -= _line_mm(lay.footer_size)
    if legend:
        _draw_legend(
            sheet,
            _legend_blocks(
                vintage,
                points,
                choropleth,
                lang,
                show_gemeinden,
                show_city,
                bool(selected_vg),
                draw_points,
                gemeinde_fill,
            ),
        )
    _draw_scale_bar(sheet, m_per_mm, lang)
    sheet.text(
        mx + 4.0,
        my + 5.0 + 6.0 * lay.font,
        t("scale", lang, n=fmt_int(_round_scale(m_per_mm * 1000), lang)),
        6.5,
        zorder=5,
    )
    _draw_north_arrow(sheet, _grid_convergence_deg((minx + maxx) / 2, (miny + maxy) / 2), lang)
    sheet.text(
        mx + mw - 1.5,
        my + 1.5,
        BKG_ATTRIBUTION,
        6.5,
        ha="right",
        va="bottom",
        zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
    )
    return fig


def paper_size_mm(paper: str, orientation: str) -> tuple[float, float]:
    """Sheet (width, height) in millimetres.

    Parameters
    ----------
    paper
        ``A4`` or ``A3``.
    orientation
        ``landscape`` or ``portrait``.
    """
    key = paper.upper()
    if key not in PAPER_MM:
        raise ValueError(f"unknown paper {paper!r}; expected one of {sorted(PAPER_MM)}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"unknown orientation {orientation!r}; expected one of {ORIENTATIONS}")
    w, h = PAPER_MM[key]
    return (h, w) if orientation == "landscape" else (w, h)


def save_figure(fig: Figure, out: Path, fmt: str, dpi: float, title: str = "") -> Path:
    """Write a figure as PNG or PDF without timestamps (same input, same file).

    Parameters
    ----------
    fig
        The figure.
    out
        Target file.
    fmt
        ``png`` or ``pdf``.
    dpi
        Raster resolution (PNG; images inside a PDF).
    title
        Document title (metadata).

    Returns
    -------
    pathlib.Path
        ``out``.
    """
    if fmt not in MAP_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {MAP_FORMATS}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "png":
        metadata: dict[str, Any] = {"Software": None, "Title": title or None}
    else:
        metadata = {"CreationDate": None, "Creator": "Integrationsatlas", "Title": title or None}
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 6}):
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return out


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
