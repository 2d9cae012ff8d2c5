"""The collection round: workbooks out to the VGs, back in as proposals, a status board.

The Kreis-Redaktion sends every Verbandsgemeinde a workbook of its current offers
(:func:`workbook` for one VG, :func:`write_workbooks` for several); the VG returns it
corrected and states per category whether its list is complete. :func:`read_return`
reads a returned workbook as a change set (writes nothing); :func:`submit_return` writes
its new, changed and closed offers as proposals for review and records the completeness
marks, all in one transaction; once the Kreis-Redaktion has decided every proposal,
:func:`confirm_return` makes the marks effective: from then on the analysis states gaps
(or none) for that VG's lists. :func:`status_board` shows per VG: sent, returned,
reviewed, confirmed, age. :func:`mark_list` lets the Kreis-Redaktion record a list's
completeness directly (e.g. confirmed by phone).

A return must answer its send: the workbook carries the send's id and check value
(:func:`dashboard.domain.collection.send_check`); a workbook for another VG, another or
unknown send, with edited keys, or of a send read back before is refused whole; a row with
another VG's ID or one whose address places it in another VG is refused alone
(:mod:`dashboard.data.collection_workbook`). Confirming a return marks only lists of the VG
it was sent to.

Rights: sending, confirming and marking need the Kreis-Redaktion (or an admin); a
VG-Redaktion may read back and submit the workbook of its own VG. Every refusal is a
catalogue message (``exc.text(lang)``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.analysis.coverage import ListMarks
from dashboard.data.collection import CollectionLedger, Mark, Send
from dashboard.data.collection_workbook import (
    ReturnContext,
    ReturnPlan,
    ReturnRefused,
    SendFacts,
    check_send,
    plan_return,
    read_workbook,
)
from dashboard.data.importer import ImportRejected
from dashboard.data.importer.readers import ReadError
from dashboard.data.proposals import Ledger
from dashboard.domain.collection import (
    LIST_CATEGORIES,
    OFFER_FIELDS,
    SUGGESTED_LANGUAGES,
    SUGGESTED_TARGET_GROUPS,
)
from dashboard.domain.dates import source_date
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.export.collection import write_workbook
from dashboard.i18n.catalogue import N_, Nn_
from dashboard.i18n.message import Message
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace

__all__ = [
    "LIST_CATEGORIES",
    "ImportRejected",
    "ReadError",
    "ReturnPlan",
    "ReturnRefused",
    "Submitted",
    "confirm_return",
    "default_round",
    "mark_list",
    "read_return",
    "status_board",
    "submit_return",
    "workbook",
    "write_workbooks",
]


def default_round(today: dt.date | None = None) -> str:
    """The name of a round started today: ``2026-11``."""
    return (today or dt.date.today()).strftime("%Y-%m")


def _require_district(ws: Workspace, what: str) -> None:
    if not ws.acts_everywhere():
        raise PermissionDenied(N_("collect.err.district_only"), what=Message.of(what))


def _ledger(ws: Workspace) -> CollectionLedger:
    return CollectionLedger(ws.store.db)


def _now(ws: Workspace) -> str:
    return ws.store.clock().isoformat(timespec="seconds")


def _check_vg(ws: Workspace, vg_key: str) -> str:
    if vg_key not in ws.areas.vg_names:
        valid = ", ".join(f"{n} ({k})" for k, n in sorted(ws.areas.vg_names.items()))
        raise StoreError(N_("collect.err.unknown_vg"), vg=vg_key[:20], valid=valid)
    return vg_key


def _offers(ws: Workspace, vg_key: str) -> pd.DataFrame:
    """The VG's active offers of the list categories, one row each (facility fields)."""
    located = ws.view().active()
    vg_rs = f"vg_rs_{ws.areas.vintage}"
    rows = located[(located[vg_rs] == vg_key) & located["category"].isin(LIST_CATEGORIES)]
    return rows.sort_values(["category", "name"])[list(OFFER_FIELDS)].reset_index(drop=True)


def _choices(offers: pd.DataFrame) -> dict[str, list[str]]:
    """Dropdown values: the catalogue's, and the values of the VG's own offers (never a
    value of another VG's or of a sensitive record: ``offers`` holds only the VG's offers
    of the list categories)."""

    def values(column: str, suggested: Iterable[str]) -> list[str]:
        found = {str(v) for items in offers[column] for v in items}
        return sorted(set(suggested) | found, key=str.casefold)

    return {
        "category": [str(CATEGORIES[c]["de"]) for c in LIST_CATEGORIES],
        "handlungsfelder": [v["de"] for v in HANDLUNGSFELDER.values()],
        "languages": values("languages", SUGGESTED_LANGUAGES),
        "target_groups": values("target_groups", SUGGESTED_TARGET_GROUPS),
    }


def _current_marks(ws: Workspace, vg_key: str) -> dict[str, tuple[bool, str]]:
    marks = ListMarks.of(_ledger(ws).effective_marks()).lookup()
    return {c: v for (k, c), v in marks.items() if k == vg_key}


def workbook_name(vg_name: str, round_: str) -> str:
    """File name of a VG's workbook: ``erhebung-2026-11-<vg-name>.xlsx``."""
    slug = "".join(ch if ch.isalnum() else "-" for ch in vg_name.casefold()).strip("-")
    return f"erhebung-{round_}-{slug}.xlsx"


def workbook(ws: Workspace, vg_key: str, round_: str) -> tuple[str, bytes]:
    """The workbook of one VG (file name and bytes); the send is recorded.

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    StoreError
        For an unknown VG.
    """
    _require_district(ws, N_("collect.what.send"))
    _check_vg(ws, vg_key)
    name = ws.areas.vg_names[vg_key]
    offers = _offers(ws, vg_key)
    at = _now(ws)
    with tempfile.TemporaryDirectory(prefix="integrationsatlas-") as tmp:
        path = Path(tmp) / "erhebung.xlsx"
        ledger = _ledger(ws)
        # id and check value are recorded in the workbook: the send first, then the file
        file_name = workbook_name(name, round_)
        ids = [str(i) for i in offers["id"]]
        send_id, check = ledger.add_send(round_, vg_key, at, ws.user.name, file_name, ids)
        write_workbook(
            path, vg_key=vg_key, vg_name=name, round_=round_, send_id=send_id, sent_at=at[:10],
            check=check, offers=offers, categories=LIST_CATEGORIES, choices=_choices(offers),
            marks=_current_marks(ws, vg_key),
        )  # fmt: skip
        data = path.read_bytes()
    ledger.set_send_digest(send_id, hashlib.sha256(data).hexdigest())
    return file_name, data


def write_workbooks(
    ws: Workspace, vg_keys: Sequence[str], out_dir: Path, round_: str
) -> list[Path]:
    """One workbook per VG into ``out_dir`` (command line ``collect``)."""
    if not out_dir.is_dir():
        raise StoreError(N_("collect.err.no_folder"), folder=out_dir.name)
    for key in vg_keys:
        _check_vg(ws, key)
    written = []
    for key in vg_keys:
        name, data = workbook(ws, key, round_)
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def _send_facts(ws: Workspace, send_id: int | None) -> SendFacts:
    """What the store knows about the send a workbook names."""
    ledger = _ledger(ws)
    send = ledger.send(send_id) if send_id is not None else None
    if send is None:
        return SendFacts(None, "", None, None, ws.areas.vg_names)
    sends = ledger.sends()
    later = sends[(sends["vg_key"] == send.vg_key) & (sends["id"] > send.id)]
    newer = None if later.empty else (int(later.iloc[-1]["id"]), str(later.iloc[-1]["sent_at"]))
    return SendFacts(
        send, ledger.expected_check(send), ledger.return_of_send(send.id), newer,
        ws.areas.vg_names,
    )  # fmt: skip


def _require_own(ws: Workspace, vg_key: str) -> None:
    if not ws.may_act_in(vg_key):
        raise PermissionDenied(N_("collect.err.own_vg"))


def read_return(ws: Workspace, data: bytes, file_name: str) -> ReturnPlan:
    """Read a returned workbook as a change set (writes nothing).

    Raises
    ------
    ReadError
        Not a readable collection workbook (bounded: size, dimension, cells, entities,
        macros).
    ReturnRefused
        It does not answer the send it names (another VG, another or unknown send, edited
        keys, read back before).
    PermissionDenied
        For the public, and for a VG-Redaktion of another VG.
    """
    if not ws.can_propose():
        raise PermissionDenied(N_("collect.err.sign_in"))
    book = read_workbook(data, file_name)
    facts = _send_facts(ws, book.send_id)
    _require_own(ws, facts.send.vg_key if facts.send is not None else book.vg_key)
    flags = check_send(book, facts, file_name)
    send: Send = facts.send  # type: ignore[assignment]  # check_send refused None
    vg_name = ws.areas.vg_names[send.vg_key]
    source = f"Rücklauf Erhebung {send.round} VG {vg_name}" + (
        f" ({book.filled_by})" if book.filled_by else ""
    )
    context = ReturnContext(ws.store.facilities(), send, ws.areas.vg_of, ws.areas.vg_names,
                            ws.areas.geocoder, source)  # fmt: skip
    plan = plan_return(book, context)
    plan.flags = flags
    return plan


@dataclass(frozen=True)
class Submitted:
    """A return written as proposals."""

    return_id: int
    proposals: list[int]
    marks: int


def submit_return(
    ws: Workspace, plan: ReturnPlan, file_name: str, data: bytes, *, skip_invalid: bool = False
) -> Submitted:
    """Write a change set: proposals, the return and its pending marks, in one transaction.

    Raises
    ------
    ImportRejected
        Invalid rows (or problems of the lists sheet) and not ``skip_invalid``.
    PermissionDenied, StaleVersionError, StoreError
        As :meth:`Workspace.propose_change`; nothing is written.
    """
    problems = len(plan.problems)
    if problems and not skip_invalid:
        raise ImportRejected(Nn_("collect.err.rejected"), n=problems)
    send = _ledger(ws).send(plan.send_id) if plan.send_id is not None else None
    if send is None:
        raise StoreError(N_("collect.err.unchecked"))
    _require_own(ws, send.vg_key)
    checked = [
        (r, ws.check_proposal(r.facility, r.expected_version))
        for r in plan.plan.valid
        if r.facility is not None
    ]
    for _, c in checked:
        if c.vg_key is not None and c.vg_key != send.vg_key:
            raise StoreError(N_("collect.err.other_vg_offer"), name=c.payload.name)
    at = _now(ws)
    ledger, proposals = _ledger(ws), Ledger(ws.store.db)
    with ledger.write() as conn:
        already = ledger.return_of_send_on(conn, send.id)
        if already is not None:  # read back by someone else meanwhile
            raise StoreError(N_("collect.err.returned_meanwhile"), send=send.id, ret=already[0])
        rid = ledger.add_return_on(
            conn, send.id, send.round, send.vg_key, at, ws.user.name, file_name,
            hashlib.sha256(data).hexdigest(), plan.book.filled_by, plan.book.list_date,
        )  # fmt: skip
        ids = []
        for row, c in checked:
            note = f"Rücklauf {rid}, {row.row}"
            if row.row in plan.stale:
                note += f"; {plan.stale[row.row].text()}"
            pid = proposals.add_proposal_on(
                conn, c.kind, c.payload, row.expected_version, c.vg_key, ws.user.name, at, note,
                c.current,
            )  # fmt: skip
            ledger.add_item_on(conn, rid, pid, c.kind, c.payload.id)
            ids.append(pid)
        marks = [m for m in plan.book.marks if m.vg_key == send.vg_key]  # its own lists only
        n = ledger.add_marks_on(conn, marks, ws.user.name, at, "pending", rid)
    return Submitted(rid, ids, n)


def confirm_return(ws: Workspace, return_id: int, comment: str = "") -> None:
    """Confirm a return once every proposal of it is decided: its completeness marks
    become effective, and the VG's list counts as checked ("list is current").

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    StoreError
        Unknown or confirmed return, or proposals still pending.
    """
    _require_district(ws, N_("collect.what.confirm"))
    ledger = _ledger(ws)
    row = ledger.return_row(return_id)
    if row is None:
        raise StoreError(N_("collect.err.no_return"), id=return_id)
    if row["status"] == "confirmed":
        raise StoreError(N_("collect.err.confirmed_already"), id=return_id)
    pending = int(str(row["n_pending"]))
    if pending > 0:
        raise StoreError(Nn_("collect.err.pending"), id=return_id, n=pending)
    at = _now(ws)
    if not ledger.confirm_return(return_id, ws.user.name, at, comment):
        raise StoreError(N_("collect.err.confirmed_meanwhile"), id=return_id)
    Ledger(ws.store.db).confirm(
        str(row["vg_key"]), ws.user.name, at, comment or f"Rücklauf {return_id} bestätigt"
    )


def mark_list(
    ws: Workspace,
    vg_key: str,
    category: str,
    complete: bool,
    as_of: str | dt.date,
    comment: str = "",
) -> None:
    """Record directly whether a VG's list of a category is complete (Kreis-Redaktion).

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    StoreError
        Unknown VG or category, or a bad date.
    """
    _require_district(ws, N_("collect.what.mark"))
    _check_vg(ws, vg_key)
    if category not in LIST_CATEGORIES:
        raise StoreError(
            N_("collect.err.unknown_category"), category=str(category)[:40],
            valid=", ".join(LIST_CATEGORIES),
        )  # fmt: skip
    try:
        date = source_date(as_of)
    except ValueError:
        raise StoreError(N_("collect.err.bad_as_of"), value=str(as_of)[:40]) from None
    _ledger(ws).add_marks([Mark(vg_key, category, complete, date, comment)], ws.user.name, _now(ws))


def status_board(ws: Workspace, today: dt.date | None = None) -> pd.DataFrame:
    """Per VG of the current vintage: the collection round's state.

    Returns
    -------
    pandas.DataFrame
        ``vg_key``, ``vg``, ``sent`` (date of the latest workbook sent), ``returned``
        (of the latest return), ``return_id``, ``proposals``, ``pending`` (its undecided
        proposals), ``reviewed`` (when its last proposal was decided, if none is pending),
        ``confirmed`` (when the return was confirmed), ``complete`` (lists complete, of
        :data:`LIST_CATEGORIES`), ``age_days`` (days since the latest confirmation, else
        since sending; empty if neither).

    Raises
    ------
    PermissionDenied
        For the public.
    """
    if not ws.can_propose():
        raise PermissionDenied(N_("collect.err.board_sign_in"))
    day = today or dt.date.today()
    ledger = _ledger(ws)
    sends, returns = ledger.sends(), ledger.returns()
    marks = ListMarks.of(ledger.effective_marks()).lookup()
    rows = []
    for key, name in sorted(ws.areas.vg_names.items(), key=lambda kv: kv[1]):
        if not ws.may_act_in(key):
            continue
        sent = _day(sends[sends["vg_key"] == key]["sent_at"].max()) if len(sends) else ""
        mine = returns[returns["vg_key"] == key] if len(returns) else returns
        last = mine.iloc[-1] if len(mine) else None
        reviewed = None
        if last is not None and int(last["n_pending"]) == 0:
            reviewed = last["last_decided"] if int(last["n_proposals"]) else last["returned_at"]
        confirmed = _day(last["confirmed_at"]) if last is not None else ""
        anchor = confirmed or sent
        age = (day - dt.date.fromisoformat(anchor)).days if anchor else None
        rows.append(
            {
                "vg_key": key, "vg": name, "sent": sent,
                "returned": _day(last["returned_at"] if last is not None else None),
                "return_id": None if last is None else int(last["id"]),
                "proposals": 0 if last is None else int(last["n_proposals"]),
                "pending": 0 if last is None else int(last["n_pending"]),
                "reviewed": _day(reviewed), "confirmed": confirmed,
                "complete": sum(marks.get((key, c), (False, ""))[0] for c in LIST_CATEGORIES),
                "age_days": age,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def _day(value: object) -> str:
    """The date part of an ISO time stamp ("" if missing)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or not str(value).strip():
        return ""
    return str(value)[:10]
