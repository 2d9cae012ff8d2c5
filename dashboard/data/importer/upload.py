"""The one bounded reader of files from outside: every upload and every file a command reads.

Offer lists (import), the collection round's returned workbooks, indicator tables and
project lists all come in here, so that each meets the same checks
(:mod:`dashboard.data.importer.limits`): the size before anything is written, then the
dimension, rows, columns, cell length, entities (DTD/XXE) and macros of a workbook
(:mod:`dashboard.data.importer.xlsx`, :mod:`dashboard.data.importer.package`) before
openpyxl reads a cell. A refusal is a :class:`ReadError` naming the file as the user knows
it (never a folder of the server) with the reason in the user's language; nothing is
written anywhere.

* :func:`read_upload_table` reads one table (CSV, XLSX, GeoJSON, GeoPackage, OSM).
* :func:`read_upload_sheets` reads named sheets of a workbook as rows of text cells.

The bytes go to a private temporary folder (0700) that is deleted before either returns.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

from dashboard.data.importer.limits import Limits, import_limits
from dashboard.data.importer.readers import (
    SUPPORTED,
    RawTable,
    ReadError,
    cell_text,
    check_size,
    read_table,
    refuse,
)
from dashboard.data.importer.xlsx import SheetFacts, XlsxRefused, inspect_sheets
from dashboard.i18n.catalogue import N_

__all__ = [
    "ReadError", "SheetRows", "bounded", "read_upload_sheets", "read_upload_table", "safe_name",
]  # fmt: skip

#: Rows of a sheet: (row number as in Excel, the cells as text).
SheetRows = list[tuple[int, list[str]]]


def safe_name(name: str) -> str:
    """The last part of an uploaded file's name (no folder), ``upload`` if empty."""
    return PurePath(str(name).replace("\\", "/")).name or "upload"


@contextmanager
def _private_copy(name: str, data: bytes) -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="integrationsatlas-upload-"))
    try:
        os.chmod(folder, 0o700)
        suffix = "".join(PurePath(name).suffixes[-2:]).lower()  # keeps ".osm.pbf"
        path = folder / ("upload" + suffix)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check_type(name: str, suffixes: Collection[str]) -> None:
    if not name.lower().endswith(tuple(suffixes)):
        raise refuse(name, N_("imp.err.type"), expected=", ".join(sorted(suffixes)))


def read_upload_table(
    name: str,
    data: bytes,
    limits: Limits | None = None,
    suffixes: Collection[str] = SUPPORTED,
) -> RawTable:
    """Read one uploaded table within the limits.

    Parameters
    ----------
    name
        The file name as uploaded (only its last part and suffix are used).
    data
        The file's bytes.
    limits
        The bounds; default :func:`dashboard.data.importer.limits.import_limits`.
    suffixes
        The file types this door accepts (e.g. ``.csv``, ``.xlsx``).

    Returns
    -------
    RawTable
        The rows as strings with their labels.

    Raises
    ------
    ReadError
        Too large, another type, or unreadable; the message names the file as uploaded.
    """
    limits = limits or import_limits()
    safe = safe_name(name)
    check_size(len(data), safe, limits)  # too large: refused before anything is written
    _check_type(safe, suffixes)
    with _private_copy(safe, data) as path:
        return read_table(path, limits, name=safe)


def read_upload_sheets(
    name: str, data: bytes, titles: Collection[str], limits: Limits | None = None
) -> dict[str, SheetRows]:
    """Read named sheets of an uploaded workbook as rows of text, within the limits.

    Every named sheet the workbook has is checked (dimension, rows, columns, cells)
    before openpyxl reads it, and read only up to the rows and columns found; other sheets
    are neither checked nor read.

    Parameters
    ----------
    name
        The file name as uploaded (``.xlsx``).
    data
        The file's bytes.
    titles
        The sheets to read.
    limits
        The bounds (rows, columns and cell length per sheet); default the import limits.

    Returns
    -------
    dict
        Title -> the sheet's non-empty rows (row number, cells as text, trailing empty
        cells kept up to the widest row); a sheet the workbook lacks is left out.

    Raises
    ------
    ReadError
        Too large, no ``.xlsx``, macros, a document type declaration, a limit exceeded,
        or unreadable; the message names the file as uploaded.
    """
    from openpyxl import load_workbook

    limits = limits or import_limits()
    safe = safe_name(name)
    check_size(len(data), safe, limits)
    _check_type(safe, (".xlsx",))
    with _private_copy(safe, data) as path:
        try:
            facts = inspect_sheets(path, limits, titles)
        except XlsxRefused as exc:
            raise refuse(safe, exc.message) from None
        try:
            wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises several types for broken files
            raise refuse(safe, N_("imp.err.xlsx_not_zip"), detail=exc.__class__.__name__) from None
        try:
            return {title: _rows(wb, safe, fact) for title, fact in facts.items()}
        finally:
            wb.close()


def _rows(wb: Any, name: str, fact: SheetFacts) -> SheetRows:
    ws = wb[fact.title]
    if getattr(ws, "_worksheet_path", fact.part) != fact.part:  # not the part checked
        raise refuse(name, N_("imp.err.xlsx_broken"), part=fact.part, detail="sheet")
    out: SheetRows = []
    if fact.last_row == 0:
        return out
    bounded = ws.iter_rows(
        max_row=fact.last_row, max_col=max(fact.last_column, 1), values_only=True
    )
    for number, values in enumerate(bounded, start=1):
        cells = [cell_text(v) for v in values]
        if any(cells):
            out.append((number, cells))
    return out


def bounded(limits: Limits | None = None, *, max_rows: int) -> Limits:
    """The import limits with at most ``max_rows`` rows (a door with a smaller bound)."""
    base = limits or import_limits()
    return replace(base, max_rows=min(base.max_rows, max_rows))
