"""Users and sign-in: salted hashes, uniform failures, slowed-down retries, expiring sessions."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type

from dashboard.data import users as auth
from dashboard.data.users import (
    SignInThrottled,
    Throttle,
    UserError,
    add_user,
    authenticate,
    find_user,
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
def users(tmp_path: Path) -> Path:
    path = tmp_path / "users.json"
    add_user(path, "anna", PW, "vg_editor", ["073355009"], clock=Clock())
    add_user(path, "bernd", PW, "district_editor", clock=Clock())
    return path


def _records(path: Path) -> dict[str, dict]:
    return {u["name"]: u for u in json.loads(path.read_text(encoding="utf-8"))["users"]}


def test_hashes_are_salted_argon2id_and_file_is_private(users: Path) -> None:
    records = _records(users)
    a, b = records["anna"]["password_hash"], records["bernd"]["password_hash"]
    assert a.startswith("$argon2id$") and b.startswith("$argon2id$")
    assert a != b  # same password, different salt
    assert PW not in users.read_text(encoding="utf-8")
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert records["anna"]["vgs"] == ["073355009"] and records["anna"]["created"].startswith(
        "2025-03-01T09:00"
    )


def test_user_file_operations(users: Path) -> None:
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


def test_user_file_never_inside_the_repository() -> None:
    with pytest.raises(UserError, match="nicht im Repository"):
        add_user(REPO / "users.json", "x", PW, "admin")
    assert not (REPO / "users.json").exists()


def test_users_path_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "u.json"))
    assert auth.users_path() == (tmp_path / "u.json").resolve()
    monkeypatch.delenv("INTEGRATIONSATLAS_USERS")
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(tmp_path / "var" / "s.gpkg"))
    assert auth.users_path() == (tmp_path / "var" / "users.json").resolve()


def test_sign_in(users: Path) -> None:
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
    users: Path, monkeypatch: pytest.MonkeyPatch
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


def test_repeated_failures_are_refused_with_growing_delay(users: Path) -> None:
    clock, throttle = Clock(), Throttle()
    for _ in range(5):
        assert authenticate(users, "anna", "falsch-falsch", clock=clock, throttle=throttle) is None
    with pytest.raises(SignInThrottled, match="30 Sekunden") as exc:
        authenticate(users, "anna", PW, clock=clock, throttle=throttle)  # even the right one
    assert exc.value.retry_after == 30
    clock.advance(31)
    assert authenticate(users, "anna", "noch-falsch", clock=clock, throttle=throttle) is None
    with pytest.raises(SignInThrottled) as exc:
        authenticate(users, "anna", PW, clock=clock, throttle=throttle)
    assert exc.value.retry_after == 60  # doubled
    clock.advance(61)
    assert authenticate(users, "anna", PW, clock=clock, throttle=throttle) is not None
    # success resets the name's counter
    assert authenticate(users, "anna", "falsch-falsch", clock=clock, throttle=throttle) is None
    assert authenticate(users, "anna", PW, clock=clock, throttle=throttle) is not None


def test_unknown_names_are_throttled_alike_and_per_client(users: Path) -> None:
    clock, throttle = Clock(), Throttle()
    for _ in range(5):
        authenticate(users, "niemand", "x" * 12, clock=clock, throttle=throttle)
    with pytest.raises(SignInThrottled):
        authenticate(users, "niemand", "x" * 12, clock=clock, throttle=throttle)
    for i in range(20):  # many names from one client address
        authenticate(users, f"name{i}", "x" * 12, clock=clock, client="10.0.0.7", throttle=throttle)
    with pytest.raises(SignInThrottled):
        authenticate(users, "bernd", PW, clock=clock, client="10.0.0.7", throttle=throttle)
    assert authenticate(users, "bernd", PW, clock=clock, client="10.0.0.8", throttle=throttle)


def test_throttle_counters_shared_through_file(tmp_path: Path, users: Path) -> None:
    clock = Clock()
    path = auth.throttle_path(users)
    assert path.name == "users-signin.sqlite"
    first = Throttle(path)
    for _ in range(5):
        authenticate(users, "bernd", "falsch-falsch", clock=clock, throttle=first)
    with pytest.raises(SignInThrottled):  # another process sees the same counters
        authenticate(users, "bernd", PW, clock=clock, throttle=Throttle(path))


def test_password_change(users: Path) -> None:
    set_password(users, "anna", "ganz-neues-passwort")
    throttle = Throttle()
    assert authenticate(users, "anna", PW, clock=Clock(), throttle=throttle) is None
    assert authenticate(users, "anna", "ganz-neues-passwort", clock=Clock(), throttle=throttle)


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
