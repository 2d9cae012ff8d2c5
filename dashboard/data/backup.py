"""Backup and restore of the whole store (facilities, history, proposals, accounts, ...).

* SQLite: a consistent online copy with SQLite's backup API (writers may go on meanwhile;
  the copy is one snapshot), written as a self-contained GeoPackage file (no WAL beside
  it), mode ``0600``, checked with ``PRAGMA integrity_check``. Restoring copies it back
  with the same API in one step: readers see the old or the new store, never a mix.
* PostgreSQL: ``pg_dump`` in custom format of the schema ``integrationsatlas`` (PostGIS
  itself is not part of the backup). Restoring replaces the schema in ONE transaction
  (``psql --single-transaction``): if anything fails, the store is as it was.

A restore never makes caches serve old data: the data version after a restore is greater
than both the store's before and the backup's, so every process rebuilds its district
context. A backup of an older release is upgraded after the restore; one of a newer release
is refused before anything is changed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.data.db import (
    DATA_VERSION_KEY,
    PG_SCHEMA,
    PG_WRITE_LOCK,
    Database,
    PostgresDatabase,
    SQLiteDatabase,
)
from dashboard.data.errors import StoreError
from dashboard.data.gpkg import APPLICATION_ID
from dashboard.data.schema import SCHEMA_VERSION_KEY, newest_version

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
        Of the store when it was copied (``None`` where the file does not say).
    """

    path: Path
    backend: str
    size: int
    schema_version: int | None
    data_version: int | None


# -- SQLite -----------------------------------------------------------------------------------
def _sqlite_meta(conn: sqlite3.Connection, where: Path) -> tuple[int, int]:
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        rows = dict(conn.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{where} ist keine Sicherung des Integrationsatlas ({exc}).") from exc
    if app_id != APPLICATION_ID:
        raise BackupError(f"{where} ist keine Sicherung des Integrationsatlas.")
    return int(rows.get(SCHEMA_VERSION_KEY, 0)), int(rows.get(DATA_VERSION_KEY, 0))


def _check(conn: sqlite3.Connection, where: Path) -> None:
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"{where} ist beschädigt (integrity_check: {result}).")


def _sqlite_backup(db: SQLiteDatabase, out: Path) -> BackupInfo:
    assert db.path is not None
    if not db.path.exists():
        raise BackupError(f"{db.path} gibt es nicht: nichts zu sichern.")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        src = sqlite3.connect(db.path, timeout=db.timeout)
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)  # one consistent snapshot, writers are not blocked meanwhile
            dst.execute("PRAGMA journal_mode = DELETE")  # a single self-contained file
            _check(dst, out)
            schema_version, data_version = _sqlite_meta(dst, out)
        finally:
            dst.close()
            src.close()
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(out, "sqlite", out.stat().st_size, schema_version, data_version)


def _sqlite_restore(db: SQLiteDatabase, backup: Path) -> int:
    assert db.path is not None
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        _check(src, backup)
        schema_version, restored = _sqlite_meta(src, backup)
        if schema_version > newest_version():
            raise BackupError(
                f"{backup} hat Schema-Version {schema_version}, diese Programmversion kennt "
                f"höchstens {newest_version()}: bitte das Programm aktualisieren."
            )
        before = 0
        if db.path.exists():
            with db.connection() as conn:
                try:
                    row = conn.one("SELECT value FROM meta WHERE key = ?", (DATA_VERSION_KEY,))
                    before = int(row[0]) if row else 0
                except sqlite3.DatabaseError:
                    before = 0
        else:
            db.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            db.path.touch(mode=0o600)
        dst = sqlite3.connect(db.path, timeout=db.timeout)
        try:
            src.backup(dst)  # replaces the whole store in one step
        except sqlite3.OperationalError as exc:
            raise BackupError(f"{db.path} nicht wiederhergestellt: {exc}.") from exc
        finally:
            dst.close()
        os.chmod(db.path, 0o600)
    finally:
        src.close()
    return _after_restore(db, max(before, restored))


# -- PostgreSQL -------------------------------------------------------------------------------
def _pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client program ``name`` (pg_dump must not be older
    than the server)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return str(found[-1])
    which = shutil.which(name)
    if which is None:
        raise BackupError(
            f"{name} fehlt: bitte die PostgreSQL-Programme installieren (Debian: postgresql-client)."
        )
    return which


def _pg_env(db: PostgresDatabase) -> tuple[str, dict[str, str]]:
    """The connection string without password for the command line, the password in the
    environment (never visible in the process list)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = {k: str(v) for k, v in conninfo_to_dict(db.url).items() if v is not None}
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = password
    return make_conninfo(**params), env


def _run(cmd: list[str], env: dict[str, str], what: str, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(cmd, env=env, input=stdin, capture_output=True, timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError(f"{what} fehlgeschlagen: {exc}") from exc
    if result.returncode != 0:
        lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
        errors = [line.split("ERROR:", 1)[1].strip() for line in lines if "ERROR:" in line]
        detail = errors[0] if errors else (lines[-1] if lines else str(result.returncode))
        raise BackupError(f"{what} fehlgeschlagen: {detail}")
    return result.stdout


def _dumped_meta(script: bytes) -> dict[str, str]:
    """The ``meta`` rows in the SQL of a dump (``COPY ... FROM stdin`` block)."""
    text = script.decode("utf-8", "replace")
    start = text.find(f"COPY {PG_SCHEMA}.meta ")
    if start < 0:
        return {}
    body = text[text.index("\n", start) + 1 :]
    rows: dict[str, str] = {}
    for line in body.splitlines():
        if line == "\\.":
            break
        key, _, value = line.partition("\t")
        rows[key] = value
    return rows


def _pg_versions(db: PostgresDatabase) -> tuple[int, int]:
    with db.connection() as conn:
        rows = dict(conn.all("SELECT key, value FROM meta"))
    return int(rows.get(SCHEMA_VERSION_KEY, 0)), int(rows.get(DATA_VERSION_KEY, 0))


def _pg_backup(db: PostgresDatabase, out: Path) -> BackupInfo:
    schema_version, data_version = _pg_versions(db)
    conninfo, env = _pg_env(db)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _run(
            [_pg_tool("pg_dump"), "--format=custom", f"--schema={PG_SCHEMA}", "--no-owner",
             "--no-privileges", f"--file={tmp}", f"--dbname={conninfo}"],
            env, "pg_dump",
        )  # fmt: skip
        os.chmod(tmp, 0o600)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupInfo(out, "postgresql", out.stat().st_size, schema_version, data_version)


def _pg_restore(db: PostgresDatabase, backup: Path) -> int:
    conninfo, env = _pg_env(db)
    script = _run(
        [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--file=-", str(backup)],
        env, "pg_restore",
    )  # fmt: skip
    meta = _dumped_meta(script)
    if SCHEMA_VERSION_KEY not in meta:
        raise BackupError(f"{backup} ist keine Sicherung des Integrationsatlas.")
    if int(meta[SCHEMA_VERSION_KEY]) > newest_version():
        raise BackupError(
            f"{backup} hat Schema-Version {meta[SCHEMA_VERSION_KEY]}, diese Programmversion "
            f"kennt höchstens {newest_version()}: bitte das Programm aktualisieren."
        )
    with db.connection() as conn:
        if conn.one("SELECT 1 FROM pg_extension WHERE extname = 'postgis'") is None:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public")
    timeout_ms = int(db.timeout * 1000)
    prefix = f"""
SET lock_timeout = '{timeout_ms}ms';
SELECT pg_advisory_xact_lock({PG_WRITE_LOCK});
CREATE TEMP TABLE ia_restore_before (v BIGINT);
DO $$ BEGIN
  IF to_regclass('{PG_SCHEMA}.meta') IS NOT NULL THEN
    INSERT INTO ia_restore_before
      SELECT CAST(value AS BIGINT) FROM {PG_SCHEMA}.meta WHERE key = '{DATA_VERSION_KEY}';
  END IF;
END $$;
DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE;
""".encode()
    suffix = f"""
DO $$ DECLARE newest_schema INTEGER;
BEGIN
  SELECT CAST(value AS INTEGER) INTO newest_schema FROM {PG_SCHEMA}.meta
    WHERE key = '{SCHEMA_VERSION_KEY}';
  IF newest_schema > {newest_version()} THEN
    RAISE EXCEPTION 'Schema-Version % ist neuer als diese Programmversion ({newest_version()})',
      newest_schema;
  END IF;
END $$;
INSERT INTO {PG_SCHEMA}.meta (key, value)
  SELECT '{DATA_VERSION_KEY}', CAST(GREATEST(
    COALESCE((SELECT MAX(v) FROM ia_restore_before), 0),
    COALESCE((SELECT CAST(value AS BIGINT) FROM {PG_SCHEMA}.meta
              WHERE key = '{DATA_VERSION_KEY}'), 0)) + 1 AS TEXT)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value;
""".encode()
    _run(
        [_pg_tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
         "--set=ON_ERROR_STOP=1", "--file=-", f"--dbname={conninfo}"],
        env, "Wiederherstellen", stdin=prefix + script + suffix,
    )  # fmt: skip
    return db.data_version()


# -- both ---------------------------------------------------------------------------------------
def _after_restore(db: Database, floor: int) -> int:
    """Set the data version above everything any process may have cached."""
    with db.transaction(advance=False) as conn:
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
            " SET value = excluded.value",
            (DATA_VERSION_KEY, str(floor + 1)),
        )
    return floor + 1


def backup(db: Database, out: Path) -> BackupInfo:
    """Write a consistent copy of the whole store to ``out`` (replaced if it exists).

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
    if isinstance(db, SQLiteDatabase):
        return _sqlite_backup(db, out)
    assert isinstance(db, PostgresDatabase)
    return _pg_backup(db, out)


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
        raise BackupError(f"{path} kann nicht gelesen werden ({exc.strerror}).") from exc
    if head.startswith(_SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(_PG_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} ist keine Sicherung des Integrationsatlas.")


def restore(db: Database, backup_file: Path) -> int:
    """Replace the whole store by a backup, in one step.

    Parameters
    ----------
    db
        The store's database (need not exist yet).
    backup_file
        Made by :func:`backup` on the same backend.

    Returns
    -------
    int
        The store's data version after the restore (greater than before and than the
        backup's, so every process's caches are renewed).

    Raises
    ------
    BackupError
        Not a backup of this backend, damaged, newer than this release, or the restore
        failed; the store is then unchanged.
    """
    kind = describe(backup_file)
    if kind != db.dialect:
        raise BackupError(
            f"{backup_file} ist eine Sicherung für {kind}, der Speicher ist {db.dialect}: "
            "bitte die passende Sicherung wählen."
        )
    if isinstance(db, SQLiteDatabase):
        return _sqlite_restore(db, backup_file)
    assert isinstance(db, PostgresDatabase)
    return _pg_restore(db, backup_file)


def default_name(db: Database, now: dt.datetime | None = None) -> str:
    """A file name for a backup made now: ``integrationsatlas-YYYYMMDD-HHMMSS.<ext>``."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"integrationsatlas-{stamp}.{'gpkg' if db.dialect == 'sqlite' else 'dump'}"
