"""The sheet of a printed map: paper sizes, the layout in millimetres, text wrapping, and
drawing helpers placing furniture in millimetres (origin bottom left)."""

from __future__ import annotations

import io
import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.transforms import Affine2D, Transform

from dashboard.i18n.catalogue import t
from dashboard.render.tagged_pdf import Document, write_pdf
from dashboard.render.tagged_pdf import Figure as TaggedFigure

#: Paper sizes (width, height) in millimetres, portrait.
PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS: tuple[str, ...] = ("landscape", "portrait")
MAP_FORMATS: tuple[str, ...] = ("png", "pdf")

MM_PER_INCH = 25.4
PT_TO_MM = 25.4 / 72.0
#: Average glyph width of DejaVu Sans as a fraction of the font size (for wrapping).
_CHAR_WIDTH = 0.56


def wrap(text: str, width_mm: float, size_pt: float) -> list[str]:
    chars = max(10, int(width_mm / (size_pt * PT_TO_MM * _CHAR_WIDTH)))
    return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]


def line_mm(size_pt: float) -> float:
    return size_pt * PT_TO_MM * 1.32


@dataclass(frozen=True)
class Layout:
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


def layout(
    width: float,
    height: float,
    footer: list[str],
    has_title: bool,
    compact: bool,
    legend: bool = True,
    font_scale: float = 1.0,
) -> Layout:
    font = 1.0 if width * height <= 210 * 297 * 1.05 else math.sqrt(2) * 0.85
    if compact:
        font = 0.8
    font *= font_scale
    margin = 6.0 if compact else (10.0 if font == 1.0 else 13.0)
    title_h = (17.0 * font) if has_title else 0.0
    footer_size = 6.4 * font
    inner_w = width - 2 * margin
    wrapped = [line for para in footer for line in wrap(para, inner_w, footer_size)]
    footer_h = len(wrapped) * line_mm(footer_size) + (3.5 if wrapped else 0.0)
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
    return Layout(
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


class Sheet:
    """Drawing helpers in millimetres on the sheet (origin bottom left)."""

    def __init__(self, fig: Figure, lay: Layout) -> None:
        self.fig = fig
        self.lay = lay
        self.mm: Transform = Affine2D().scale(1 / MM_PER_INCH) + fig.dpi_scale_trans

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


def save_figure(
    fig: Figure,
    out: Path,
    fmt: str,
    dpi: float,
    title: str = "",
    *,
    alt: str = "",
    lang: str = "de",
) -> Path:
    """Write a figure as PNG or PDF without timestamps (same input, same file).

    The PDF is tagged (PDF/UA-1, :mod:`dashboard.render.tagged_pdf`): the sheet is one
    figure, drawn as vector graphics with its text as text, with ``alt`` as its alternative
    text, the title and the language in the document's metadata.

    Parameters
    ----------
    fig
        The figure.
    out
        Target file.
    fmt
        ``png`` or ``pdf``.
    dpi
        Raster resolution (PNG).
    title
        Document title (metadata).
    alt, lang
        The sheet's alternative text and the language of the PDF (required for a PDF).

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
        metadata = {"Software": None, "Title": title or None}
        fig.savefig(out, format="png", dpi=dpi, metadata=metadata, facecolor="white")
        return out
    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "integrationsatlas"}):
        fig.savefig(svg, format="svg", metadata={"Date": None}, facecolor="white")
    width, height = (v * MM_PER_INCH for v in fig.get_size_inches())
    sheet = TaggedFigure(svg.getvalue(), alt)
    doc = Document(
        title=title, lang=lang, author=t("map.title", lang), blocks=(sheet,),
        page_mm=(width, height), margin_mm=(0.0, 0.0, 0.0, 0.0),
    )  # fmt: skip
    out.write_bytes(write_pdf(doc))
    return out
