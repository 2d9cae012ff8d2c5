"""Writing loaded indicator tables: all or nothing, with their history (schema version 4).

Each load is one transaction: a row in ``indicator_loads`` (when, who, which file, its
checksum, how many values), the values in ``indicators`` (a value for the same area,
indicator and date replaces the stored one), and per value a row in
``indicator_changes`` with the value, unit and source before and after, and for an
indicator the atlas does not know the kind the planner stated (``indicator_kinds``, schema
version 5: count, share or rate, a share's numerator and denominator). The data version
advances with the transaction, so every page, map and report shows the new values next.

Plain storage without any rights check: call it only through the service
(:mod:`dashboard.services.indicators`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard.data.collection import next_id
from dashboard.data.db import Connection, Database
from dashboard.data.indicator_table import StatedKind
from dashboard.domain.model import IndicatorValue


class IndicatorLedger:
    """Loads of indicator tables in the store (either backend).

    Parameters
    ----------
    db
        The store's database.
    """

    def __init__(self, db: Database) -> None:
        self.db = db

    def write(
        self,
        values: Sequence[IndicatorValue],
        author: str,
        at: str,
        file_name: str,
        sha256: str,
        comment: str = "",
        kinds: Mapping[str, StatedKind] | None = None,
    ) -> int:
        """Write values (and the kinds stated for unknown indicators) in one transaction
        with their history; returns the load's id."""
        if not author.strip():
            raise ValueError("no author: nothing is written")
        with self.db.transaction() as conn:
            load_id = next_id(conn, "indicator_loads")
            conn.execute(
                "INSERT INTO indicator_loads (id, at, author, file_name, sha256, rows_written,"
                " comment) VALUES (?,?,?,?,?,?,?)",
                (load_id, at, author, file_name, sha256, len(values), comment),
            )
            for v in values:
                self._write_one(conn, load_id, v)
            for indicator, stated in (kinds or {}).items():
                self._write_kind(conn, load_id, indicator, stated, author, at)
            return load_id

    @staticmethod
    def _write_kind(
        conn: Connection, load_id: int, indicator: str, stated: StatedKind, by: str, at: str
    ) -> None:
        conn.execute("DELETE FROM indicator_kinds WHERE indicator = ?", (indicator,))
        conn.execute(
            "INSERT INTO indicator_kinds (indicator, kind, numerator, denominator, set_by,"
            " set_at, load_id) VALUES (?,?,?,?,?,?,?)",
            (indicator, stated.kind, stated.numerator, stated.denominator, by, at, load_id),
        )

    def kinds(self) -> dict[str, StatedKind]:
        """The kinds stated for indicators the atlas does not know."""
        with self.db.connection() as conn:
            rows = conn.all("SELECT indicator, kind, numerator, denominator FROM indicator_kinds")
        return {str(r[0]): StatedKind(str(r[1]), str(r[2] or ""), str(r[3] or "")) for r in rows}

    @staticmethod
    def _write_one(conn: Connection, load_id: int, v: IndicatorValue) -> None:
        where = "area_level = ? AND area_key = ? AND indicator = ? AND reference_date = ?"
        key = (v.area_level, v.area_key, v.indicator, v.reference_date)
        old = conn.execute(
            f"SELECT value, unit, source FROM indicators WHERE {where}", key
        ).fetchone()
        if old is None:
            conn.execute(
                "INSERT INTO indicators (area_level, area_key, area_name, indicator, value, unit,"
                " reference_date, source, note, load_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (v.area_level, v.area_key, v.area_name, v.indicator, v.value, v.unit,
                 v.reference_date, v.source, v.note, load_id),
            )  # fmt: skip
            action, before = "add", (None, None, None)
        else:
            conn.execute(
                "UPDATE indicators SET value = ?, unit = ?, source = ?, note = ?, load_id = ?,"
                f" area_name = COALESCE(NULLIF(?, ''), area_name) WHERE {where}",
                (v.value, v.unit, v.source, v.note, load_id, v.area_name, *key),
            )
            action, before = "replace", (old["value"], old["unit"], old["source"])
        conn.execute(
            "INSERT INTO indicator_changes (id, load_id, action, area_level, area_key, indicator,"
            " reference_date, value_before, value_after, unit_before, unit_after, source_before,"
            " source_after) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (next_id(conn, "indicator_changes"), load_id, action, *key, before[0], v.value,
             before[1], v.unit, before[2], v.source),
        )  # fmt: skip

    def loads(self) -> pd.DataFrame:
        """Every load, newest first."""
        with self.db.connection() as conn:
            return conn.frame("SELECT * FROM indicator_loads ORDER BY id DESC")

    def changes(self, load_id: int | None = None) -> pd.DataFrame:
        """The value changes of one load (or all), in order."""
        sql = "SELECT * FROM indicator_changes"
        params: tuple[int, ...] = ()
        if load_id is not None:
            sql, params = sql + " WHERE load_id = ?", (load_id,)
        with self.db.connection() as conn:
            return conn.frame(sql + " ORDER BY id", params)
