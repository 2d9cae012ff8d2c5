"""Files of the Versorgungsanalyse: any flat table as CSV for German Excel, XLSX or JSON.

The table arrives with its column labels and words already made
(:mod:`dashboard.render.gaps_text`); this module only writes cells: numbers as numbers
(decimal sign of the language in CSV), yes/no as ``ja``/``nein`` (``yes``/``no``) in CSV
and XLSX (JSON keeps ``true``/``false``), missing values empty (``null`` in JSON), a
verdict that does not exist empty too, formula-like text escaped as in
:mod:`dashboard.export.facilities`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from dashboard.domain.formula import escape_formula
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, t
from dashboard.i18n.format import fmt_exact

#: Output formats of :func:`write_gaps`.
GAPS_FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")


def _plain(value: Any) -> Any:
    """A cell as a plain Python value (None for missing)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def _yes_no(value: Any, lang: str) -> Any:
    """A yes/no cell as the word of the language (one convention in every file)."""
    if isinstance(value, bool):
        return t("yes", lang) if value else t("no", lang)
    return value


def _csv_cell(value: Any, lang: str) -> str:
    value = _yes_no(_plain(value), lang)
    if value is None:
        return ""
    if isinstance(value, int | float):
        return fmt_exact(value, lang)
    return escape_formula(str(value))


def csv_text(frame: pd.DataFrame, lang: str = DEFAULT_LANGUAGE) -> str:
    """The table as CSV text for German Excel (``;``, ``\\r\\n``; cells as in :func:`write_gaps`)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_csv_cell(v, lang) for v in row])
    return buffer.getvalue()


def _write_csv(frame: pd.DataFrame, path: Path, lang: str) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write(csv_text(frame, lang))


def _write_xlsx(frame: pd.DataFrame, path: Path, lang: str) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = t("nav.gaps", lang)
    ws.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        values = [_yes_no(_plain(v), lang) for v in row]
        ws.append(
            [ILLEGAL_CHARACTERS_RE.sub("\ufffd", v) if isinstance(v, str) else v for v in values]
        )
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type in ("f", "e"):  # text stays text, never a formula
                cell.data_type = "s"
    for i, col in enumerate(frame.columns, start=1):
        width = max([len(str(col)), *(len(str(v)) for v in frame[col] if _plain(v) is not None)])
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 80)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    wb.save(path)


def _write_json(frame: pd.DataFrame, path: Path, lang: str) -> None:
    records = [
        {str(k): _plain(v) for k, v in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


_WRITERS = {"csv": _write_csv, "xlsx": _write_xlsx, "json": _write_json}


def write_gaps(frame: pd.DataFrame, fmt: str, out: Path, lang: str = DEFAULT_LANGUAGE) -> int:
    """Write a table of the Versorgungsanalyse (or any flat frame) to a file.

    Parameters
    ----------
    frame
        The table with its final column labels; written in its row and column order.
    fmt
        ``csv`` (German Excel: ``;``, UTF-8 with BOM, numbers in full precision with the
        language's decimal sign, ``ja``/``nein`` or ``yes``/``no``, formula-like text
        escaped), ``xlsx`` (one sheet named after the page) or ``json`` (list of records,
        UTF-8, ``null`` for missing).
    out
        Target file; its folder must exist. Replaced only when the new file is complete.
    lang
        Language of the words the writer adds (yes/no, sheet name) and of the decimal sign.

    Returns
    -------
    int
        Number of rows written.
    """
    fmt = str(fmt).lower()
    if fmt not in GAPS_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(GAPS_FORMATS)}")
    out = Path(out)
    if not out.parent.is_dir():
        raise ValueError(f"{out.parent}: folder does not exist")
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / f"gaps.{fmt}"
        _WRITERS[fmt](frame, tmp, lang)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return len(frame)
