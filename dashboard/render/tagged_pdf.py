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

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import typst

#: Fonts tried in order: Debian's DejaVu Sans, else the serif font inside the Typst wheel.
FONTS = ("DejaVu Sans", "Liberation Sans", "Libertinus Serif")
_PNG = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Heading:
    """A heading (level 1 is the document's main heading)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``small`` for notes and sources."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Figure:
    """An image (PNG or SVG bytes) with its alternative text and an optional caption."""

    image: bytes
    alt: str
    caption: str = ""
    width_mm: float | None = None


@dataclass(frozen=True)
class Table:
    """A table: one header row (tagged as header cells), then the rows."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class PageBreak:
    """The next block starts a new page."""


Block = Heading | Paragraph | Figure | Table | PageBreak


@dataclass(frozen=True)
class Document:
    """A document: title and language (both in the PDF's metadata), author, paper, blocks."""

    title: str
    lang: str
    author: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)
    paper: str = "a4"
    landscape: bool = False


def _s(text: str) -> str:
    """``text`` as a Typst string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "").replace("\t", " ")
    return f'"{escaped}"'


def _block(block: Block, images: dict[int, str], i: int) -> str:
    if isinstance(block, Heading):
        return f"#heading(level: {max(1, min(block.level, 6))}, {_s(block.text)})"
    if isinstance(block, Paragraph):
        size = ", size: 0.8em" if block.small else ""
        return f"#par(text({_s(block.text)}{size}))"
    if isinstance(block, Figure):
        width = f", width: {block.width_mm}mm" if block.width_mm else ", width: 100%"
        image = f"image({_s(images[i])}, alt: {_s(block.alt)}{width})"
        caption = f", caption: {_s(block.caption)}" if block.caption else ""
        return f"#figure({image}{caption})"
    if isinstance(block, Table):
        n = max(1, len(block.header))
        header = ", ".join(f"table.cell(strong({_s(h)}))" for h in block.header)
        cells = ", ".join(_s(c) for row in block.rows for c in (list(row) + [""] * n)[:n])
        return f"#table(columns: {n}, table.header({header}), {cells})"
    return "#pagebreak()"


def typst_source(doc: Document, images: dict[int, str]) -> str:
    """The Typst source of ``doc`` (``images``: block index -> file name beside it)."""
    fonts = ", ".join(_s(f) for f in FONTS)
    flipped = "true" if doc.landscape else "false"
    head = [
        f"#set document(title: {_s(doc.title)}, author: {_s(doc.author)})",
        f"#set text(lang: {_s(doc.lang)}, font: ({fonts}), size: 10pt)",
        f"#set page(paper: {_s(doc.paper)}, flipped: {flipped}, margin: 15mm)",
        "#set table(stroke: 0.4pt + luma(150), inset: 4pt)",
    ]
    body = [_block(b, images, i) for i, b in enumerate(doc.blocks)]
    return "\n".join(head + body) + "\n"


def write_pdf(doc: Document, today: dt.datetime | None = None) -> bytes:
    """The document as a tagged PDF conforming to PDF/UA-1.

    Parameters
    ----------
    doc
        What the PDF holds, in reading order.
    today
        The creation date written into the PDF (``None``: now); fixed in tests.

    Returns
    -------
    bytes
        The PDF.

    Raises
    ------
    ValueError
        When Typst refuses the document (e.g. a figure without alternative text).
    """
    for block in doc.blocks:
        if isinstance(block, Figure) and not block.alt.strip():
            raise ValueError("every figure needs its alternative text (what the map shows)")
    with tempfile.TemporaryDirectory(prefix="ia-pdf-") as tmp:
        folder = Path(tmp)
        images: dict[int, str] = {}
        for i, block in enumerate(doc.blocks):
            if isinstance(block, Figure):
                suffix = "png" if block.image.startswith(_PNG) else "svg"
                images[i] = f"figure-{i}.{suffix}"
                (folder / images[i]).write_bytes(block.image)
        main = folder / "main.typ"
        main.write_text(typst_source(doc, images), encoding="utf-8")
        when = (today or dt.datetime.now(dt.UTC)).timestamp()
        try:
            pdf = typst.compile(
                str(main), root=str(folder), pdf_standards=["ua-1"], timestamp=int(when)
            )
        except typst.TypstError as exc:
            raise ValueError(f"the PDF could not be written: {exc}") from exc
    return bytes(pdf)
