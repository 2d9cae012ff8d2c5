"""Accounts and sign-in on both backends: salted hashes in the store, uniform failures,
slowed-down retries without lock-out of the real user, legacy user files, expiring sessions."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from dashboard.data import users as auth
from dashboard.data.db import Database
from dashboard.data.store import Store
from dashboard.data.users import (
    SignInThrottled,
    Throttle,
    UserError,
    add_user,
    authenticate,
    find_user,
    import_legacy_file,
    list_users,
    remove_user,
    set_password,
)
from dashboard.domain.roles import User
from dashboard.services.signin import Session, start_session
from tests.conftest import REPO

T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
PW = "richtig-geheim-1"
PRODUCTION_HASHER = auth._HASHER


@pytest.fixture(autouse=True)
def _fast_hashing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Cheap Argon2id parameters keep the tests fast; production ones are checked below."""
    monkeypatch.setattr(
        auth, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    auth._dummy_hash.cache_clear()
    yield
    auth._dummy_hash.cache_clear()


def test_production_hasher_is_argon2id_with_strong_parameters() -> None:
    assert PRODUCTION_HASHER.type is Type.ID
    assert PRODUCTION_HASHER.memory_cost >= 19 * 1024 and PRODUCTION_HASHER.time_cost >= 2
    assert PRODUCTION_HASHER.salt_len >= 16


class Clock:
    """A settable clock for tests."""

    def __init__(self, now: dt.datetime = T0) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def users(store_location: Path | str) -> Database:
    db = Store(store_location, REPO / "datasets").db
    add_user(db, "anna", PW, "vg_editor", ["073355009"], clock=Clock())
    add_user(db, "bernd", PW, "district_editor", clock=Clock())
    return db


def _hashes(db: Database) -> dict[str, str]:
    with db.connection() as conn:
        return {r[0]: r[1] for r in conn.all("SELECT name, password_hash FROM accounts")}


def test_hashes_are_salted_argon2id_in_the_store(users: Database) -> None:
    hashes = _hashes(users)
    a, b = hashes["anna"], hashes["bernd"]
    assert a.startswith("$argon2id$") and b.startswith("$argon2id$")
    assert a != b  # same password, different salt
    with users.connection() as conn:
        dump = repr([tuple(r) for r in conn.all("SELECT * FROM accounts")])
    assert PW not in dump
    anna = find_user(users, "anna")
    assert anna is not None and anna.vgs == ("073355009",)
    assert anna.created.startswith("2025-03-01T09:00")


def test_accounts_do_not_advance_the_data_version(users: Database) -> None:
    """Accounts and sign-in counters are no district data: caches stay valid."""
    before = users.data_version()
    add_user(users, "carla", PW, "admin")
    authenticate(users, "carla", "falsch-falsch", clock=Clock(), throttle=Throttle(users))
    assert users.data_version() == before


def test_user_operations(users: Database) -> None:
    assert [u.name for u in list_users(users)] == ["anna", "bernd"]
    assert find_user(users, "ANNA") == User("anna", "vg_editor", ("073355009",), T0.isoformat())
    assert list_users(users)[0].role_label == "VG-Redaktion"
    with pytest.raises(UserError, match="gibt es schon"):
        add_user(users, "Anna", PW, "admin")
    with pytest.raises(UserError, match="Rolle"):
        add_user(users, "carla", PW, "public")
    with pytest.raises(UserError, match="mindestens eine"):
        add_user(users, "carla", PW, "vg_editor")
    with pytest.raises(UserError, match="9 Ziffern"):
        add_user(users, "carla", PW, "vg_editor", ["Weilerbach"])
    with pytest.raises(UserError, match="mindestens 10 Zeichen"):
        add_user(users, "carla", "kurz", "admin")
    add_user(users, "carla", PW, "admin")
    with pytest.raises(UserError, match="letzte Admin"):
        remove_user(users, "carla")
    remove_user(users, "anna")
    assert find_user(users, "anna") is None
    with pytest.raises(UserError, match="gibt es nicht"):
        remove_user(users, "anna")


def test_concurrent_adds_keep_every_account(users: Database) -> None:
    """Ten adds at once (threads here; processes in test_many_users) give ten accounts."""
    names = [f"parallel{i}" for i in range(10)]
    with ThreadPoolExecutor(10) as pool:
        list(pool.map(lambda n: add_user(users, n, PW, "district_editor"), names))
    assert {u.name for u in list_users(users)} >= set(names)
    assert len(list_users(users)) == 12


def test_users_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "u.json"))
    assert auth.users_path() == (tmp_path / "u.json").resolve()
    monkeypatch.delenv("INTEGRATIONSATLAS_USERS")
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(tmp_path / "var" / "s.gpkg"))
    assert auth.users_path() == (tmp_path / "var" / "users.json").resolve()


def _legacy_file(path: Path) -> Path:
    """A user file as the release before accounts in the store wrote it."""
    hasher = auth._HASHER
    users = [
        {"name": "alt.admin", "role": "admin", "vgs": [], "created": "2024-01-02T03:04:05+00:00",
         "password_hash": hasher.hash(PW)},
        {"name": "alt.vg", "role": "vg_editor", "vgs": ["073355009"],
         "created": "2024-01-02T03:04:05+00:00", "password_hash": hasher.hash(PW)},
        {"name": "oidc@example.org", "role": "district_editor", "vgs": [],
         "created": "2024-01-02T03:04:05+00:00", "password_hash": None},
    ]  # fmt: skip
    text = json.dumps({"format": "integrationsatlas-users/1", "users": users})
    path.write_text(text, encoding="utf-8")
    return path


def test_legacy_user_file_is_imported_once(users: Database, tmp_path: Path) -> None:
    legacy = _legacy_file(tmp_path / "users.json")
    content = legacy.read_bytes()
    assert import_legacy_file(users, legacy) == 3
    assert find_user(users, "ALT.VG") == User(
        "alt.vg", "vg_editor", ("073355009",), "2024-01-02T03:04:05+00:00"
    )
    assert authenticate(users, "alt.admin", PW, clock=Clock(), throttle=Throttle()) is not None
    assert authenticate(users, "oidc@example.org", "", clock=Clock(), throttle=Throttle()) is None
    remove_user(users, "alt.vg")  # an admin's later change is not undone by a restart
    assert import_legacy_file(users, legacy) == 0
    assert find_user(users, "alt.vg") is None
    assert legacy.read_bytes() == content  # read, never written
    bad = tmp_path / "other.json"
    bad.write_text('{"format": "something-else", "users": []}', encoding="utf-8")
    fresh = Store(tmp_path / "fresh.gpkg", REPO / "datasets").db
    with pytest.raises(UserError, match="keine Benutzerdatei"):
        import_legacy_file(fresh, bad)


def test_sign_in(users: Database) -> None:
    user = authenticate(users, "Anna", PW, clock=Clock(), throttle=Throttle())
    assert user is not None and user.name == "anna" and user.vgs == ("073355009",)


class _SpyHasher:
    def __init__(self, real: object) -> None:
        self.real, self.verified = real, []

    def verify(self, hash: str, password: str) -> bool:
        self.verified.append(hash)
        return self.real.verify(hash, password)  # type: ignore[attr-defined]

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)


def test_wrong_password_and_unknown_user_look_the_same(
    users: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = _SpyHasher(auth._HASHER)
    monkeypatch.setattr(auth, "_HASHER", spy)
    throttle = Throttle()
    wrong = authenticate(users, "anna", "falsch-falsch", clock=Clock(), throttle=throttle)
    unknown = authenticate(users, "niemand", PW, clock=Clock(), throttle=throttle)
    assert wrong is None and unknown is None
    # both ran one full Argon2 verification (the unknown name against a dummy hash)
    assert len(spy.verified) == 2 and all(h.startswith("$argon2id$") for h in spy.verified)
    # an account without a local password (OIDC only) cannot sign in locally either
    add_user(users, "oidc@example.org", None, "district_editor")
    assert authenticate(users, "oidc@example.org", "", clock=Clock(), throttle=throttle) is None


OFFICE, HOME, STRANGER = "10.0.0.8", "10.0.0.9", "203.0.113.66"


def test_repeated_failures_are_refused_with_growing_delay(users: Database) -> None:
    clock, throttle = Clock(), Throttle(users)
    for _ in range(5):
        assert authenticate(users, "anna", "falsch-falsch", clock=clock, client=OFFICE,
                            throttle=throttle) is None  # fmt: skip
    with pytest.raises(SignInThrottled, match="30 Sekunden") as exc:
        authenticate(users, "anna", PW, clock=clock, client=OFFICE, throttle=throttle)
    assert exc.value.retry_after == 30
    clock.advance(31)
    assert authenticate(users, "anna", "noch-falsch", clock=clock, client=OFFICE,
                        throttle=throttle) is None  # fmt: skip
    with pytest.raises(SignInThrottled) as exc:
        authenticate(users, "anna", PW, clock=clock, client=OFFICE, throttle=throttle)
    assert exc.value.retry_after == 60  # doubled
    clock.advance(61)
    assert authenticate(users, "anna", PW, clock=clock, client=OFFICE, throttle=throttle)
    # success resets the account's counter at that address
    assert authenticate(users, "anna", "falsch-falsch", clock=clock, client=OFFICE,
                        throttle=throttle) is None  # fmt: skip
    assert authenticate(users, "anna", PW, clock=clock, client=OFFICE, throttle=throttle)


def test_a_stranger_cannot_lock_the_real_user_out(users: Database) -> None:
    """Hundreds of wrong passwords for a known account from elsewhere: the stranger is
    locked out, the real user at the usual address signs in at once."""
    clock, throttle = Clock(), Throttle(users)
    assert authenticate(users, "bernd", PW, clock=clock, client=OFFICE, throttle=throttle)
    for i in range(200):
        try:
            authenticate(users, "bernd", f"geraten-{i:04d}", clock=clock, client=STRANGER,
                         throttle=throttle)  # fmt: skip
        except SignInThrottled:
            pass
        clock.advance(1)
    with pytest.raises(SignInThrottled):
        authenticate(users, "bernd", PW, clock=clock, client=STRANGER, throttle=throttle)
    assert authenticate(users, "bernd", PW, clock=clock, client=OFFICE, throttle=throttle)


def test_guessing_from_many_addresses_is_slowed_for_unknown_addresses(users: Database) -> None:
    clock, throttle = Clock(), Throttle(users)
    assert authenticate(users, "bernd", PW, clock=clock, client=OFFICE, throttle=throttle)
    for i in range(10):  # each guess from a new address: no per-address counter fills up
        authenticate(users, "bernd", "geraten!!!", clock=clock, client=f"198.51.100.{i}",
                     throttle=throttle)  # fmt: skip
    with pytest.raises(SignInThrottled) as exc:  # the account is slowed for new addresses ...
        authenticate(users, "bernd", PW, clock=clock, client="198.51.100.99", throttle=throttle)
    assert exc.value.retry_after <= 300
    with pytest.raises(SignInThrottled):  # ... the real user's first visit from home too,
        authenticate(users, "bernd", PW, clock=clock, client=HOME, throttle=throttle)
    # ... but never at the address where the account signed in before
    assert authenticate(users, "bernd", PW, clock=clock, client=OFFICE, throttle=throttle)
    clock.advance(301)  # and only for minutes
    assert authenticate(users, "bernd", PW, clock=clock, client=HOME, throttle=throttle)


def test_unknown_names_are_throttled_alike_and_per_client(users: Database) -> None:
    clock, throttle = Clock(), Throttle()
    for _ in range(5):
        authenticate(users, "niemand", "x" * 12, clock=clock, client=STRANGER, throttle=throttle)
    with pytest.raises(SignInThrottled):
        authenticate(users, "niemand", "x" * 12, clock=clock, client=STRANGER, throttle=throttle)
    for i in range(20):  # many names from one client address
        authenticate(users, f"name{i}", "x" * 12, clock=clock, client="10.0.0.7", throttle=throttle)
    with pytest.raises(SignInThrottled):
        authenticate(users, "bernd", PW, clock=clock, client="10.0.0.7", throttle=throttle)
    assert authenticate(users, "bernd", PW, clock=clock, client=OFFICE, throttle=throttle)


def test_throttle_counters_shared_through_the_store(users: Database) -> None:
    clock = Clock()
    for _ in range(5):
        authenticate(users, "bernd", "falsch-falsch", clock=clock, client=STRANGER,
                     throttle=Throttle(users))  # fmt: skip
    with pytest.raises(SignInThrottled):  # another process sees the same counters
        authenticate(users, "bernd", PW, clock=clock, client=STRANGER)


def test_password_change(users: Database) -> None:
    set_password(users, "anna", "ganz-neues-passwort")
    throttle = Throttle()
    assert authenticate(users, "anna", PW, clock=Clock(), throttle=throttle) is None
    assert authenticate(users, "anna", "ganz-neues-passwort", clock=Clock(), throttle=throttle)
    with pytest.raises(UserError, match="gibt es nicht"):
        set_password(users, "niemand", "ganz-neues-passwort")


def test_many_users_add_in_parallel(tmp_path: Path, store_location: Path | str) -> None:
    """``users add`` ten times at once, as ten processes: ten accounts."""
    Store(store_location, REPO / "datasets")
    env = {**os.environ, "INTEGRATIONSATLAS_USERS": str(tmp_path / "none.json")}
    if isinstance(store_location, str):
        env["INTEGRATIONSATLAS_DATABASE_URL"] = store_location
    else:
        env["INTEGRATIONSATLAS_STORE"] = str(store_location)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "dashboard",
                "users",
                "add",
                f"person{i}",
                "--role",
                "district_editor",
                "--password-stdin",
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for i in range(10)
    ]
    results = [p.communicate(PW + "\n", timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0] * 10, results
    listed = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "list"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    names = {line.split("\t")[0] for line in listed.stdout.splitlines()}
    assert names == {f"person{i}" for i in range(10)}


def test_session_expires_idle_and_absolute() -> None:
    user = User("anna", "vg_editor", ("073355009",))
    session = start_session(user, T0)
    assert session.is_valid(T0 + dt.timedelta(hours=7, minutes=59))
    assert not session.is_valid(T0 + dt.timedelta(hours=8))  # idle
    hour = dt.timedelta(hours=1)
    for h in range(1, 12):
        session = session.touch(T0 + h * hour)
    assert session.is_valid(T0 + dt.timedelta(hours=11, minutes=59))
    assert not session.is_valid(T0 + dt.timedelta(hours=12))  # absolute, despite activity
    with pytest.raises(PermissionError, match="abgelaufen"):
        session.touch(T0 + dt.timedelta(hours=12))


def test_session_lifetimes_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRATIONSATLAS_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("INTEGRATIONSATLAS_SESSION_MAX_MINUTES", "60")
    session = start_session(User("bernd", "district_editor"), T0)
    assert isinstance(session, Session) and session.expires == T0 + dt.timedelta(minutes=15)
    assert not session.is_valid(T0 + dt.timedelta(minutes=15))
    monkeypatch.setenv("INTEGRATIONSATLAS_SESSION_IDLE_MINUTES", "nie")
    with pytest.raises(ValueError, match="ganze Minuten"):
        start_session(User("bernd", "district_editor"), T0)
