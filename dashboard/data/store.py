"""The store: facilities, projects, indicators and history, transactional, on either backend.

* one GeoPackage file (SQLite, the embedded default) or a PostgreSQL/PostGIS database
  (``INTEGRATIONSATLAS_DATABASE_URL``), behind one interface (:mod:`dashboard.data.db`);
* created on first use from the shipped ``datasets/``, at the newest schema version;
  an older store is upgraded when opened (:mod:`dashboard.data.schema`);
* every write runs in one serialised transaction: all or nothing;
* every facility has a ``version``; saving with a stale version is refused
  (:class:`StaleVersionError`), so no edit silently overwrites another;
* the ``history`` table records author, time, comment and the values before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.data.db import (
    Connection,
    Database,
    IntegrityError,
    StoreBusy,
    StoreUnavailable,
    open_database,
)
from dashboard.data.errors import SchemaError, StoreError
from dashboard.data.files import (
    FACILITIES_FILE,
    HANDLUNGSFELDER_FILE,
    INDICATORS_FILE,
    PROJECTS_FILE,
)
from dashboard.data.manifest import sha256_file
from dashboard.data.records import LIST_SEP, frame_to_facilities, frame_to_projects
from dashboard.data.schema import open_store
from dashboard.domain.model import FACILITY_FIELDS, Facility, Project
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import moment

_LISTS = ("handlungsfelder", "languages", "target_groups")
_COLUMNS = [f for f in FACILITY_FIELDS if f not in ("lat", "lon")]

Clock = Callable[[], dt.datetime]


__all__ = [
    "Change",
    "Connection",
    "SchemaError",
    "StaleVersionError",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "write_history",
]


class StaleVersionError(StoreError):
    """The record changed since it was loaded (another user saved first)."""

    def __init__(self, record_id: str, expected: int, actual: int, by: str, at: str) -> None:
        self.record_id, self.expected, self.actual, self.by, self.at = (
            record_id,
            expected,
            actual,
            by,
            at,
        )
        super().__init__(
            N_("err.stale"), id=record_id, by=by, at=moment(at), actual=actual, expected=expected
        )


@dataclass(frozen=True)
class Change:
    """One change to apply: a new facility (``expected_version`` None) or an update."""

    facility: Facility
    expected_version: int | None = None


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _row_values(conn: Connection, f: Facility) -> dict[str, Any]:
    data = f.model_dump(mode="json")
    out: dict[str, Any] = {}
    for key in _COLUMNS:
        value = data[key]
        if key in _LISTS:
            value = LIST_SEP.join(value)
        elif isinstance(value, bool):  # INTEGER 0/1 on both backends (PostgreSQL is strict)
            value = int(value)
        out[key] = value
    out["geom"] = conn.point(f.lon, f.lat)
    return out


def _facility_from_row(conn: Connection, row: Any) -> Facility:
    data = {k: row[k] for k in _COLUMNS}
    for key in _LISTS:
        data[key] = [v for v in (data[key] or "").split(LIST_SEP) if v]
    point = conn.point_of(row["geom"])
    data["lon"], data["lat"] = point if point else (None, None)
    return Facility(**{k: v for k, v in data.items() if v is not None})


def write_history(
    conn: Connection,
    at: str,
    author: str,
    table: str,
    record_id: str,
    action: str,
    version_before: int | None,
    version_after: int | None,
    before: Facility | None,
    after: Facility | None,
    comment: str,
) -> None:
    """Add one row to the ``history`` table inside the caller's transaction."""
    conn.execute(
        "INSERT INTO history (at, author, table_name, record_id, action, version_before,"
        " version_after, before, after, comment) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (
            at, author, table, record_id, action, version_before, version_after,
            before.model_dump_json() if before else None,
            after.model_dump_json() if after else None,
            comment,
        ),
    )  # fmt: skip


class Store:
    """Facilities, projects, indicators and history in one database.

    Parameters
    ----------
    location
        The ``.gpkg`` file (created mode ``0600`` if missing), a ``postgresql://`` URL, or
        an open :class:`~dashboard.data.db.Database`; a new store is seeded from
        ``datasets_dir``, an older one upgraded in one transaction.
    datasets_dir
        Shipped datasets used to seed a new store.
    clock
        Source of timestamps (UTC); injectable for tests.

    Raises
    ------
    SchemaError
        (a :class:`StoreError`) if the location holds no store, is newer than this release,
        or could not be upgraded; the store is then unchanged.
    StoreUnavailable
        If the database server cannot be reached.

    Attributes
    ----------
    db
        The database (connections and transactions).
    id
        Identifies the store in cache keys (the file, or the URL without password).
    path
        The GeoPackage file (``None`` on PostgreSQL).
    """

    def __init__(
        self, location: Path | str | Database, datasets_dir: Path, clock: Clock = _utc_now
    ) -> None:
        self.db = location if isinstance(location, Database) else open_database(location)
        self.id = self.db.id
        self.path: Path | None = getattr(self.db, "path", None)
        self.clock = clock
        open_store(self.db, lambda conn: self._seed(conn, datasets_dir))

    # -- plumbing -------------------------------------------------------------------------
    def _connect(self) -> AbstractContextManager[Connection]:
        return self.db.connection()

    def _write(self) -> AbstractContextManager[Connection]:
        return self.db.transaction()

    def _now(self) -> str:
        return self.clock().isoformat(timespec="seconds")

    def _seed(self, conn: Connection, datasets_dir: Path) -> None:
        """Fill a new store's tables from the shipped datasets (caller's transaction)."""
        facilities = frame_to_facilities(_read_csv(datasets_dir / FACILITIES_FILE))
        self._insert(conn, facilities, "", self._now())
        for p in frame_to_projects(_read_csv(datasets_dir / PROJECTS_FILE)):
            conn.execute(
                "INSERT INTO projects (id, record) VALUES (?, ?)",
                (p.id, p.model_dump_json()),
            )
        ind = _read_csv(datasets_dir / INDICATORS_FILE)
        conn.executemany(
            "INSERT INTO indicators (area_level, area_key, area_name, indicator, value, unit,"
            " reference_date, source, note) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (*r[:4], float(r[4]), *r[5:])
                for r in ind[
                    [
                        "area_level",
                        "area_key",
                        "area_name",
                        "indicator",
                        "value",
                        "unit",
                        "reference_date",
                        "source",
                        "note",
                    ]
                ].itertuples(index=False)
            ],
        )
        hf = _read_csv(datasets_dir / HANDLUNGSFELDER_FILE)
        conn.executemany(
            "INSERT INTO handlungsfelder (code, name_de, name_en) VALUES (?,?,?)",
            hf[["code", "name_de", "name_en"]].itertuples(index=False),
        )
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("created_at", self._now()),
                ("seeded_from", "datasets/" + FACILITIES_FILE),
                ("seed_sha256", sha256_file(datasets_dir / FACILITIES_FILE)),
            ],
        )

    def _insert(
        self, conn: Connection, facilities: Iterable[Facility], author: str, now: str
    ) -> None:
        for f in facilities:
            values = _row_values(conn, f) | {"updated_at": now, "updated_by": author}
            keys = ", ".join(values)
            marks = ", ".join("?" for _ in values)
            try:
                conn.execute(
                    f"INSERT INTO facilities ({keys}) VALUES ({marks})", list(values.values())
                )
            except IntegrityError as exc:
                raise StoreError(N_("err.id_taken"), id=f.id) from exc

    def _history(
        self,
        conn: Connection,
        now: str,
        author: str,
        record_id: str,
        action: str,
        before: Facility | None,
        after: Facility | None,
        comment: str,
    ) -> None:
        write_history(
            conn, now, author, "facilities", record_id, action,
            before.version if before else None, after.version if after else None,
            before, after, comment,
        )  # fmt: skip

    # -- reading ----------------------------------------------------------------------------
    def data_version(self) -> int:
        """The data version: advanced by every committed write (facilities, proposals,
        confirmations); caches of derived data are keyed by it."""
        return self.db.data_version()

    def facilities(self, include_closed: bool = True) -> list[Facility]:
        """All facilities, ordered by id."""
        sql = "SELECT * FROM facilities"
        if not include_closed:
            sql += " WHERE status = 'active'"
        with self._connect() as conn:
            return [_facility_from_row(conn, r) for r in conn.all(sql + " ORDER BY id")]

    def facility(self, record_id: str) -> Facility | None:
        """One facility by id, or ``None``."""
        with self._connect() as conn:
            row = conn.one("SELECT * FROM facilities WHERE id = ?", (record_id,))
            return _facility_from_row(conn, row) if row else None

    def projects(self) -> list[Project]:
        """All projects, ordered by id."""
        with self._connect() as conn:
            rows = conn.all("SELECT record FROM projects ORDER BY id")
        return [Project.model_validate_json(r["record"]) for r in rows]

    def indicators(self) -> pd.DataFrame:
        """Indicator values in long format, with the kind stated for an indicator the atlas
        does not know (``kind``: ``count``, ``share``, ``rate`` or ``""``)."""
        with self._connect() as conn:
            return conn.frame(
                "SELECT i.area_level, i.area_key, i.area_name, i.indicator, i.value, i.unit,"
                " i.reference_date, i.source, i.note, COALESCE(k.kind, '') AS kind"
                " FROM indicators i LEFT JOIN indicator_kinds k ON k.indicator = i.indicator"
                " ORDER BY i.indicator, i.area_level, i.area_key"
            )

    def history(self, record_id: str | None = None) -> pd.DataFrame:
        """The change history, newest first (optionally for one record)."""
        sql = (
            "SELECT at, author, record_id, action, version_before, version_after, before,"
            " after, comment FROM history"
        )
        params: tuple[str, ...] = ()
        if record_id:
            sql += " WHERE record_id = ?"
            params = (record_id,)
        with self._connect() as conn:
            return conn.frame(sql + " ORDER BY fid DESC", params)

    # -- writing ----------------------------------------------------------------------------
    def apply(
        self,
        changes: Iterable[Change],
        author: str,
        comment: str = "",
        on_commit: Callable[[Connection], None] | None = None,
    ) -> int:
        """Apply new facilities and updates in one transaction: all or nothing.

        Parameters
        ----------
        changes
            New records (``expected_version`` None) and updates (the version the editor
            loaded).
        author
            Who makes the change (recorded in the history).
        comment
            Free text for the history.
        on_commit
            Runs inside the same transaction after the changes (e.g. marking a proposal
            decided); if it raises, nothing is written.

        Returns
        -------
        int
            Number of records written.

        Raises
        ------
        StaleVersionError
            If a record changed since it was loaded; nothing is written.
        StoreError
            If a new id already exists or an updated id does not; nothing is written.
        """
        if not author.strip():
            raise StoreError(N_("err.no_author"))
        count = 0
        with self._write() as conn:
            now = self._now()
            for change in changes:
                f = change.facility
                if change.expected_version is None:
                    new = f.model_copy(update={"version": 1})
                    self._insert(conn, [new], author, now)
                    self._history(conn, now, author, f.id, "add", None, new, comment)
                else:
                    self._update(conn, f, change.expected_version, author, comment, now)
                count += 1
            if on_commit is not None:
                on_commit(conn)
        return count

    def _update(
        self,
        conn: Connection,
        f: Facility,
        expected: int,
        author: str,
        comment: str,
        now: str,
    ) -> Facility:
        row = conn.one("SELECT * FROM facilities WHERE id = ?", (f.id,))
        if row is None:
            raise StoreError(N_("err.gone"), id=f.id)
        if row["version"] != expected:
            raise StaleVersionError(
                f.id, expected, row["version"], row["updated_by"], row["updated_at"]
            )
        before = _facility_from_row(conn, row)
        after = f.model_copy(update={"version": expected + 1})
        values = _row_values(conn, after) | {"updated_at": now, "updated_by": author}
        sets = ", ".join(f"{k} = ?" for k in values)
        cur = conn.execute(
            f"UPDATE facilities SET {sets} WHERE id = ? AND version = ?",
            [*values.values(), f.id, expected],
        )
        if cur.rowcount != 1:  # pragma: no cover - guarded by the serialised transaction
            raise StaleVersionError(f.id, expected, expected + 1, "?", now)
        action = "close" if before.status == "active" and after.status == "closed" else "change"
        self._history(conn, now, author, f.id, action, before, after, comment)
        return after

    def update(
        self, facility: Facility, expected_version: int, author: str, comment: str = ""
    ) -> Facility:
        """Save one edited facility if nobody saved it since ``expected_version``.

        Returns
        -------
        Facility
            The stored record with its new version.
        """
        self.apply([Change(facility, expected_version)], author, comment)
        stored = self.facility(facility.id)
        assert stored is not None
        return stored


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)
