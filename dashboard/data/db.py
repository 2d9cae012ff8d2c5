"""The store's database: one interface, two backends.

* **SQLite** (the embedded default): one GeoPackage file in WAL mode, so readers are
  never blocked by a writer; a writer waits for the lock (busy timeout) and then gets
  :class:`StoreBusy`, never ``database is locked`` with a traceback.
* **PostgreSQL with PostGIS**, chosen by one setting: a connection URL in
  ``INTEGRATIONSATLAS_DATABASE_URL``. The tables live in the schema
  ``integrationsatlas`` (PostGIS stays in ``public``), so QGIS opens the facilities as a
  PostGIS layer and a backup dumps exactly the application's tables.

Code above this module never sees a driver: it gets a :class:`Connection` from
:meth:`Database.connection` (reading) or :meth:`Database.transaction` (one write
transaction, all or nothing) and writes SQL with ``?`` placeholders in the dialect both
engines accept: SQLite binds them as they are, PostgreSQL as its own ``$1, $2, ...``
(:func:`dashboard.data.sqltext.pg_statement`, server-side parameters, no client-side
substitution). Writers are serialised on both backends (SQLite ``BEGIN IMMEDIATE``; a
transaction-level advisory lock on PostgreSQL), so a read-check-write inside one
transaction sees no concurrent change, exactly as before.

A committed transaction that changed a row advances ``meta.data_version`` in the same
transaction (unless asked not to, see :meth:`Database.transaction`); every process keys
its caches by that number.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import shapely
from shapely.geometry import Point

from dashboard.config import environment
from dashboard.data.errors import StoreError
from dashboard.data.gpkg import blob_point, point_blob
from dashboard.data.sqltext import pg_statement
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_, t

log = logging.getLogger("integrationsatlas")

#: The setting that selects PostgreSQL/PostGIS: a connection URL (``postgresql://...``).
DATABASE_URL_ENV = "INTEGRATIONSATLAS_DATABASE_URL"
#: Seconds a writer waits for the write lock before :class:`StoreBusy`.
#: The PostgreSQL schema that holds the application's tables.
PG_SCHEMA = "integrationsatlas"
#: Key in the ``meta`` table of the counter that every committed data change advances.
DATA_VERSION_KEY = "data_version"
#: Advisory lock key that serialises writers on PostgreSQL ("IA" + "write").
PG_WRITE_LOCK = 0x4941_7772_6974_65
_PG_SCHEMES = ("postgresql://", "postgres://")
#: Seconds to connect (and to wait for a pooled connection) before :class:`StoreUnavailable`.
POOL_CONNECT_TIMEOUT = 10.0
#: Seconds after which a pooled connection is replaced by a new one.
POOL_MAX_LIFETIME = 30 * 60.0
#: Seconds an idle pooled connection (beyond the first) is kept.
POOL_MAX_IDLE = 5 * 60.0


class StoreBusy(StoreError):
    """The write lock stayed taken (another change, e.g. a large import, is running).

    ``str()`` is the German catalogue text ``store.busy``; pages show it in the user's
    language (:mod:`dashboard.ui.errors`), the driver's detail goes to the log.
    """

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(t("store.busy", DEFAULT_LANGUAGE))


class StoreUnavailable(StoreError):
    """The database server cannot be reached (catalogue text ``store.unavailable``; the
    details go to the server log)."""

    def __init__(self, detail: str = "") -> None:
        self.detail = detail
        super().__init__(t("store.unavailable", DEFAULT_LANGUAGE))


class IntegrityError(StoreError):
    """A constraint (unique key, check) refused a row; callers turn it into their message."""


class Cursor(Protocol):
    """What both drivers' cursors offer."""

    rowcount: int

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...


def lock_timeout() -> float:
    """Seconds a writer waits for the lock: ``INTEGRATIONSATLAS_LOCK_TIMEOUT`` or 30
    (checked by :class:`dashboard.config.Environment`).

    Raises
    ------
    ValueError
        If the setting is not a positive number.
    """
    return environment().lock_timeout


# -- rows and connections ---------------------------------------------------------------------
class Row(tuple[Any, ...]):
    """A result row readable by position and by column name (like :class:`sqlite3.Row`)."""

    _index: dict[str, int]

    def __new__(cls, values: Sequence[Any], index: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._index = index
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """Column names in order."""
        return list(self._index)


_DML = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Connection:
    """One connection of either backend; SQL uses ``?`` placeholders.

    Attributes
    ----------
    dialect
        ``sqlite`` or ``postgresql`` (for the few statements that differ, e.g. in the
        first migration).
    """

    def __init__(self, raw: Any, dialect: str) -> None:
        self.raw = raw
        self.dialect = dialect
        self._changes = 0
        self._start = raw.total_changes if dialect == "sqlite" else 0

    # -- statements ------------------------------------------------------------------------
    def _sql(self, sql: str) -> str:
        if self.dialect == "sqlite":
            return sql
        return pg_statement(sql)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement; rows come back as :class:`Row`-like objects.

        Raises
        ------
        StoreBusy
            The lock stayed taken past the timeout.
        IntegrityError
            A constraint refused the row.
        """
        with self._translated():
            cur: Cursor = self.raw.execute(self._sql(sql), tuple(params))
        if self.dialect != "sqlite" and _DML.match(sql) and cur.rowcount and cur.rowcount > 0:
            self._changes += cur.rowcount
        return cur

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each parameter tuple."""
        rows = [tuple(p) for p in seq]
        if not rows:
            return
        with self._translated():
            if self.dialect == "sqlite":
                self.raw.executemany(sql, rows)
            else:
                with self.raw.cursor() as cur:
                    cur.executemany(self._sql(sql), rows)
        if self.dialect != "sqlite" and _DML.match(sql):
            self._changes += len(rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row of a query, or ``None``."""
        return self.execute(sql, params).fetchone()

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """All rows of a query."""
        return self.execute(sql, params).fetchall()

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        """A query's rows as a data frame (floats coerced as ``pandas.read_sql`` does)."""
        cur = self.execute(sql, params)
        rows = cur.fetchall()
        description = self.raw_description(cur)
        columns = [d[0] for d in description]
        return pd.DataFrame.from_records(
            [tuple(r) for r in rows], columns=columns, coerce_float=True
        )

    @staticmethod
    def raw_description(cur: Any) -> list[Any]:
        """The driver's column description of a cursor."""
        return list(cur.description or [])

    @property
    def changes(self) -> int:
        """Rows changed on this connection since it was handed out (inserts, updates,
        deletes)."""
        if self.dialect == "sqlite":
            return int(self.raw.total_changes) - self._start
        return self._changes

    # -- geometry --------------------------------------------------------------------------
    def point(self, lon: float | None, lat: float | None) -> Any:
        """The parameter value of a WGS84 point (``None`` for no location)."""
        if lon is None or lat is None:
            return None
        if self.dialect == "sqlite":
            return point_blob(lon, lat)
        geom = shapely.set_srid(Point(lon, lat), 4326)
        return shapely.to_wkb(geom, hex=True, include_srid=True, byte_order=1)

    def point_of(self, value: Any) -> tuple[float, float] | None:
        """``(lon, lat)`` of a stored geometry value, or ``None``."""
        if value is None:
            return None
        if self.dialect == "sqlite":
            return blob_point(value)
        raw = bytes.fromhex(value) if isinstance(value, str) else bytes(value)
        geom = shapely.from_wkb(raw)
        if geom.is_empty:
            return None
        return float(geom.x), float(geom.y)

    # -- errors ----------------------------------------------------------------------------
    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            if _sqlite_locked(exc):
                raise StoreBusy(str(exc)) from exc
            raise
        except Exception as exc:
            translated = _pg_error(exc)
            if translated is None:
                raise
            raise translated from exc


def _sqlite_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _pg_error(exc: BaseException) -> StoreError | None:
    """The store's error for a psycopg error (``None``: not one to translate)."""
    module = type(exc).__module__
    if not module.startswith("psycopg"):
        return None
    from psycopg import errors as pg

    if isinstance(exc, pg.IntegrityError):
        return IntegrityError(str(exc).splitlines()[0])
    if isinstance(exc, pg.LockNotAvailable | pg.QueryCanceled):
        return StoreBusy(str(exc).splitlines()[0])
    if isinstance(exc, pg.OperationalError):
        log.warning("database unavailable: %s", exc)
        return StoreUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return None


# -- DDL that both engines accept --------------------------------------------------------------
_PG_DDL = (
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b", re.I), "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bREAL\b", re.I), "DOUBLE PRECISION"),
    (re.compile(r"\b(\w+) POINT\b", re.I), r"\1 geometry(Point, 4326)"),
)  # fmt: skip


def portable_ddl(statement: str, dialect: str) -> str:
    """A ``CREATE``/``ALTER`` statement written for SQLite, in the given dialect.

    Portable DDL uses the types TEXT, INTEGER, REAL (``DOUBLE PRECISION`` on PostgreSQL),
    ``INTEGER PRIMARY KEY AUTOINCREMENT`` (an identity column on PostgreSQL) and a
    ``POINT`` column (``geometry(Point, 4326)`` on PostGIS, a GeoPackage point in SQLite);
    booleans are INTEGER 0/1.
    """
    if dialect == "sqlite":
        return statement
    for pattern, replacement in _PG_DDL:
        statement = pattern.sub(replacement, statement)
    return statement


# -- the database ------------------------------------------------------------------------------
class Database(ABC):
    """Where the store lives; hands out connections and write transactions.

    Attributes
    ----------
    id
        Identifies the database in cache keys and messages (never holds a password).
    dialect
        ``sqlite`` or ``postgresql``.
    """

    id: str
    dialect: str

    @abstractmethod
    def connection(self) -> AbstractContextManager[Connection]:
        """A connection for reading (each statement sees committed data)."""

    @abstractmethod
    def _begin(self) -> AbstractContextManager[Connection]:
        """One serialised write transaction (commit on success, rollback on error)."""

    @contextmanager
    def transaction(self, advance: bool = True) -> Iterator[Connection]:
        """One write transaction: all or nothing, writers one after the other.

        Parameters
        ----------
        advance
            Advance the data version if a row changed (same transaction). Accounts and
            sign-in counters pass ``False``: they are read fresh on every use, and a failed
            sign-in must not invalidate every process's cached district.

        Raises
        ------
        StoreBusy
            The lock stayed taken past :func:`lock_timeout`; nothing was written.
        """
        with self._begin() as conn:
            yield conn
            if advance and conn.changes:
                advance_data_version(conn)

    def data_version(self) -> int:
        """The store's data version (0 before the first write)."""
        with self.connection() as conn:
            return read_data_version(conn)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release pooled connections (nothing to do for SQLite)."""


def read_data_version(conn: Connection) -> int:
    """The data version read on ``conn``."""
    row = conn.one("SELECT value FROM meta WHERE key = ?", (DATA_VERSION_KEY,))
    return int(row[0]) if row else 0


def advance_data_version(conn: Connection) -> None:
    """Advance the data version inside the caller's transaction."""
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) DO UPDATE"
        " SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)",
        (DATA_VERSION_KEY,),
    )


class SQLiteDatabase(Database):
    """A GeoPackage file (or, with ``path=None``, a private in-memory database).

    Parameters
    ----------
    path
        The file; ``None`` for a database in this process only (tests, throttles).
    timeout
        Seconds to wait for a lock; default :func:`lock_timeout`.
    """

    dialect = "sqlite"

    def __init__(self, path: Path | None, timeout: float | None = None) -> None:
        self.path = path
        self.id = str(path) if path is not None else f"memory:{id(self)}"
        self.timeout = lock_timeout() if timeout is None else timeout
        self._memory: sqlite3.Connection | None = None
        self._memory_lock = threading.RLock()

    def _connect(self) -> sqlite3.Connection:
        assert self.path is not None
        conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    @contextmanager
    def _raw(self) -> Iterator[sqlite3.Connection]:
        if self.path is None:
            with self._memory_lock:
                if self._memory is None:
                    self._memory = sqlite3.connect(
                        ":memory:", isolation_level=None, check_same_thread=False
                    )
                    self._memory.row_factory = sqlite3.Row
                yield self._memory
            return
        try:
            conn = self._connect()
        except sqlite3.OperationalError as exc:
            if _sqlite_locked(exc):
                raise StoreBusy(str(exc)) from exc
            raise
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._raw() as raw:
            yield Connection(raw, "sqlite")

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._raw() as raw:
            conn = Connection(raw, "sqlite")
            with conn._translated():
                raw.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            with conn._translated():
                raw.execute("COMMIT")


class PostgresDatabase(Database):
    """A PostgreSQL database with PostGIS, reached by a connection URL.

    Connections come from a :class:`psycopg_pool.ConnectionPool` per process: checked
    before they are handed out (a connection the server dropped is replaced), renewed
    after :data:`POOL_MAX_LIFETIME` seconds, idle ones beyond one closed after
    :data:`POOL_MAX_IDLE`. Each uses the search path ``integrationsatlas, public`` and
    PostgreSQL's own parameters (:func:`dashboard.data.sqltext.pg_statement`).

    Parameters
    ----------
    url
        ``postgresql://user:password@host:port/dbname`` (libpq URL; a password may also
        come from ``PGPASSWORD`` or ``~/.pgpass``).
    timeout
        Seconds a writer waits for the write lock; default :func:`lock_timeout`.
    pool_size
        Most connections this process holds at once.
    """

    dialect = "postgresql"
    path = None

    def __init__(self, url: str, timeout: float | None = None, pool_size: int = 16) -> None:
        self.url = url
        self.id = redact_url(url)
        self.timeout = lock_timeout() if timeout is None else timeout
        self._pool_size = pool_size
        self._lock = threading.Lock()
        self._pool: Any = None
        self._pid = os.getpid()

    # -- pool ------------------------------------------------------------------------------
    def _connections(self) -> Any:
        """This process's pool (a forked child never uses its parent's connections)."""
        with self._lock:
            if self._pool is None or self._pid != os.getpid():
                from psycopg import RawCursor
                from psycopg_pool import ConnectionPool

                self._pool = ConnectionPool(
                    self.url,
                    min_size=1,
                    max_size=self._pool_size,
                    kwargs={
                        "autocommit": True,
                        "connect_timeout": POOL_CONNECT_TIMEOUT,
                        "cursor_factory": RawCursor,
                    },
                    configure=_configure_pg,
                    check=ConnectionPool.check_connection,
                    max_lifetime=POOL_MAX_LIFETIME,
                    max_idle=POOL_MAX_IDLE,
                    timeout=POOL_CONNECT_TIMEOUT,
                    name=self.id,
                    open=True,
                )
                self._pid = os.getpid()
            return self._pool

    def close(self) -> None:
        """Close the pool (its connections and workers); a later use opens a new one."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None and self._pid == os.getpid():
            pool.close()

    @contextmanager
    def _raw(self) -> Iterator[Any]:
        from psycopg_pool import PoolTimeout

        pool = self._connections()
        try:
            conn = pool.getconn()
        except PoolTimeout as exc:
            log.warning("no connection to %s: %s", self.id, exc)
            raise StoreUnavailable(str(exc).splitlines()[0] if str(exc) else "") from exc
        try:
            yield conn
        except BaseException:
            if not conn.closed and conn.info.transaction_status != 0:
                conn.close()  # never hand back a connection in an unknown state
            raise
        finally:
            pool.putconn(conn)

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self._raw() as raw:
            yield Connection(raw, "postgresql")

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        with self._raw() as raw:
            conn = Connection(raw, "postgresql")
            with conn._translated(), raw.transaction():
                raw.execute(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'")
                raw.execute("SELECT pg_advisory_xact_lock($1)", (PG_WRITE_LOCK,))
                yield conn


def _configure_pg(conn: Any) -> None:
    """A new pooled connection: rows readable by name, the application's search path."""
    conn.row_factory = _pg_rows
    conn.execute(f"SET search_path TO {PG_SCHEMA}, public")


def _pg_rows(cursor: Any) -> Callable[[Sequence[Any]], Row]:
    names = [c.name for c in cursor.description or []]
    index = {name: i for i, name in enumerate(names)}

    def make(values: Sequence[Any]) -> Row:
        return Row(values, index)

    return make


def redact_url(url: str) -> str:
    """A connection URL without its password (for logs, messages and cache keys)."""
    return re.sub(r"(:/{1,2}[^:/@]+):[^@]*@", r"\1:***@", url)  # also a URL folded by Path


def is_database_url(location: object) -> bool:
    """Whether ``location`` is a PostgreSQL connection URL (not a file path)."""
    return isinstance(location, str) and location.startswith(_PG_SCHEMES)


_open_lock = threading.Lock()
_open: dict[str, Database] = {}


def open_database(location: Path | str, timeout: float | None = None) -> Database:
    """The database at a file path (SQLite) or a ``postgresql://`` URL (PostGIS).

    PostgreSQL databases are shared per process and URL, so their connection pool is.

    Parameters
    ----------
    location
        A path of the GeoPackage file, or a connection URL.
    timeout
        Seconds a writer waits for the lock; default :func:`lock_timeout`.
    """
    if is_database_url(location):
        url = str(location)
        key = f"{url}|{timeout}"
        with _open_lock:
            found = _open.get(key)
            if found is None:
                found = _open[key] = PostgresDatabase(url, timeout)
                while len(_open) > 16:
                    _open.pop(next(iter(_open))).close()
            return found
    _refuse_url_as_path(location)
    return SQLiteDatabase(Path(location), timeout)


#: A first path part that is a URL's scheme (``postgresql:`` of ``postgresql://...`` after
#: ``Path`` folded its slashes).
_SCHEME_PART = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _refuse_url_as_path(location: Path | str) -> None:
    """Refuse a database URL given as a file path (``Path("postgresql://h/db")`` is
    ``postgresql:/h/db``, resolved ``/cwd/postgresql:/h/db``), before a SQLite file is made
    in a folder named ``postgresql:``.

    Raises
    ------
    StoreError
        Naming the location and where a URL belongs.
    """
    text = str(location)
    if "://" in text or any(_SCHEME_PART.fullmatch(part) for part in Path(text).parts):
        raise StoreError(N_("err.store_url_as_path"), location=redact_url(text))
