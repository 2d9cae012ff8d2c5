"""Backup and restore on both backends: backup -> wipe -> restore gives identical tables;
a restore replaces a changed store in one step; a bad backup changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.data.backup import BackupError, backup, manifest_path, restore
from dashboard.data.db import Database, PostgresDatabase, SQLiteDatabase
from dashboard.data.proposals import Ledger
from dashboard.data.store import Change, Store
from dashboard.data.users import Throttle, add_user, authenticate
from dashboard.domain.model import Facility
from tests.conftest import REPO

DATASETS = REPO / "datasets"
PW = "sicher-genug-1"


def tables(db: Database) -> dict[str, list[tuple]]:
    """Every table of the store with all its rows, in a stable order."""
    with db.connection() as conn:
        if isinstance(db, SQLiteDatabase):
            names = [r[0] for r in conn.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
        else:
            names = [
                r[0]
                for r in conn.all(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'integrationsatlas'"
                )
            ]
        out = {}
        for name in sorted(names):
            rows = [tuple(r) for r in conn.all(f"SELECT * FROM {name}")]
            out[name] = sorted(rows, key=repr)
    return out


def without_data_version(snapshot: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    return {
        name: [r for r in rows if not (name == "meta" and r[0] == "data_version")]
        for name, rows in snapshot.items()
    }


def _used_store(location: Path | str) -> Store:
    """A store with every kind of row: edits, history, proposals, confirmations, accounts,
    sign-in counters."""
    store = Store(location, DATASETS)
    f = store.facilities()[0]
    store.update(
        f.model_copy(update={"note": "gesichert"}), f.version, "bernd", "vor der Sicherung"
    )
    store.apply(
        [Change(Facility(id="sicherung-1", name="Test-Treff Sicherung", category="Verein",
                         source="Testdaten", reference_date=dt.date(2025, 1, 1),
                         lat=49.4131, lon=7.5703, precision="address"))],
        "bernd",
    )  # fmt: skip
    ledger = Ledger(store.db)
    ledger.confirm("073355009", "anna", "2025-02-01T10:00:00", "aktuell")
    current = store.facilities()[1]
    ledger.add_proposal(
        "change", current.model_copy(update={"operator": "Vorschlag"}), current.version,
        "073355009", "anna", "2025-02-01T10:05:00", "bitte ändern", current,
    )  # fmt: skip
    add_user(store.db, "carla", PW, "admin")
    authenticate(store.db, "carla", "falsch-falsch", client="10.0.0.5", throttle=Throttle(store.db))
    return store


def _env(location: Path | str, tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "INTEGRATIONSATLAS_USERS": str(tmp_path / "no-users.json")}
    if isinstance(location, str):
        env["INTEGRATIONSATLAS_DATABASE_URL"] = location
    else:
        env["INTEGRATIONSATLAS_STORE"] = str(location)
    return env


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _wipe(store: Store) -> None:
    if isinstance(store.db, SQLiteDatabase):
        assert store.path is not None
        for suffix in ("", "-wal", "-shm"):
            Path(f"{store.path}{suffix}").unlink(missing_ok=True)
    else:
        with store.db.connection() as conn:
            conn.execute("DROP SCHEMA integrationsatlas CASCADE")


def test_backup_wipe_restore_gives_identical_tables(
    store_location: Path | str, tmp_path: Path
) -> None:
    store = _used_store(store_location)
    before = tables(store.db)
    assert len(before["accounts"]) == 1 and len(before["proposals"]) == 1
    assert before["signin_failures"] and len(before["history"]) >= 3
    env = _env(store_location, tmp_path)

    out = tmp_path / "backups"
    out.mkdir()
    made = _cli(["backup", "--out", str(out)], env)
    assert made.returncode == 0, made.stderr
    [file] = [f for f in out.iterdir() if not f.name.endswith(".manifest.json")]
    manifest = json.loads(manifest_path(file).read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()
    assert manifest["size"] == file.stat().st_size and manifest["file"] == file.name
    for made_file in (file, manifest_path(file)):
        assert oct(made_file.stat().st_mode & 0o777) == "0o600"
    assert tables(store.db) == before  # a backup changes nothing

    _wipe(store)
    refused = _cli(["restore", str(file)], env)  # no confirmation: nothing happens
    assert refused.returncode == 2 and "--yes" in refused.stderr
    restored = _cli(["restore", str(file), "--yes"], env)
    assert restored.returncode == 0, restored.stderr

    after = tables(store.db)
    assert without_data_version(after) == without_data_version(before)
    assert store.data_version() > int(dict(before["meta"])["data_version"])
    assert len(Store(store_location, DATASETS).facilities()) == 30


def test_restore_replaces_a_changed_store_in_one_step(store_location: Path | str,
                                                      tmp_path: Path) -> None:  # fmt: skip
    store = _used_store(store_location)
    before = tables(store.db)
    info = backup(store.db, tmp_path / "sicherung")
    assert info.data_version == store.data_version()
    # life goes on: another facility, another account, a removed record
    f = store.facility("sicherung-1")
    store.update(f.model_copy(update={"status": "closed"}), f.version, "bernd")
    add_user(store.db, "dora", PW, "district_editor")
    version = store.data_version()

    after_version = restore(store.db, tmp_path / "sicherung")
    assert after_version > version  # every process's cache is renewed
    assert without_data_version(tables(store.db)) == without_data_version(before)
    assert store.facility("sicherung-1").status == "active"


def test_a_bad_backup_changes_nothing(store_location: Path | str, tmp_path: Path) -> None:
    store = _used_store(store_location)
    before = tables(store.db)
    text = tmp_path / "notiz.txt"
    text.write_text("keine Sicherung\n", encoding="utf-8")
    with pytest.raises(BackupError, match="keine Sicherung"):
        restore(store.db, text)
    other = tmp_path / "other.gpkg"  # a backup of the other backend
    if isinstance(store.db, SQLiteDatabase):
        other.write_bytes(b"PGDMP" + b"\0" * 100)
    else:
        backup(Store(tmp_path / "lite.gpkg", DATASETS).db, other)
    with pytest.raises(BackupError, match="passende Sicherung"):
        restore(store.db, other)
    assert tables(store.db) == before


def test_a_backup_of_a_newer_release_is_refused(
    store_location: Path | str, new_store_location, tmp_path: Path
) -> None:
    store = _used_store(store_location)
    before = tables(store.db)
    newer = Store(new_store_location(), DATASETS)
    with newer.db.transaction(advance=False) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    backup(newer.db, tmp_path / "neuer")
    with pytest.raises(BackupError, match="(Schema-Version 99|neuer als)"):
        restore(store.db, tmp_path / "neuer")
    assert tables(store.db) == before


def test_backup_is_consistent_while_writers_go_on(tmp_path: Path) -> None:
    """SQLite's online backup copies one snapshot; a writer in another connection is not
    blocked for the whole copy and the copy passes the integrity check."""
    store = _used_store(tmp_path / "s.gpkg")
    info = backup(store.db, tmp_path / "copy.gpkg")
    conn = sqlite3.connect(info.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        assert conn.execute("SELECT COUNT(*) FROM facilities").fetchone()[0] == 30
    finally:
        conn.close()
    # the backup is itself a GeoPackage that GIS programs open
    import pyogrio

    assert dict(pyogrio.list_layers(info.path))["facilities"] == "Point"


def test_pg_backup_keeps_the_password_off_the_command_line(pg_cluster, tmp_path: Path,
                                                           monkeypatch) -> None:  # fmt: skip
    from dashboard.data import pgdump

    seen: list[list[str]] = []
    real = pgdump.run

    def spy(cmd: list[str], env: dict[str, str], what: str) -> bytes:
        seen.append(cmd)
        return real(cmd, env, what)

    monkeypatch.setattr(pgdump, "run", spy)
    url = pg_cluster.new_database()
    store = Store(url, DATASETS)
    password = url.split(":")[2].split("@")[0]
    backup(store.db, tmp_path / "x.dump")
    restore(store.db, tmp_path / "x.dump")
    assert seen and not any(password in " ".join(cmd) for cmd in seen)
    assert isinstance(store.db, PostgresDatabase)
