"""Schema versions of the store and the ordered migrations between them.

The store records its schema version in ``meta.schema_version`` (the GeoPackage
``PRAGMA user_version`` stays 10300 as the GeoPackage specification requires). Opening
a store:

* a missing file is created at the newest version and seeded, in a private temporary
  file that is moved into place only when complete;
* an older store is brought to the newest version by all missing migrations in ONE
  transaction; if any of them fails, the file is left unchanged;
* a store newer than this release is refused with a plain message;
* a store at the newest version is only read (no write lock, no change).

A store without ``schema_version`` was written by the release before schema versions
(version 0 here): its tables are those of version 1, except that ``proposals`` and
``confirmations`` exist only if the editorial workflow was ever used. Migration 1 is
therefore written with ``IF NOT EXISTS`` and ``INSERT OR IGNORE`` throughout, so it
creates a new store and completes an old one alike.

Rules for adding a migration: append it with the next number, never edit a released
one (its text is the history of every store in the field), run its statements with
``conn.execute`` one by one (``executescript`` would commit), and add the new version's
tables or columns to the code that reads them in the same change.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from dashboard.data.errors import SchemaError
from dashboard.data.gpkg import APPLICATION_ID, connect, init_metadata, register_table

#: Key in the ``meta`` table of the schema version.
SCHEMA_VERSION_KEY = "schema_version"

#: Schema version of a store written before schema versions were recorded.
UNVERSIONED = 0


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
        Runs the step on a connection inside the caller's transaction.
    """

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def _execute_all(conn: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    for statement in statements:
        conn.execute(statement)


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


def _v1_baseline(conn: sqlite3.Connection) -> None:
    init_metadata(conn)
    _execute_all(conn, _V1_TABLES)
    register_table(conn, "facilities", "Einrichtungen und Angebote", "geom")
    for table, description in _V1_CONTENTS:
        register_table(conn, table, description)


# -- version 2: indexes for the frequent lookups ------------------------------------------------
#: ``proposals (status, record_id)`` exists since version 1 and already serves lookups by
#: status; ``confirmations (vg_key, id)`` serves the latest confirmation per VG.
_V2_INDEXES = (
    "CREATE INDEX IF NOT EXISTS facilities_status ON facilities (status)",
    "CREATE INDEX IF NOT EXISTS history_record_id ON history (record_id)",
    "CREATE INDEX IF NOT EXISTS confirmations_vg_key ON confirmations (vg_key, id)",
)


def _v2_indexes(conn: sqlite3.Connection) -> None:
    _execute_all(conn, _V2_INDEXES)


# -- version 3: honest gaps: coverage, collection rounds, indicator loads, source dates --------
#: Plain SQL that SQLite and PostgreSQL both accept. Ids of the new tables are assigned by
#: the writer inside its transaction (no AUTOINCREMENT).
_V3_TABLES = (
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

_V3_CONTENTS = (
    ("list_marks", "Vollständigkeit der Listen je VG und Kategorie"),
    ("collection_sends", "Erhebungsrunde: versandte Arbeitsmappen"),
    ("collection_returns", "Erhebungsrunde: Rückläufe"),
    ("collection_items", "Erhebungsrunde: Vorschläge eines Rücklaufs"),
    ("indicator_loads", "Geladene Indikatortabellen"),
    ("indicator_changes", "Änderungen der Indikatorwerte je Ladevorgang"),
)


def _v3_honest_gaps(conn: sqlite3.Connection) -> None:
    _execute_all(conn, _V3_TABLES)
    for table, description in _V3_CONTENTS:
        register_table(conn, table, description)


#: The migrations in order; the last one's version is the newest schema.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "tables of the first release, with proposals and confirmations", _v1_baseline),
    Migration(2, "indexes on facility status, history record and VG confirmations", _v2_indexes),
    Migration(
        3,
        "list completeness, collection rounds, indicator loads, source dates, unconfirmed offers",
        _v3_honest_gaps,
    ),
)


def newest_version() -> int:
    """The schema version this release writes (the last migration's)."""
    return MIGRATIONS[-1].version


def _tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    return {row[0] for row in rows}


def read_schema_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an existing store.

    Parameters
    ----------
    conn
        A connection to the store's file.
    path
        The file (for the message).

    Returns
    -------
    int
        ``meta.schema_version``, or :data:`UNVERSIONED` for a store of the release
        before schema versions.

    Raises
    ------
    SchemaError
        If the file is no store of this application.
    """
    try:
        tables = _tables(conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise SchemaError(f"{path} ist keine lesbare GeoPackage-Datei ({exc}).") from exc
    if app_id != APPLICATION_ID or not {"facilities", "meta"} <= tables:
        raise SchemaError(
            f"{path} ist kein Speicher des Integrationsatlas (GeoPackage mit den Tabellen "
            "facilities und meta erwartet). Bitte INTEGRATIONSATLAS_STORE prüfen."
        )
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (SCHEMA_VERSION_KEY,)).fetchone()
    if row is None:
        return UNVERSIONED
    try:
        return int(row[0])
    except (TypeError, ValueError) as exc:
        raise SchemaError(f"{path}: Schema-Version {row[0]!r} ist keine Zahl.") from exc


def _too_new(path: Path, version: int) -> SchemaError:
    return SchemaError(
        f"{path} hat Schema-Version {version}, diese Programmversion kennt höchstens "
        f"{newest_version()}: bitte das Programm aktualisieren (die Datei bleibt unverändert)."
    )


def _migrate(conn: sqlite3.Connection, path: Path, version: int, creating: bool = False) -> None:
    """Apply the migrations after ``version`` and record the newest version (no commit)."""
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        try:
            migration.apply(conn)
        except sqlite3.Error as exc:
            step = f"Schritt {migration.version} ({migration.description}) fehlgeschlagen: {exc}."
            if creating:
                raise SchemaError(f"{path} nicht angelegt: {step}") from exc
            raise SchemaError(
                f"{path} nicht aktualisiert: {step} Die Datei ist unverändert "
                f"(Schema-Version {version})."
            ) from exc
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
        " SET value = excluded.value",
        (SCHEMA_VERSION_KEY, str(newest_version())),
    )


def upgrade(path: Path) -> int:
    """Bring an existing store to the newest schema version in one transaction.

    Parameters
    ----------
    path
        The store's file.

    Returns
    -------
    int
        The version the store had when opened (the newest version if nothing was done).

    Raises
    ------
    SchemaError
        If the file is no store, is newer than this release, or a migration failed;
        the file is then unchanged.
    """
    conn = connect(path)
    try:
        version = read_schema_version(conn, path)
        if version == newest_version():
            return version
        if version > newest_version():
            raise _too_new(path, version)
        conn.execute("BEGIN IMMEDIATE")
        try:
            # another process may have upgraded it while this one waited for the lock
            version = read_schema_version(conn, path)
            if version > newest_version():
                raise _too_new(path, version)
            if version < newest_version():
                _migrate(conn, path, version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return version
    finally:
        conn.close()


def create(path: Path, seed: Callable[[sqlite3.Connection], None]) -> None:
    """Create a store at the newest schema version and seed it, all or nothing.

    The file is built under a private temporary name beside ``path`` (mode ``0600``,
    whatever the umask) and linked into place only when complete; if another process
    created ``path`` meanwhile, its file is kept and this one discarded.

    Parameters
    ----------
    path
        The store's file (must not exist).
    seed
        Fills the new tables inside the same transaction.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".creating", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        conn = connect(tmp)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                _migrate(conn, path, UNVERSIONED, creating=True)
                seed(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.chmod(tmp, 0o600)
        _link_into_place(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _link_into_place(tmp: Path, path: Path) -> None:
    """Publish ``tmp`` as ``path`` unless ``path`` exists by now (atomic, no overwrite)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        return
    except OSError:  # a file system without hard links: rename (atomic, may overwrite)
        os.replace(tmp, path)


def open_store(path: Path, seed: Callable[[sqlite3.Connection], None]) -> int:
    """Create ``path`` at the newest version if missing, else upgrade it if older.

    Parameters
    ----------
    path
        The store's file.
    seed
        Fills a newly created store (inside its creating transaction).

    Returns
    -------
    int
        The schema version now in the file (always :func:`newest_version`).

    Raises
    ------
    SchemaError
        See :func:`upgrade`.
    """
    if not path.exists():
        create(path, seed)
    upgrade(path)
    return newest_version()
