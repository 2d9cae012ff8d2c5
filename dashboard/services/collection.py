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

Rights: sending, confirming and marking need the Kreis-Redaktion (or an admin); a
VG-Redaktion may read back and submit the workbook of its own VG.
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
from dashboard.data.collection import CollectionLedger, Mark
from dashboard.data.collection_workbook import ReturnPlan, plan_return, read_workbook
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
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace

__all__ = [
    "LIST_CATEGORIES",
    "ImportRejected",
    "ReadError",
    "ReturnPlan",
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
        raise PermissionDenied(f"{what} darf nur die Kreis-Redaktion oder ein Admin.")


def _ledger(ws: Workspace) -> CollectionLedger:
    return CollectionLedger(ws.store.db)


def _now(ws: Workspace) -> str:
    return ws.store.clock().isoformat(timespec="seconds")


def _check_vg(ws: Workspace, vg_key: str) -> str:
    if vg_key not in ws.areas.vg_names:
        valid = ", ".join(f"{n} ({k})" for k, n in sorted(ws.areas.vg_names.items()))
        raise StoreError(f"Unbekannte Verbandsgemeinde {vg_key!r}; gültig: {valid}")
    return vg_key


def _offers(ws: Workspace, vg_key: str) -> pd.DataFrame:
    """The VG's active offers of the list categories, one row each (facility fields)."""
    located = ws.view().active()
    vg_rs = f"vg_rs_{ws.areas.vintage}"
    rows = located[(located[vg_rs] == vg_key) & located["category"].isin(LIST_CATEGORIES)]
    return rows.sort_values(["category", "name"])[list(OFFER_FIELDS)].reset_index(drop=True)


def _choices(ws: Workspace) -> dict[str, list[str]]:
    located = ws.view().active()

    def values(column: str, suggested: Iterable[str]) -> list[str]:
        found = {str(v) for items in located[column] for v in items}
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
    _require_district(ws, "Erhebungen versenden")
    _check_vg(ws, vg_key)
    name = ws.areas.vg_names[vg_key]
    offers = _offers(ws, vg_key)
    at = _now(ws)
    with tempfile.TemporaryDirectory(prefix="integrationsatlas-") as tmp:
        path = Path(tmp) / "erhebung.xlsx"
        ledger = _ledger(ws)
        # the id is recorded in the workbook: reserve it with the send, then write the file
        file_name = workbook_name(name, round_)
        send_id = ledger.add_send(round_, vg_key, at, ws.user.name, file_name, "", len(offers))
        write_workbook(
            path, vg_key=vg_key, vg_name=name, round_=round_, send_id=send_id, sent_at=at[:10],
            offers=offers, categories=LIST_CATEGORIES, choices=_choices(ws),
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
        raise StoreError(f"{out_dir}: Ordner gibt es nicht")
    for key in vg_keys:
        _check_vg(ws, key)
    written = []
    for key in vg_keys:
        name, data = workbook(ws, key, round_)
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def read_return(ws: Workspace, data: bytes, file_name: str) -> ReturnPlan:
    """Read a returned workbook as a change set (writes nothing).

    Raises
    ------
    ReadError
        Not a readable collection workbook.
    PermissionDenied
        For the public, and for a VG-Redaktion of another VG.
    """
    if not ws.can_propose():
        raise PermissionDenied("Zum Einlesen bitte als Redaktion anmelden.")
    book = read_workbook(data, file_name)
    vg_key = book.vg_key
    if vg_key not in ws.areas.vg_names:
        raise ReadError(f"{file_name}: unbekannte Verbandsgemeinde {vg_key!r} in der Arbeitsmappe")
    if not ws.may_act_in(vg_key):
        raise PermissionDenied("Nur die Arbeitsmappe der eigenen Verbandsgemeinde.")
    sent = [i for i in _offers(ws, vg_key)["id"]]
    source = f"Rücklauf Erhebung {book.meta.get('round', '')} VG {ws.areas.vg_names[vg_key]}" + (
        f" ({book.filled_by})" if book.filled_by else ""
    )
    return plan_return(book, ws.store.facilities(), sent, ws.areas.geocoder, source)


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
    problems = len(plan.plan.problems) + len(plan.book.problems)
    if problems and not skip_invalid:
        raise ImportRejected(
            f"{problems} Problem(e): nichts übernommen. Bitte die Arbeitsmappe korrigieren "
            "oder nur die gültigen Zeilen übernehmen."
        )
    vg_key = plan.book.vg_key
    checked = [
        (r, ws.check_proposal(r.facility, r.expected_version))
        for r in plan.plan.valid
        if r.facility is not None
    ]
    for _, c in checked:
        if c.vg_key != vg_key and not ws.may_act_in(c.vg_key):
            raise PermissionDenied("Angebote einer anderen Verbandsgemeinde.")
    at = _now(ws)
    ledger, proposals = _ledger(ws), Ledger(ws.store.db)
    send_id = plan.book.meta.get("send_id", "")
    with ledger.write() as conn:
        rid = ledger.add_return_on(
            conn, int(send_id) if send_id.isdigit() else None, plan.book.meta.get("round", ""),
            vg_key, at, ws.user.name, file_name, hashlib.sha256(data).hexdigest(),
            plan.book.filled_by, plan.book.list_date,
        )  # fmt: skip
        ids = []
        for row, c in checked:
            note = f"Rücklauf {rid}, {row.row}"
            if row.row in plan.stale:
                note += f"; {plan.stale[row.row]}"
            pid = proposals.add_proposal_on(
                conn, c.kind, c.payload, row.expected_version, c.vg_key, ws.user.name, at, note,
                c.current,
            )  # fmt: skip
            ledger.add_item_on(conn, rid, pid, c.kind, c.payload.id)
            ids.append(pid)
        n = ledger.add_marks_on(conn, plan.book.marks, ws.user.name, at, "pending", rid)
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
    _require_district(ws, "Rückläufe bestätigen")
    ledger = _ledger(ws)
    row = ledger.return_row(return_id)
    if row is None:
        raise StoreError(f"Den Rücklauf {return_id} gibt es nicht.")
    if row["status"] == "confirmed":
        raise StoreError(f"Der Rücklauf {return_id} ist schon bestätigt.")
    pending = int(str(row["n_pending"]))
    if pending > 0:
        raise StoreError(
            f"Der Rücklauf {return_id} hat noch {pending} offene Vorschläge; bitte erst prüfen."
        )
    at = _now(ws)
    if not ledger.confirm_return(return_id, ws.user.name, at, comment):
        raise StoreError(f"Der Rücklauf {return_id} wurde inzwischen bestätigt.")
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
    _require_district(ws, "Listen als vollständig markieren")
    _check_vg(ws, vg_key)
    if category not in LIST_CATEGORIES:
        raise StoreError(f"Unbekannte Kategorie {category!r}; gültig: {', '.join(LIST_CATEGORIES)}")
    try:
        date = source_date(as_of)
    except ValueError as exc:
        raise StoreError(f"Stand: {exc}") from exc
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
        raise PermissionDenied("Den Stand der Erhebung sehen nur Redaktionen; bitte anmelden.")
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
