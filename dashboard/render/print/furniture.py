"""The furniture of a printed map, apart from the map itself: legend, scale bar, north
arrow, title, footer (data dates, sources, licence) and the attribution in the map frame.
Everything is placed in millimetres on the sheet (:class:`dashboard.render.print.sheet.Sheet`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Polygon
from matplotlib.transforms import Affine2D
from pyproj import Transformer

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.config import BKG_ATTRIBUTION, CRS_DISPLAY, CRS_METRIC
from dashboard.domain.model import CATEGORIES
from dashboard.domain.precision import approximate_mask
from dashboard.domain.privacy import SENSITIVE_CATEGORIES
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_date, fmt_exact, fmt_int
from dashboard.render.common.dates import date_span
from dashboard.render.common.legend import choropleth_title, class_labels, date_note
from dashboard.render.print.markers import marker_style
from dashboard.render.print.sheet import PT_TO_MM, Sheet, line_mm, wrap
from dashboard.render.print.styles import (
    CITY_EDGE,
    CITY_FILL,
    GEMEINDE_EDGE,
    SELECTED_EDGE,
    VG_EDGE,
    VG_FILL,
)
from dashboard.render.rates import rate_dates
from dashboard.render.source_text import source_words

#: A legend block: its title and entries ``(kind, swatch spec, label)``.
Block = tuple[str, list[tuple[str, Any, str]]]


def _nice_length(target_m: float) -> float:
    """The largest 1, 2 or 5 x 10^k metres not above ``target_m``."""
    exp = math.floor(math.log10(max(target_m, 1.0)))
    best = 10.0**exp
    for f in (1, 2, 5, 10):
        if f * 10**exp <= target_m:
            best = f * 10.0**exp
    return best


#: The ``gid`` of the boxes drawn over the map (scale bar, north arrow): no label may sit
#: under them (:func:`dashboard.render.print.static_map.map_figure` moves it clear).
FURNITURE = "ia-furniture"


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
        t("footer.boundaries", lang, vintage=vintage, validity=validity_text(vintage, lang)),
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
            t("footer.offers", lang, dates=date_span(list(points["reference_date"]), lang))
        )
    sources = ["BKG VG250"]
    if choropleth is not None:
        sources += [source_words(s, lang) for s in choropleth.sources if s not in sources]
    offer_sources = (
        sorted({source_words(s, lang) for s in points["source"]} - set(sources))
        if len(points)
        else []
    )
    if offer_sources:
        sources.append(_sources_text(offer_sources, lang, source_limit))
    return [
        t("footer.dates", lang) + ": " + "; ".join(dates),
        t("footer.sources", lang) + ": " + "; ".join(sources),
        t("footer.licence", lang, bkg=BKG_ATTRIBUTION) + " · " + t("crs", lang),
    ]


def legend_blocks(
    vintage: int,
    points: gpd.GeoDataFrame,
    choropleth: Choropleth | None,
    lang: str,
    show_gemeinden: bool,
    show_city: bool,
    selected: bool,
    draw_points: bool,
    gemeinde_fill: bool = False,
) -> list[Block]:
    """Legend blocks: (title, entries); an entry is (kind, swatch spec, label)."""
    blocks: list[Block] = []
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
        if len(points) and approximate_mask(points["precision"]).any():
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


def _draw_legend(sheet: Sheet, blocks: list[Block]) -> None:
    """Draw the legend blocks in the legend box, in columns (a block that does not fit
    starts the next column). ~70 lines: measuring and drawing stay together so that the
    wrapped text and the swatches never drift apart."""
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
        lines = len(wrap(title, col_w, title_size * lay.font))
        need = lines * line_mm(title_size * lay.font) + 2.0
        for kind, _spec, label in entries:
            size = note_size if kind == "note" else label_size
            width = col_w if kind == "note" else text_w
            n = len(wrap(label, width, size * lay.font))
            need += max(n * line_mm(size * lay.font), 4.4 * lay.font if kind != "note" else 0)
        if y - need < y0 and y < y0 + h and col < cols - 1:
            col, y = col + 1, y0 + h
        x = x0 + col * (col_w + 4.0)
        for line in wrap(title, col_w, title_size * lay.font):
            y -= line_mm(title_size * lay.font)
            sheet.text(x, y, line, title_size, weight="bold", color="#1a1a1a")
        y -= 1.2
        for kind, spec, label in entries:
            size = note_size if kind == "note" else label_size
            wrapped = wrap(label, col_w if kind == "note" else text_w, size * lay.font)
            row_h = max(
                len(wrapped) * line_mm(size * lay.font), 0 if kind == "note" else 4.4 * lay.font
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
            ty = top - line_mm(size * lay.font) * 0.78
            if kind != "note" and len(wrapped) == 1:
                ty = mid - size * lay.font * PT_TO_MM * 0.36
            for line in wrapped:
                sheet.text(tx, ty, line, size, color="#444444" if kind == "note" else "#1a1a1a")
                ty -= line_mm(size * lay.font)
            y = top - row_h - 0.6
        y -= 3.0


def _draw_scale_bar(sheet: Sheet, m_per_mm: float, lang: str) -> None:
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
        gid=FURNITURE,
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


def _draw_north_arrow(sheet: Sheet, angle_deg: float, lang: str) -> None:
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
        gid=FURNITURE,
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


def draw_furniture(
    sheet: Sheet,
    *,
    title: str,
    subtitle: str,
    blocks: list[Block] | None,
    extent: tuple[float, float, float, float],
    lang: str,
) -> None:
    """Everything around the map on the sheet: title and subtitle, footer, legend (unless
    ``blocks`` is ``None``), scale bar and scale, north arrow, attribution.

    Parameters
    ----------
    sheet
        The sheet with its layout (:func:`dashboard.render.print.sheet.layout`).
    title, subtitle
        Heading lines (``""``: none).
    blocks
        :func:`legend_blocks`, or ``None`` for a map without legend.
    extent
        The map's extent in metres (EPSG:25832): ``minx, miny, maxx, maxy``.
    lang
        ``de`` or ``en``.
    """
    lay = sheet.lay
    mx, my, mw, _mh = lay.map_box
    minx, miny, maxx, maxy = extent
    m_per_mm = (maxx - minx) / mw
    if title:
        sheet.text(
            lay.margin, lay.title_y - 6.0 * lay.font, title, 15, weight="bold", color="#1b3a6b"
        )
        if subtitle:
            sheet.text(lay.margin, lay.title_y - 12.5 * lay.font, subtitle, 9.5, color="#333333")
    ty = lay.footer_y
    for line in lay.footer_lines:
        sheet.text(lay.margin, ty, line, lay.footer_size / lay.font, color="#333333")
        ty -= line_mm(lay.footer_size)
    if blocks is not None:
        _draw_legend(sheet, blocks)
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
        mx + mw - 1.5, my + 1.5, BKG_ATTRIBUTION, 6.5, ha="right", va="bottom", zorder=5,
        bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5},
    )  # fmt: skip


def keep_labels_clear(fig: Figure, ax: Any) -> None:
    """Move each name on the map that a box of the furniture (scale bar, north arrow)
    would cover to just beside it: above a box lower than the name's centre (the scale
    bar), below one higher (the north arrow)."""
    boxes = [a for a in fig.artists if a.get_gid() == FURNITURE]
    if not boxes or not ax.texts:
        return
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]  # measures the names
    covers = [b.get_window_extent(renderer) for b in boxes]
    gap = 2.0 * fig.dpi / 72  # two points between a box and a name
    for text in ax.texts:
        for box in covers:
            extent = text.get_window_extent(renderer)
            if not extent.overlaps(box):
                continue
            up = box.y1 - extent.y0 + gap
            down = extent.y1 - box.y0 + gap
            below = (box.y0 + box.y1) / 2 <= (extent.y0 + extent.y1) / 2
            shift = up if below else -down
            x, y = ax.transData.transform(text.get_position())
            text.set_position(ax.transData.inverted().transform((x, y + shift)))
