"""Sign-in under attack, on both backends: parallel attempts from two processes check no
more passwords than the limit allows; a huge typed name costs the store a few bytes; a
password typed into the name field is never stored; an address over its limit leaves the
accounts alone; an account's lock is short and not extended by attempts during it.

The attempts go through :func:`dashboard.data.users.authenticate`, the function every
sign-in form calls (the browser half through nginx is ``tests/e2e/test_signin_proxy.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dashboard.data import users as auth
from dashboard.data.db import Database, SQLiteDatabase
from dashboard.data.signin_throttle import ACCOUNT_BACKOFF, CLIENT_BACKOFF, PAIR_BACKOFF
from dashboard.data.store import Store
from dashboard.data.users import SignInThrottled, Throttle, add_user, authenticate
from tests.conftest import REPO

PW = "richtig-geheim-1"
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
ATTACKER = "203.0.113.66"

#: One worker process: waits for the start file, then makes its attempts in parallel
#: threads (with the production Argon2 parameters: each check takes real time) and prints
#: one JSON line per attempt: "checked" (a wrong password), "signed_in" or "throttled".
WORKER = """
import json, os, sys, threading, time
from pathlib import Path
from dashboard.data.db import open_database
from dashboard.data.users import SignInThrottled, authenticate

location, start, n, client = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
passwords = sys.argv[5].split(",")
db = open_database(location if location.startswith("postgresql://") else Path(location))
results = []
Path(sys.argv[6]).write_text("ready")
while not start.exists():
    time.sleep(0.01)  # polling for the common start signal

def attempt(i):
    try:
        user = authenticate(db, "bernd", passwords[i % len(passwords)], client=client)
        results.append("signed_in" if user else "checked")
    except SignInThrottled:
        results.append("throttled")

threads = [threading.Thread(target=attempt, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(json.dumps(results))
"""


@pytest.fixture
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def _attempt(db: Database, name: str, password: str, clock: Clock, client: str) -> str:
    try:
        user = authenticate(db, name, password, clock=clock, client=client, throttle=Throttle(db))
    except SignInThrottled:
        return "throttled"
    return "signed_in" if user else "checked"


def test_forty_parallel_attempts_in_two_processes_check_at_most_the_limit(
    store_location: Path | str, tmp_path: Path
) -> None:
    """20 threads in each of two processes start at once, each with a wrong password: no
    more than the pair limit of passwords is checked, and the right one afterwards is
    refused unchecked. (A right password among them would rightly reset the account's
    counter at this address, as every success does.)"""
    db = Store(store_location, REPO / "datasets").db
    add_user(db, "bernd", PW, "district_editor")
    start = tmp_path / "start"
    passwords = ",".join(f"falsch-{i}-geraten" for i in range(10))
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(store_location),
                str(start),
                "20",
                ATTACKER,
                passwords,
                str(flag),
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )  # fmt: skip
        for flag in ready
    ]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready):  # both ready: one common start
        assert all(w.poll() is None for w in workers), "a worker ended before the start"
        assert time.monotonic() < deadline, "the workers did not get ready"
        time.sleep(0.05)  # polling interval
    start.write_text("go")
    results: list[str] = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        results += json.loads(out.strip().splitlines()[-1])
    assert len(results) == 40
    checked = results.count("checked")
    assert 1 <= checked <= PAIR_BACKOFF.free, results
    assert results.count("throttled") >= 40 - PAIR_BACKOFF.free
    # afterwards the address stays locked for this account, right password or not
    with pytest.raises(SignInThrottled):
        authenticate(db, "bernd", PW, client=ATTACKER)


def test_a_five_megabyte_name_does_not_grow_the_store(
    store_location: Path | str, fast_hashing: None
) -> None:
    store = Store(store_location, REPO / "datasets")
    db = store.db
    clock = Clock()
    # one ordinary failure first: a table's first row takes its first pages on PostGIS
    assert _attempt(db, "niemand", "falsch-falsch", clock, "198.51.100.200") == "checked"
    before = _size(db)
    for i in range(3):
        huge = f"{i}" + "x" * (5 * 1024 * 1024)
        assert _attempt(db, huge, "falsch-falsch", clock, f"198.51.100.{i}") == "checked"
    assert _size(db) - before < 16 * 1024
    with db.connection() as conn:
        longest = conn.one("SELECT MAX(LENGTH(key)) FROM signin_failures")[0]
    assert longest < 120  # digests, not names


def test_a_password_typed_as_name_is_never_stored(
    store_location: Path | str, fast_hashing: None
) -> None:
    db = Store(store_location, REPO / "datasets").db
    add_user(db, "bernd", PW, "district_editor")
    assert _attempt(db, PW, PW, Clock(), ATTACKER) == "checked"  # password in the name field
    assert PW not in _every_text(db)


def test_an_address_over_its_limit_leaves_the_accounts_alone(
    store_location: Path | str, fast_hashing: None
) -> None:
    """Hundreds of attempts from one address against an account that never signed in:
    the address locks itself out; the account signs in from any other address at once."""
    db = Store(store_location, REPO / "datasets").db
    add_user(db, "dora", PW, "district_editor")  # never signed in: no known address
    clock = Clock()
    outcomes = []
    for i in range(300):
        name = "dora" if i % 2 else f"rate-{i}"
        outcomes.append(_attempt(db, name, f"geraten-{i}", clock, ATTACKER))
        clock.advance(1)
    assert outcomes.count("checked") <= CLIENT_BACKOFF.free + 10  # doubling locks after
    assert _attempt(db, "dora", PW, clock, "198.51.100.20") == "signed_in"


def test_the_account_lock_is_short_and_not_extended_by_attempts_during_it(
    store_location: Path | str, fast_hashing: None
) -> None:
    db = Store(store_location, REPO / "datasets").db
    add_user(db, "dora", PW, "district_editor")
    clock = Clock()
    for i in range(ACCOUNT_BACKOFF.free):  # guessing spread over many addresses
        assert _attempt(db, "dora", "geraten!!", clock, f"198.51.100.{i}") == "checked"
    assert _attempt(db, "dora", PW, clock, "198.51.100.99") == "throttled"
    for i in range(100):  # more addresses keep trying during the lock ...
        clock.advance(ACCOUNT_BACKOFF.delay / 200)
        assert _attempt(db, "dora", "geraten!!", clock, f"192.0.2.{i}") == "throttled"
    clock.advance(ACCOUNT_BACKOFF.delay / 2 + 1)  # ... the lock ends on time all the same
    assert _attempt(db, "dora", PW, clock, "198.51.100.99") == "signed_in"


def _size(db: Database) -> int:
    """Bytes the store takes (SQLite: file and write-ahead log; PostGIS: its relations)."""
    if isinstance(db, SQLiteDatabase):
        assert db.path is not None
        return sum(
            Path(f"{db.path}{s}").stat().st_size
            for s in ("", "-wal")
            if Path(f"{db.path}{s}").exists()
        )
    with db.connection() as conn:
        row = conn.one(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'integrationsatlas' AND c.relkind IN ('r', 't', 'i')"
        )
    return int(row[0])


def _every_text(db: Database) -> str:
    """Every value of every table, as text."""
    with db.connection() as conn:
        if isinstance(db, SQLiteDatabase):
            names = [r[0] for r in conn.all("SELECT name FROM sqlite_master WHERE type='table'")]
        else:
            names = [
                r[0]
                for r in conn.all(
                    "SELECT table_name FROM information_schema.tables"
                    " WHERE table_schema = 'integrationsatlas'"
                )
            ]
        rows = [tuple(r) for name in names for r in conn.all(f"SELECT * FROM {name}")]
    assert rows  # not an empty store: the accounts are there
    return repr(rows)
