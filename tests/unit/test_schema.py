"""Schema versions on both backends: an older store is upgraded in one transaction, all or
nothing; a new one is created complete; a newer one is refused."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from dashboard.data import schema
from dashboard.data.db import Connection, SQLiteDatabase
from dashboard.data.gpkg import APPLICATION_ID, USER_VERSION
from dashboard.data.proposals import Ledger
from dashboard.data.schema import MIGRATIONS, Migration, newest_version
from dashboard.data.store import SchemaError, Store, StoreError
from dashboard.domain.model import FACILITY_FIELDS, Project
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "fixtures" / "store_v1.sql"
V3_TABLES = ("accounts", "signin_failures", "signin_known")
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
    plain = SQLiteDatabase._connect

    def tracing_connect(self: SQLiteDatabase) -> sqlite3.Connection:
        conn = plain(self)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(SQLiteDatabase, "_connect", tracing_connect)
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
    # versions add columns at the end and register new tables in gpkg_contents; version 7
    # converts each project record (tests/unit/test_projects_store.py checks it)
    for table, old in before.items():
        if table == "projects":
            continue
        new = rows(path, table)
        if table == "meta":
            new = [r for r in new if r[0] != schema.SCHEMA_VERSION_KEY]
        if table == "gpkg_contents":
            new = [r for r in new if r[0] in {o[0] for o in old}]
        width = len(old[0]) if old else 0
        assert [r[:width] for r in new] == old, table
    assert len(store.facilities()) == 29 and len(store.history()) == 5
    ledger = Ledger(store.db)
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
    # after the upgrade the file is in WAL mode: readers never wait for a writer
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
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
    def apply(conn: Connection) -> None:
        conn.execute("CREATE TABLE half_done (x INTEGER)")  # a change that must not survive
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
    schema.create(SQLiteDatabase(path), lambda conn: None)  # a second creator that lost the race
    assert path.read_bytes() == content
    assert [p.name for p in tmp_path.iterdir()] == ["s.gpkg"]


# -- the same migrations on PostgreSQL/PostGIS ---------------------------------------------------
def pg_layout(store: Store) -> dict[str, object]:
    """Tables with their columns and indexes with their definitions (schema integrationsatlas)."""
    with store.db.connection() as conn:
        cols = conn.all(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'integrationsatlas' ORDER BY table_name, ordinal_position"
        )
        idx = conn.all(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'integrationsatlas'"
            " ORDER BY indexname"
        )
    out: dict[str, object] = {}
    for table, column, kind in cols:
        out.setdefault(f"table:{table}", []).append((column, kind))  # type: ignore[union-attr]
    out.update({f"index:{name}": definition for name, definition in idx})
    return out


def sqlite_tables(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not r[0].startswith(("gpkg_", "sqlite_"))
        ]
        return {n: [r[1] for r in conn.execute(f"PRAGMA table_info({n})")] for n in names}
    finally:
        conn.close()


def test_both_backends_have_the_same_tables_and_columns(tmp_path: Path, pg_cluster) -> None:
    lite = tmp_path / "s.gpkg"
    Store(lite, DATASETS)
    pg = Store(pg_cluster.new_database(), DATASETS)
    tables = {
        name.removeprefix("table:"): [c for c, _ in cols]  # type: ignore[union-attr]
        for name, cols in pg_layout(pg).items()
        if name.startswith("table:")
    }
    assert tables == sqlite_tables(lite)
    with pg.db.connection() as conn:
        assert conn.one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == str(
            newest_version()
        )
        kinds = dict(conn.all(
            "SELECT column_name, udt_name FROM information_schema.columns"
            " WHERE table_schema = 'integrationsatlas' AND table_name = 'facilities'"
        ))  # fmt: skip
    assert kinds["geom"] == "geometry" and kinds["capacity"] == "int4"


def _legacy_projects(conn: Connection, projects: Iterable[Project], at: str) -> None:
    """The projects as releases before schema version 7 stored them: one JSON record each."""
    for p in projects:
        conn.execute("INSERT INTO projects (id, record) VALUES (?, ?)", (p.id, p.model_dump_json()))


def _v2_store(url: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A PostGIS store as the release with schema version 2 created it, with some edits."""
    import dashboard.data.projects as projects_module
    import dashboard.data.store as store_module

    with monkeypatch.context() as m:
        m.setattr(schema, "MIGRATIONS", MIGRATIONS[:2])
        m.setattr(projects_module, "seed_projects", _legacy_projects)
        # the facilities columns of that release (version 4 added ``unconfirmed``)
        m.setattr(
            store_module, "_COLUMNS", tuple(c for c in store_module._COLUMNS if c != "unconfirmed")
        )
        store = Store(url, DATASETS)
        f = store.facility("ref-821a16defc")
        store.update(f.model_copy(update={"note": "vor dem Upgrade"}), f.version, "bernd")
        Ledger(store.db).confirm("073355009", "anna", "2025-01-01T00:00:00", "aktuell")
        with store.db.connection() as conn:
            assert conn.one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == "2"
    return store


def test_postgis_store_is_upgraded_in_one_transaction(
    pg_cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_cluster.new_database()
    old = _v2_store(url, monkeypatch)
    version = old.data_version()
    before = {t: old.history() for t in ("history",)}
    store = Store(url, DATASETS)  # the newest release opens it
    assert pg_layout(store) == pg_layout(Store(pg_cluster.new_database(), DATASETS))
    assert store.data_version() == version  # an upgrade is no data change
    assert store.facility("ref-821a16defc").note == "vor dem Upgrade"
    assert store.history().equals(before["history"])
    assert Ledger(store.db).confirmations()["vg_key"].tolist() == ["073355009"]
    assert [p.statuses[0].on for p in store.projects()] == ["2013"] * 3  # version 7 converted
    with store.db.connection() as conn:
        assert conn.one("SELECT value FROM meta WHERE key = 'schema_version'")[0] == str(
            newest_version()
        )
        assert conn.one("SELECT COUNT(*) FROM accounts")[0] == 0


def test_failing_migration_leaves_postgis_unchanged(
    pg_cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pg_cluster.new_database()
    store = Store(url, DATASETS)
    layout = pg_layout(store)
    current = newest_version()
    monkeypatch.setattr(
        schema, "MIGRATIONS", (*MIGRATIONS, _failing(sqlite3.OperationalError("x")))
    )
    with pytest.raises(
        SchemaError,
        match=rf"nicht aktualisiert: Schritt {current + 1} .* \(Schema-Version {current}\)",
    ):
        Store(url, DATASETS)
    assert pg_layout(store) == layout  # no half_done table
    with store.db.connection() as conn:
        assert conn.one("SELECT value FROM meta WHERE key = 'half'") is None


def test_newer_postgis_store_is_refused(pg_cluster) -> None:
    url = pg_cluster.new_database()
    store = Store(url, DATASETS)
    with store.db.transaction(advance=False) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(
        SchemaError, match=f"Schema-Version 99.*höchstens {newest_version()}.*aktualisieren"
    ):
        Store(url, DATASETS)


def test_concurrent_creation_on_postgis_seeds_once(pg_cluster) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from dashboard.data.db import PostgresDatabase

    url = pg_cluster.new_database()
    with ThreadPoolExecutor(6) as pool:  # six processes' worth of separate connections
        stores = list(pool.map(lambda _: Store(PostgresDatabase(url), DATASETS), range(6)))
    assert {len(s.facilities()) for s in stores} == {29}
    with stores[0].db.connection() as conn:
        assert conn.one("SELECT COUNT(*) FROM handlungsfelder")[0] == 9


def test_missing_postgis_is_named(pg_cluster, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database without PostGIS, and an account that may not add it: a plain message."""
    url = pg_cluster.new_database()
    from dashboard.data.db import PostgresDatabase

    db = PostgresDatabase(url)
    with db.connection() as conn:
        conn.execute("DROP EXTENSION postgis")
        conn.execute("CREATE ROLE weak LOGIN PASSWORD 'weak-password'")
        conn.execute(f"GRANT CREATE ON DATABASE {url.rsplit('/', 1)[1]} TO weak")
    weak = url.replace("ia_test:", "weak:").replace(
        url.split(":")[2].split("@")[0], "weak-password"
    )
    with pytest.raises(SchemaError, match="PostGIS fehlt.*CREATE EXTENSION postgis"):
        Store(weak, DATASETS)
