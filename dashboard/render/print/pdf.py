"""The PDF machinery of the handouts: tables of plain-text cells and the A4 document with
a footer on every page, written as a tagged, accessible PDF (PDF/UA-1) by
:mod:`dashboard.render.tagged_pdf`.

Text is real PDF text (DejaVu Sans, embedded), so it can be searched, copied and read
aloud in reading order; headings are tagged as such (level 1 in the PDF's outline), tables
have a header row of header cells, the maps their alternative text. The same inputs give
the same file (no dates in the PDF).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.ft2font import FT2Font

from dashboard.i18n.catalogue import t
from dashboard.render.print.sheet import line_mm, wrap
from dashboard.render.tagged_pdf import Block, Document, Table, write_pdf

__all__ = ["Block", "cell", "fit_widths", "table", "write"]

_PAGE_MM = (210.0, 297.0)
_MARGIN = 18.0
_FOOTER_SIZE = 6.4
_MARK = "\ue000"


def cell(value: Any) -> str:
    """The text of a value in a table cell or paragraph (``None``: empty)."""
    return "" if value is None else str(value)


#: Left plus right inset of a table cell (mm: 2 × 3 pt) and the header's type size (pt).
_CELL_INSET_MM = 6 * 25.4 / 72
_HEAD_PT = 7.6


@lru_cache(maxsize=512)
def _word_mm(word: str) -> float:
    """The width of one header word set in the bold table font (mm)."""
    font = FT2Font(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans-Bold.ttf"))
    font.set_size(_HEAD_PT, 72)
    font.set_text(word)
    return font.get_width_height()[0] / 64 * 25.4 / 72


def fit_widths(headers: Sequence[str], widths_mm: Sequence[float]) -> list[float]:
    """Column widths (mm) in which no header word is broken ("Angebot/e"): a column too
    narrow for its longest header word is widened, the widest column gives the room (the
    table keeps its width).

    Parameters
    ----------
    headers
        The column headers.
    widths_mm
        The planned widths (mm), one per header.
    """
    widths = [float(w) for w in widths_mm]
    needed = [
        max((_word_mm(w) for w in h.split()), default=0.0) + _CELL_INSET_MM + 0.3 for h in headers
    ]
    short = sum(max(n - w, 0.0) for n, w in zip(needed, widths, strict=True))
    if short <= 0:
        return widths
    widths = [max(n, w) for n, w in zip(needed, widths, strict=True)]
    donor = max(range(len(widths)), key=lambda i: widths[i] - needed[i])
    widths[donor] = max(widths[donor] - short, needed[donor])
    return widths


def table(
    frame: pd.DataFrame, widths_mm: Sequence[float], align_right: Iterable[int] = ()
) -> Table:
    """A table of wrapped plain-text cells with a header row (data never becomes markup).

    Parameters
    ----------
    frame
        The rows; its column names are the header.
    widths_mm
        The width of each column in millimetres.
    align_right
        Positions of the columns aligned right (numbers).
    """
    return Table(
        header=tuple(cell(c) for c in frame.columns),
        rows=tuple(tuple(cell(v) for v in row) for row in frame.itertuples(index=False, name=None)),
        widths_mm=tuple(fit_widths([cell(c) for c in frame.columns], widths_mm)),
        right=tuple(align_right),
    )


def _footer_mm(footer: list[str]) -> float:
    """The height the footer needs below the text (its wrapped lines and a gap)."""
    width = _PAGE_MM[0] - 2 * _MARGIN - 20.0  # the page number beside it
    lines = sum(len(wrap(line, width, _FOOTER_SIZE)) for line in footer)
    return lines * line_mm(_FOOTER_SIZE) * 1.1 + 6.0


def write(out: Path, blocks: list[Block], footer: list[str], lang: str, title: str) -> Path:
    """Write the document (A4, ``footer`` and the page number on every page) to ``out``.

    Parameters
    ----------
    out
        Target file.
    blocks
        The content in reading order.
    footer
        Footer lines (the first in bold): attribution, data dates, sources.
    lang
        ``de`` or ``en``: the document's language.
    title
        The document's title (its metadata; viewers show it in the title bar).

    Returns
    -------
    pathlib.Path
        ``out``.
    """
    before, _, after = t("footer.page", lang, n=_MARK).partition(_MARK)
    doc = Document(
        title=title,
        lang=lang,
        author=t("map.title", lang),
        blocks=tuple(blocks),
        page_mm=_PAGE_MM,
        margin_mm=(_MARGIN, 15.0, _MARGIN, 12.0 + _footer_mm(footer)),
        footer=tuple(footer),
        page_label=(before, after),
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(write_pdf(doc))
    return out
