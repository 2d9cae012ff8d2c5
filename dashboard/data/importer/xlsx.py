"""Check an XLSX workbook against the import limits before anything is read into memory.

An XLSX file is a ZIP of XML parts. A small file can declare a sheet of 16,384 columns ×
1,048,576 rows, unpack to gigabytes, or hold one string of hundreds of millions of
characters; a reader that trusts it fills the memory. :func:`inspect_xlsx` therefore
reads the parts as streams with expat (in chunks of 64 KB, never a whole part), counting
instead of keeping:

1. the ZIP directory: every part's unpacked size (the ZIP reader never unpacks beyond
   it), together at most :attr:`Limits.max_unpacked_bytes`;
2. the content types, the workbook and its relations: which parts openpyxl will read
   (found the way openpyxl finds them) and which sheet ("Einrichtungen", else the first);
3. the shared strings: how many, how long each (the positions of over-long ones are
   kept, not their text);
4. the sheet: the declared dimension (refused at once if it exceeds the limits), the
   real rows and the widest row, each cell's length; stops at the first row over the
   limit.

Only then does openpyxl read the sheet (streaming, read-only), bounded to the rows and
columns found. Document type declarations (entities: XXE, billion laughs) are refused.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any
from xml.parsers import expat

from openpyxl.xml.constants import ARC_WORKBOOK, SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

from dashboard.data.importer.limits import Limits
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError

_CHUNK = 64 * 1024
#: Longest stretch of a part without ">" (a tag, or text beyond any cell limit).
_MAX_RUN = 1024 * 1024
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")


class XlsxRefused(LocalizedError):
    """The workbook exceeds a limit or is not a workbook; nothing was read into memory."""


@dataclass(frozen=True)
class SheetFacts:
    """What the scan found in the sheet that will be read.

    Attributes
    ----------
    title
        The sheet's name.
    last_row
        Number of the last row holding a cell (1-based; 0 for an empty sheet).
    last_column
        Number of the last column holding a cell in any row (1-based).
    rows
        Rows holding at least one cell.
    part
        The sheet's part in the package (``xl/worksheets/sheet1.xml``).
    """

    title: str
    last_row: int
    last_column: int
    rows: int
    part: str = ""


class _Stop(Exception):
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


def _split_ref(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip().upper())
    return (column_number(m[1]), int(m[2])) if m else None


def _parser() -> Any:
    p = expat.ParserCreate(namespace_separator="}")
    p.buffer_text = False

    def refuse_doctype(*_: object) -> None:
        raise _Stop(XlsxRefused(N_("imp.err.xml_doctype")))

    p.StartDoctypeDeclHandler = refuse_doctype
    p.EntityDeclHandler = refuse_doctype
    return p


def _feed(
    parser: Any,
    stream: IO[bytes],
    name: str,
    where: dict[str, Any] | None = None,
    in_text: Callable[[], bool] = lambda: False,
) -> None:
    """Parse a part chunk by chunk.

    Expat hands text over in pieces, but keeps a whole start tag (with its attributes) in
    memory: a stretch of more than :data:`_MAX_RUN` bytes without ``>`` outside of text
    (``in_text`` tells) is refused.
    """
    since_tag_end = 0
    where = {} if where is None else where
    where["offset"], where["chunk"] = 0, b""
    try:
        while chunk := stream.read(_CHUNK):
            where["offset"] += len(where["chunk"])
            where["chunk"] = chunk
            end = chunk.rfind(b">")
            since_tag_end = since_tag_end + len(chunk) if end < 0 else len(chunk) - end - 1
            if in_text():
                since_tag_end = 0
            elif since_tag_end > _MAX_RUN:
                raise XlsxRefused(N_("imp.err.xlsx_tag"), part=name, limit=_MAX_RUN // 1024)
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise XlsxRefused(N_("imp.err.xlsx_broken"), part=name, detail=str(exc)) from None
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise XlsxRefused(
            N_("imp.err.xlsx_broken"), part=name, detail=exc.__class__.__name__
        ) from None


def _scan(
    zf: zipfile.ZipFile, name: str, parser: Any, in_text: Callable[[], bool] = lambda: False
) -> None:
    try:
        with zf.open(name) as stream:
            _feed(parser, stream, name, in_text=in_text)
    except _Stop as stop:
        raise stop.refusal from None


def _rels(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Relationship id -> target of a ``.rels`` part."""
    found: dict[str, str] = {}
    if name not in zf.NameToInfo:
        return found
    p = _parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_NS_PKG_REL}}}Relationship" and "Id" in attrs:
            found[attrs["Id"]] = attrs.get("Target", "")

    p.StartElementHandler = start
    _scan(zf, name, p)
    return found


def _sheets(zf: zipfile.ZipFile, workbook: str) -> list[tuple[str, str]]:
    """(name, part) of the workbook's sheets, in order."""
    if workbook not in zf.NameToInfo:
        raise XlsxRefused(N_("imp.err.xlsx_broken"), part=workbook, detail="missing")
    rels = _rels(
        zf, str(PurePosixPath(workbook).parent / "_rels" / (PurePosixPath(workbook).name + ".rels"))
    )
    sheets: list[tuple[str, str]] = []
    p = _parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{_NS_MAIN}}}sheet":
            target = rels.get(attrs.get(f"{_NS_REL}}}id", ""), "")
            if target:
                sheets.append((attrs.get("name", ""), _resolve(workbook, target)))

    p.StartElementHandler = start
    _scan(zf, workbook, p)
    return sheets


def _content_types(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], set[str]]:
    """The package's overrides (part, content type) in order, and its default types."""
    overrides: list[tuple[str, str]] = []
    defaults: set[str] = set()
    if "[Content_Types].xml" not in zf.NameToInfo:
        return overrides, defaults
    p = _parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "Override":
            overrides.append((attrs.get("PartName", "").lstrip("/"), attrs.get("ContentType", "")))
        elif local == "Default":
            defaults.add(attrs.get("ContentType", ""))

    p.StartElementHandler = start
    _scan(zf, "[Content_Types].xml", p)
    return overrides, defaults


def _find(overrides: list[tuple[str, str]], content_type: str) -> str | None:
    return next((part for part, ct in overrides if ct == content_type), None)


def _workbook_part(zf: zipfile.ZipFile, types: tuple[list[tuple[str, str]], set[str]]) -> str:
    """The workbook part, found as openpyxl finds it (by content type)."""
    overrides, defaults = types
    for content_type in (XLTM, XLTX, XLSM, XLSX):
        part = _find(overrides, content_type)
        if part:
            return part
    if defaults & {XLTM, XLTX, XLSM, XLSX}:
        return str(ARC_WORKBOOK)
    raise XlsxRefused(N_("imp.err.xlsx_broken"), part=str(ARC_WORKBOOK), detail="no workbook")


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (str(PurePosixPath(base).parent) + "/" + target).split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts:
                parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def _shared_strings(zf: zipfile.ZipFile, part: str | None, limits: Limits) -> tuple[set[int], int]:
    """Indices of the shared strings longer than a cell may be, and all their characters.

    Once the characters exceed :attr:`Limits.max_shared_chars` the workbook is refused
    anyway; the scan stops there (the string it stopped in counts as too long), and the
    sheet is scanned only to name a cell that uses one of them.
    """
    too_long: set[int] = set()
    if part is None or part not in zf.NameToInfo:
        return too_long, 0
    p = _parser()
    state = {"index": -1, "length": 0, "in_t": 0, "total": 0}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if tag == f"{_NS_MAIN}}}si":
            state["index"] += 1
            state["length"] = 0
            if state["index"] >= limits.max_shared_strings:
                raise _Stop(
                    XlsxRefused(
                        N_("imp.err.xlsx_strings"),
                        found=state["index"] + 1,
                        limit=limits.max_shared_strings,
                    )
                )
        elif tag == f"{_NS_MAIN}}}t":
            state["in_t"] += 1

    def end(tag: str) -> None:
        if tag == f"{_NS_MAIN}}}t":
            state["in_t"] -= 1
        elif tag == f"{_NS_MAIN}}}si" and state["length"] > limits.max_cell_chars:
            too_long.add(state["index"])

    def text(data: str) -> None:
        if state["in_t"]:
            state["length"] += len(data)
            state["total"] += len(data)
            if state["total"] > limits.max_shared_chars:
                if state["length"] > limits.max_cell_chars:
                    too_long.add(state["index"])
                raise _Enough

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text
    try:
        _scan(zf, part, p, in_text=lambda: bool(state["in_t"]))
    except _Enough:
        pass
    return too_long, state["total"]


class _Enough(Exception):
    """Enough has been counted to refuse the workbook."""


class _TooManyRows(Exception):
    """The sheet has more rows than allowed; the rest is only counted."""


def _scan_sheet(
    zf: zipfile.ZipFile, title: str, part: str, limits: Limits, too_long: set[int]
) -> SheetFacts:
    p = _parser()
    st = {"rows": 0, "last_row": 0, "last_col": 0, "row_num": 0, "col": 0, "len": 0, "in": 0}
    cell: dict[str, str] = {}
    index: list[str] = []  # the value of a shared-string cell (its index)

    def refuse(key: str, **params: object) -> None:
        raise _Stop(XlsxRefused(key, sheet=title, **params))

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "c":
            ref = _split_ref(attrs.get("r", ""))
            st["col"] = ref[0] if ref else st["col"] + 1
            if ref:
                st["row_num"] = max(st["row_num"], ref[1])
            if st["col"] > limits.max_columns:
                refuse(
                    N_("imp.err.xlsx_columns"), cell=attrs.get("r", ""), limit=limits.max_columns
                )
            cell.clear()
            cell.update(attrs)
            index.clear()
            st["len"] = 0
            st["last_col"] = max(st["last_col"], st["col"])
            st["last_row"] = max(st["last_row"], st["row_num"])
        elif local in ("v", "t", "f"):
            st["in"] += 1
        elif local == "row":
            st["rows"] += 1
            r = attrs.get("r", "")
            st["row_num"] = int(r) if r.isdigit() else st["row_num"] + 1
            st["col"] = 0
            if st["rows"] > limits.max_rows + 1:  # + the header row
                raise _TooManyRows
        elif local == "dimension":
            _check_dimension(attrs.get("ref", ""), title, limits)

    def end(tag: str) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local in ("v", "t", "f"):
            st["in"] -= 1
        elif local == "c" and too_long and cell.get("t") == "s":
            value = "".join(index).strip()
            if value.isdigit() and int(value) in too_long:
                refuse(N_("imp.err.xlsx_cell"), cell=cell.get("r", ""), limit=limits.max_cell_chars)

    def text(data: str) -> None:
        if not st["in"]:
            return
        st["len"] += len(data)
        if st["len"] > limits.max_cell_chars:
            refuse(N_("imp.err.xlsx_cell"), cell=cell.get("r", ""), limit=limits.max_cell_chars)
        if cell.get("t") == "s" and len(index) < 4:
            index.append(data)

    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text
    try:
        with zf.open(part) as stream:
            where: dict[str, Any] = {}
            try:
                _feed(p, stream, part, where, in_text=lambda: bool(st["in"]))
            except _TooManyRows:
                rest = where["chunk"][p.CurrentByteIndex - where["offset"] + 1 :]
                found = st["rows"] - 1 + _count_rows(rest, stream)
                raise XlsxRefused(N_("imp.err.rows"), found=found, limit=limits.max_rows) from None
    except _Stop as stop:
        raise stop.refusal from None
    return SheetFacts(title, st["last_row"], st["last_col"], st["rows"], part)


def _check_dimension(ref: str, title: str, limits: Limits) -> None:
    bounds = [b for b in (_split_ref(r) for r in ref.split(":")) if b]
    if not bounds:
        return
    cols = max(b[0] for b in bounds) - min(b[0] for b in bounds) + 1
    rows = max(b[1] for b in bounds) - min(b[1] for b in bounds) + 1
    if cols > limits.max_columns or rows > limits.max_rows + 1:
        raise _Stop(
            XlsxRefused(
                N_("imp.err.xlsx_dimension"),
                sheet=title,
                ref=ref,
                rows=rows,
                columns=cols,
                max_rows=limits.max_rows,
                max_columns=limits.max_columns,
            )
        )


def _count_rows(rest: bytes, stream: IO[bytes]) -> int:
    """Rows in the rest of a sheet, counted in the raw bytes (the XML is not parsed)."""
    count, tail = len(_ROW_TAG.findall(rest)), rest[-16:]
    while chunk := stream.read(_CHUNK):
        data = tail + chunk
        count += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
        tail = data[-16:]
    return count


def inspect_xlsx(path: Path, limits: Limits) -> SheetFacts:
    """Check a workbook against the limits without reading its content into memory.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    limits
        The import limits.

    Returns
    -------
    SheetFacts
        The sheet to read ("Einrichtungen", else the first) and its real extent.

    Raises
    ------
    XlsxRefused
        Not a workbook, a part that cannot be parsed, a document type declaration, or a
        limit exceeded (the message names the limit and the value found).
    """
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxRefused(N_("imp.err.xlsx_not_zip"), detail=exc.__class__.__name__) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > 10_000:
            raise XlsxRefused(N_("imp.err.xlsx_parts"), found=len(infos), limit=10_000)
        unpacked = sum(i.file_size for i in infos)
        if unpacked > limits.max_unpacked_bytes:
            raise XlsxRefused(
                N_("imp.err.xlsx_unpacked"),
                found_mb=unpacked // (1024 * 1024),
                limit_mb=limits.max_unpacked_bytes // (1024 * 1024),
            )
        types = _content_types(zf)
        sheets = _sheets(zf, _workbook_part(zf, types))
        if not sheets:
            raise XlsxRefused(N_("imp.err.xlsx_no_sheet"))
        chosen = next((s for s in sheets if s[0] == "Einrichtungen"), sheets[0])
        if chosen[1] not in zf.NameToInfo:
            raise XlsxRefused(N_("imp.err.xlsx_broken"), part=chosen[1], detail="missing")
        too_long, characters = _shared_strings(zf, _find(types[0], SHARED_STRINGS), limits)
        facts = _scan_sheet(zf, chosen[0], chosen[1], limits, too_long)
        if characters > limits.max_shared_chars:  # after the sheet: a used one is named
            raise XlsxRefused(N_("imp.err.xlsx_text"), limit=limits.max_shared_chars)
        return facts
