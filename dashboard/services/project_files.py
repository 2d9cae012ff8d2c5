"""Reading a project list from outside: the one call into the bounded reader.

A page's upload and a file the command line reads both go through :func:`read_list`, which
hands the bytes to :func:`dashboard.data.importer.upload.read_upload_table` (size, type,
rows, columns, cells and the workbook's parts checked before a cell is read); switch here
when the readers change.
"""

from __future__ import annotations

from pathlib import Path

from dashboard.data.importer import RawTable
from dashboard.data.importer.readers import check_size, refuse
from dashboard.data.importer.upload import read_upload_table, safe_name
from dashboard.i18n.catalogue import N_

#: The file types a project list may be (the one bounded reader checks it).
LIST_SUFFIXES: tuple[str, ...] = (".xlsx", ".csv", ".txt")


def read_list(source: str | Path, data: bytes | None) -> tuple[str, RawTable]:
    """The one call into the bounded reader of outside files for a project list (a
    page's upload, or a file for the command line:
    :func:`dashboard.data.importer.upload.read_upload_table`)."""
    if data is None:
        assert isinstance(source, Path)
        if not source.is_file():
            raise refuse(source.name, N_("imp.err.not_found"))
        check_size(source.stat().st_size, source.name)  # before the bytes are read
        name, data = source.name, source.read_bytes()
    else:
        name = str(source)
    return safe_name(name), read_upload_table(name, data, suffixes=LIST_SUFFIXES)
