"""PostgreSQL connections: pooled by psycopg-pool with a health check and a maximum
lifetime, and statements sent with PostgreSQL's own parameters (``$1``), never by
substituting text on the client."""

from __future__ import annotations

import psycopg
import pytest

from dashboard.data.db import POOL_MAX_IDLE, POOL_MAX_LIFETIME, PostgresDatabase
from dashboard.data.sqltext import pg_statement
from dashboard.data.store import Store
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("written", "sent"),
    [
        ("SELECT 1 FROM t WHERE a = ? AND b = ?", "SELECT 1 FROM t WHERE a = $1 AND b = $2"),
        ("SELECT '?' || ? FROM t", "SELECT '?' || $1 FROM t"),  # a literal keeps its ?
        ("SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1"),  # a doubled quote inside
        ('SELECT "odd?name" FROM t WHERE x = ?', 'SELECT "odd?name" FROM t WHERE x = $1'),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"),
        ("SELECT /* ? */ ?", "SELECT /* ? */ $1"),
        ("DO $body$ SELECT '?' $body$", "DO $body$ SELECT '?' $body$"),
        ("SELECT note LIKE '%x%' AND n = ?", "SELECT note LIKE '%x%' AND n = $1"),  # no %%
    ],
)
def test_parameters_in_postgresql_form(written: str, sent: str) -> None:
    assert pg_statement(written) == sent


def test_literals_with_question_marks_and_percent_reach_the_server(pg_cluster) -> None:
    db = Store(pg_cluster.new_database(), REPO / "datasets").db
    with db.connection() as conn:
        row = conn.one("SELECT '50% ?' AS text, CAST(? AS INTEGER) AS n", (7,))
    assert (row["text"], row["n"]) == ("50% ?", 7)


def test_the_pool_checks_and_renews_its_connections(pg_cluster) -> None:
    db = Store(pg_cluster.new_database(), REPO / "datasets").db
    assert isinstance(db, PostgresDatabase)
    pool = db._connections()
    assert pool.max_lifetime == POOL_MAX_LIFETIME and pool.max_idle == POOL_MAX_IDLE
    with db.connection() as conn:
        pid = conn.one("SELECT pg_backend_pid()")[0]
    # the server drops the pooled connection (a restart, an administrator, a network cut)
    with psycopg.connect(pg_cluster.url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with db.connection() as conn:  # the health check replaced it: no error reaches a page
        assert conn.one("SELECT pg_backend_pid()")[0] != pid
        assert conn.one("SELECT current_schemas(false)")[0][0] == "integrationsatlas"
    db.close()
    with db.connection() as conn:  # closed pools are opened again on use
        assert conn.one("SELECT 1")[0] == 1
