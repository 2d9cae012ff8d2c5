"""Streaming XML scans of the parts of an XLSX package (expat, in chunks, nothing kept).

The building blocks of :mod:`dashboard.data.importer.xlsx` and
:mod:`dashboard.data.importer.package`: a parser that refuses document type declarations
(entities: XXE, billion laughs), a feeder that never hands expat more than a chunk and
refuses an endless tag, and the refusal every check raises.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from typing import IO, Any
from xml.parsers import expat

from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError

CHUNK = 64 * 1024
#: Longest stretch of a part without ">" (a tag, or text beyond any cell limit).
MAX_RUN = 1024 * 1024
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class XlsxRefused(LocalizedError):
    """The workbook exceeds a limit or is not a workbook; nothing was read into memory."""


class Stop(Exception):
    """Ends a scan early (a limit was exceeded); carries the refusal."""

    def __init__(self, refusal: XlsxRefused) -> None:
        super().__init__(str(refusal))
        self.refusal = refusal


def column_number(letters: str) -> int:
    """``A`` -> 1, ``Z`` -> 26, ``AA`` -> 27, ``XFD`` -> 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def split_ref(ref: str) -> tuple[int, int] | None:
    """``B7`` -> ``(2, 7)`` (column, row); ``None`` for anything else."""
    m = _REF.match(ref.strip().upper())
    return (column_number(m[1]), int(m[2])) if m else None


def parser() -> Any:
    """An expat parser with namespaces that refuses any document type declaration."""
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = False

    def refuse_doctype(*_: object) -> None:
        raise Stop(XlsxRefused(N_("imp.err.xml_doctype")))

    p.StartDoctypeDeclHandler = refuse_doctype
    p.EntityDeclHandler = refuse_doctype
    return p


def feed(
    p: Any,
    stream: IO[bytes],
    name: str,
    where: dict[str, Any] | None = None,
    in_text: Callable[[], bool] = lambda: False,
) -> None:
    """Parse a part chunk by chunk.

    Expat hands text over in pieces, but keeps a whole start tag (with its attributes) in
    memory: a stretch of more than :data:`MAX_RUN` bytes without ``>`` outside of text
    (``in_text`` tells) is refused.
    """
    since_tag_end = 0
    where = {} if where is None else where
    where["offset"], where["chunk"] = 0, b""
    try:
        while chunk := stream.read(CHUNK):
            where["offset"] += len(where["chunk"])
            where["chunk"] = chunk
            end = chunk.rfind(b">")
            since_tag_end = since_tag_end + len(chunk) if end < 0 else len(chunk) - end - 1
            if in_text():
                since_tag_end = 0
            elif since_tag_end > MAX_RUN:
                raise XlsxRefused(N_("imp.err.xlsx_tag"), part=name, limit=MAX_RUN // 1024)
            p.Parse(chunk, False)
        p.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XlsxRefused(N_("imp.err.xlsx_broken"), part=name, detail=str(exc)) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise XlsxRefused(
            N_("imp.err.xlsx_broken"), part=name, detail=exc.__class__.__name__
        ) from None


def scan(
    zf: zipfile.ZipFile, name: str, p: Any, in_text: Callable[[], bool] = lambda: False
) -> None:
    """Feed one part of the package to ``p``; a :class:`Stop` becomes its refusal."""
    try:
        with zf.open(name) as stream:
            feed(p, stream, name, in_text=in_text)
    except Stop as stop:
        raise stop.refusal from None
