"""Projects in the store: records with their status history, proposals, history rows.

Plain storage without any rights check: call it only through
:mod:`dashboard.services.projects`, which decides who may do what.

Tables (schema version 7, :mod:`dashboard.data.schema`):

* ``projects``: ``id``, ``record`` (the :class:`~dashboard.domain.projects.ProjectRecord`
  as JSON, status history included), ``version``, ``updated_at``, ``updated_by``;
* ``project_proposals``: additions, changes and status changes proposed by a
  VG-Redaktion, waiting for review, with the decision;
* ``history`` (shared with the offers): every write with the record before and after,
  ``table_name`` ``projects`` or ``project_proposals``.

Every write is one transaction that advances the data version; saving a record whose
version changed since it was loaded is refused (:class:`StaleVersionError`).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data.areas import Areas
from dashboard.data.db import Connection, Database, IntegrityError
from dashboard.data.errors import StoreError
from dashboard.data.files import PROJECTS_FILE
from dashboard.data.manifest import read_manifest
from dashboard.data.store import StaleVersionError, write_history
from dashboard.domain.model import Project
from dashboard.domain.projects import (
    LEGACY_STATUS,
    Place,
    ProjectRecord,
    StatusChange,
)
from dashboard.i18n.catalogue import N_

#: Kinds of a proposal: a new project, a changed record, a status change.
PROPOSAL_KINDS: tuple[str, ...] = ("add", "change", "status")
_TABLE = "projects"
_PROPOSALS = "project_proposals"


@dataclass(frozen=True)
class ProjectProposal:
    """A proposed project, change or status change and its review."""

    id: int
    project_id: str
    kind: str
    record: ProjectRecord
    base_version: int | None
    vg_keys: tuple[str, ...]
    author: str
    created: str
    comment: str
    status: str
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_comment: str | None = None


def record_from_legacy(p: Project) -> ProjectRecord:
    """A project of the first release's format (the shipped ``projects.csv``) as a record:
    its status as the first status change, dated and sourced like the record; Gemeinden
    and linked offers as places; its dates as actual dates when it ran, else planned."""
    status = LEGACY_STATUS.get(p.status, p.status)
    ran = status in ("laufend", "abgeschlossen")
    start = p.start_date.isoformat() if p.start_date else None
    end = p.end_date.isoformat() if p.end_date else None
    places = [Place(kind="gemeinde", ref=a) for a in p.location_ags]
    places += [Place(kind="offer", ref=f) for f in p.facility_ids]
    return ProjectRecord(
        id=p.id,
        title=p.title,
        handlungsfelder=list(p.handlungsfelder),
        handlungsfeld_basis=p.handlungsfeld_basis,
        lead_organisation=p.lead_organisation,
        places=places,
        planned_start=None if ran else start,
        planned_end=None if ran else end,
        actual_start=start if ran else None,
        actual_end=end if ran else None,
        status=status,  # type: ignore[arg-type]
        statuses=[StatusChange(status=status, on=str(p.reference_date))],  # type: ignore[arg-type]
        note=p.note,
        source=p.source,
        reference_date=str(p.reference_date),
    )


def _record(row: Any) -> ProjectRecord:
    record = ProjectRecord.model_validate_json(row["record"])
    return record.model_copy(update={"version": int(row["version"])})


def _proposal(row: Any) -> ProjectProposal:
    return ProjectProposal(
        id=int(row["id"]),
        project_id=row["project_id"],
        kind=row["kind"],
        record=ProjectRecord.model_validate_json(row["payload"]),
        base_version=row["base_version"],
        vg_keys=tuple(k for k in str(row["vg_keys"] or "").split("|") if k),
        author=row["author"],
        created=row["created"],
        comment=row["comment"],
        status=row["status"],
        reviewer=row["reviewer"],
        reviewed_at=row["reviewed_at"],
        review_comment=row["review_comment"],
    )


def seed_projects(conn: Connection, projects: Iterable[Project], at: str) -> None:
    """Fill a new store's ``projects`` table from the shipped projects (caller's
    transaction; no history rows: the seed is the store's beginning)."""
    for p in projects:
        record = record_from_legacy(p)
        conn.execute(
            "INSERT INTO projects (id, record, version, updated_at, updated_by) VALUES (?,?,?,?,?)",
            (record.id, record.model_dump_json(), 1, at, ""),
        )


class ProjectLedger:
    """The project tables of a store's database.

    Parameters
    ----------
    db
        The store's database, opened (created or upgraded) by
        :class:`dashboard.data.store.Store`.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def connect(self) -> AbstractContextManager[Connection]:
        """A connection for reading."""
        return self.db.connection()

    def write(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction (advances the data version)."""
        return self.db.transaction()

    # -- records ---------------------------------------------------------------------------
    def records(self) -> list[ProjectRecord]:
        """Every project, ordered by id."""
        with self.connect() as conn:
            rows = conn.all("SELECT record, version FROM projects ORDER BY id")
        return [_record(r) for r in rows]

    def record(self, project_id: str) -> ProjectRecord | None:
        """One project by id, or ``None``."""
        with self.connect() as conn:
            return self.record_on(conn, project_id)

    @staticmethod
    def record_on(conn: Connection, project_id: str) -> ProjectRecord | None:
        """:meth:`record` on a connection the caller holds."""
        row = conn.one("SELECT record, version FROM projects WHERE id = ?", (project_id,))
        return _record(row) if row else None

    def save_on(
        self,
        conn: Connection,
        record: ProjectRecord,
        expected_version: int | None,
        author: str,
        at: str,
        comment: str,
        action: str,
    ) -> ProjectRecord:
        """Insert (``expected_version`` None) or update a record inside the caller's
        transaction, with its history row.

        Raises
        ------
        StaleVersionError
            The stored version is not ``expected_version``.
        StoreError
            A new id that exists, or an update of an id that does not.
        """
        if not author.strip():
            raise StoreError(N_("err.no_author"))
        if expected_version is None:
            stored = record.model_copy(update={"version": 1})
            try:
                conn.execute(
                    "INSERT INTO projects (id, record, version, updated_at, updated_by)"
                    " VALUES (?,?,?,?,?)",
                    (stored.id, stored.model_dump_json(), 1, at, author),
                )
            except IntegrityError as exc:
                raise StoreError(N_("err.id_taken"), id=record.id) from exc
            self.history_on(conn, at, author, _TABLE, stored.id, action, None, stored, comment)
            return stored
        row = conn.one(
            "SELECT record, version, updated_at, updated_by FROM projects WHERE id = ?",
            (record.id,),
        )
        if row is None:
            raise StoreError(N_("err.gone"), id=record.id)
        if int(row["version"]) != expected_version:
            raise StaleVersionError(
                record.id,
                expected_version,
                int(row["version"]),
                row["updated_by"] or "?",
                row["updated_at"] or "?",
            )
        before = _record(row)
        stored = record.model_copy(update={"version": expected_version + 1})
        conn.execute(
            "UPDATE projects SET record = ?, version = ?, updated_at = ?, updated_by = ?"
            " WHERE id = ? AND version = ?",
            (stored.model_dump_json(), stored.version, at, author, stored.id, expected_version),
        )
        self.history_on(conn, at, author, _TABLE, stored.id, action, before, stored, comment)
        return stored

    def save(
        self,
        records: Iterable[tuple[ProjectRecord, int | None]],
        author: str,
        at: str,
        comment: str,
        action: str = "",
    ) -> list[ProjectRecord]:
        """Save records in one transaction: all or nothing (action ``add`` for new ones,
        else ``action`` or ``change``)."""
        out = []
        with self.write() as conn:
            for record, expected in records:
                kind = "add" if expected is None else (action or "change")
                out.append(self.save_on(conn, record, expected, author, at, comment, kind))
        return out

    @staticmethod
    def history_on(
        conn: Connection,
        at: str,
        author: str,
        table: str,
        record_id: str,
        action: str,
        before: ProjectRecord | None,
        after: ProjectRecord | None,
        comment: str,
    ) -> None:
        """One row of the shared ``history`` table (:func:`dashboard.data.store.write_history`)."""
        write_history(
            conn, at, author, table, record_id, action,
            before.version if before else None, after.version if after else None,
            before, after, comment,
        )  # fmt: skip

    def history(self, project_id: str | None = None) -> pd.DataFrame:
        """The projects' part of the change history, newest first."""
        sql = (
            "SELECT at, author, table_name, record_id, action, version_before, version_after,"
            " before, after, comment FROM history WHERE table_name IN (?, ?)"
        )
        params: tuple[str, ...] = (_TABLE, _PROPOSALS)
        if project_id:
            sql += " AND record_id = ?"
            params = (*params, project_id)
        with self.connect() as conn:
            return conn.frame(sql + " ORDER BY fid DESC", params)

    # -- proposals -------------------------------------------------------------------------
    def add_proposal(
        self,
        kind: str,
        record: ProjectRecord,
        base_version: int | None,
        vg_keys: Iterable[str],
        author: str,
        at: str,
        comment: str,
    ) -> int:
        """Store a pending proposal and its history row (action ``proposal``)."""
        if kind not in PROPOSAL_KINDS:
            raise ValueError(f"unknown proposal kind {kind!r}")
        with self.write() as conn:
            row = conn.one(
                "SELECT COALESCE(MAX(id), 0) + 1 FROM project_proposals", ()
            )  # ids assigned inside the serialised transaction
            pid = int(row[0])
            conn.execute(
                "INSERT INTO project_proposals (id, project_id, kind, payload, base_version,"
                " vg_keys, author, created, comment) VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    pid, record.id, kind, record.model_dump_json(), base_version,
                    "|".join(vg_keys), author, at, comment,
                ),
            )  # fmt: skip
            self.history_on(
                conn, at, author, _PROPOSALS, record.id, "proposal", None, record, comment
            )
        return pid

    def proposal(self, proposal_id: int) -> ProjectProposal | None:
        """One proposal by id."""
        with self.connect() as conn:
            row = conn.one("SELECT * FROM project_proposals WHERE id = ?", (proposal_id,))
        return _proposal(row) if row else None

    def proposals(self, status: str | None = None) -> list[ProjectProposal]:
        """Proposals, oldest first, optionally of one status."""
        sql = "SELECT * FROM project_proposals"
        params: tuple[str, ...] = ()
        if status:
            sql, params = sql + " WHERE status = ?", (status,)
        with self.connect() as conn:
            rows = conn.all(sql + " ORDER BY id", params)
        return [_proposal(r) for r in rows]

    def decide_on(
        self,
        conn: Connection,
        proposal: ProjectProposal,
        approve: bool,
        reviewer: str,
        at: str,
        comment: str,
    ) -> bool:
        """Mark a pending proposal approved or rejected, with its history row (inside the
        caller's transaction). ``False`` if it was no longer pending."""
        status, action = ("approved", "approve") if approve else ("rejected", "reject")
        cur = conn.execute(
            "UPDATE project_proposals SET status = ?, reviewer = ?, reviewed_at = ?,"
            " review_comment = ? WHERE id = ? AND status = 'pending'",
            (status, reviewer, at, comment, proposal.id),
        )
        if cur.rowcount != 1:
            return False
        self.history_on(
            conn, at, reviewer, _PROPOSALS, proposal.project_id, action, None, proposal.record,
            comment,
        )  # fmt: skip
        return True


def concept_frame(datasets_dir: Path) -> tuple[int | None, str, str]:
    """How many projects the district's concept proposes, with source and date, as the
    data build read it from the council paper (``proposed`` of ``projects.csv`` in the
    datasets' ``MANIFEST.json``); ``(None, "", "")`` for a district without one."""
    entry = read_manifest(datasets_dir).get("outputs", {}).get(PROJECTS_FILE, {})
    proposed = entry.get("proposed")
    if not isinstance(proposed, int) or isinstance(proposed, bool) or proposed < 0:
        return None, "", ""
    return proposed, str(entry.get("source", "")), str(entry.get("reference_date", ""))


def locate_projects(
    records: Iterable[ProjectRecord], areas: Areas, located: pd.DataFrame
) -> list[ProjectRecord]:
    """The records with ``location_ags``: every Gemeinde their places touch.

    Parameters
    ----------
    records
        Stored records.
    areas
        Boundaries and membership (a point's Gemeinde, a VG's Gemeinden).
    located
        The located offers (``id``, ``located_ags``) for linked offers.
    """
    members: dict[str, list[str]] = {}
    current = areas.membership[f"vg_rs_{areas.vintage}"]  # the district's current VGs
    for ags, vg in zip(areas.membership["ags"], current, strict=True):
        members.setdefault(str(vg), []).append(str(ags))
    offer_ags = {
        str(i): str(a)
        for i, a in zip(located["id"], located["located_ags"], strict=True)
        if isinstance(a, str) and a
    }
    out = []
    for record in records:
        found: list[str] = []
        for place in record.places:
            if place.kind == "gemeinde":
                found.append(place.ref)
            elif place.kind == "vg":
                found.extend(members.get(place.ref, []))
            elif place.kind == "offer" and place.ref in offer_ags:
                found.append(offer_ags[place.ref])
            elif place.kind == "point" and place.lat is not None and place.lon is not None:
                ags = areas.geocoder.ags_at(place.lat, place.lon)
                if ags:
                    found.append(ags)
        out.append(record.model_copy(update={"location_ags": list(dict.fromkeys(found))}))
    return out


__all__ = [
    "PROPOSAL_KINDS",
    "ProjectLedger",
    "ProjectProposal",
    "concept_frame",
    "locate_projects",
    "record_from_legacy",
    "seed_projects",
]
