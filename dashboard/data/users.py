"""Users, roles and sign-in: a local user file with Argon2id hashes, slowed-down failures,
expiring sessions.

* The user file (JSON) lives outside the repository: ``INTEGRATIONSATLAS_USERS`` or
  ``users.json`` next to the store (``var/`` is git-ignored). It holds names, roles, VG keys,
  creation times and salted Argon2id hashes (``argon2-cffi``), never a password.
* A failed sign-in never says which part was wrong: an unknown name and a wrong password give
  the same result, and an unknown name is checked against a dummy hash so both take as long.
* Repeated failures are slowed down per name and per client (:class:`Throttle`): after
  five failures the name is refused for 30 s, then 60 s, 120 s, ... (at most one hour).
* A :class:`Session` expires after 8 h without activity and 12 h after sign-in at the
  latest (``INTEGRATIONSATLAS_SESSION_IDLE_MINUTES``, ``INTEGRATIONSATLAS_SESSION_MAX_MINUTES``).

A deployment may sign users in with an identity provider instead (OIDC); the user file then
only assigns roles and VGs to those names (entries without a password).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import secrets
import sqlite3
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.config import REPO_ROOT, get_settings
from dashboard.domain.roles import ACCOUNT_ROLES, ROLES, User

Clock = Callable[[], dt.datetime]

USERS_ENV = "INTEGRATIONSATLAS_USERS"
MIN_PASSWORD_LENGTH = 10
_FORMAT = "integrationsatlas-users/1"
_VG_KEY = re.compile(r"^\d{9}$")

_HASHER = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile, 16-byte random salt


class UserError(ValueError):
    """A user-file operation was refused; the message says why in plain German."""


class SignInThrottled(Exception):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            f"Zu viele fehlgeschlagene Anmeldungen. Bitte in {seconds} Sekunden erneut versuchen."
        )


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- the user file --------------------------------------------------------------------------
def users_path() -> Path:
    """Where the user file is: ``INTEGRATIONSATLAS_USERS`` or ``users.json`` beside the store.

    Returns
    -------
    pathlib.Path
        The path (the file may not exist yet).
    """
    value = os.environ.get(USERS_ENV)
    if value:
        return Path(value).expanduser().resolve()
    return get_settings().store_path.parent / "users.json"


def _check_location(path: Path) -> None:
    resolved = path.expanduser().resolve()
    if resolved.is_relative_to(REPO_ROOT) and not resolved.is_relative_to(REPO_ROOT / "var"):
        raise UserError(
            f"Die Benutzerdatei darf nicht im Repository liegen ({resolved}); "
            f"bitte {USERS_ENV} auf einen Ort außerhalb setzen."
        )


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != _FORMAT:
        raise UserError(f"{path} ist keine Benutzerdatei des Integrationsatlas.")
    return list(data["users"])


def _save(path: Path, users: list[dict[str, Any]]) -> None:
    _check_location(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps({"format": _FORMAT, "users": users}, ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.chmod(tmp, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _user(record: dict[str, Any]) -> User:
    return User(record["name"], record["role"], tuple(record.get("vgs", ())), record["created"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")


def add_user(
    path: Path,
    name: str,
    password: str | None,
    role: str,
    vgs: Iterable[str] = (),
    *,
    clock: Clock = _utc_now,
) -> User:
    """Create a user with a salted Argon2id password hash.

    Parameters
    ----------
    path
        The user file (created if missing, mode 0600; never inside the repository).
    name
        Sign-in name, unique regardless of case.
    password
        At least :data:`MIN_PASSWORD_LENGTH` characters; ``None`` for a user who signs in
        only through the identity provider (OIDC).
    role
        ``vg_editor``, ``district_editor`` or ``admin``.
    vgs
        9-digit VG keys (``vg_rs_2019``); required for ``vg_editor``.
    clock
        Source of the creation time.

    Returns
    -------
    User
        The new user (without the hash).

    Raises
    ------
    UserError
        Invalid name, role, VG keys or password, or the name is taken.
    """
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or len(name) > 128 or any(unicodedata.category(c)[0] == "C" for c in name):
        raise UserError("Der Name muss 1 bis 128 druckbare Zeichen haben.")
    if role not in ACCOUNT_ROLES:
        labels = ", ".join(f"{r} ({ROLES[r]})" for r in ACCOUNT_ROLES)
        raise UserError(f"Unbekannte Rolle {role!r}; erlaubt: {labels}.")
    keys = tuple(dict.fromkeys(v.strip() for v in vgs if v.strip()))
    bad = [v for v in keys if not _VG_KEY.match(v)]
    if bad:
        raise UserError(f"Ungültige VG-Schlüssel (9 Ziffern erwartet): {', '.join(bad)}")
    if role == "vg_editor" and not keys:
        raise UserError("Eine VG-Redaktion braucht mindestens eine Verbandsgemeinde.")
    if role != "vg_editor" and keys:
        raise UserError("Nur die VG-Redaktion wird Verbandsgemeinden zugeordnet.")
    if password is not None:
        _check_password(password)
    _check_location(path)
    users = _load(path)
    if any(_key(u["name"]) == _key(name) for u in users):
        raise UserError(f"Den Namen {name} gibt es schon.")
    record = {
        "name": name,
        "role": role,
        "vgs": list(keys),
        "created": clock().isoformat(timespec="seconds"),
        "password_hash": _HASHER.hash(password) if password is not None else None,
    }
    _save(path, [*users, record])
    return _user(record)


def remove_user(path: Path, name: str) -> None:
    """Delete a user.

    Raises
    ------
    UserError
        If there is no such user, or it is the last admin.
    """
    users = _load(path)
    keep = [u for u in users if _key(u["name"]) != _key(name)]
    if len(keep) == len(users):
        raise UserError(f"Den Benutzer {name} gibt es nicht.")
    if any(u["role"] == "admin" for u in users) and not any(u["role"] == "admin" for u in keep):
        raise UserError("Der letzte Admin kann nicht entfernt werden.")
    _save(path, keep)


def set_password(path: Path, name: str, password: str) -> None:
    """Replace a user's password (new salt, new hash).

    Raises
    ------
    UserError
        Unknown user or too short a password.
    """
    _check_password(password)
    users = _load(path)
    for u in users:
        if _key(u["name"]) == _key(name):
            u["password_hash"] = _HASHER.hash(password)
            _save(path, users)
            return
    raise UserError(f"Den Benutzer {name} gibt es nicht.")


def list_users(path: Path) -> list[User]:
    """All users, sorted by name (without hashes)."""
    return sorted((_user(u) for u in _load(path)), key=lambda u: _key(u.name))


def find_user(path: Path, name: str) -> User | None:
    """The user with this name (any case), e.g. to give an OIDC-signed-in person a role."""
    for u in _load(path):
        if _key(u["name"]) == _key(name):
            return _user(u)
    return None


# -- slowing down repeated failures -----------------------------------------------------------
@dataclass(frozen=True)
class Backoff:
    """After ``free`` failures refuse for ``delay`` seconds, doubling per further failure.

    Failures older than ``forget`` seconds are forgotten.
    """

    free: int = 5
    delay: float = 30.0
    max_delay: float = 3600.0
    forget: float = 24 * 3600.0

    def lock_for(self, failures: int) -> float:
        """Seconds to refuse after the ``failures``-th consecutive failure."""
        if failures < self.free:
            return 0.0
        return min(self.delay * 2.0 ** (failures - self.free), self.max_delay)


#: Per sign-in name.
USER_BACKOFF = Backoff()
#: Per client address: more generous, since a whole office may share one address.
CLIENT_BACKOFF = Backoff(free=20)


class Throttle:
    """Failure counters per name and per client, in a small SQLite file or in memory.

    Parameters
    ----------
    path
        SQLite file shared by all processes; ``None`` keeps the counters in this process.
    """

    def __init__(self, path: Path | None = None) -> None:
        if path is not None:
            _check_location(path)
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))  # readable by the owner only
            os.chmod(path, 0o600)
        self._conn = sqlite3.connect(
            ":memory:" if path is None else path,
            timeout=15,
            isolation_level=None,
            check_same_thread=False,
        )
        self._lock = threading.Lock()
        self._conn.execute(
            "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL,"
            " last REAL NOT NULL, locked_until REAL NOT NULL)"
        )

    @staticmethod
    def keys(name: str, client: str = "") -> list[tuple[str, Backoff]]:
        """The counters one attempt touches: the name and, if known, the client."""
        out = [("user:" + _key(name), USER_BACKOFF)]
        if client:
            out.append(("client:" + client.strip(), CLIENT_BACKOFF))
        return out

    def retry_after(self, name: str, client: str, now: dt.datetime) -> float:
        """Seconds until a sign-in may be tried again (0 when allowed)."""
        t = now.timestamp()
        wait = 0.0
        with self._lock:
            for key, _ in self.keys(name, client):
                row = self._conn.execute(
                    "SELECT locked_until FROM failures WHERE key = ?", (key,)
                ).fetchone()
                if row:
                    wait = max(wait, row[0] - t)
        return wait

    def failure(self, name: str, client: str, now: dt.datetime) -> None:
        """Count a failed sign-in and lock the counters that reached their limit."""
        t = now.timestamp()
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for key, policy in self.keys(name, client):
                    row = self._conn.execute(
                        "SELECT count, last FROM failures WHERE key = ?", (key,)
                    ).fetchone()
                    count = 1 if row is None or t - row[1] > policy.forget else row[0] + 1
                    self._conn.execute(
                        "INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?)",
                        (key, count, t, t + policy.lock_for(count)),
                    )
                self._conn.execute(
                    "DELETE FROM failures WHERE last < ? AND locked_until < ?",
                    (t - max(USER_BACKOFF.forget, CLIENT_BACKOFF.forget), t),
                )
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    def success(self, name: str) -> None:
        """Reset the name's counter (the client's counter only decays with time)."""
        with self._lock:
            self._conn.execute("DELETE FROM failures WHERE key = ?", ("user:" + _key(name),))

    def close(self) -> None:
        """Close the SQLite connection."""
        self._conn.close()


def throttle_path(users_file: Path) -> Path:
    """The counters' file beside a user file (``users.json`` → ``users-signin.sqlite``)."""
    return users_file.with_name(users_file.stem + "-signin.sqlite")


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


@lru_cache(maxsize=8)
def _shared_throttle(path: Path) -> Throttle:
    return Throttle(path)


def authenticate(
    path: Path,
    name: str,
    password: str,
    *,
    clock: Clock = _utc_now,
    client: str = "",
    throttle: Throttle | None = None,
) -> User | None:
    """Check a name and password against the user file.

    Parameters
    ----------
    path
        The user file.
    name, password
        As typed.
    clock
        Source of the current time (UTC), injectable for tests.
    client
        The client's address (e.g. ``st.context.ip_address``) for the per-client counter.
    throttle
        Failure counters; by default a SQLite file beside the user file.

    Returns
    -------
    User or None
        The user, or ``None`` for any failure: unknown name, wrong password, or an account
        without a local password. The caller shows one message for all of them.

    Raises
    ------
    SignInThrottled
        Too many recent failures for this name or this client; nothing was checked.
    """
    throttle = throttle or _shared_throttle(throttle_path(path))
    now = clock()
    wait = throttle.retry_after(name, client, now)
    if wait > 0:
        raise SignInThrottled(wait)
    users = _load(path)
    record = next((u for u in users if _key(u["name"]) == _key(name)), None)
    stored = record.get("password_hash") if record else None
    try:
        ok = _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or record is None or stored is None:
        throttle.failure(name, client, now)
        return None
    throttle.success(name)
    if _HASHER.check_needs_rehash(stored):
        record["password_hash"] = _HASHER.hash(password)
        _save(path, users)
    return _user(record)
