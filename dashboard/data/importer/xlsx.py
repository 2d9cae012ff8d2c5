"""Check an XLSX workbook against the import limits before anything is read into memory.

An XLSX file is a ZIP of XML parts. A small file can declare a sheet of 16,384 columns ×
1,048,576 rows, unpack to gigabytes, or hold one string of hundreds of millions of
characters; a reader that trusts it fills the memory. :func:`inspect_xlsx` and
:func:`inspect_sheets` therefore read the parts as streams with expat (in chunks of 64 KB,
never a whole part), counting instead of keeping:

1. the package (:func:`dashboard.data.importer.package.open_package`): the ZIP directory
   and what it unpacks to, no macros, no document type declaration in any part, the parts
   openpyxl reads whole small, and which sheets there are;
2. the shared strings: how many, how long each (the positions of over-long ones are
   kept, not their text);
3. each sheet to be read: the declared dimension (refused at once if it exceeds the
   limits), the real rows and the widest row, each cell's length; stops at the first row
   over the limit.

Only then does openpyxl read the sheet (streaming, read-only), bounded to the rows and
columns found.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from dashboard.data.importer.limits import Limits
from dashboard.data.importer.package import Package, open_package
from dashboard.data.importer.xmlscan import (
    CHUNK,
    NS_MAIN,
    Stop,
    XlsxRefused,
    feed,
    parser,
    scan,
    split_ref,
)
from dashboard.i18n.catalogue import N_

__all__ = ["SheetFacts", "XlsxRefused", "inspect_sheets", "inspect_xlsx"]

_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")


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


def _shared_strings(zf: zipfile.ZipFile, part: str | None, limits: Limits) -> tuple[set[int], int]:
    """Indices of the shared strings longer than a cell may be, and all their characters.

    Once the characters exceed :attr:`Limits.max_shared_chars` the workbook is refused
    anyway; the scan stops there (the string it stopped in counts as too long), and the
    sheet is scanned only to name a cell that uses one of them.
    """
    too_long: set[int] = set()
    if part is None or part not in zf.NameToInfo:
        return too_long, 0
    p = parser()
    state = {"index": -1, "length": 0, "in_t": 0, "total": 0}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        if tag == f"{NS_MAIN}}}si":
            state["index"] += 1
            state["length"] = 0
            if state["index"] >= limits.max_shared_strings:
                raise Stop(
                    XlsxRefused(
                        N_("imp.err.xlsx_strings"),
                        found=state["index"] + 1,
                        limit=limits.max_shared_strings,
                    )
                )
        elif tag == f"{NS_MAIN}}}t":
            state["in_t"] += 1

    def end(tag: str) -> None:
        if tag == f"{NS_MAIN}}}t":
            state["in_t"] -= 1
        elif tag == f"{NS_MAIN}}}si" and state["length"] > limits.max_cell_chars:
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
        scan(zf, part, p, in_text=lambda: bool(state["in_t"]))
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
    p = parser()
    st = {"rows": 0, "last_row": 0, "last_col": 0, "row_num": 0, "col": 0, "len": 0, "in": 0}
    cell: dict[str, str] = {}
    index: list[str] = []  # the value of a shared-string cell (its index)

    def refuse(key: str, **params: object) -> None:
        raise Stop(XlsxRefused(key, sheet=title, **params))

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "c":
            ref = split_ref(attrs.get("r", ""))
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
                feed(p, stream, part, where, in_text=lambda: bool(st["in"]))
            except _TooManyRows:
                rest = where["chunk"][p.CurrentByteIndex - where["offset"] + 1 :]
                found = st["rows"] - 1 + _count_rows(rest, stream)
                raise XlsxRefused(N_("imp.err.rows"), found=found, limit=limits.max_rows) from None
    except Stop as stop:
        raise stop.refusal from None
    return SheetFacts(title, st["last_row"], st["last_col"], st["rows"], part)


def _check_dimension(ref: str, title: str, limits: Limits) -> None:
    bounds = [b for b in (split_ref(r) for r in ref.split(":")) if b]
    if not bounds:
        return
    cols = max(b[0] for b in bounds) - min(b[0] for b in bounds) + 1
    rows = max(b[1] for b in bounds) - min(b[1] for b in bounds) + 1
    if cols > limits.max_columns or rows > limits.max_rows + 1:
        raise Stop(
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
    while chunk := stream.read(CHUNK):
        data = tail + chunk
        count += len(_ROW_TAG.findall(data)) - len(_ROW_TAG.findall(tail))
        tail = data[-16:]
    return count


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise XlsxRefused(N_("imp.err.xlsx_not_zip"), detail=exc.__class__.__name__) from None


def _scan_chosen(
    zf: zipfile.ZipFile, package: Package, chosen: list[tuple[str, str]], limits: Limits
) -> dict[str, SheetFacts]:
    """Scan the shared strings, then each chosen sheet (in the package's order)."""
    too_long, characters = _shared_strings(zf, package.shared_strings, limits)
    found: dict[str, SheetFacts] = {}
    for title, part in chosen:
        if part not in zf.NameToInfo:
            raise XlsxRefused(N_("imp.err.xlsx_broken"), part=part, detail="missing")
        found[title] = _scan_sheet(zf, title, part, limits, too_long)
    if characters > limits.max_shared_chars:  # after the sheets: a used one is named
        raise XlsxRefused(N_("imp.err.xlsx_text"), limit=limits.max_shared_chars)
    return found


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
        Not a workbook, a part that cannot be parsed, macros, a document type declaration,
        or a limit exceeded (the message names the limit and the value found).
    """
    with _open(path) as zf:
        package = open_package(zf, limits)
        sheets = package.sheets
        chosen = next((s for s in sheets if s[0] == "Einrichtungen"), sheets[0])
        return _scan_chosen(zf, package, [chosen], limits)[chosen[0]]


def inspect_sheets(path: Path, limits: Limits, titles: Collection[str]) -> dict[str, SheetFacts]:
    """Check a workbook and the named sheets of it (each against the limits).

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    limits
        The limits (rows, columns and cell length apply to each sheet).
    titles
        The sheets that will be read; others are not scanned (and must not be read).

    Returns
    -------
    dict
        Title -> :class:`SheetFacts` of every named sheet the workbook has (a missing
        one is left out: the caller says what it expected).

    Raises
    ------
    XlsxRefused
        As :func:`inspect_xlsx`.
    """
    with _open(path) as zf:
        package = open_package(zf, limits)
        chosen: dict[str, str] = {}
        for title, part in package.sheets:
            if title in titles and title not in chosen:
                chosen[title] = part
        return _scan_chosen(zf, package, list(chosen.items()), limits)
