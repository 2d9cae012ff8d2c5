"""The projects as files a clerk can read and send back: a list (XLSX or CSV) with German
(or English) headers that the project import reads again, and the Sachstandsbericht as
XLSX (state per project, summary, sources).

Headers come from :mod:`dashboard.data.project_rows`, words from the catalogue; dates are written as the source gives them in the
reader's notation (``2025``, ``03.2025``, ``01.03.2025``), amounts with a decimal comma in
German. Text cells are never formulas (CSV: a leading apostrophe, undone by the import;
XLSX: forced to text). The internal note is a column only of an internal file.
:func:`xlsx_bytes` writes any sheets (the Sachstandsbericht's come from
:func:`dashboard.render.projects_text.sachstand_sheets`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from dashboard.data.project_rows import ROW_FIELDS, header, row_of
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.domain.projects import ProjectRecord
from dashboard.export.tables import csv_bytes
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_exact

#: Fields of a written list that hold dates (written in the reader's notation).
_DATES = ("planned_start", "planned_end", "actual_start", "actual_end", "status_on",
          "figure_as_of", "reference_date")  # fmt: skip
_NUMBERS = ("lat", "lon", "funding_amount", "target", "achieved")


def _words(record: ProjectRecord, names: Mapping[str, str], lang: str) -> dict[str, str]:
    """A record's row with codes in words (statuses, Handlungsfelder, Arbeitskreis, places
    by name) as the import reads them back."""
    row = row_of(record)
    row["status"] = t(f"project.status.{record.status}", lang)
    row["handlungsfelder"] = "; ".join(HANDLUNGSFELDER[c][lang] for c in record.handlungsfelder)
    row["arbeitskreis"] = t(f"ak.{record.arbeitskreis}", lang) if record.arbeitskreis else ""
    for name in ("gemeinden", "vgs"):
        row[name] = "; ".join(names.get(k, k) for k in row[name].split("; ") if k)
    row["open_to_residents"] = (
        t("proj.yes", lang) if record.open_to_residents else t("proj.no", lang)
    )
    for name in _DATES:
        row[name] = fmt_date(row[name], lang) if row[name] else ""
    for name in _NUMBERS:
        row[name] = fmt_exact(float(row[name]), lang) if row[name] else ""
    return row


def list_frame(
    records: Iterable[ProjectRecord], names: Mapping[str, str], lang: str, *, internal: bool
) -> pd.DataFrame:
    """The projects as a written list: one row each, one column per field of
    :data:`dashboard.data.project_rows.ROW_FIELDS` (without the internal note unless
    ``internal``), headed in ``lang``."""
    fields = [f for f in ROW_FIELDS if internal or f != "internal_note"]
    rows = [[_words(r, names, lang)[f] for f in fields] for r in records]
    return pd.DataFrame(rows, columns=[header(f, lang) for f in fields], dtype=object)


def _text(value: object) -> object:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) or None
    return value


def xlsx_bytes(sheets: Sequence[tuple[str, pd.DataFrame]]) -> bytes:
    """Frames as the sheets of one workbook: every text cell stays text (never a formula),
    header row frozen, columns sized."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, frame in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append([_text(str(c)) for c in frame.columns])
        for values in frame.itertuples(index=False):
            ws.append([_text(v) for v in values])
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e"):
                    cell.data_type = "s"
        ws.freeze_panes = "A2"
        for i, column in enumerate(frame.columns, start=1):
            longest = max([len(str(column)), *(len(str(v)) for v in frame[column])], default=10)
            ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 10), 60)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def list_file(
    records: Iterable[ProjectRecord],
    names: Mapping[str, str],
    lang: str,
    fmt: str,
    *,
    internal: bool,
) -> bytes:
    """The project list as ``xlsx`` or ``csv`` bytes (formula-safe)."""
    frame = list_frame(records, names, lang, internal=internal)
    if fmt == "csv":
        return csv_bytes(frame)
    if fmt != "xlsx":
        raise ValueError(f"unknown format {fmt!r}; expected xlsx or csv")
    return xlsx_bytes([(t("proj.sheet.projects", lang), frame)])
