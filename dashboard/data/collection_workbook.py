"""Read a returned collection workbook back as a change set (writes nothing).

:func:`read_workbook` reads the sheets written by
:func:`dashboard.export.collection.write_workbook` with the one bounded reader of outside
files (:func:`dashboard.data.importer.upload.read_upload_sheets`: size, dimension, rows,
cells, entities and macros checked before a cell is read). :func:`check_send` refuses a
workbook that does not answer the send it names; :func:`plan_return` compares the offers
with the store and validates the new and changed ones with exactly the import's rules
(:func:`dashboard.data.importer.plan_import`):

* a row whose ID was sent with the workbook and whose fields are as stored is unchanged
  (its position, source and date stay as stored);
* a changed row gets the return as its source and the list's date as its date; it keeps
  its stored position unless its address changed, then it is located from the address;
  status ``geschlossen`` closes it;
* a row without ID is a new offer, located from its address;
* a row whose ID was not sent with this workbook (another VG's offer, an unknown ID), and
  a row whose address places it in another VG, is a problem of its row: never written;
* a pre-filled offer missing from the sheet is reported (rows must not be deleted; the
  status says "geschlossen"), never closed silently;
* an offer that changed in the store since the workbook was sent is reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard.data.collection import Mark, Send
from dashboard.data.importer import Defaults, ImportPlan, plan_import
from dashboard.data.importer.columns import fold
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.importer.labels import sheet_line
from dashboard.data.importer.plan import Problem, RowPlan
from dashboard.data.importer.readers import RawTable, ReadError, refuse
from dashboard.data.importer.upload import SheetRows, bounded, read_upload_sheets, safe_name
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
from dashboard.i18n.catalogue import N_, field_label
from dashboard.i18n.message import Message

#: Most offer rows of a returned workbook (each sheet read is bounded by it).
MAX_ROWS = 5000


class ReturnRefused(ReadError):
    """The workbook does not answer the send it names (another VG, another or unknown send,
    changed keys, read back before): nothing of it is written."""


@dataclass
class ReturnedWorkbook:
    """What a VG sent back.

    Attributes
    ----------
    meta
        The hidden meta sheet (format, round, VG key and name, send id, date sent, check).
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
        """The VG the workbook names (checked against its send by :func:`check_send`)."""
        return self.meta.get("vg_key", "")

    @property
    def send_id(self) -> int | None:
        """The send the workbook names, if it names one."""
        text = self.meta.get("send_id", "")
        return int(text) if text.isdigit() and len(text) < 12 else None

    @property
    def list_date(self) -> str:
        """The date of the list: the newest date given in the lists sheet, else the date it
        was filled in, else the day it is read back."""
        dates = sorted(m.as_of for m in self.marks if m.as_of)
        if dates:
            return dates[-1]
        return self.filled_on or dt.date.today().isoformat()


def read_workbook(data: bytes, name: str) -> ReturnedWorkbook:
    """Read a returned workbook (bounded: see the module).

    Parameters
    ----------
    data
        The file's bytes.
    name
        Its name (for messages; only its last part is used).

    Raises
    ------
    ReadError
        If it is too large, no readable XLSX, holds macros or a document type declaration,
        exceeds a limit, or is no collection workbook of this application.
    """
    shown = safe_name(name)
    wanted = (SHEET_OFFERS, SHEET_LISTS, SHEET_META)
    sheets = read_upload_sheets(shown, data, wanted, bounded(max_rows=MAX_ROWS))
    if not set(wanted) <= set(sheets):
        raise refuse(shown, N_("collect.err.not_collection"), sheets=", ".join(wanted))
    meta = {r[0]: (r[1] if len(r) > 1 else "") for _, r in sheets[SHEET_META] if r and r[0]}
    if meta.get("format") != WORKBOOK_FORMAT or not all(k in meta for k in META_KEYS[:-1]):
        raise refuse(shown, N_("collect.err.meta"), sheet=SHEET_META)
    book = ReturnedWorkbook(meta=meta, rows=_offer_rows(sheets[SHEET_OFFERS], shown), marks=[])
    _read_lists(sheets[SHEET_LISTS], book)
    return book


def _offer_rows(rows: SheetRows, name: str) -> list[tuple[str, dict[str, str]]]:
    labels = {fold(field_label(f, "de")): f for f in OFFER_FIELDS}
    if not rows:
        raise refuse(name, N_("imp.err.xlsx_empty"), sheet=SHEET_OFFERS)
    header = [labels.get(fold(c), "") for c in rows[0][1]]
    missing = [field_label(f, "de") for f in ("id", "name", "category") if f not in header]
    if missing:
        raise refuse(name, N_("collect.err.columns"), sheet=SHEET_OFFERS, columns=missing)
    out = []
    for number, cells in rows[1:]:
        row = {f: c for f, c in zip(header, cells, strict=False) if f}
        out.append((sheet_line(SHEET_OFFERS, number), row))
    return out


_CATEGORY_LABELS = {fold(str(info["de"])): c for c, info in CATEGORIES.items()} | {
    fold(c): c for c in CATEGORIES
}


def _date(book: ReturnedWorkbook, where: str, column: str, text: str) -> str | None:
    """``text`` as a source date, or ``None`` after recording the problem."""
    try:
        return source_date(text)
    except ValueError:
        book.problems.append(Problem(where, column, Message.of(N_("collect.prob.bad_date")), text))
        return None


def _read_lists(rows: SheetRows, book: ReturnedWorkbook) -> None:
    for number, values in rows[1:]:
        label, complete, as_of, note = (values + [""] * 4)[:4]
        where = sheet_line(SHEET_LISTS, number)
        if label == FILLED_BY:
            book.filled_by = complete
            continue
        if label == FILLED_ON:
            book.filled_on = (_date(book, where, FILLED_ON, complete) or "") if complete else ""
            continue
        if not label:
            continue
        category = _CATEGORY_LABELS.get(fold(label))
        if category is None:
            msg = Message.of(N_("collect.prob.category"))
            book.problems.append(Problem(where, LISTS_HEADER[0], msg, label))
            continue
        word = complete.strip().lower()
        if word not in ("", YES, NO):
            msg = Message.of(N_("collect.prob.yes_no"), yes=YES, no=NO)
            book.problems.append(Problem(where, LISTS_HEADER[1], msg, complete))
            continue
        date = _date(book, where, LISTS_HEADER[2], as_of) if as_of else ""
        if date is None:
            continue
        if word == YES and not date:
            msg = Message.of(N_("collect.prob.as_of_missing"))
            book.problems.append(Problem(where, LISTS_HEADER[2], msg, ""))
            continue
        if word:
            book.marks.append(Mark(book.vg_key, category, word == YES, date, note))


# -- the send it answers ---------------------------------------------------------------------
@dataclass(frozen=True)
class SendFacts:
    """What the store knows about the send a workbook names (gathered by the service).

    Attributes
    ----------
    send
        The send, or ``None`` if the store has none of that id.
    expected
        The check value a workbook of that send carries (``""`` if none can be made).
    returned
        The return already read back for that send (id, date), if any.
    newer
        A later send to the same VG (id, date), if any.
    vg_names
        VG key -> name (for the messages).
    """

    send: Send | None
    expected: str
    returned: tuple[int, str] | None
    newer: tuple[int, str] | None
    vg_names: Mapping[str, str]


def check_send(book: ReturnedWorkbook, facts: SendFacts, name: str) -> list[Message]:
    """Refuse a workbook that does not answer the send it names; returns the flags (what to
    look at while reviewing, e.g. a newer workbook sent since).

    Raises
    ------
    ReturnRefused
        No check value, an unknown send, a check value that does not match the send
        (the hidden sheet was edited), another VG or round than the send's, or a send
        read back before. The message names the reason.
    """
    shown = safe_name(name)

    def refused(key: str, **params: object) -> ReturnRefused:
        return ReturnRefused(Message.of(N_("imp.err.in_file"), file=shown,
                                        detail=Message.of(key, **params)))  # fmt: skip

    send, vg_name = facts.send, facts.vg_names.get
    if not book.meta.get("check"):
        raise refused(N_("collect.err.no_check"))
    if send is None:
        raise refused(N_("collect.err.unknown_send"), send=book.meta.get("send_id", "")[:20])
    named_vg = book.vg_key
    if named_vg != send.vg_key:
        raise refused(N_("collect.err.other_vg"), named=vg_name(named_vg, named_vg[:20]),
                      send=send.id, vg=vg_name(send.vg_key, send.vg_key))  # fmt: skip
    if book.meta.get("round", "") != send.round:
        raise refused(N_("collect.err.other_round"), named=book.meta.get("round", "")[:40],
                      send=send.id, round=send.round)  # fmt: skip
    if not facts.expected or book.meta.get("check") != facts.expected:
        raise refused(N_("collect.err.check"), send=send.id, vg=vg_name(send.vg_key, ""),
                      round=send.round, sheet=SHEET_META)  # fmt: skip
    if facts.returned is not None:
        ret, at = facts.returned
        raise refused(N_("collect.err.returned"), send=send.id, vg=vg_name(send.vg_key, ""),
                      ret=ret, date=at[:10])  # fmt: skip
    book.marks[:] = [replace(m, vg_key=send.vg_key) for m in book.marks]
    if facts.newer is not None:
        newer, at = facts.newer
        return [Message.of(N_("collect.flag.newer_send"), send=send.id, date=send.sent_at[:10],
                           newer=newer, newer_date=at[:10])]  # fmt: skip
    return []


# -- the change set --------------------------------------------------------------------------
@dataclass
class ReturnPlan:
    """The change set of a returned workbook.

    Attributes
    ----------
    book
        The workbook read.
    plan
        The import plan of the changed and new rows (add, change, invalid) and of the rows
        refused for their ID or VG; unchanged rows are not in it.
    unchanged
        IDs of pre-filled offers returned as stored.
    missing
        Offers sent with the workbook that the sheet no longer lists (reported, not closed).
    stale
        Row label -> message, for offers changed in the store since the workbook was sent.
    send_id
        The send the workbook answers (checked).
    flags
        What the reviewer should know (e.g. a newer workbook was sent since).
    """

    book: ReturnedWorkbook
    plan: ImportPlan
    unchanged: list[str]
    missing: list[Facility]
    stale: dict[str, Message]
    send_id: int | None = None
    flags: list[Message] = field(default_factory=list)

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


@dataclass(frozen=True)
class ReturnContext:
    """What :func:`plan_return` compares a workbook with.

    Attributes
    ----------
    stored
        Every stored facility (for ids and duplicates).
    send
        The send the workbook answers: its VG and the ids of the offers it listed.
    vg_of
        The current VG key of a facility's position (``None``: outside or unknown).
    vg_names
        VG key -> name (for the messages).
    geocoder
        Offline geocoder.
    source
        The source recorded for changed and new offers (e.g. "Rücklauf Erhebung ...").
    """

    stored: list[Facility]
    send: Send
    vg_of: Callable[[Facility], str | None]
    vg_names: Mapping[str, str]
    geocoder: Geocoder
    source: str


def _not_sent(rid: str, old: Facility | None, ctx: ReturnContext) -> Message:
    """Why a row's ID is refused: not sent with this workbook."""
    if old is None:
        return Message.of(N_("collect.prob.unknown_id"), id=rid[:64])
    vg = ctx.vg_of(old)
    if vg is not None and vg != ctx.send.vg_key:
        return Message.of(N_("collect.prob.other_vg_id"), id=rid, vg=ctx.vg_names.get(vg, vg))
    return Message.of(N_("collect.prob.not_sent"), id=rid)


def plan_return(book: ReturnedWorkbook, ctx: ReturnContext) -> ReturnPlan:
    """Compare a returned workbook with the store and plan the proposals (writes nothing).

    Parameters
    ----------
    book
        From :func:`read_workbook`, checked by :func:`check_send`.
    ctx
        The store's facilities, the send and the VG rule (:class:`ReturnContext`).
    """
    by_id = {f.id: f for f in ctx.stored}
    sent = set(ctx.send.record_ids)
    rows, labels, unchanged, stale = [], [], [], {}
    refused: dict[str, RowPlan] = {}
    order: list[str] = []
    seen: set[str] = set()
    when = book.list_date
    for label, row in book.rows:
        order.append(label)
        rid = row.get("id", "").strip()
        old = by_id.get(rid) if rid else None
        if rid and rid not in sent:
            problem = Problem(label, "id", _not_sent(rid, old, ctx), rid[:64])
            refused[label] = RowPlan(label, "invalid", problems=[problem])
            continue
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
                stale[label] = Message.of(
                    N_("collect.stale"), name=old.name, sent=int(version), now=old.version
                )
            moved = any(
                _norm(row.get(f, "")) != _norm(_stored_text(old, f)) for f in ADDRESS_FIELDS
            )
            if not moved and old.lat is not None and old.lon is not None:
                row = {**row, "lat": repr(old.lat), "lon": repr(old.lon),
                       "precision": old.precision}  # fmt: skip
            row = {**row, "ags": old.ags} if not moved and old.lat is None else row
        row = {**row, "source": ctx.source, "reference_date": when, "last_verified": ""}
        row = {**row, "status": row.get("status") or STATUS_WORDS["active"]}
        rows.append(row)
        labels.append(label)
    columns = sorted({k for r in rows for k in r})
    frame = pd.DataFrame(
        [[r.get(c, "") for c in columns] for r in rows], columns=columns, dtype=str
    )
    raw = RawTable(frame, labels, "xlsx", {"Blatt": SHEET_OFFERS}, canonical=True)
    plan = plan_import(raw, {c: c for c in columns}, ctx.geocoder, ctx.stored,
                       Defaults(ctx.source, when))  # fmt: skip
    for r in plan.valid:
        _keep_in_vg(r, ctx)
    planned = {r.row: r for r in plan.rows}
    plan.rows = [refused[label] if label in refused else planned[label]
                 for label in order if label in refused or label in planned]  # fmt: skip
    missing = [by_id[i] for i in ctx.send.record_ids if i in by_id and i not in seen]
    return ReturnPlan(book, plan, unchanged, missing, stale, ctx.send.id)


def _keep_in_vg(r: RowPlan, ctx: ReturnContext) -> None:
    """A new or changed offer whose position lies in another VG becomes a problem of its row."""
    assert r.facility is not None
    vg = ctx.vg_of(r.facility)
    if vg is None or vg == ctx.send.vg_key:
        return
    msg = Message.of(N_("collect.prob.moved_vg"), vg=ctx.vg_names.get(vg, vg),
                     own=ctx.vg_names.get(ctx.send.vg_key, ctx.send.vg_key))  # fmt: skip
    field_ = next((f for f in ADDRESS_FIELDS if f in r.diff), "place")
    r.problems.append(Problem(r.row, field_, msg, r.facility.place or r.facility.street))
    r.status, r.facility, r.diff = "invalid", None, {}
