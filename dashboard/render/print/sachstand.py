"""The Sachstandsbericht for the Kreistag as PDF: the state of every project on a chosen
day, what changed since an earlier day (the last session), per Handlungsfeld, with
sources and dates.

The rows come from :func:`dashboard.analysis.projects.state` through the service, worded
by :mod:`dashboard.render.projects_text` (the same words as the page and the XLSX file).
The public version holds no internal note and no account name: the service strips them
before the rows reach this module, and the internal column is only drawn when asked.

Text is real PDF text (DejaVu Sans, embedded): searchable and readable aloud. The same
inputs give the same file (no date in the file); the PDF is tagged PDF/UA-1 (:mod:`dashboard.render.tagged_pdf`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from dashboard.analysis.projects import Documented, StateRow, by_group, summary
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.render.print.pdf import cell, fit_widths
from dashboard.render.projects_text import (
    documented_text,
    group_label,
    state_table,
    summary_table,
)
from dashboard.render.tagged_pdf import Block, Document, Heading, Paragraph, Space, Table, write_pdf

#: A4 landscape and its margins (mm): left, top, right, bottom.
_PAGE_MM = (297.0, 210.0)
_MARGIN_MM = (15.0, 14.0, 15.0, 14.0)


def _paragraphs(text: str, small: bool = False) -> list[Block]:
    return [Paragraph(line, small=small) for line in str(text).split("\n") if line.strip()]


def _table(frame: Any, widths: Sequence[float]) -> Table:
    """A table over the page's width, columns in the proportions of ``widths``."""
    usable = _PAGE_MM[0] - _MARGIN_MM[0] - _MARGIN_MM[2]
    total = sum(widths)
    planned = [w / total * usable for w in widths]
    header = [cell(c) for c in frame.columns]
    return Table(
        header=tuple(header),
        rows=tuple(tuple(cell(v) for v in row) for row in frame.itertuples(index=False)),
        widths_mm=tuple(fit_widths(header, planned)),
    )


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
    blocks: list[Block] = [
        Heading(t("proj.report.title", lang, district=district), level=1),
        *_paragraphs(t("proj.report.subtitle", lang, day=fmt_date(day, lang), since=fmt_date(since, lang))),
        *_paragraphs(t("proj.report.internal", lang) if internal else t("proj.report.public", lang), small=True),
        Space(4),
        *_paragraphs(documented_text(documented, lang)),
    ]  # fmt: skip
    if documented.source:
        blocks += _paragraphs(t("proj.report.frame_source", lang, source=documented.source, date=fmt_date(documented.reference_date, lang)), small=True)  # fmt: skip
    records = [r.record for r in rows]
    blocks.append(Heading(t("proj.report.overview", lang, day=fmt_date(day, lang)), level=2, bookmark=False))  # fmt: skip
    blocks.append(_table(summary_table(summary(records, "handlungsfeld", day), "handlungsfeld", lang), [3.2, 1, 1, 1, 1, 1, 1, 1]))  # fmt: skip
    widths = [2.4, 1.5, 1.5, 3.0, 2.0, 1.6, 2.4] + ([2.4] if internal else [])
    if not rows:
        blocks += _paragraphs(t("proj.report.none", lang))
    for group, members in by_group(rows, "handlungsfeld"):
        blocks.append(Heading(group_label(group, "handlungsfeld", lang), level=2, bookmark=False))
        blocks.append(_table(state_table(members, names, lang, internal=internal), widths))
    blocks.append(Space(4))
    blocks += _paragraphs(t("proj.report.sources", lang), small=True)
    before, _, after = t("footer.page", lang, n="\ue000").partition("\ue000")
    doc = Document(
        title=t("proj.report.title", lang, district=district),
        lang=lang,
        author=t("map.title", lang),
        blocks=tuple(blocks),
        page_mm=_PAGE_MM,
        margin_mm=_MARGIN_MM,
        page_label=(before, after),
    )
    return write_pdf(doc)
