"""The PDF machinery of the handouts: the embedded font, paragraph styles, tables of
plain-text cells, outline bookmarks, and the A4 document with a footer on every page.

Text is real PDF text (DejaVu Sans, embedded), so it can be searched, copied and read
aloud. The same inputs give the same file (reportlab's invariant mode, no dates).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from dashboard.i18n.catalogue import t

_FONT = "IA-Sans"
_FONT_BOLD = "IA-Sans-Bold"
BLUE = colors.HexColor("#1b3a6b")
_MARGIN = 18 * mm
_FOOTER_SIZE = 6.4
_FOOTER_LEADING = 8.2


def _register_fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        _FONT, normal=_FONT, bold=_FONT_BOLD, italic=_FONT, boldItalic=_FONT_BOLD
    )


def styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("base", fontName=_FONT, fontSize=9, leading=11.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")
        ),
        "cell": ParagraphStyle(
            "cell", parent=base, fontSize=7.6, leading=9.2, embeddedHyphenation=1
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=7.2,
            leading=8.8,
            textColor=colors.white,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=17,
            leading=21,
            textColor=BLUE,
            spaceAfter=2,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=11,
            leading=14,
            textColor=BLUE,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=21,
            leading=26,
            textColor=BLUE,
            spaceAfter=6,
        ),
    }


def para(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (data never becomes markup)."""
    return Paragraph(escape("" if text is None else str(text)), style)


class Bookmark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints (base is Any)
    """Zero-size marker: the document adds an outline entry where it lands."""

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def draw(self) -> None:  # pragma: no cover - nothing to draw
        pass


#: Left plus right padding of a table cell (points).
_CELL_PADDING = 6


def fit_widths(
    headers: Sequence[str], widths_mm: Sequence[float], style: ParagraphStyle
) -> list[float]:
    """Column widths (points) in which no header word is broken ("Angebot/e"): a column
    too narrow for its longest header word is widened, the widest column gives the room
    (the table keeps its width).

    Parameters
    ----------
    headers
        The column headers.
    widths_mm
        The planned widths (mm), one per header.
    style
        The header's paragraph style (font and size measure the words).
    """
    widths = [w * mm for w in widths_mm]
    needed = [
        max((pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in h.split()),
            default=0.0) + _CELL_PADDING + 0.5
        for h in headers
    ]  # fmt: skip
    short = sum(max(n - w, 0.0) for n, w in zip(needed, widths, strict=True))
    if short <= 0:
        return widths
    widths = [max(n, w) for n, w in zip(needed, widths, strict=True)]
    donor = max(range(len(widths)), key=lambda i: widths[i] - needed[i])
    widths[donor] = max(widths[donor] - short, needed[donor])
    return widths


def table(
    frame: pd.DataFrame,
    widths_mm: Sequence[float],
    st: dict[str, ParagraphStyle],
    align_right: Iterable[int] = (),
) -> Table:
    """A table of wrapped plain-text cells with a coloured header row."""
    right = set(align_right)
    right_style = ParagraphStyle("cell_r", parent=st["cell"], alignment=2)
    head_right = ParagraphStyle("head_r", parent=st["head"], alignment=2)
    head = [para(c, head_right if i in right else st["head"]) for i, c in enumerate(frame.columns)]
    rows = [
        [para(v, right_style if i in right else st["cell"]) for i, v in enumerate(row)]
        for row in frame.itertuples(index=False, name=None)
    ]
    widths = fit_widths([str(c) for c in frame.columns], widths_mm, st["head"])
    table = Table([head, *rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), BLUE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8c4d6")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f9")]),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
            ]
        )
    )
    return table


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no type hints (base is Any)
    """A4 portrait with a footer on every page and outline entries for the sections."""

    def __init__(self, target: Any, footer: list[str], lang: str, title: str) -> None:
        _register_fonts()
        width = A4[0] - 2 * _MARGIN
        self.footer = [
            (i == 0, line)
            for i, para in enumerate(footer)
            for line in simpleSplit(
                para,
                _FONT_BOLD if i == 0 else _FONT,
                _FOOTER_SIZE,
                width - (16 * mm if i == 0 else 0),
            )
        ]
        footer_h = len(self.footer) * _FOOTER_LEADING + 5 * mm
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=15 * mm,
            bottomMargin=12 * mm + footer_h,
            title=title,
            author=t("map.title", lang),
            creator="Integrationsatlas",
            invariant=1,
            lang=lang,
        )
        self.report_lang = lang
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    def _footer(self, canv: Any, doc: Any) -> None:
        canv.saveState()
        width = A4[0] - 2 * _MARGIN
        top = 12 * mm + (len(self.footer) - 1) * _FOOTER_LEADING
        canv.setStrokeColor(colors.HexColor("#b8c4d6"))
        canv.setLineWidth(0.4)
        canv.line(_MARGIN, top + 3.6 * mm, _MARGIN + width, top + 3.6 * mm)
        canv.setFillColor(colors.HexColor("#333333"))
        y = top
        for bold, line in self.footer:
            canv.setFont(_FONT_BOLD if bold else _FONT, _FOOTER_SIZE)
            canv.drawString(_MARGIN, y, line)
            y -= _FOOTER_LEADING
        canv.setFont(_FONT, 7)
        canv.drawRightString(_MARGIN + width, top, t("footer.page", self.report_lang, n=doc.page))
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab hook
        if isinstance(flowable, Bookmark):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=flowable.level)


def write(out: Path, story: list[Flowable], footer: list[str], lang: str, title: str) -> Path:
    """Build the document (A4, ``footer`` on every page) and write it to ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc = _Doc(buf, footer, lang, title)
    doc.build(story)
    out.write_bytes(buf.getvalue())
    return out
