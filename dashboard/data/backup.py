"""Backup and restore of the whole store (facilities, history, proposals, accounts, ...).

* SQLite: a consistent online copy with SQLite's backup API (writers may go on meanwhile;
  the copy is one snapshot), written as a self-contained GeoPackage file (no WAL beside
  it), mode ``0600``, checked with ``PRAGMA integrity_check``.
* PostgreSQL: ``pg_dump`` in custom format of the schema ``integrationsatlas`` (PostGIS
  itself is not part of the backup).

Every backup carries a manifest beside it (``<file>.manifest.json``, :mod:`dashboard.data.
backup_manifest`): backend, schema and data version, size and SHA-256 of the file.

A restore restores data, never code. Before anything is changed it

1. reads the manifest and copies the backup into a private file, checking size and
   checksum on the way (a changed or damaged file is refused);
2. compares the backup's schema with that of an empty store of its version made by this
   release's migrations (:mod:`dashboard.data.restore_check`): a trigger, view, table,
   index or function the atlas does not create refuses the restore;
3. replaces the store in one step: SQLite copies the checked file with the backup API
   (readers see the old or the new store, never a mix); PostgreSQL recreates the schema
   with the migrations and loads only the rows (:mod:`dashboard.data.pgdump`), in ONE
   transaction: if anything fails, the store is as it was.

A restore never makes caches serve old data: the data version after a restore is greater
than both the store's before and the backup's, so every process rebuilds its district
context. A backup of an older release is upgraded after the restore; one of a newer release
is refused before anything is changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.data import pgdump
from dashboard.data.backup_manifest import (
    Manifest,
    copy_checked,
    manifest_path,
    read_manifest,
    write_manifest,
)
from dashboard.data.db import (
    DATA_VERSION_KEY,
    PG_SCHEMA,
    Connection,
    Database,
    PostgresDatabase,
    SQLiteDatabase,
    read_data_version,
)
from dashboard.data.errors import StoreError
from dashboard.data.gpkg import APPLICATION_ID
from dashboard.data.restore_check import check_pg, check_sqlite, pg_reference
from dashboard.data.schema import SCHEMA_VERSION_KEY, build_schema, newest_version
from dashboard.i18n.catalogue import N_

__all__ = [
    "BackupError",
    "BackupInfo",
    "backup",
    "default_name",
    "describe",
    "manifest_path",
    "restore",
]

_PG_MAGIC = b"PGDMP"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(StoreError):
    """A backup or restore could not be made; the store is unchanged."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds.

    Attributes
    ----------
    path
        The file.
    backend
        ``sqlite`` or ``postgresql``.
    size
        Bytes.
    schema_version, data_version
        Of the store when it was copied.
    sha256
        Checksum of the file (also in its manifest).
    """

    path: Path
    backend: str
    size: int
    schema_version: int | None
    data_version: int | None
    sha256: str = ""

    @property
    def manifest(self) -> Path:
        """The manifest beside the file."""
        return manifest_path(self.path)


@contextlib.contextmanager
def _partial(out: Path) -> Iterator[Path]:
    """A private temporary file beside ``out`` (removed unless moved into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def _publish(tmp: Path, out: Path, backend: str, versions: tuple[int, int]) -> BackupInfo:
    """Move a finished backup into place with its manifest (both mode ``0600``)."""
    os.chmod(tmp, 0o600)
    manifest = Manifest.of_file(tmp, out.name, backend, *versions)
    write_manifest(manifest, manifest_path(out))
    os.replace(tmp, out)
    return BackupInfo(out, backend, manifest.size, *versions, manifest.sha256)


# -- SQLite -----------------------------------------------------------------------------------
def _sqlite_meta(conn: sqlite3.Connection, where: Path) -> tuple[int, int]:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            N_("backup.err.not_backup_detail"), file=str(where), detail=str(exc)
        ) from exc
    if app_id != APPLICATION_ID:
        raise BackupError(N_("backup.err.not_backup"), file=str(where))
    try:
        return int(rows.get(SCHEMA_VERSION_KEY, 0)), int(rows.get(DATA_VERSION_KEY, 0))
    except (TypeError, ValueError) as exc:
        raise BackupError(N_("backup.err.versions"), file=str(where)) from exc


def _check(conn: sqlite3.Connection, where: Path) -> None:
    try:
        result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(N_("backup.err.damaged"), file=str(where), detail=str(exc)) from exc
    if result != "ok":
        raise BackupError(
            N_("backup.err.damaged"), file=str(where), detail=f"integrity_check: {result}"
        )


def _sqlite_backup(db: SQLiteDatabase, out: Path) -> BackupInfo:
    assert db.path is not None
    if not db.path.exists():
        raise BackupError(N_("backup.err.no_store"), file=str(db.path))
    with _partial(out) as tmp:
        src = sqlite3.connect(db.path, timeout=db.timeout)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # one consistent snapshot, writers are not blocked meanwhile
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            _check(dst, out)
            versions = _sqlite_meta(dst, out)
        finally:
            dst.close()
            src.close()
        return _publish(tmp, out, "sqlite", versions)


def _open_checked_copy(copy: Path, manifest: Manifest, where: Path) -> sqlite3.Connection:
    """The private copy, read-only, checked: intact, of this application, of the manifest's
    versions, with exactly the atlas's schema objects of that version."""
    src = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    try:
        src.execute("PRAGMA trusted_schema = OFF")
        _check(src, where)
        schema_version, _ = _sqlite_meta(src, where)
        if schema_version != manifest.schema_version:
            raise BackupError(
                N_("backup.err.schema_changed"), file=str(where), found=str(schema_version),
                stated=str(manifest.schema_version),
            )  # fmt: skip
        check_sqlite(src, schema_version, str(where))
    except BaseException:
        src.close()
        raise
    return src


def _sqlite_restore(db: SQLiteDatabase, backup: Path, manifest: Manifest) -> int:
    assert db.path is not None
    db.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with _partial(db.path) as copy:
        copy_checked(backup, manifest, copy)
        src = _open_checked_copy(copy, manifest, backup)
        try:
            restored = _sqlite_meta(src, backup)[1]
            before = _sqlite_data_version(db)
            if not db.path.exists():
                db.path.touch(mode=0o600)
            dst = sqlite3.connect(db.path, timeout=db.timeout)
            try:
                src.backup(dst)  # replaces the whole store in one step
            except sqlite3.OperationalError as exc:
                raise BackupError(
                    N_("backup.err.not_restored"), file=str(db.path), detail=str(exc)
                ) from exc
            finally:
                dst.close()
            os.chmod(db.path, 0o600)
        finally:
            src.close()
    return _after_restore(db, max(before, restored))


def _sqlite_data_version(db: SQLiteDatabase) -> int:
    assert db.path is not None
    if not db.path.exists():
        return 0
    try:
        with db.connection() as conn:
            return read_data_version(conn)
    except sqlite3.DatabaseError:
        return 0


def _after_restore(db: Database, floor: int) -> int:
    """Set the data version above everything any process may have cached."""
    with db.transaction(advance=False) as conn:
        _set_data_version(conn, floor + 1)
    return floor + 1


def _set_data_version(conn: Connection, version: int) -> None:
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
        " SET value = excluded.value",
        (DATA_VERSION_KEY, str(version)),
    )


# -- PostgreSQL -------------------------------------------------------------------------------
def _pg_versions(db: PostgresDatabase) -> tuple[int, int]:
    with db.connection() as conn:
        rows = dict(conn.all("SELECT key, value FROM meta"))
    return int(rows.get(SCHEMA_VERSION_KEY, 0)), int(rows.get(DATA_VERSION_KEY, 0))


def _pg_backup(db: PostgresDatabase, out: Path) -> BackupInfo:
    versions = _pg_versions(db)
    with _partial(out) as tmp:
        pgdump.dump(db, PG_SCHEMA, tmp)
        return _publish(tmp, out, "postgresql", versions)


def _pg_restore(db: PostgresDatabase, backup: Path, manifest: Manifest) -> int:
    with tempfile.TemporaryDirectory(prefix="ia-restore-") as folder:
        copy = Path(folder) / "backup.dump"
        copy_checked(backup, manifest, copy)
        reference = pg_reference(db, manifest.schema_version)
        check_pg(copy, reference, str(backup))
        with db.transaction(advance=False) as conn:
            before = _pg_data_version(conn)
            conn.execute(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE")
            conn.execute(f"CREATE SCHEMA {PG_SCHEMA}")
            build_schema(conn, str(backup), manifest.schema_version)
            _empty_tables(conn)  # the backup's rows replace any a migration wrote

            def setval(sequence: str, value: int, called: bool) -> None:
                conn.execute(
                    "SELECT setval(CAST(? AS regclass), ?, ?)",
                    (f"{PG_SCHEMA}.{sequence}", value, called),
                )

            pgdump.load_rows(
                copy,
                reference.layout,
                lambda header, rows: pgdump.copy_into(conn.raw, header, rows),
                setval,
            )
            schema_version, restored = _pg_meta(conn)
            if schema_version != manifest.schema_version:
                raise BackupError(
                    N_("backup.err.schema_changed"), file=str(backup), found=str(schema_version),
                    stated=str(manifest.schema_version),
                )  # fmt: skip
            version = max(before, restored) + 1
            _set_data_version(conn, version)
    return version


def _empty_tables(conn: Connection) -> None:
    names = [r[0] for r in conn.all("SELECT tablename FROM pg_tables WHERE schemaname = ?",
                                    (PG_SCHEMA,))]  # fmt: skip
    if names:
        quoted = ", ".join(f'{PG_SCHEMA}."{n.replace(chr(34), chr(34) * 2)}"' for n in names)
        conn.execute(f"TRUNCATE {quoted} RESTART IDENTITY")


def _pg_data_version(conn: Connection) -> int:
    found = conn.one("SELECT to_regclass(?) IS NOT NULL", (f"{PG_SCHEMA}.meta",))
    return read_data_version(conn) if found and found[0] else 0


def _pg_meta(conn: Connection) -> tuple[int, int]:
    rows = dict(conn.all("SELECT key, value FROM meta"))
    try:
        return int(rows.get(SCHEMA_VERSION_KEY, -1)), int(rows.get(DATA_VERSION_KEY, 0))
    except (TypeError, ValueError) as exc:
        raise BackupError(N_("backup.err.versions"), file="PostgreSQL") from exc


# -- both ---------------------------------------------------------------------------------------
def backup(db: Database, out: Path) -> BackupInfo:
    """Write a consistent copy of the whole store to ``out`` (replaced if it exists) and its
    manifest beside it.

    Parameters
    ----------
    db
        The store's database.
    out
        The backup file (SQLite: a GeoPackage; PostgreSQL: ``pg_dump`` custom format).

    Raises
    ------
    BackupError
        If the copy could not be made (``out`` is then unchanged).
    """
    try:
        if isinstance(db, SQLiteDatabase):
            return _sqlite_backup(db, out)
        assert isinstance(db, PostgresDatabase)
        return _pg_backup(db, out)
    except pgdump.DumpError as exc:
        raise BackupError(exc.message) from exc  # the same words, in every language


def describe(path: Path) -> str:
    """``sqlite`` or ``postgresql``: the kind of a backup file (by its first bytes).

    Raises
    ------
    BackupError
        If the file is neither.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise BackupError(N_("backup.err.unreadable"), file=str(path)) from exc
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PG_MAGIC):
        return "postgresql"
    raise BackupError(N_("backup.err.not_backup"), file=str(path))


def restore(db: Database, backup_file: Path) -> int:
    """Replace the whole store by a backup, in one step, after checking it.

    Parameters
    ----------
    db
        The store's database (need not exist yet).
    backup_file
        Made by :func:`backup` on the same backend, with its manifest beside it.

    Returns
    -------
    int
        The store's data version after the restore (greater than before and than the
        backup's, so every process's caches are renewed).

    Raises
    ------
    BackupError
        Not a backup of this backend, no or another manifest, changed or damaged, newer
        than this release, schema objects the atlas does not create, or the restore
        failed; the store is then unchanged.
    """
    kind = describe(backup_file)
    if kind != db.dialect:
        raise BackupError(
            N_("backup.err.backend"), file=str(backup_file), kind=kind, store=db.dialect
        )
    try:
        manifest = read_manifest(backup_file)
        if manifest.backend != kind:
            raise BackupError(N_("backup.err.other_manifest"), file=str(backup_file))
        if manifest.schema_version > newest_version():
            raise BackupError(
                N_("backup.err.too_new"), file=str(backup_file),
                found=str(manifest.schema_version), newest=str(newest_version()),
            )  # fmt: skip
        if isinstance(db, SQLiteDatabase):
            return _sqlite_restore(db, backup_file, manifest)
        assert isinstance(db, PostgresDatabase)
        return _pg_restore(db, backup_file, manifest)
    except BackupError:
        raise
    except StoreError as exc:  # a refusal of the check or of the dump programs
        raise BackupError(exc.message) from exc  # the same words, in every language


def default_name(db: Database, now: dt.datetime | None = None) -> str:
    """A file name for a backup made now: ``integrationsatlas-YYYYMMDD-HHMMSS.<ext>``."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"integrationsatlas-{stamp}.{'gpkg' if db.dialect == 'sqlite' else 'dump'}"
