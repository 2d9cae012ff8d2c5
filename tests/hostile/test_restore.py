"""A restore restores data, never code: a backup with objects the atlas does not create is
refused before anything changes, on both backends.

Each hostile backup is made by code: a store gets one foreign object (the trigger that
made an admin during a restore, or after one anonymous failed sign-in; a view; a table;
an index; a function; a changed column), then it is backed up with the atlas's own
``backup``, so its manifest and checksum are valid: only the schema check can refuse it.
A file changed after the backup, or one without manifest, is refused by the checksum.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from dashboard.data.backup import BackupError, backup, manifest_path, restore
from dashboard.data.db import Database, SQLiteDatabase
from dashboard.data.store import Store
from dashboard.data.users import Throttle, add_user, authenticate, list_users
from tests.conftest import REPO
from tests.unit.test_backup import tables, without_data_version

DATASETS = REPO / "datasets"
PW = "sicher-genug-1"

#: The account a planted trigger would create.
MALLORY = (
    "INSERT INTO accounts (name_key, name, role, vgs, created, password_hash)"
    " VALUES ('mallory', 'mallory', 'admin', '', '2025-01-01', NULL)"
)

#: Foreign objects, written for each backend: (SQLite statements, PostgreSQL statements).
CASES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "trigger on meta (fires during a restore)": (
        (f"CREATE TRIGGER restore_admin AFTER INSERT ON meta BEGIN {MALLORY}; END",),
        (
            "CREATE FUNCTION restore_admin() RETURNS trigger LANGUAGE plpgsql AS"
            f" $$ BEGIN {MALLORY} ON CONFLICT DO NOTHING; RETURN NEW; END $$",
            "CREATE TRIGGER restore_admin AFTER INSERT OR UPDATE ON meta"
            " FOR EACH ROW EXECUTE FUNCTION restore_admin()",
        ),
    ),
    "trigger on a failed sign-in": (
        (
            "CREATE TRIGGER signin_admin AFTER INSERT ON signin_failures BEGIN"
            " UPDATE accounts SET role = 'admin' WHERE role = 'vg_editor'; END",
        ),
        (
            "CREATE FUNCTION signin_admin() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN UPDATE accounts SET role = 'admin' WHERE role = 'vg_editor';"
            " RETURN NEW; END $$",
            "CREATE TRIGGER signin_admin AFTER INSERT ON signin_failures"
            " FOR EACH ROW EXECUTE FUNCTION signin_admin()",
        ),
    ),
    "view": (
        ("CREATE VIEW every_hash AS SELECT name, password_hash FROM accounts",),
        ("CREATE VIEW every_hash AS SELECT name, password_hash FROM accounts",),
    ),
    "table": (
        ("CREATE TABLE extra (payload TEXT)",),
        ("CREATE TABLE extra (payload TEXT)",),
    ),
    "index": (
        ("CREATE INDEX accounts_role ON accounts (role)",),
        ("CREATE INDEX accounts_role ON accounts (role)",),
    ),
    "function": (
        # SQLite has no stored functions: a generated column computes on every read
        ("ALTER TABLE accounts ADD COLUMN shown TEXT GENERATED ALWAYS AS (upper(name))",),
        ("CREATE FUNCTION harmless() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$",),
    ),
    "changed column": (
        ("ALTER TABLE accounts ADD COLUMN note TEXT",),
        ("ALTER TABLE accounts ADD COLUMN note TEXT",),
    ),
}


def _store(location: Path | str) -> Store:
    store = Store(location, DATASETS)
    add_user(store.db, "vera", PW, "vg_editor", ["073355009"])
    add_user(store.db, "carla", PW, "admin")
    return store


def _plant(db: Database, statements: tuple[str, ...]) -> None:
    """Add foreign objects to a store, as someone with access to its file or database could."""
    if isinstance(db, SQLiteDatabase):
        assert db.path is not None
        conn = sqlite3.connect(db.path)
        try:
            for statement in statements:
                conn.execute(statement)
            conn.commit()
        finally:
            conn.close()
        return
    with db.transaction(advance=False) as conn:
        for statement in statements:
            conn.execute(statement)


def _roles(db: Database) -> dict[str, str]:
    return {u.name: u.role for u in list_users(db)}


@pytest.mark.parametrize("case", list(CASES))
def test_a_backup_with_a_foreign_object_is_refused(
    case: str, backend: str, new_store_location, tmp_path: Path
) -> None:
    target = _store(new_store_location())
    before = tables(target.db)
    hostile = _store(new_store_location())
    lite, pg = CASES[case]
    _plant(hostile.db, lite if backend == "sqlite" else pg)
    made = backup(hostile.db, tmp_path / "sicherung")
    assert manifest_path(made.path).exists()  # a valid manifest: only the schema check is left

    with pytest.raises(BackupError, match="Schema-Objekte") as refused:
        restore(target.db, made.path)
    assert "Nichts wurde geändert" in str(refused.value)
    assert tables(target.db) == before  # nothing changed, not even the data version
    # the planted code did not come along: a failed sign-in makes nobody an admin
    authenticate(target.db, "vera", "falsch-falsch", client="203.0.113.9",
                 throttle=Throttle(target.db))  # fmt: skip
    assert _roles(target.db) == {"vera": "vg_editor", "carla": "admin"}


def test_a_changed_file_is_refused_by_its_checksum(
    backend: str, new_store_location, tmp_path: Path
) -> None:
    target = _store(new_store_location())
    before = tables(target.db)
    made = backup(_store(new_store_location()).db, tmp_path / "sicherung")
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit somewhere in the middle
    made.path.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="Prüfsumme"):
        restore(target.db, made.path)
    made.path.write_bytes(bytes(data) + b"\0")  # and one byte more
    with pytest.raises(BackupError, match="Prüfsumme"):
        restore(target.db, made.path)
    assert tables(target.db) == before


def test_a_backup_without_or_with_a_forged_manifest_is_refused(
    backend: str, new_store_location, tmp_path: Path
) -> None:
    target = _store(new_store_location())
    before = tables(target.db)
    made = backup(_store(new_store_location()).db, tmp_path / "sicherung")
    manifest = manifest_path(made.path)
    good = manifest.read_text(encoding="utf-8")
    forged = {
        "no manifest": None,
        "not JSON": "{",
        "another format": json.dumps({**json.loads(good), "format": "x/1"}),
        "a short checksum": json.dumps({**json.loads(good), "sha256": "ab"}),
        "a newer schema": json.dumps({**json.loads(good), "schema_version": 999}),
        "another backend": json.dumps(
            {**json.loads(good), "backend": "postgresql" if backend == "sqlite" else "sqlite"}
        ),
        "a huge manifest": " " * 100_000,
    }
    for label, text in forged.items():
        if text is None:
            manifest.unlink()
        else:
            manifest.write_text(text, encoding="utf-8")
        with pytest.raises(BackupError):
            restore(target.db, made.path)
        assert tables(target.db) == before, label
    manifest.write_text(good, encoding="utf-8")
    restore(target.db, made.path)  # the real manifest: restored
    assert without_data_version(tables(target.db)) != without_data_version(before)


def test_a_clean_backup_round_trips_identically(
    backend: str, new_store_location, tmp_path: Path
) -> None:
    source = _store(new_store_location())
    authenticate(source.db, "vera", "falsch-falsch", client="203.0.113.9",
                 throttle=Throttle(source.db))  # fmt: skip
    expected = tables(source.db)
    made = backup(source.db, tmp_path / "sicherung")
    target = _store(new_store_location())
    add_user(target.db, "dora", PW, "district_editor")  # replaced by the backup
    restore(target.db, made.path)
    assert without_data_version(tables(target.db)) == without_data_version(expected)
    assert _roles(target.db) == {"vera": "vg_editor", "carla": "admin"}


def test_an_upgraded_store_of_an_earlier_release_passes_the_check(tmp_path: Path) -> None:
    """A store created before schema versions (other SQL text, same definitions) and
    upgraded since: its backup compares equal to the reference and restores."""
    from tests.unit.test_schema import load_fixture

    old = load_fixture(tmp_path / "alt.gpkg")
    Store(old, DATASETS)
    made = backup(SQLiteDatabase(old), tmp_path / "sicherung.gpkg")
    target = _store(tmp_path / "ziel.gpkg")
    restore(target.db, made.path)
    assert without_data_version(tables(target.db)) == without_data_version(
        tables(SQLiteDatabase(old))
    )
