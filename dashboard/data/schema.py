"""Schema versions of the store and the ordered migrations between them, on either backend.

The store records its schema version in ``meta.schema_version`` (in SQLite the GeoPackage
``PRAGMA user_version`` stays 10300 as the GeoPackage specification requires). Opening
a store, SQLite file or PostgreSQL database alike:

* a missing store is created at the newest version and seeded, all or nothing (SQLite:
  in a private temporary file that is moved into place only when complete; PostgreSQL:
  in one transaction, creators one after the other);
* an older store is brought to the newest version by all missing migrations in ONE
  transaction; if any of them fails, the store is left unchanged;
* a store newer than this release is refused with a plain message;
* a store at the newest version is only read (no write lock, no change).

A SQLite store without ``schema_version`` was written by the release before schema
versions (version 0 here): its tables are those of version 1, except that ``proposals``
and ``confirmations`` exist only if the editorial workflow was ever used. Migration 1 is
therefore written with ``IF NOT EXISTS`` throughout, so it creates a new store and
completes an old one alike.

Rules for adding a migration: append it with the next number, never edit a released
one (its text is the history of every store in the field), and add the new version's
tables or columns to the code that reads them in the same change. A migration gets a
:class:`dashboard.data.db.Connection` inside the upgrade's transaction and must run on
both backends: write DDL in the portable subset (:func:`execute_ddl`: plain
``CREATE TABLE``/``CREATE INDEX``/``ALTER TABLE ... ADD COLUMN``; types TEXT, INTEGER,
REAL, ``INTEGER PRIMARY KEY AUTOINCREMENT``, booleans as INTEGER; no SQLite-only
functions), declare new tables with :func:`register` (the GeoPackage's table of contents;
nothing to do on PostGIS), and run statements one by one (never ``executescript``, which
would commit). ``tests/unit/test_schema.py`` runs every migration on both backends.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dashboard.data.db import (
    PG_SCHEMA,
    Connection,
    Database,
    SQLiteDatabase,
    StoreBusy,
    portable_ddl,
)
from dashboard.data.errors import SchemaError, StoreError
from dashboard.data.gpkg import APPLICATION_ID, init_metadata, register_table

log = logging.getLogger("integrationsatlas")

#: Key in the ``meta`` table of the schema version.
SCHEMA_VERSION_KEY = "schema_version"

#: Schema version of a store written before schema versions were recorded.
UNVERSIONED = 0

Seed = Callable[[Connection], None]


@dataclass(frozen=True)
class Migration:
    """One step from ``version - 1`` to ``version``.

    Attributes
    ----------
    version
        The schema version the store has after this step.
    description
        What the step does (named in the message if it fails).
    apply
        Runs the step on a connection inside the caller's transaction (either backend;
        ``conn.dialect`` tells which).
    """

    version: int
    description: str
    apply: Callable[[Connection], None]


def execute_ddl(conn: Connection, statements: Sequence[str]) -> None:
    """Run portable DDL statements one by one (see :func:`dashboard.data.db.portable_ddl`)."""
    for statement in statements:
        conn.execute(portable_ddl(statement, conn.dialect))


def register(
    conn: Connection, table: str, description: str, geometry_column: str | None = None
) -> None:
    """Declare a new table in the GeoPackage's contents (SQLite; nothing on PostGIS, whose
    ``geometry_columns`` view lists geometry columns by itself)."""
    if conn.dialect == "sqlite":
        register_table(conn, table, description, geometry_column)


# -- version 1: the schema of the first release -----------------------------------------------
#: Frozen text: the facilities columns are listed literally, not derived from the model,
#: so that a later field of the model needs its own migration.
_V1_TABLES = (
    """CREATE TABLE IF NOT EXISTS facilities (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT,
        id TEXT NOT NULL UNIQUE, name TEXT, category TEXT, handlungsfelder TEXT, operator TEXT,
        street TEXT, postcode TEXT, place TEXT, ags TEXT, precision TEXT, languages TEXT,
        target_groups TEXT, contact TEXT, capacity INTEGER, source TEXT, reference_date TEXT,
        last_verified TEXT, status TEXT, note TEXT, version INTEGER NOT NULL, updated_at TEXT,
        updated_by TEXT)""",
    """CREATE TABLE IF NOT EXISTS projects (fid INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE, record TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS indicators (fid INTEGER PRIMARY KEY AUTOINCREMENT,
        area_level TEXT, area_key TEXT, area_name TEXT, indicator TEXT, value REAL, unit TEXT,
        reference_date TEXT, source TEXT, note TEXT)""",
    """CREATE TABLE IF NOT EXISTS handlungsfelder (fid INTEGER PRIMARY KEY AUTOINCREMENT,
        code TEXT UNIQUE, name_de TEXT, name_en TEXT)""",
    """CREATE TABLE IF NOT EXISTS history (fid INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL, author TEXT NOT NULL, table_name TEXT NOT NULL,
        record_id TEXT NOT NULL, action TEXT NOT NULL, version_before INTEGER,
        version_after INTEGER, before TEXT, after TEXT, comment TEXT)""",
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE IF NOT EXISTS proposals (id INTEGER PRIMARY KEY AUTOINCREMENT,
        record_id TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('add', 'change', 'close')),
        payload TEXT NOT NULL, base_version INTEGER, vg_key TEXT, author TEXT NOT NULL,
        created TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'pending'
            CHECK (status IN ('pending', 'approved', 'rejected')),
        reviewer TEXT, reviewed_at TEXT, review_comment TEXT)""",
    "CREATE INDEX IF NOT EXISTS proposals_status ON proposals (status, record_id)",
    """CREATE TABLE IF NOT EXISTS confirmations (id INTEGER PRIMARY KEY AUTOINCREMENT,
        vg_key TEXT NOT NULL, confirmed_by TEXT NOT NULL, confirmed_at TEXT NOT NULL,
        comment TEXT NOT NULL DEFAULT '')""",
)

_V1_CONTENTS = (
    ("projects", "Projekte des Integrationskonzepts"),
    ("indicators", "Indikatoren (Langformat)"),
    ("handlungsfelder", "Handlungsfelder"),
    ("history", "Änderungsverlauf"),
    ("meta", "Metadaten des Speichers"),
    ("proposals", "Änderungsvorschläge der VG-Redaktionen"),
    ("confirmations", "Bestätigungen: Liste der VG ist aktuell"),
)


def _ensure_postgis(conn: Connection) -> None:
    """PostGIS in the schema ``public`` (created if missing and allowed)."""
    if conn.one("SELECT 1 FROM pg_extension WHERE extname = 'postgis'") is not None:
        return
    try:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public")
    except Exception as exc:
        raise SchemaError(
            "PostGIS fehlt in der Datenbank und kann mit diesem Konto nicht angelegt werden: "
            "bitte als Datenbank-Administrator einmal CREATE EXTENSION postgis; ausführen "
            f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})."
        ) from exc


def _v1_baseline(conn: Connection) -> None:
    if conn.dialect == "sqlite":
        init_metadata(conn)
    else:
        _ensure_postgis(conn)
    execute_ddl(conn, _V1_TABLES)
    register(conn, "facilities", "Einrichtungen und Angebote", "geom")
    for table, description in _V1_CONTENTS:
        register(conn, table, description)


# -- version 2: indexes for the frequent lookups ------------------------------------------------
#: ``proposals (status, record_id)`` exists since version 1 and already serves lookups by
#: status; ``confirmations (vg_key, id)`` serves the latest confirmation per VG.
_V2_INDEXES = (
    "CREATE INDEX IF NOT EXISTS facilities_status ON facilities (status)",
    "CREATE INDEX IF NOT EXISTS history_record_id ON history (record_id)",
    "CREATE INDEX IF NOT EXISTS confirmations_vg_key ON confirmations (vg_key, id)",
)


def _v2_indexes(conn: Connection) -> None:
    execute_ddl(conn, _V2_INDEXES)


# -- version 3: accounts and sign-in counters in the store ----------------------------------------
#: Accounts were a JSON file beside the store; they move into the store's database so
#: that every process (and every host of a PostgreSQL deployment) shares them and
#: concurrent changes are transactions. ``name_key`` is the normalised name (NFKC,
#: case-folded) that makes names unique regardless of case.
_V3_TABLES = (
    """CREATE TABLE accounts (name_key TEXT PRIMARY KEY, name TEXT NOT NULL,
        role TEXT NOT NULL, vgs TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
        password_hash TEXT)""",
    """CREATE TABLE signin_failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL,
        last REAL NOT NULL, locked_until REAL NOT NULL)""",
    """CREATE TABLE signin_known (name_key TEXT NOT NULL, client TEXT NOT NULL,
        last_success REAL NOT NULL, PRIMARY KEY (name_key, client))""",
)


#: The sign-in counters' tables (also created alone for an in-memory throttle).
SIGNIN_TABLES = _V3_TABLES[1:]


def _v3_accounts(conn: Connection) -> None:
    execute_ddl(conn, _V3_TABLES)
    register(conn, "accounts", "Konten (Argon2id-Hashes, keine Passwörter)")
    register(conn, "signin_failures", "Fehlgeschlagene Anmeldungen (Drosselung)")
    register(conn, "signin_known", "Erfolgreiche Anmeldungen je Konto und Adresse")


# -- version 4: honest gaps: coverage, collection rounds, indicator loads, source dates --------
#: Plain SQL that SQLite and PostgreSQL both accept. Ids of the new tables are assigned by
#: the writer inside its transaction (no AUTOINCREMENT).
_V4_TABLES = (
    "ALTER TABLE facilities ADD COLUMN unconfirmed INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE indicators ADD COLUMN load_id INTEGER",
    """CREATE TABLE IF NOT EXISTS list_marks (id INTEGER PRIMARY KEY, vg_key TEXT NOT NULL,
        category TEXT NOT NULL, complete INTEGER NOT NULL, as_of TEXT NOT NULL DEFAULT '',
        marked_by TEXT NOT NULL, marked_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'confirmed', return_id INTEGER,
        comment TEXT NOT NULL DEFAULT '')""",
    "CREATE INDEX IF NOT EXISTS list_marks_vg ON list_marks (vg_key, category, id)",
    """CREATE TABLE IF NOT EXISTS collection_sends (id INTEGER PRIMARY KEY,
        round TEXT NOT NULL, vg_key TEXT NOT NULL, sent_at TEXT NOT NULL,
        sent_by TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        offers INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS collection_returns (id INTEGER PRIMARY KEY,
        send_id INTEGER, round TEXT NOT NULL, vg_key TEXT NOT NULL,
        returned_at TEXT NOT NULL, read_by TEXT NOT NULL, file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL, filled_by TEXT NOT NULL DEFAULT '',
        list_as_of TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'returned',
        confirmed_at TEXT, confirmed_by TEXT, comment TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS collection_items (return_id INTEGER NOT NULL,
        proposal_id INTEGER NOT NULL, kind TEXT NOT NULL, record_id TEXT NOT NULL,
        PRIMARY KEY (return_id, proposal_id))""",
    """CREATE TABLE IF NOT EXISTS indicator_loads (id INTEGER PRIMARY KEY, at TEXT NOT NULL,
        author TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL,
        rows_written INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '')""",
    """CREATE TABLE IF NOT EXISTS indicator_changes (id INTEGER PRIMARY KEY,
        load_id INTEGER NOT NULL, action TEXT NOT NULL, area_level TEXT NOT NULL,
        area_key TEXT NOT NULL, indicator TEXT NOT NULL, reference_date TEXT NOT NULL,
        value_before REAL, value_after REAL, unit_before TEXT, unit_after TEXT,
        source_before TEXT, source_after TEXT)""",
)

_V4_CONTENTS = (
    ("list_marks", "Vollständigkeit der Listen je VG und Kategorie"),
    ("collection_sends", "Erhebungsrunde: versandte Arbeitsmappen"),
    ("collection_returns", "Erhebungsrunde: Rückläufe"),
    ("collection_items", "Erhebungsrunde: Vorschläge eines Rücklaufs"),
    ("indicator_loads", "Geladene Indikatortabellen"),
    ("indicator_changes", "Änderungen der Indikatorwerte je Ladevorgang"),
)


def _v4_honest_gaps(conn: Connection) -> None:
    execute_ddl(conn, _V4_TABLES)
    for table, description in _V4_CONTENTS:
        register(conn, table, description)


# -- version 5: returns match their sends; indicators know their kind -------------------------
_V5_TABLES = (
    "ALTER TABLE collection_sends ADD COLUMN record_ids TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE collection_sends ADD COLUMN check_value TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX IF NOT EXISTS collection_returns_send ON collection_returns (send_id)",
    """CREATE TABLE IF NOT EXISTS indicator_kinds (indicator TEXT PRIMARY KEY,
        kind TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '', numerator TEXT NOT NULL DEFAULT '',
        denominator TEXT NOT NULL DEFAULT '', set_by TEXT NOT NULL, set_at TEXT NOT NULL,
        load_id INTEGER)""",
)


def _v5_sends_and_kinds(conn: Connection) -> None:
    execute_ddl(conn, _V5_TABLES)
    register(conn, "indicator_kinds", "Art je Indikator: Anzahl, Anteil oder Rate")


# -- version 6: sign-ins bound to their browser; typed names out of the counters -----------------
#: Which browser (a digest of its cookie) had a signed-in session (a digest of Streamlit's
#: session id) until when: after a process restart the new session of that tab says
#: "Sitzung neu gestartet" instead of silently showing the public pages.
_V6_TABLES = (
    """CREATE TABLE IF NOT EXISTS browser_sessions (browser TEXT NOT NULL,
        session TEXT NOT NULL, name_key TEXT NOT NULL, expires REAL NOT NULL,
        PRIMARY KEY (browser, session))""",
)


def _v6_browser_sessions(conn: Connection) -> None:
    execute_ddl(conn, _V6_TABLES)
    register(conn, "browser_sessions", "Angemeldete Sitzungen je Browser (nur Digests)")
    # the counters of earlier releases kept typed names in their keys (unbounded); the
    # counters of this release keep digests: the old ones are dropped, not carried along
    conn.execute("DELETE FROM signin_failures")


#: The migrations in order; the last one's version is the newest schema.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "tables of the first release, with proposals and confirmations", _v1_baseline),
    Migration(2, "indexes on facility status, history record and VG confirmations", _v2_indexes),
    Migration(3, "accounts and sign-in counters in the store", _v3_accounts),
    Migration(
        4,
        "list completeness, collection rounds, indicator loads, source dates, unconfirmed offers",
        _v4_honest_gaps,
    ),
    Migration(
        5, "sends with offer ids and check values; the kind of each indicator", _v5_sends_and_kinds
    ),
    Migration(
        6, "sign-ins bound to their browser, typed names out of the counters", _v6_browser_sessions
    ),  # fmt: skip
)


def newest_version() -> int:
    """The schema version this release writes (the last migration's)."""
    return MIGRATIONS[-1].version


# -- reading the version ----------------------------------------------------------------------
def _sqlite_tables(conn: Connection) -> set[str]:
    rows = conn.all("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in rows}


def _stored_version(conn: Connection, where: str) -> int:
    row = conn.one("SELECT value FROM meta WHERE key = ?", (SCHEMA_VERSION_KEY,))
    if row is None:
        return UNVERSIONED
    try:
        return int(row[0])
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{where}: Schema-Version {row[0]!r} ist keine Zahl.") from exc


def read_schema_version(conn: Connection, where: str) -> int | None:
    """The schema version of a store.

    Parameters
    ----------
    conn
        A connection to the store's database.
    where
        The store's location (for messages).

    Returns
    -------
    int or None
        ``meta.schema_version``, :data:`UNVERSIONED` for a SQLite store of the release
        before schema versions, ``None`` for a PostgreSQL database without the
        application's tables (a new store).

    Raises
    ------
    SchemaError
        If the SQLite file is no store of this application.
    """
    if conn.dialect == "postgresql":
        found = conn.one(
            "SELECT to_regclass(?) IS NOT NULL, to_regclass(?) IS NOT NULL",
            (f"{PG_SCHEMA}.facilities", f"{PG_SCHEMA}.meta"),
        )
        if not found[0] and not found[1]:
            return None
        if not (found[0] and found[1]):
            raise SchemaError(
                f"{where}: das Schema {PG_SCHEMA} ist unvollständig (facilities und meta "
                "erwartet). Bitte die Datenbank prüfen."
            )
        return _stored_version(conn, where)
    try:
        tables = _sqlite_tables(conn)
        app_id = conn.one("PRAGMA application_id")[0]
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{where} ist keine lesbare GeoPackage-Datei ({exc}).") from exc
    if app_id != APPLICATION_ID or not {"facilities", "meta"} <= tables:
        raise SchemaError(
            f"{where} ist kein Speicher des Integrationsatlas (GeoPackage mit den Tabellen "
            "facilities und meta erwartet). Bitte INTEGRATIONSATLAS_STORE prüfen."
        )
    return _stored_version(conn, where)


def _too_new(where: str, version: int) -> SchemaError:
    return SchemaError(
        f"{where} hat Schema-Version {version}, diese Programmversion kennt höchstens "
        f"{newest_version()}: bitte das Programm aktualisieren (der Speicher bleibt unverändert)."
    )


def _is_database_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return True
    if isinstance(exc, StoreError) and not isinstance(exc, SchemaError | StoreBusy):
        return True
    return type(exc).__module__.startswith("psycopg")


def _migrate(
    conn: Connection, where: str, version: int, creating: bool = False, upto: int | None = None
) -> None:
    """Apply the migrations after ``version`` (up to ``upto``, default the newest) and record
    the version reached (no commit)."""
    target = newest_version() if upto is None else upto
    for migration in MIGRATIONS:
        if migration.version <= version or migration.version > target:
            continue
        try:
            migration.apply(conn)
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            step = (
                f"Schritt {migration.version} ({migration.description}) fehlgeschlagen: {detail}."
            )
            if creating:
                raise SchemaError(f"{where} nicht angelegt: {step}") from exc
            raise SchemaError(
                f"{where} nicht aktualisiert: {step} Der Speicher ist unverändert "
                f"(Schema-Version {version})."
            ) from exc
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
        " SET value = excluded.value",
        (SCHEMA_VERSION_KEY, str(target)),
    )


def build_schema(conn: Connection, where: str, version: int) -> None:
    """Create the empty schema of ``version`` on an empty database, exactly as the
    migrations make it (no seed; no commit).

    A restore compares a backup with this reference (:mod:`dashboard.data.restore_check`):
    whatever a backup holds beyond what the atlas itself creates is refused.

    Parameters
    ----------
    conn
        A connection inside the caller's transaction (PostgreSQL: its search path names
        the schema to build in).
    where
        Named in messages.
    version
        1 to :func:`newest_version`.

    Raises
    ------
    SchemaError
        If ``version`` is no version of this release, or a migration failed.
    """
    if not 1 <= version <= newest_version():
        raise SchemaError(
            f"{where}: Schema-Version {version} kennt diese Programmversion nicht "
            f"(1 bis {newest_version()})."
        )
    _migrate(conn, where, UNVERSIONED, creating=True, upto=version)


# -- opening ----------------------------------------------------------------------------------
def upgrade(db: Database) -> int:
    """Bring an existing store to the newest schema version in one transaction.

    Parameters
    ----------
    db
        The store's database.

    Returns
    -------
    int
        The version the store had when opened (the newest version if nothing was done).

    Raises
    ------
    SchemaError
        If the database holds no store, is newer than this release, or a migration failed;
        the store is then unchanged.
    """
    with db.connection() as conn:
        version = read_schema_version(conn, db.id)
    if version == newest_version():
        return version
    if version is not None and version > newest_version():
        raise _too_new(db.id, version)
    with db.transaction(advance=False) as conn:
        # another process may have upgraded it while this one waited for the lock
        version = read_schema_version(conn, db.id)
        if version is None:
            raise SchemaError(f"{db.id}: kein Speicher des Integrationsatlas gefunden.")
        if version > newest_version():
            raise _too_new(db.id, version)
        if version < newest_version():
            _migrate(conn, db.id, version)
    return version


def _create_postgres(db: Database, seed: Seed) -> None:
    """Create the schema, tables and seed in one transaction (creators serialised)."""
    with db.transaction(advance=False) as conn:
        conn.execute(f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}")
        if read_schema_version(conn, db.id) is not None:
            return  # another process created it while this one waited for the lock
        _migrate(conn, db.id, UNVERSIONED, creating=True)
        seed(conn)


def _create_sqlite(db: SQLiteDatabase, seed: Seed) -> None:
    """Build the file under a private temporary name and link it into place when complete."""
    path = db.path
    assert path is not None
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".creating", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        with SQLiteDatabase(tmp, db.timeout).transaction(advance=False) as conn:
            _migrate(conn, str(path), UNVERSIONED, creating=True)
            seed(conn)
        _set_wal(tmp)
        os.chmod(tmp, 0o600)
        _link_into_place(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def create(db: Database, seed: Seed) -> None:
    """Create a store at the newest schema version and seed it, all or nothing.

    SQLite: the file is built under a private temporary name beside the store's path
    (mode ``0600``, whatever the umask, in WAL mode) and linked into place only when
    complete; if another process created the file meanwhile, its file is kept and this one
    discarded. PostgreSQL: one transaction; a creator that waited for another finds the
    tables and does nothing.

    Parameters
    ----------
    db
        The store's database (SQLite: the file must not exist).
    seed
        Fills the new tables inside the same transaction.
    """
    if isinstance(db, SQLiteDatabase):
        _create_sqlite(db, seed)
    else:
        _create_postgres(db, seed)


def _link_into_place(tmp: Path, path: Path) -> None:
    """Publish ``tmp`` as ``path`` unless ``path`` exists by now (atomic, no overwrite)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    except OSError:  # a file system without hard links: rename (atomic, may overwrite)
        os.replace(tmp, path)


def _set_wal(path: Path, timeout: float = 2.0) -> None:
    """Switch a SQLite file to write-ahead logging (readers never wait for a writer).

    The mode is stored in the file. Switching needs a moment without other connections;
    if the file is busy, it stays as it is and the next start tries again.
    """
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    try:
        mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        if mode != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        log.warning("%s: WAL mode not set yet (%s); trying again at the next start", path, exc)
    finally:
        conn.close()


def open_store(db: Database, seed: Seed) -> int:
    """Create the store at the newest version if missing, else upgrade it if older.

    Parameters
    ----------
    db
        The store's database.
    seed
        Fills a newly created store (inside its creating transaction).

    Returns
    -------
    int
        The schema version now in the store (always :func:`newest_version`).

    Raises
    ------
    SchemaError
        See :func:`upgrade`.
    """
    if isinstance(db, SQLiteDatabase):
        assert db.path is not None
        if not db.path.exists():
            create(db, seed)
        upgrade(db)
        _set_wal(db.path)
        return newest_version()
    with db.connection() as conn:
        version = read_schema_version(conn, db.id)
    if version is None:
        create(db, seed)
    upgrade(db)
    return newest_version()
