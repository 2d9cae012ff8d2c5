"""Read a returned collection workbook back as a change set (writes nothing).

:func:`read_workbook` reads the sheets written by
:func:`dashboard.export.collection.write_workbook`; :func:`plan_return` compares the
offers with the store and validates the new and changed ones with exactly the import's
rules (:func:`dashboard.data.importer.plan_import`):

* a row whose ID is a stored offer and whose fields are as stored is unchanged (its
  position, source and date stay as stored);
* a changed row gets the return as its source and the list's date as its date; it keeps
  its stored position unless its address changed, then it is located from the address;
  status ``geschlossen`` closes it;
* a row without ID is a new offer, located from its address;
* a pre-filled offer missing from the sheet is reported (rows must not be deleted; the
  status says "geschlossen"), never closed silently;
* an offer that changed in the store since the workbook was sent is reported.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pandas as pd

from dashboard.data.collection import Mark
from dashboard.data.importer import Defaults, ImportPlan, plan_import
from dashboard.data.importer.columns import fold
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.importer.plan import Problem
from dashboard.data.importer.readers import RawTable, ReadError
from dashboard.domain.collection import (
    ADDRESS_FIELDS,
    EDITABLE_FIELDS,
    FILLED_BY,
    FILLED_ON,
    LISTS_HEADER,
    META_KEYS,
    NO,
    OFFER_FIELDS,
    SHEET_LISTS,
    SHEET_META,
    SHEET_OFFERS,
    STATUS_WORDS,
    WORKBOOK_FORMAT,
    YES,
)
from dashboard.domain.dates import source_date
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, Facility
from dashboard.i18n.catalogue import field_label
from dashboard.i18n.message import Message

#: Largest workbook read back (bytes) and most offer rows.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000


@dataclass
class ReturnedWorkbook:
    """What a VG sent back.

    Attributes
    ----------
    meta
        The hidden meta sheet (format, round, VG key and name, send id, date sent).
    rows
        The offers sheet: (row label, field -> text) for every non-empty row.
    marks
        Completeness per category, as the VG stated it.
    filled_by, filled_on
        Who filled it in, and when (ISO text of its precision, or "").
    problems
        Problems of the lists sheet (row, field, problem, value).
    """

    meta: dict[str, str]
    rows: list[tuple[str, dict[str, str]]]
    marks: list[Mark]
    filled_by: str = ""
    filled_on: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def vg_key(self) -> str:
        """The VG the workbook was sent to."""
        return self.meta.get("vg_key", "")

    @property
    def list_date(self) -> str:
        """The date of the list: the newest date given in the lists sheet, else the date it
        was filled in, else the day it is read back."""
        dates = sorted(m.as_of for m in self.marks if m.as_of)
        if dates:
            return dates[-1]
        return self.filled_on or dt.date.today().isoformat()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(data: bytes, name: str) -> ReturnedWorkbook:
    """Read a returned workbook.

    Parameters
    ----------
    data
        The file's bytes.
    name
        Its name (for messages).

    Raises
    ------
    ReadError
        If it is too large, no readable XLSX, or no collection workbook of this application.
    """
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise ReadError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise ReadError(f"{name}: not a readable XLSX workbook ({exc.__class__.__name__})") from exc
    try:
        if not {SHEET_META, SHEET_OFFERS, SHEET_LISTS} <= set(wb.sheetnames):
            raise ReadError(
                f"{name}: no workbook of the collection round (expected the sheets "
                f"{SHEET_OFFERS}, {SHEET_LISTS} and {SHEET_META})"
            )
        meta = {
            _text(r[0]): _text(r[1] if len(r) > 1 else "")
            for r in wb[SHEET_META].iter_rows(values_only=True)
            if r and r[0]
        }
        if meta.get("format") != WORKBOOK_FORMAT or not all(k in meta for k in META_KEYS):
            raise ReadError(f"{name}: the sheet {SHEET_META} is not that of a collection workbook")
        rows = _offer_rows(wb[SHEET_OFFERS], name)
        book = ReturnedWorkbook(meta=meta, rows=rows, marks=[])
        _read_lists(wb[SHEET_LISTS], book)
    finally:
        wb.close()
    return book


def _offer_rows(ws: object, name: str) -> list[tuple[str, dict[str, str]]]:
    labels = {fold(field_label(f, "de")): f for f in OFFER_FIELDS}
    header: list[str] | None = None
    out = []
    for idx, values in enumerate(ws.iter_rows(values_only=True), start=1):  # type: ignore[attr-defined]
        cells = [_text(v) for v in values]
        if header is None:
            header = [labels.get(fold(c), "") for c in cells]
            missing = [f for f in ("id", "name", "category") if f not in header]
            if missing:
                raise ReadError(f"{name}: the sheet {SHEET_OFFERS} lacks the columns {missing}")
            continue
        if not any(cells):
            continue
        row = {f: c for f, c in zip(header, cells, strict=False) if f}
        out.append((f"{SHEET_OFFERS}, Zeile {idx}", row))
        if len(out) > MAX_ROWS:
            raise ReadError(f"{name}: more than {MAX_ROWS} offers")
    return out


_CATEGORY_LABELS = {fold(str(info["de"])): c for c, info in CATEGORIES.items()} | {
    fold(c): c for c in CATEGORIES
}


def _read_lists(ws: object, book: ReturnedWorkbook) -> None:
    rows = list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]
    for idx, values in enumerate(rows[1:], start=2):
        cells = [_text(v) for v in values] + [""] * 4
        label, complete, as_of, note = cells[:4]
        if label == FILLED_BY:
            book.filled_by = complete
            continue
        if label == FILLED_ON:
            if complete:
                try:
                    book.filled_on = source_date(complete)
                except ValueError as exc:
                    book.problems.append(Problem(f"{SHEET_LISTS}, Zeile {idx}", FILLED_ON,
                                                 Message.plain(str(exc)), complete))  # fmt: skip
            continue
        if not label:
            continue
        where = f"{SHEET_LISTS}, Zeile {idx}"
        category = _CATEGORY_LABELS.get(fold(label))
        if category is None:
            book.problems.append(
                Problem(where, LISTS_HEADER[0], Message.plain("unbekannte Kategorie"), label)
            )
            continue
        word = complete.strip().lower()
        if word not in ("", YES, NO):
            book.problems.append(
                Problem(
                    where, LISTS_HEADER[1], Message.plain(f"erwartet {YES} oder {NO}"), complete
                )
            )
            continue
        date = ""
        if as_of:
            try:
                date = source_date(as_of)
            except ValueError as exc:
                book.problems.append(
                    Problem(where, LISTS_HEADER[2], Message.plain(str(exc)), as_of)
                )
                continue
        if word == YES and not date:
            book.problems.append(
                Problem(
                    where,
                    LISTS_HEADER[2],
                    Message.plain("Stand fehlt: vollständig zu welchem Datum?"),
                    "",
                )
            )
            continue
        if word:
            book.marks.append(Mark(book.vg_key, category, word == YES, date, note))


# -- the change set --------------------------------------------------------------------------
@dataclass
class ReturnPlan:
    """The change set of a returned workbook.

    Attributes
    ----------
    book
        The workbook read.
    plan
        The import plan of the changed and new rows (add, change, invalid); unchanged rows
        are not in it.
    unchanged
        IDs of pre-filled offers returned as stored.
    missing
        Stored offers of the VG that the sheet no longer lists (reported, not closed).
    stale
        Row label -> message, for offers changed in the store since the workbook was sent.
    """

    book: ReturnedWorkbook
    plan: ImportPlan
    unchanged: list[str]
    missing: list[Facility]
    stale: dict[str, str]

    @property
    def problems(self) -> list[Problem]:
        """Problems of the lists sheet and of the offers, in order."""
        return [*self.book.problems, *self.plan.problems]

    def kind(self, facility: Facility, stored: Facility | None) -> str:
        """``add``, ``close`` or ``change`` for a row of the plan."""
        if stored is None:
            return "add"
        return "close" if stored.status == "active" and facility.status == "closed" else "change"


def _stored_text(f: Facility, name: str) -> str:
    value = getattr(f, name)
    if name == "category":
        return str(CATEGORIES[value]["de"])
    if name == "handlungsfelder":
        return ", ".join(HANDLUNGSFELDER[c]["de"] for c in value)
    if isinstance(value, list):
        return ", ".join(value)
    if name == "status":
        return STATUS_WORDS.get(str(value), str(value))
    if name == "unconfirmed":
        return YES if value else NO
    return "" if value is None else str(value)


def _norm(text: str) -> str:
    return " ".join(str(text).replace(";", ",").split()).casefold().replace(" ,", ",")


def plan_return(
    book: ReturnedWorkbook, stored: list[Facility], vg_offers: list[str], geocoder: Geocoder,
    source: str,
) -> ReturnPlan:  # fmt: skip
    """Compare a returned workbook with the store and plan the proposals (writes nothing).

    Parameters
    ----------
    book
        From :func:`read_workbook`.
    stored
        Every stored facility (for ids and duplicates).
    vg_offers
        IDs of the VG's active offers the workbook was made from (to find missing rows).
    geocoder
        Offline geocoder.
    source
        The source recorded for changed and new offers (e.g. "Rücklauf Erhebung ...").
    """
    by_id = {f.id: f for f in stored}
    rows, labels, unchanged, stale = [], [], [], {}
    seen: set[str] = set()
    when = book.list_date
    for label, row in book.rows:
        rid = row.get("id", "").strip()
        old = by_id.get(rid) if rid else None
        if old is not None:
            seen.add(rid)
            same = all(
                _norm(row.get(f, "")) == _norm(_stored_text(old, f)) for f in EDITABLE_FIELDS
            )
            if same:
                unchanged.append(rid)
                continue
            version = row.get("version", "")
            if version.isdigit() and int(version) != old.version:
                stale[label] = (
                    f"{old.name}: im Bestand seit dem Versand geändert (Version {version} → "
                    f"{old.version}); bitte beim Prüfen vergleichen"
                )
            moved = any(
                _norm(row.get(f, "")) != _norm(_stored_text(old, f)) for f in ADDRESS_FIELDS
            )
            if not moved and old.lat is not None and old.lon is not None:
                row = {**row, "lat": repr(old.lat), "lon": repr(old.lon),
                       "precision": old.precision}  # fmt: skip
            row = {**row, "ags": old.ags} if not moved and old.lat is None else row
        row = {**row, "source": source, "reference_date": when, "last_verified": ""}
        row = {**row, "status": row.get("status") or STATUS_WORDS["active"]}
        rows.append(row)
        labels.append(label)
    columns = sorted({k for r in rows for k in r})
    frame = pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows], columns=columns, dtype=str
    )
    raw = RawTable(frame, labels, "xlsx", {"Blatt": SHEET_OFFERS}, canonical=True)
    mapping = {c: c for c in columns}
    plan = plan_import(raw, mapping, geocoder, stored, Defaults(source, when))
    missing = [by_id[i] for i in vg_offers if i in by_id and i not in seen]
    return ReturnPlan(book, plan, unchanged, missing, stale)
