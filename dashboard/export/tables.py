"""Any display table as a CSV file for German Excel, formula-safe.

Every CSV the application writes goes through :func:`write_csv` or, for offers, through
:func:`dashboard.export.facilities.export_facilities`; both protect text cells with
:func:`dashboard.domain.formula.escape_formula`.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from dashboard.domain.formula import escape_formula


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape_formula(str(value))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as CSV (``;``, UTF-8 with BOM), every cell and header formula-safe."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")
