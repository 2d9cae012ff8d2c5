"""Tagged, accessible PDFs (PDF/UA-1) from a small document model, written by Typst.

A PDF a screen reader can read needs a structure tree in reading order, the document's
language and title, alternative text for every figure (the map) and tables whose header
cells are marked as such. Typst (the ``typst`` wheel: the compiler itself, offline, no
network) writes all of that when asked for PDF/UA-1, and refuses to write a figure without
alternative text. This module is the one place that turns a :class:`Document` into such a
PDF; the print writers build the document (docs/accessibility.md, "Accessible PDFs").

Every text of the document reaches Typst as a string literal, never as markup, so no value
from the data can change the layout or run Typst code.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import typst

#: The fonts: DejaVu Sans from matplotlib's package (the font of the drawn maps too), no
#: system font, no network.
FONT = "DejaVu Sans"
FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
BLUE = "#1b3a6b"
_PNG = b"\x89PNG\r\n\x1a\n"
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Heading:
    """A heading (level 1 is the document's main heading); ``bookmark``: an entry in the
    PDF's outline; ``size_pt``: a larger size than the level's (a cover title)."""

    text: str
    level: int = 1
    bookmark: bool = True
    size_pt: float | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``small`` for notes and sources."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Figure:
    """An image (PNG or SVG bytes) with its alternative text and an optional caption;
    without a width it is as wide as the text area (a whole printed map sheet)."""

    image: bytes
    alt: str
    caption: str = ""
    width_mm: float | None = None


@dataclass(frozen=True)
class Table:
    """A table: one header row (tagged as header cells, repeated on each page), then the
    rows; column widths in millimetres (``()``: equal) and the columns aligned right."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths_mm: tuple[float, ...] = ()
    right: tuple[int, ...] = ()


@dataclass(frozen=True)
class Space:
    """Vertical space in millimetres."""

    mm: float


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page."""


@dataclass(frozen=True)
class Keep:
    """Blocks kept together: each on the page of the next (a heading with the note and the
    start of its table; a long table still breaks, its header row repeated)."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Columns:
    """Blocks side by side (reading order: left to right), widths in millimetres."""

    blocks: tuple[Block, ...]
    widths_mm: tuple[float, ...]


Block = Heading | Paragraph | Figure | Table | Space | PageBreak | Keep | Columns


@dataclass(frozen=True)
class Document:
    """A document: title and language (both in the PDF's metadata), author, blocks; the
    page (width, height) and margin in millimetres, and a footer on every page (its first
    line bold, then ``page_label`` around the page number: ``("Seite ", "")``)."""

    title: str
    lang: str
    author: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    page_mm: tuple[float, float] = (210.0, 297.0)
    margin_mm: tuple[float, float, float, float] = (15.0, 15.0, 15.0, 15.0)  # l, t, r, b
    footer: tuple[str, ...] = ()
    page_label: tuple[str, str] = ("", "")


def _s(text: str) -> str:
    """``text`` as a Typst string literal (control characters other than newlines left out)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", " ")
    escaped = _CONTROL.sub("", escaped).replace("\n", "\\n")
    return f'"{escaped}"'


def _mm(values: tuple[float, ...]) -> str:
    return "(" + "".join(f"{v:g}mm, " for v in values) + ")"


def _cell(text: str) -> str:
    """A table cell: a word with a hyphen ("E2E-Korrektur", "Reichenbach-Steegen") breaks
    only when it does not fit the column, so a name stays whole where it can."""
    return f"keep-words({_s(text)})" if "-" in text else _s(text)


def _table(block: Table) -> str:
    n = max(1, len(block.header))
    columns = _mm(block.widths_mm) if block.widths_mm else str(n)
    right = "(" + "".join(f"{i}, " for i in block.right) + ")"
    header = ", ".join(
        f'table.cell(text(fill: white, weight: "bold", {_s(h)}))' for h in block.header
    )
    cells = "".join(_cell(c) + ", " for row in block.rows for c in (list(row) + [""] * n)[:n])
    return (
        f"#table(columns: {columns}, align: (x, y) => if x in {right} {{ right }} else {{ left }},"
        f" table.header({header}), {cells})"
    )


def _block(block: Block, images: dict[int, str]) -> str:
    if isinstance(block, Heading):
        body = _s(block.text)
        if block.size_pt:
            body = f"text(size: {block.size_pt:g}pt, {body})"
        level, mark = max(1, min(block.level, 6)), str(block.bookmark).lower()
        return f"#heading(level: {level}, bookmarked: {mark}, {body})"
    if isinstance(block, Paragraph):
        style = ', size: 7.5pt, fill: rgb("#333333")' if block.small else ""
        return f"#par(text({_s(block.text)}{style}))"
    if isinstance(block, Figure):
        size = f"width: {block.width_mm:g}mm" if block.width_mm else "width: 100%"
        image = f"image({_s(images[id(block)])}, alt: {_s(block.alt)}, {size})"
        caption = f", caption: {_s(block.caption)}" if block.caption else ""
        return f"#figure({image}{caption})"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Space):
        return f"#v({block.mm:g}mm)"
    if isinstance(block, Keep):  # each block sticks to the next (a heading does anyway)
        *first, last = block.blocks
        sticky = [
            _block(b, images)
            if isinstance(b, Heading)
            else f"#block(sticky: true, width: 100%)[\n{_block(b, images)}\n]"
            for b in first
        ]
        return "\n".join([*sticky, _block(last, images)])
    if isinstance(block, Columns):
        cells = ", ".join(f"[\n{_block(b, images)}\n]" for b in block.blocks)
        return f"#grid(columns: {_mm(block.widths_mm)}, {cells})"
    return "#pagebreak()"


def _footer(doc: Document) -> str:
    if not doc.footer:
        return "none"
    lines = [f'text(weight: "bold", {_s(doc.footer[0])})', *(_s(x) for x in doc.footer[1:])]
    before, after = doc.page_label
    number = f"[#{_s(before)}#context counter(page).display()#{_s(after)}]"
    stack = "stack(spacing: 0.5em, " + ", ".join(f"[#{x}]" for x in lines) + ")"
    return (
        '[#set text(size: 6.4pt, fill: rgb("#333333"))\n'
        '#line(length: 100%, stroke: 0.4pt + rgb("#b8c4d6"))\n'
        f"#grid(columns: (1fr, auto), column-gutter: 6mm, {stack}, {number})]"
    )


_STYLE = f"""#set text(font: "{FONT}", size: 9pt, hyphenate: false)
#set par(leading: 0.42em, spacing: 0.7em)
#show heading: set text(fill: rgb("{BLUE}"), weight: "bold")
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 1): set block(above: 0.6em, below: 0.8em)
#show heading.where(level: 2): set text(size: 11pt)
#show heading.where(level: 2): set block(above: 1.1em, below: 0.6em)
#show table: set text(size: 7.6pt)
#show table: set par(leading: 0.3em)
#set table(inset: (x: 3pt, y: 2.2pt), stroke: (x, y) => (bottom: 0.3pt + rgb("#b8c4d6")),
  fill: (x, y) => if y == 0 {{ rgb("{BLUE}") }} else if calc.even(y) {{ rgb("#f2f5f9") }} else {{ white }})
#show figure: set block(above: 0.8em, below: 0.8em)
#let keep-words(s) = layout(size => s.split(" ").map(
  w => if "-" in w and measure(w).width <= size.width {{ box(w) }} else {{ w }}).join(" "))
"""


def typst_source(doc: Document, images: dict[int, str]) -> str:
    """The Typst source of ``doc`` (``images``: ``id`` of a figure -> file name beside it)."""
    left, top, right, bottom = doc.margin_mm
    head = [
        f"#set document(title: {_s(doc.title)}, author: {_s(doc.author)}, date: none)",
        f"#set text(lang: {_s(doc.lang)})",
        f"#set page(width: {doc.page_mm[0]:g}mm, height: {doc.page_mm[1]:g}mm, "
        f"margin: (left: {left:g}mm, top: {top:g}mm, right: {right:g}mm, bottom: {bottom:g}mm), "
        f"footer: {_footer(doc)}, footer-descent: 0mm)",
        _STYLE,
    ]
    body = [_block(b, images) for b in doc.blocks]
    return "\n".join(head + body) + "\n"


def _figures(blocks: tuple[Block, ...]) -> list[Figure]:
    """Every figure, also inside kept blocks and columns."""
    found: list[Figure] = []
    for block in blocks:
        if isinstance(block, Figure):
            found.append(block)
        elif isinstance(block, Keep | Columns):
            found += _figures(block.blocks)
    return found


def write_pdf(doc: Document) -> bytes:
    """The document as a tagged PDF conforming to PDF/UA-1, without dates in it (the same
    document gives the same file).

    Parameters
    ----------
    doc
        What the PDF holds, in reading order.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    ValueError
        When Typst refuses the document (e.g. a figure without alternative text).
    """
    figures = _figures(doc.blocks)
    if any(not f.alt.strip() for f in figures):
        raise ValueError("every figure needs its alternative text (what the map shows)")
    with tempfile.TemporaryDirectory(prefix="ia-pdf-") as tmp:
        folder = Path(tmp)
        images: dict[int, str] = {}
        for i, figure in enumerate(figures):
            suffix = "png" if figure.image.startswith(_PNG) else "svg"
            images[id(figure)] = f"figure-{i}.{suffix}"
            (folder / images[id(figure)]).write_bytes(figure.image)
        main = folder / "main.typ"
        main.write_text(typst_source(doc, images), encoding="utf-8")
        try:
            pdf = typst.compile(
                str(main), root=str(folder), pdf_standards=["ua-1"],
                font_paths=[str(FONT_DIR)], ignore_system_fonts=True,
            )  # fmt: skip
        except typst.TypstError as exc:
            raise ValueError(f"the PDF could not be written: {exc}") from exc
    return bytes(pdf)
