"""The Sachstandsbericht for the Kreistag as PDF: the state of every project on a chosen
day, what changed since an earlier day (the last session), per Handlungsfeld, with
sources and dates.

The rows come from :func:`dashboard.analysis.projects.state` through the service, worded
by :mod:`dashboard.render.projects_text` (the same words as the page and the XLSX file).
The public version holds no internal note and no account name: the service strips them
before the rows reach this module, and the internal column is only drawn when asked.

Text is real PDF text (DejaVu Sans, embedded): searchable and readable aloud. The same
inputs give the same file (reportlab's invariant mode).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dashboard.analysis.projects import Documented, StateRow, by_group, summary
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.render.projects_text import (
    documented_text,
    group_label,
    state_table,
    summary_table,
)

_FONT, _BOLD = "IA-Report", "IA-Report-Bold"
_BLUE = colors.HexColor("#1b3a6b")


def _fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, str(folder / "DejaVuSans-Bold.ttf")))


def _styles() -> dict[str, ParagraphStyle]:
    _fonts()
    body = ParagraphStyle("body", fontName=_FONT, fontSize=9, leading=11.5)
    return {
        "body": body,
        "cell": ParagraphStyle("cell", parent=body, fontSize=7.4, leading=9),
        "head": ParagraphStyle("head", parent=body, fontName=_BOLD, fontSize=7.4, leading=9, textColor=colors.white),
        "h1": ParagraphStyle("h1", parent=body, fontName=_BOLD, fontSize=16, leading=20, textColor=_BLUE),
        "h2": ParagraphStyle("h2", parent=body, fontName=_BOLD, fontSize=11.5, leading=14, textColor=_BLUE, spaceBefore=8, spaceAfter=3),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#333333")),
    }  # fmt: skip


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(frame: Any, widths: Sequence[float], st: Mapping[str, ParagraphStyle]) -> Table:
    data = [[_p(c, st["head"]) for c in frame.columns]]
    data += [[_p(v, st["cell"]) for v in row] for row in frame.itertuples(index=False)]
    total = sum(widths)
    usable = landscape(A4)[0] - 30 * mm
    table = Table(data, colWidths=[w / total * usable for w in widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), _BLUE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b8c4")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
            ]
        )
    )
    return table


def sachstand_pdf(
    rows: Sequence[StateRow],
    *,
    day: dt.date,
    since: dt.date,
    documented: Documented,
    names: Mapping[str, str],
    district: str,
    lang: str,
    internal: bool,
) -> bytes:
    """The Sachstandsbericht as PDF bytes.

    Parameters
    ----------
    rows
        :func:`dashboard.analysis.projects.state` on ``day`` and ``since`` (as the reader
        may see them: the public version gets rows without internal notes).
    day, since
        The report's day and the earlier day.
    documented
        How many projects are documented, of how many proposed.
    names
        Gemeinde and VG keys -> names (for places).
    district
        The district's name for the title (the catalogue's ``{district}``).
    lang
        ``de`` or ``en``.
    internal
        Draw the internal notes (the Kreisverwaltung's version).
    """
    st = _styles()
    story: list[Any] = [
        _p(t("proj.report.title", lang, district=district), st["h1"]),
        _p(t("proj.report.subtitle", lang, day=fmt_date(day, lang), since=fmt_date(since, lang)), st["body"]),
        _p((t("proj.report.internal", lang) if internal else t("proj.report.public", lang)), st["note"]),
        Spacer(1, 4 * mm),
        _p(documented_text(documented, lang), st["body"]),
    ]  # fmt: skip
    if documented.source:
        story.append(_p(t("proj.report.frame_source", lang, source=documented.source, date=fmt_date(documented.reference_date, lang)), st["note"]))  # fmt: skip
    records = [r.record for r in rows]
    story.append(_p(t("proj.report.overview", lang, day=fmt_date(day, lang)), st["h2"]))
    story.append(_table(summary_table(summary(records, "handlungsfeld", day), "handlungsfeld", lang), [3.2, 1, 1, 1, 1, 1, 1, 1], st))  # fmt: skip
    widths = [2.4, 1.5, 1.5, 3.0, 2.0, 1.6, 2.4] + ([2.4] if internal else [])
    if not rows:
        story.append(_p(t("proj.report.none", lang), st["body"]))
    for group, members in by_group(rows, "handlungsfeld"):
        story.append(_p(group_label(group, "handlungsfeld", lang), st["h2"]))
        story.append(_table(state_table(members, names, lang, internal=internal), widths, st))
    story.append(Spacer(1, 4 * mm))
    story.append(_p(t("proj.report.sources", lang), st["note"]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
        topMargin=14 * mm, bottomMargin=14 * mm,
        title=t("proj.report.title", lang, district=district), lang=lang, invariant=1,
    )  # fmt: skip
    doc.build(story)
    return buffer.getvalue()
