"""The collection round's workbook for one Verbandsgemeinde (XLSX, openpyxl).

Sheets (names in :mod:`dashboard.domain.collection`):

``Anleitung``
    What to do, step by step, and what happens with the answers.
``Angebote``
    The VG's current offers, one per row, pre-filled; empty rows below for new ones.
    Category, status and "to be confirmed" are dropdowns (data validation) that accept
    only their values; Handlungsfelder, languages and target groups offer their values
    and accept several, separated by commas. The ID identifies a stored offer and must not
    change; the hidden version column tells whether the offer changed in the store since
    the workbook was sent.
``Vollständigkeit``
    Per category: "Liste vollständig" (ja/nein, dropdown) and "Stand" (the date the list
    refers to: a year, month or day); who filled it in and when.
``Auswahllisten`` and ``Meta`` (hidden)
    The dropdown values (the catalogue's and those of the VG's own offers: never a value of
    another VG or of a sensitive record), and what the reader needs: format, round, VG
    key, send id and the send's check value (the return must answer exactly this send).

Text cells never become formulas (a cell starting with ``=`` stays text).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.domain.collection import (
    FILLED_BY,
    FILLED_ON,
    LISTS_HEADER,
    NO,
    OFFER_FIELDS,
    SHEET_CHOICES,
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_META,
    SHEET_OFFERS,
    STATUS_WORDS,
    WORKBOOK_FORMAT,
    WORKBOOK_VERSION,
    YES,
)
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.i18n.catalogue import field_label, t, tn
from dashboard.i18n.format import fmt_date

#: Empty rows offered below the pre-filled offers for new ones.
NEW_ROWS = 200

_HEAD = Font(bold=True, color="FFFFFF")
_HEAD_FILL = PatternFill("solid", fgColor="1B3A6B")
_FIXED_FILL = PatternFill("solid", fgColor="E8E8E8")
_LISTED = ("handlungsfelder", "languages", "target_groups")


def _text(value: object) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) or None
    return value


def _as_list(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return []
    return [v for v in str(value).split("|") if v]


def _cell(field: str, value: object) -> Any:
    """A stored value as the VG reads it (German words, lists joined with commas)."""
    if field == "category":
        return t(f"cat.{value}", "de")
    if field == "handlungsfelder":
        return ", ".join(HANDLUNGSFELDER[c]["de"] for c in _as_list(value) if c in HANDLUNGSFELDER)
    if field in _LISTED:
        return ", ".join(_as_list(value)) or None
    if field == "status":
        return STATUS_WORDS.get(str(value), str(value))
    if field == "unconfirmed":
        return YES if bool(value) else NO
    if field in ("capacity", "version"):
        return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]
    return _text(value)


def _header(ws: Worksheet, labels: Sequence[str]) -> None:
    ws.append(list(labels))
    for cell in ws[1]:
        cell.font, cell.fill = _HEAD, _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"


def _ranges(choices: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """List name -> the cell range of its values in the (hidden) choices sheet."""
    ranges = {}
    for col, (name, values) in enumerate(choices.items(), start=1):
        letter = get_column_letter(col)
        last = max(2, len(values) + 1)
        ranges[name] = f"'{SHEET_CHOICES}'!${letter}$2:${letter}${last}"
    return ranges


def _choices_sheet(wb: Workbook, choices: Mapping[str, Sequence[str]]) -> None:
    """Write the dropdown values, one column per list (hidden sheet)."""
    ws = wb.create_sheet(SHEET_CHOICES)
    for col, (name, values) in enumerate(choices.items(), start=1):
        ws.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=_text(value))
    ws.sheet_state = "hidden"


def _validation(
    ws: Worksheet, formula: str, cells: str, prompt: str, *, strict: bool = True
) -> None:
    dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    dv.errorStyle = "stop" if strict else "warning"
    dv.error = t("collect.wb.invalid", "de")
    dv.errorTitle = t("collect.wb.invalid_title", "de")
    dv.prompt = prompt
    dv.showInputMessage = True
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(cells)


def _offers_sheet(
    wb: Workbook, offers: pd.DataFrame, ranges: Mapping[str, str], new_rows: int
) -> int:
    ws = wb.create_sheet(SHEET_OFFERS)
    _header(ws, [field_label(f, "de") for f in OFFER_FIELDS])
    for _, row in offers.iterrows():
        ws.append([_cell(f, row.get(f)) for f in OFFER_FIELDS])
    last = len(offers) + 1 + new_rows
    col = {f: get_column_letter(i) for i, f in enumerate(OFFER_FIELDS, start=1)}
    listed = t("collect.wb.several", "de")
    _validation(ws, ranges["category"], f"{col['category']}2:{col['category']}{last}",
                t("collect.wb.prompt_category", "de"))  # fmt: skip
    for field, name in (
        ("handlungsfelder", "handlungsfelder"), ("languages", "languages"),
        ("target_groups", "target_groups"),
    ):  # fmt: skip
        _validation(ws, ranges[name], f"{col[field]}2:{col[field]}{last}", listed, strict=False)
    words = ",".join(STATUS_WORDS.values())
    _validation(ws, f'"{words}"', f"{col['status']}2:{col['status']}{last}",
                t("collect.wb.prompt_status", "de"))  # fmt: skip
    _validation(ws, f'"{YES},{NO}"', f"{col['unconfirmed']}2:{col['unconfirmed']}{last}",
                t("collect.wb.prompt_unconfirmed", "de"))  # fmt: skip
    widths = {"id": 16, "name": 42, "handlungsfelder": 34, "note": 40, "version": 8}
    for field, letter in col.items():
        ws.column_dimensions[letter].width = widths.get(field, 18)
    for r in range(2, len(offers) + 2):
        ws[f"{col['id']}{r}"].fill = _FIXED_FILL
    ws.column_dimensions[col["version"]].hidden = True
    ws.auto_filter.ref = f"A1:{col['version']}{max(2, len(offers) + 1)}"
    return len(offers)


def _lists_sheet(
    wb: Workbook, categories: Sequence[str], marks: Mapping[str, tuple[bool, str]]
) -> None:
    ws = wb.create_sheet(SHEET_LISTS)
    _header(ws, LISTS_HEADER)
    for cat in categories:
        complete, as_of = marks.get(cat, (False, ""))
        ws.append([t(f"cat.{cat}", "de"), YES if complete else None,
                   fmt_date(as_of, "de") if as_of else None, None])  # fmt: skip
    end = len(categories) + 1
    _validation(ws, f'"{YES},{NO}"', f"B2:B{end}", t("collect.wb.prompt_complete", "de"))
    for r in range(2, end + 1):
        ws[f"A{r}"].fill = _FIXED_FILL
        ws[f"C{r}"].number_format = "@"
    ws.cell(row=end + 2, column=1, value=FILLED_BY).font = Font(bold=True)
    ws.cell(row=end + 3, column=1, value=FILLED_ON).font = Font(bold=True)
    ws.cell(row=end + 3, column=2).number_format = "@"
    for letter, width in zip("ABCD", (24, 18, 16, 50), strict=True):
        ws.column_dimensions[letter].width = width


def _guide_sheet(wb: Workbook, vg_name: str, round_: str, sent_at: str, n: int) -> None:
    ws = wb.active
    ws.title = SHEET_GUIDE
    ws.column_dimensions["A"].width = 110
    lines = [
        t("collect.wb.title", "de", vg=vg_name),
        tn("collect.wb.round", n, "de", round=round_, date=fmt_date(sent_at, "de"), n=n),
        "",
        *[t(f"collect.wb.step{i}", "de") for i in range(1, 7)],
        "",
        t("collect.wb.after", "de"),
    ]
    for i, line in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=_text(line))
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = Font(bold=True, size=14)


def _meta_sheet(wb: Workbook, meta: Mapping[str, str]) -> None:
    ws = wb.create_sheet(SHEET_META)
    for key, value in meta.items():
        ws.append([key, value])
    ws.sheet_state = "hidden"


def _no_formulas(wb: Workbook) -> None:
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e"):
                    cell.data_type = "s"


def write_workbook(
    out: Path,
    *,
    vg_key: str,
    vg_name: str,
    round_: str,
    send_id: int,
    sent_at: str,
    check: str,
    offers: pd.DataFrame,
    categories: Sequence[str],
    choices: Mapping[str, Sequence[str]],
    marks: Mapping[str, tuple[bool, str]] | None = None,
    new_rows: int = NEW_ROWS,
) -> int:
    """Write the workbook of one VG, all or nothing.

    Parameters
    ----------
    out
        Target file (its folder must exist); replaced only when complete.
    vg_key, vg_name
        The VG (current vintage).
    round_
        Name of the collection round (e.g. ``2026-11``).
    send_id, sent_at
        The id the send was recorded with and its date (ISO).
    check
        The send's check value (:func:`dashboard.domain.collection.send_check`).
    offers
        The VG's offers, one row each, with the facility fields of
        :data:`dashboard.domain.collection.OFFER_FIELDS`.
    categories
        Categories whose lists the VG states complete or not.
    choices
        Dropdown values: ``category``, ``handlungsfelder``, ``languages``,
        ``target_groups``.
    marks
        Current completeness per category ``(complete, as_of)``, pre-filled.
    new_rows
        Empty rows with dropdowns below the offers.

    Returns
    -------
    int
        Offers written.
    """
    missing = [f for f in OFFER_FIELDS if f not in offers.columns]
    if missing:
        raise ValueError(f"offers lack column(s) {missing}")
    wb = Workbook()
    _guide_sheet(wb, vg_name, round_, sent_at, len(offers))
    n = _offers_sheet(wb, offers, _ranges(choices), new_rows)
    _lists_sheet(wb, categories, marks or {})
    _choices_sheet(wb, choices)
    _meta_sheet(
        wb,
        {
            "format": WORKBOOK_FORMAT, "version": WORKBOOK_VERSION, "round": round_,
            "vg_key": vg_key, "vg_name": vg_name, "send_id": str(send_id), "sent_at": sent_at,
            "check": check,
        },
    )  # fmt: skip
    _no_formulas(wb)
    out = Path(out)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / "erhebung.xlsx"
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return n
