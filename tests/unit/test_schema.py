"""Schema versions: a store of today's release is upgraded in one transaction, all or nothing."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.data import schema
from dashboard.data.gpkg import APPLICATION_ID, USER_VERSION, connect
from dashboard.data.proposals import Ledger
from dashboard.data.schema import MIGRATIONS, Migration, newest_version
from dashboard.data.store import SchemaError, Store, StoreError
from dashboard.domain.model import FACILITY_FIELDS
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "store_v1.sql"
DATASETS = REPO / "datasets"
V1_TABLES = (
    "facilities", "projects", "indicators", "handlungsfelder", "history", "meta", "proposals",
    "confirmations", "gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys",
    "sqlite_sequence",
)  # fmt: skip


def load_fixture(path: Path) -> Path:
    """The SQL dump of a store written by the release before schema versions, as a file."""
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text(encoding="utf-8"))
    conn.close()
    return path


def rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def meta(path: Path) -> dict[str, str]:
    return dict(rows(path, "meta"))


def layout(path: Path) -> dict[str, object]:
    """Tables with their columns, and indexes with their columns (not the SQL text)."""
    conn = sqlite3.connect(path)
    try:
        names = conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite_auto%'"
        ).fetchall()
        out: dict[str, object] = {}
        for kind, name, table in names:
            pragma = "table_info" if kind == "table" else "index_info"
            cols = [tuple(r) for r in conn.execute(f"PRAGMA {pragma}({name})")]
            out[f"{kind}:{name}"] = (table, cols)
        return out
    finally:
        conn.close()


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every statement the schema module runs on its connections, in order."""
    statements: list[str] = []

    def tracing_connect(path: Path) -> sqlite3.Connection:
        conn = connect(path)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(schema, "connect", tracing_connect)
    yield statements


def test_fixture_is_todays_unversioned_schema(tmp_path: Path) -> None:
    path = load_fixture(tmp_path / "v1.gpkg")
    assert schema.SCHEMA_VERSION_KEY not in meta(path)
    assert meta(path)["data_version"] == "7"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == USER_VERSION
    conn.close()


def test_v1_store_is_upgraded_in_one_transaction(tmp_path: Path, traced: list[str]) -> None:
    path = load_fixture(tmp_path / "v1.gpkg")
    before = {t: rows(path, t) for t in V1_TABLES}
    store = Store(path, DATASETS)

    begins = [s for s in traced if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"] and traced.count("COMMIT") == 1
    first, last = traced.index("BEGIN IMMEDIATE"), traced.index("COMMIT")
    writes = [
        i
        for i, s in enumerate(traced)
        if s.lstrip().startswith(("CREATE", "INSERT", "UPDATE", "DELETE"))
        or (s.startswith("PRAGMA") and "=" in s)
    ]
    assert any("CREATE INDEX" in traced[i] for i in writes)
    assert all(first < i < last for i in writes)
    assert meta(path)[schema.SCHEMA_VERSION_KEY] == str(newest_version())
    assert newest_version() >= 2

    # every row of every table is intact; meta only gained the schema version; later
    # versions add columns at the end and register new tables in gpkg_contents
    for table, old in before.items():
        new = rows(path, table)
        if table == "meta":
            new = [r for r in new if r[0] != schema.SCHEMA_VERSION_KEY]
        if table == "gpkg_contents":
            new = [r for r in new if r[0] in {o[0] for o in old}]
        width = len(old[0]) if old else 0
        assert [r[:width] for r in new] == old, table
    assert len(store.facilities()) == 29 and len(store.history()) == 5
    ledger = Ledger(path)
    assert [p.status for p in ledger.proposals()] == ["pending", "rejected"]
    assert ledger.confirmations()["vg_key"].tolist() == ["073355009"]

    # the upgrade is no data change; the next write advances the data version as before
    assert store.data_version() == 7
    f = store.facility("ref-821a16defc")
    store.update(f.model_copy(update={"note": "geprüft"}), f.version, "bernd")
    assert store.data_version() == 8

    conn = sqlite3.connect(path)
    indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {"facilities_status", "history_record_id", "confirmations_vg_key"} <= indexes
    assert conn.execute("PRAGMA user_version").fetchone()[0] == USER_VERSION  # GeoPackage 1.3
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_second_open_is_a_no_op(tmp_path: Path, traced: list[str]) -> None:
    path = load_fixture(tmp_path / "v1.gpkg")
    Store(path, DATASETS)
    content, mtime = path.read_bytes(), path.stat().st_mtime_ns
    traced.clear()
    Store(path, DATASETS)
    assert not [s for s in traced if s.startswith(("BEGIN", "CREATE", "INSERT", "UPDATE"))]
    assert path.read_bytes() == content and path.stat().st_mtime_ns == mtime


def test_upgraded_and_new_store_have_the_same_layout(tmp_path: Path) -> None:
    old = load_fixture(tmp_path / "v1.gpkg")
    Store(old, DATASETS)
    new = tmp_path / "new.gpkg"
    Store(new, DATASETS)
    assert layout(old) == layout(new)
    assert meta(new)[schema.SCHEMA_VERSION_KEY] == str(newest_version())


def test_facilities_table_has_a_column_per_model_field(tmp_path: Path) -> None:
    """A new field of the model needs a migration that adds its column."""
    path = tmp_path / "s.gpkg"
    Store(path, DATASETS)
    conn = sqlite3.connect(path)
    columns = {r[1] for r in conn.execute("PRAGMA table_info(facilities)")}
    conn.close()
    model = {f for f in FACILITY_FIELDS if f not in ("lat", "lon")}
    assert columns - {"fid", "geom", "updated_at", "updated_by"} == model


def _failing(exc: BaseException) -> Migration:
    def apply(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")  # a change that must not survive
        conn.execute("INSERT INTO meta VALUES ('half', 'done')")
        raise exc

    return Migration(newest_version() + 1, "a step that fails midway", apply)


@pytest.mark.parametrize(
    "exc", [sqlite3.OperationalError("disk I/O error"), RuntimeError("interrupted")]
)
def test_failing_migration_leaves_the_file_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    path = load_fixture(tmp_path / "v1.gpkg")
    content = path.read_bytes()
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, _failing(exc)))
    with pytest.raises((StoreError, RuntimeError)) as raised:
        Store(path, DATASETS)
    if isinstance(exc, sqlite3.Error):
        assert isinstance(raised.value, SchemaError)
        message = str(raised.value)
        assert "\n" not in message and "nicht aktualisiert" in message and "unverändert" in message
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v1.gpkg"]  # no journal left behind
    assert schema.SCHEMA_VERSION_KEY not in meta(path)


def test_failing_migration_of_a_current_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.gpkg"
    Store(path, DATASETS)
    content = path.read_bytes()
    step, current = newest_version() + 1, newest_version()
    monkeypatch.setattr(
        schema, "MIGRATIONS", (*MIGRATIONS, _failing(sqlite3.OperationalError("x")))
    )
    with pytest.raises(SchemaError, match=rf"Schritt {step} .* \(Schema-Version {current}\)"):
        Store(path, DATASETS)
    assert path.read_bytes() == content


def test_newer_store_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    Store(path, DATASETS)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    content = path.read_bytes()
    with pytest.raises(
        SchemaError, match=f"Schema-Version 99.*höchstens {newest_version()}.*aktualisieren"
    ):
        Store(path, DATASETS)
    assert path.read_bytes() == content


@pytest.mark.parametrize("kind", ["empty", "other_gpkg", "text"])
def test_a_file_that_is_no_store_is_refused(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "s.gpkg"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("kein GeoPackage\n" * 100, encoding="utf-8")
    else:
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE other (x)")
        conn.close()
    content = path.read_bytes()
    with pytest.raises(SchemaError) as raised:
        Store(path, DATASETS)
    assert "\n" not in str(raised.value) and str(path) in str(raised.value)
    assert path.read_bytes() == content


def test_new_store_is_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "var" / "s.gpkg"
        store = Store(path, DATASETS)
        f = store.facilities()[0]
        store.update(f.model_copy(update={"note": "x"}), f.version, "bernd")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == ["s.gpkg"]  # no temp file left


def test_failed_creation_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.gpkg"
    with pytest.raises(FileNotFoundError):
        Store(path, tmp_path / "no-datasets")
    assert list(tmp_path.iterdir()) == []


def test_concurrent_creation_keeps_the_first_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If another process created the store meanwhile, its file (and writes) are kept."""
    path = tmp_path / "s.gpkg"
    first = Store(path, DATASETS)
    f = first.facilities()[0]
    first.update(f.model_copy(update={"note": "erster"}), f.version, "bernd")
    content = path.read_bytes()
    schema.create(path, lambda conn: None)  # a second creator that lost the race
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["s.gpkg"]
