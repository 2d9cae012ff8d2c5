"""Tables of the collection round and of the completeness of the lists (schema version 4).

* ``list_marks``: per VG (current vintage) and category, whether its list of offers is
  complete, as of when, by whom; ``status`` ``pending`` (from a returned workbook, until
  the Kreis-Redaktion confirms the return) or ``confirmed``. The effective mark of a VG and
  category is its latest confirmed one.
* ``collection_sends``: workbooks sent to a VG (round, date, by whom, file, offers; since
  schema version 5 the ids of the offers sent and the send's check value).
* ``collection_returns``: workbooks read back (date, file, who filled it in, the list's
  date, status ``returned`` -> ``confirmed``); at most one per send.
* ``collection_items``: the proposals a return made.

The check value of a send (:func:`dashboard.domain.collection.send_check`) is keyed with a
secret that the store keeps in ``meta`` (made at the first send, never shown): a clerk who
edits the hidden sheet of a workbook cannot make a matching one.

Plain storage without any rights check: call it only through the service
(:mod:`dashboard.services.collection`). Ids are assigned inside the writing transaction.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pandas as pd

from dashboard.data.db import Connection, Database
from dashboard.domain.collection import send_check

#: Key in ``meta`` of the secret the check values of sends are made with.
SECRET_KEY = "collection_secret"

#: Status of a list mark.
MARK_STATUSES: tuple[str, ...] = ("pending", "confirmed")


@dataclass(frozen=True)
class Send:
    """A workbook sent to a VG, as the store recorded it.

    Attributes
    ----------
    id, round, vg_key, sent_at
        The send.
    record_ids
        The ids of the offers the workbook listed.
    check
        Its check value (``""`` for a send recorded before schema version 5).
    """

    id: int
    round: str
    vg_key: str
    sent_at: str
    record_ids: tuple[str, ...]
    check: str


@dataclass(frozen=True)
class Mark:
    """One completeness statement of a VG about its list of one category."""

    vg_key: str
    category: str
    complete: bool
    as_of: str = ""
    comment: str = ""


def next_id(conn: Connection, table: str) -> int:
    """The next id of a table (inside the caller's write transaction)."""
    row = conn.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").fetchone()
    return int(row[0])


class CollectionLedger:
    """The collection round's tables in the store (either backend).

    Parameters
    ----------
    db
        The store's database (opened, created or upgraded by the store).
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def write(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction: all or nothing."""
        return self.db.transaction()

    def _frame(self, sql: str, params: tuple[object, ...] = ()) -> pd.DataFrame:
        with self.db.connection() as conn:
            return conn.frame(sql, params)

    # -- list marks ------------------------------------------------------------------------
    @staticmethod
    def add_marks_on(
        conn: Connection,
        marks: Iterable[Mark],
        by: str,
        at: str,
        status: str,
        return_id: int | None = None,
    ) -> int:
        """Record completeness marks inside the caller's transaction; returns how many."""
        if status not in MARK_STATUSES:
            raise ValueError(f"unknown mark status {status!r}")
        n = 0
        for mark in marks:
            conn.execute(
                "INSERT INTO list_marks (id, vg_key, category, complete, as_of, marked_by,"
                " marked_at, status, return_id, comment) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    next_id(conn, "list_marks"), mark.vg_key, mark.category, int(mark.complete),
                    mark.as_of, by, at, status, return_id, mark.comment,
                ),
            )  # fmt: skip
            n += 1
        return n

    def add_marks(self, marks: Iterable[Mark], by: str, at: str) -> int:
        """Record confirmed marks (the Kreis-Redaktion marks a list directly)."""
        with self.write() as conn:
            return self.add_marks_on(conn, marks, by, at, "confirmed")

    def effective_marks(self) -> pd.DataFrame:
        """The latest confirmed mark per VG and category: ``vg_key, category, complete,
        as_of, marked_by, marked_at, source`` (``source``: the return it came from)."""
        frame = self._frame(
            "SELECT vg_key, category, complete, as_of, marked_by, marked_at, return_id"
            " FROM list_marks m WHERE status = 'confirmed' AND id = (SELECT MAX(id)"
            " FROM list_marks n WHERE n.vg_key = m.vg_key AND n.category = m.category"
            " AND n.status = 'confirmed') ORDER BY vg_key, category"
        )
        frame["complete"] = frame["complete"].astype(bool)
        frame["source"] = ["" if pd.isna(r) else f"return:{int(r)}" for r in frame.pop("return_id")]
        return frame

    def marks_of_return(self, return_id: int) -> pd.DataFrame:
        """The marks a returned workbook carries."""
        frame = self._frame(
            "SELECT vg_key, category, complete, as_of, status FROM list_marks"
            " WHERE return_id = ? ORDER BY category",
            (return_id,),
        )
        frame["complete"] = frame["complete"].astype(bool)
        return frame

    # -- sends and returns -----------------------------------------------------------------
    @staticmethod
    def _secret(conn: Connection) -> str:
        """The secret of the check values (made inside the caller's transaction if new)."""
        row = conn.one("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,))
        if row is not None and row[0]:
            return str(row[0])
        value = secrets.token_hex(32)
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (SECRET_KEY, value))
        return value

    def add_send(
        self,
        round_: str,
        vg_key: str,
        at: str,
        by: str,
        file_name: str,
        record_ids: Sequence[str],
    ) -> tuple[int, str]:
        """Record a workbook sent to a VG with the ids of its offers.

        Returns
        -------
        tuple
            The send's id and its check value (to be written into the workbook).
        """
        with self.write() as conn:
            sid = next_id(conn, "collection_sends")
            check = send_check(self._secret(conn), vg_key, round_, sid, record_ids)
            conn.execute(
                "INSERT INTO collection_sends (id, round, vg_key, sent_at, sent_by, file_name,"
                " sha256, offers, record_ids, check_value) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (sid, round_, vg_key, at, by, file_name, "", len(record_ids),
                 json.dumps(list(record_ids)), check),
            )  # fmt: skip
            return sid, check

    def set_send_digest(self, send_id: int, sha256: str) -> None:
        """Record the checksum of a sent workbook (written after its id was reserved)."""
        with self.write() as conn:
            conn.execute("UPDATE collection_sends SET sha256 = ? WHERE id = ?", (sha256, send_id))

    def send(self, send_id: int) -> Send | None:
        """One send as recorded, or ``None``."""
        with self.db.connection() as conn:
            row = conn.one(
                "SELECT id, round, vg_key, sent_at, record_ids, check_value"
                " FROM collection_sends WHERE id = ?",
                (send_id,),
            )
        if row is None:
            return None
        ids = json.loads(row[4]) if row[4] else []
        return Send(int(row[0]), str(row[1]), str(row[2]), str(row[3]), tuple(ids), str(row[5]))

    def expected_check(self, send: Send) -> str:
        """The check value a workbook of ``send`` carries if nobody changed it (``""`` if the
        store has no secret yet)."""
        with self.db.connection() as conn:
            row = conn.one("SELECT value FROM meta WHERE key = ?", (SECRET_KEY,))
        if row is None or not row[0]:
            return ""
        return send_check(str(row[0]), send.vg_key, send.round, send.id, send.record_ids)

    @staticmethod
    def return_of_send_on(conn: Connection, send_id: int) -> tuple[int, str] | None:
        """The return already read back for a send (id, date), or ``None``."""
        row = conn.one(
            "SELECT id, returned_at FROM collection_returns WHERE send_id = ? ORDER BY id",
            (send_id,),
        )
        return None if row is None else (int(row[0]), str(row[1]))

    def return_of_send(self, send_id: int) -> tuple[int, str] | None:
        """:meth:`return_of_send_on` on a connection of its own."""
        with self.db.connection() as conn:
            return self.return_of_send_on(conn, send_id)

    def sends(self) -> pd.DataFrame:
        """Every workbook sent, oldest first (without the ids and check values)."""
        return self._frame(
            "SELECT id, round, vg_key, sent_at, sent_by, file_name, sha256, offers"
            " FROM collection_sends ORDER BY id"
        )

    @staticmethod
    def add_return_on(
        conn: Connection,
        send_id: int | None,
        round_: str,
        vg_key: str,
        at: str,
        by: str,
        file_name: str,
        sha256: str,
        filled_by: str,
        list_as_of: str,
    ) -> int:
        """Record a returned workbook inside the caller's transaction; returns its id."""
        rid = next_id(conn, "collection_returns")
        conn.execute(
            "INSERT INTO collection_returns (id, send_id, round, vg_key, returned_at, read_by,"
            " file_name, sha256, filled_by, list_as_of) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (rid, send_id, round_, vg_key, at, by, file_name, sha256, filled_by, list_as_of),
        )
        return rid

    @staticmethod
    def add_item_on(
        conn: Connection, return_id: int, proposal_id: int, kind: str, record_id: str
    ) -> None:
        """Link a proposal to the return that made it (caller's transaction)."""
        conn.execute(
            "INSERT INTO collection_items (return_id, proposal_id, kind, record_id)"
            " VALUES (?,?,?,?)",
            (return_id, proposal_id, kind, record_id),
        )

    def returns(self) -> pd.DataFrame:
        """Every return, oldest first, with the count and state of its proposals:
        ``n_proposals``, ``n_pending``, ``last_decided``."""
        return self._frame(
            "SELECT r.*, (SELECT COUNT(*) FROM collection_items i WHERE i.return_id = r.id)"
            " AS n_proposals, (SELECT COUNT(*) FROM collection_items i JOIN proposals p"
            " ON p.id = i.proposal_id WHERE i.return_id = r.id AND p.status = 'pending')"
            " AS n_pending, (SELECT MAX(p.reviewed_at) FROM collection_items i JOIN proposals p"
            " ON p.id = i.proposal_id WHERE i.return_id = r.id) AS last_decided"
            " FROM collection_returns r ORDER BY r.id"
        )

    def return_row(self, return_id: int) -> dict[str, object] | None:
        """One return (as in :meth:`returns`), or ``None``."""
        found = self.returns()
        rows = found[found["id"] == return_id]
        return None if rows.empty else rows.iloc[0].to_dict()

    def items(self, return_id: int) -> pd.DataFrame:
        """The proposals of a return with their status."""
        return self._frame(
            "SELECT i.proposal_id, i.kind, i.record_id, p.status, p.reviewer, p.reviewed_at"
            " FROM collection_items i JOIN proposals p ON p.id = i.proposal_id"
            " WHERE i.return_id = ? ORDER BY i.proposal_id",
            (return_id,),
        )

    def confirm_return(self, return_id: int, by: str, at: str, comment: str) -> bool:
        """Confirm a return: its marks become effective (one transaction).

        Returns
        -------
        bool
            ``False`` if it was confirmed already (nothing written).
        """
        with self.write() as conn:
            cur = conn.execute(
                "UPDATE collection_returns SET status = 'confirmed', confirmed_at = ?,"
                " confirmed_by = ?, comment = ? WHERE id = ? AND status = 'returned'",
                (at, by, comment, return_id),
            )
            if cur.rowcount != 1:
                return False
            conn.execute(  # only lists of the VG the workbook was sent to
                "UPDATE list_marks SET status = 'confirmed', marked_by = ?, marked_at = ?"
                " WHERE return_id = ? AND status = 'pending' AND vg_key = (SELECT vg_key"
                " FROM collection_returns WHERE id = ?)",
                (by, at, return_id, return_id),
            )
            return True
