"""Tables beside the store for the editorial workflow: proposals and VG confirmations.

Plain storage without any rights check: call it only through
:class:`dashboard.services.workspace.Workspace`, which decides who may do what.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dashboard.data.db import Connection, Database
from dashboard.data.store import write_history
from dashboard.domain.model import Facility

KINDS = ("add", "change", "close")
STATUSES = ("pending", "approved", "rejected")


@dataclass(frozen=True)
class Proposal:
    """A proposed addition, change or closure of one facility, and its review."""

    id: int
    record_id: str
    kind: str
    facility: Facility
    base_version: int | None
    vg_key: str | None
    author: str
    created: str
    comment: str
    status: str
    reviewer: str | None = None
    reviewed_at: str | None = None
    review_comment: str | None = None


def _proposal(row: Any) -> Proposal:
    return Proposal(
        id=row["id"],
        record_id=row["record_id"],
        kind=row["kind"],
        facility=Facility.model_validate_json(row["payload"]),
        base_version=row["base_version"],
        vg_key=row["vg_key"],
        author=row["author"],
        created=row["created"],
        comment=row["comment"],
        status=row["status"],
        reviewer=row["reviewer"],
        reviewed_at=row["reviewed_at"],
        review_comment=row["review_comment"],
    )


class Ledger:
    """Proposals, confirmations and workflow history entries in the store's database.

    Parameters
    ----------
    db
        The store's database, opened (created or upgraded) by
        :class:`dashboard.data.store.Store` (``store.db``); its tables ``proposals`` and
        ``confirmations`` belong to the store's schema (:mod:`dashboard.data.schema`).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def connect(self) -> AbstractContextManager[Connection]:
        """A connection for reading (rows readable by column name)."""
        return self.db.connection()

    def write(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction: all or nothing."""
        return self.db.transaction()

    # -- history ---------------------------------------------------------------------------
    @staticmethod
    def history(
        conn: Connection,
        at: str,
        author: str,
        record_id: str,
        action: str,
        version_before: int | None,
        version_after: int | None,
        before: Facility | None,
        after: Facility | None,
        comment: str,
    ) -> None:
        """Add a row to the store's ``history`` table (same columns as the store writes)."""
        write_history(
            conn, at, author, "proposals", record_id, action, version_before, version_after,
            before, after, comment,
        )  # fmt: skip

    # -- proposals -------------------------------------------------------------------------
    def add_proposal(
        self,
        kind: str,
        facility: Facility,
        base_version: int | None,
        vg_key: str | None,
        author: str,
        at: str,
        comment: str,
        current: Facility | None,
    ) -> int:
        """Store a pending proposal and its history entry (action ``proposal``)."""
        with self.write() as conn:
            return self.add_proposal_on(
                conn, kind, facility, base_version, vg_key, author, at, comment, current
            )

    def add_proposal_on(
        self,
        conn: Connection,
        kind: str,
        facility: Facility,
        base_version: int | None,
        vg_key: str | None,
        author: str,
        at: str,
        comment: str,
        current: Facility | None,
    ) -> int:
        """:meth:`add_proposal` inside a transaction the caller holds (e.g. a change set)."""
        row = conn.one(
            "INSERT INTO proposals (record_id, kind, payload, base_version, vg_key, author,"
            " created, comment) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
            (
                facility.id, kind, facility.model_dump_json(), base_version, vg_key, author, at,
                comment,
            ),
        )  # fmt: skip
        self.history(
            conn, at, author, facility.id, "proposal", base_version, None, current, facility,
            comment,
        )  # fmt: skip
        return int(row[0])

    def proposal(self, proposal_id: int) -> Proposal | None:
        """One proposal by id."""
        with self.connect() as conn:
            row = conn.one("SELECT * FROM proposals WHERE id = ?", (proposal_id,))
        return _proposal(row) if row else None

    def proposals(self, status: str | None = None, author: str | None = None) -> list[Proposal]:
        """Proposals, oldest first, optionally of one status or author."""
        sql = "SELECT * FROM proposals WHERE 1 = 1"
        params: list[str] = []
        if status:
            sql, params = sql + " AND status = ?", [*params, status]
        if author is not None:
            sql, params = sql + " AND author = ?", [*params, author]
        with self.connect() as conn:
            rows = conn.all(sql + " ORDER BY id", params)
        return [_proposal(r) for r in rows]

    def decide(
        self,
        proposal: Proposal,
        approve: bool,
        reviewer: str,
        at: str,
        comment: str,
        version_after: int | None,
    ) -> bool:
        """Mark a pending proposal approved or rejected and record the decision.

        Returns
        -------
        bool
            ``False`` if the proposal was no longer pending (nothing written).
        """
        with self.write() as conn:
            return self.decide_on(conn, proposal, approve, reviewer, at, comment, version_after)

    def decide_on(
        self,
        conn: Connection,
        proposal: Proposal,
        approve: bool,
        reviewer: str,
        at: str,
        comment: str,
        version_after: int | None,
    ) -> bool:
        """:meth:`decide` inside a transaction the caller holds (e.g. the store's apply)."""
        status, action = ("approved", "approve") if approve else ("rejected", "reject")
        cur = conn.execute(
            "UPDATE proposals SET status = ?, reviewer = ?, reviewed_at = ?,"
            " review_comment = ? WHERE id = ? AND status = 'pending'",
            (status, reviewer, at, comment, proposal.id),
        )
        if cur.rowcount != 1:
            return False
        self.history(
            conn, at, reviewer, proposal.record_id, action, proposal.base_version,
            version_after, None, proposal.facility, comment,
        )  # fmt: skip
        return True

    # -- confirmations ---------------------------------------------------------------------
    def confirm(self, vg_key: str, by: str, at: str, comment: str) -> None:
        """Record that a VG's list is current."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO confirmations (vg_key, confirmed_by, confirmed_at, comment)"
                " VALUES (?,?,?,?)",
                (vg_key, by, at, comment),
            )

    def confirmations(self) -> pd.DataFrame:
        """The latest confirmation per VG: ``vg_key, confirmed_by, confirmed_at, comment``."""
        with self.connect() as conn:
            return conn.frame(
                "SELECT vg_key, confirmed_by, confirmed_at, comment FROM confirmations c"
                " WHERE id = (SELECT MAX(id) FROM confirmations d WHERE d.vg_key = c.vg_key)"
                " ORDER BY vg_key"
            )
