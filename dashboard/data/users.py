"""Accounts, roles and sign-in: Argon2id hashes in the store's database, throttled failures.

* Accounts live in the store's database (table ``accounts``, schema version 3), SQLite or
  PostgreSQL: every process and every host of a deployment shares them, and concurrent
  changes are transactions (ten parallel ``users add`` give ten accounts). An account
  holds name, role, VG keys, creation time and a salted Argon2id hash (``argon2-cffi``),
  never a password.
* The JSON user file of earlier releases (``INTEGRATIONSATLAS_USERS``, default
  ``users.json`` beside the store) is imported once into a store that has not imported
  one (:func:`import_legacy_file`); it is never written again.
* A failed sign-in never says which part was wrong: an unknown name and a wrong password
  give the same result, and an unknown name is checked against a dummy hash so both take
  as long.
* Attempts are counted before the password is checked (:class:`Throttle`, counters in
  the database, shared by all processes): per client address first, then per account at
  that address, then per account across addresses; a stranger cannot lock a known
  account out for the real user. Typed names are bounded and kept only as digests.

A deployment may sign users in with an identity provider instead (OIDC); the accounts
then only assign roles and VGs to those names (accounts without a password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.config import get_settings
from dashboard.data.db import Connection, Database, IntegrityError
from dashboard.data.signin_throttle import (
    MAX_TYPED_NAME,
    MAX_TYPED_PASSWORD,
    SignInThrottled,
    Throttle,
)
from dashboard.data.signin_throttle import name_key as _key
from dashboard.domain.roles import ACCOUNT_ROLES, ROLES, User
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError

__all__ = [
    "MAX_TYPED_NAME",
    "MAX_TYPED_PASSWORD",
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "SignInThrottled",
    "Throttle",
    "UserError",
    "add_user",
    "authenticate",
    "find_user",
    "import_legacy_file",
    "list_users",
    "remove_user",
    "set_password",
    "users_path",
]

Clock = Callable[[], dt.datetime]

MIN_PASSWORD_LENGTH = 10
_FORMAT = "integrationsatlas-users/1"
_VG_KEY = re.compile(r"^\d{9}$")
#: Key in ``meta`` recording that a legacy user file was imported into this store.
LEGACY_IMPORT_KEY = "accounts_imported_from"

_HASHER = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile, 16-byte random salt


class UserError(LocalizedError, ValueError):
    """An account operation was refused; the message says why, in the user's language."""


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def users_path() -> Path:
    """Where a legacy JSON user file would be: ``INTEGRATIONSATLAS_USERS`` or ``users.json``
    beside the store (only read, to import it once).

    Returns
    -------
    pathlib.Path
        The path (the file may not exist).
    """
    return get_settings().users_file


def _user(row: Any) -> User:
    vgs = tuple(v for v in str(row["vgs"] or "").split(",") if v)
    return User(row["name"], row["role"], vgs, row["created"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(N_("users.err.password_short"), n=str(MIN_PASSWORD_LENGTH))


def _checked(name: str, role: str, vgs: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    name = unicodedata.normalize("NFKC", name).strip()
    if not name or len(name) > 128 or any(unicodedata.category(c)[0] == "C" for c in name):
        raise UserError(N_("users.err.name"))
    if role not in ACCOUNT_ROLES:
        raise UserError(N_("users.err.role"), role=role, allowed=", ".join(ACCOUNT_ROLES))
    keys = tuple(dict.fromkeys(v.strip() for v in vgs if v.strip()))
    bad = [v for v in keys if not _VG_KEY.match(v)]
    if bad:
        raise UserError(N_("users.err.vg_keys"), keys=", ".join(bad))
    if role == "vg_editor" and not keys:
        raise UserError(N_("users.err.vg_needed"))
    if role != "vg_editor" and keys:
        raise UserError(N_("users.err.vg_only_editor"))
    return name, keys


def _insert(conn: Connection, name: str, role: str, vgs: Iterable[str], created: str,
            password_hash: str | None) -> int:  # fmt: skip
    cur = conn.execute(
        "INSERT INTO accounts (name_key, name, role, vgs, created, password_hash)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name_key) DO NOTHING",
        (_key(name), name, role, ",".join(vgs), created, password_hash),
    )
    return max(cur.rowcount, 0)


def add_user(
    db: Database,
    name: str,
    password: str | None,
    role: str,
    vgs: Iterable[str] = (),
    *,
    clock: Clock = _utc_now,
) -> User:
    """Create an account with a salted Argon2id password hash.

    Parameters
    ----------
    db
        The store's database (``store.db``).
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
    name, keys = _checked(name, role, vgs)
    if password is not None:
        _check_password(password)
    hashed = _HASHER.hash(password) if password is not None else None  # outside the lock
    created = clock().isoformat(timespec="seconds")
    with db.transaction(advance=False) as conn:
        try:
            added = _insert(conn, name, role, keys, created, hashed)
        except IntegrityError:
            added = 0
        if not added:
            raise UserError(N_("users.err.exists"), name=name)
    return User(name, role, keys, created)


def remove_user(db: Database, name: str) -> None:
    """Delete an account.

    Raises
    ------
    UserError
        If there is no such user, or it is the last admin.
    """
    with db.transaction(advance=False) as conn:
        row = conn.one("SELECT role FROM accounts WHERE name_key = ?", (_key(name),))
        if row is None:
            raise UserError(N_("users.err.unknown"), name=name)
        if row["role"] == "admin":
            admins = conn.one("SELECT COUNT(*) FROM accounts WHERE role = 'admin'")[0]
            if int(admins) <= 1:
                raise UserError(N_("users.err.last_admin"))
        conn.execute("DELETE FROM accounts WHERE name_key = ?", (_key(name),))
        conn.execute("DELETE FROM signin_known WHERE name_key = ?", (_key(name),))


def set_password(db: Database, name: str, password: str) -> None:
    """Replace a user's password (new salt, new hash).

    Raises
    ------
    UserError
        Unknown user or too short a password.
    """
    _check_password(password)
    hashed = _HASHER.hash(password)
    with db.transaction(advance=False) as conn:
        cur = conn.execute(
            "UPDATE accounts SET password_hash = ? WHERE name_key = ?", (hashed, _key(name))
        )
        if cur.rowcount != 1:
            raise UserError(N_("users.err.unknown"), name=name)


def list_users(db: Database) -> list[User]:
    """All users, sorted by name (without hashes)."""
    with db.connection() as conn:
        rows = conn.all("SELECT name, role, vgs, created FROM accounts ORDER BY name_key")
    return [_user(r) for r in rows]


def find_user(db: Database, name: str) -> User | None:
    """The user with this name (any case), e.g. to give an OIDC-signed-in person a role."""
    with db.connection() as conn:
        row = conn.one(
            "SELECT name, role, vgs, created FROM accounts WHERE name_key = ?", (_key(name),)
        )
    return _user(row) if row else None


def _read_legacy(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != _FORMAT:
        raise UserError(N_("users.err.not_a_user_file"), path=str(path))
    return list(data["users"])


def import_legacy_file(db: Database, path: Path, *, clock: Clock = _utc_now) -> int:
    """Import the JSON user file of an earlier release into the store, once.

    Runs in one transaction that first checks the marker in ``meta``, so among processes
    starting together exactly one imports. Names already in the store are kept as they
    are. The file itself is left untouched (and no longer used).

    Parameters
    ----------
    db
        The store's database.
    path
        The legacy user file (nothing happens if it does not exist).

    Returns
    -------
    int
        Accounts imported (0 if there was no file or this store imported one before).

    Raises
    ------
    UserError
        If the file is not a user file of this application.
    """
    if not path.is_file():
        return 0
    with db.connection() as conn:
        if conn.one("SELECT value FROM meta WHERE key = ?", (LEGACY_IMPORT_KEY,)):
            return 0
    records = _read_legacy(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with db.transaction(advance=False) as conn:
        if conn.one("SELECT value FROM meta WHERE key = ?", (LEGACY_IMPORT_KEY,)):
            return 0
        added = 0
        for r in records:
            added += _insert(
                conn, r["name"], r["role"], r.get("vgs", ()), r["created"], r.get("password_hash")
            )
        marker = f"{path} sha256:{digest} {clock().isoformat(timespec='seconds')}"
        conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (LEGACY_IMPORT_KEY, marker))
    return added


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def authenticate(
    db: Database,
    name: str,
    password: str,
    *,
    clock: Clock = _utc_now,
    client: str = "",
    throttle: Throttle | None = None,
) -> User | None:
    """Check a name and password against the accounts.

    The attempt is counted before the password is checked (:meth:`Throttle.begin`), so
    parallel attempts never check more passwords than the limits allow.

    Parameters
    ----------
    db
        The store's database.
    name, password
        As typed; a name over :data:`MAX_TYPED_NAME` or a password over
        :data:`MAX_TYPED_PASSWORD` characters is a failure (counted, never looked up).
    clock
        Source of the current time (UTC), injectable for tests.
    client
        The client's address as the HTTP guard determined it (behind a trusted proxy the
        forwarded address, else the socket's peer) for the per-address counters.
    throttle
        Attempt counters; by default those in ``db``.

    Returns
    -------
    User or None
        The user, or ``None`` for any failure: unknown name, wrong password, or an account
        without a local password. The caller shows one message for all of them.

    Raises
    ------
    SignInThrottled
        Too many recent attempts from this address, for this account at this address, or
        for this account from unknown addresses; nothing was checked.
    """
    throttle = throttle or Throttle(db)
    now = clock()
    attempt = throttle.begin(name, client, now)
    bounded = len(name) <= MAX_TYPED_NAME and len(password) <= MAX_TYPED_PASSWORD
    row = None
    if bounded:
        with db.connection() as conn:
            row = conn.one(
                "SELECT name, role, vgs, created, password_hash FROM accounts WHERE name_key = ?",
                (_key(name),),
            )
    stored = row["password_hash"] if row else None
    try:
        checked = password if bounded else ""
        ok = _HASHER.verify(stored or _dummy_hash(), checked) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or stored is None:
        return None
    throttle.succeeded(attempt, now)
    if _HASHER.check_needs_rehash(stored):
        with db.transaction(advance=False) as conn:
            conn.execute(
                "UPDATE accounts SET password_hash = ? WHERE name_key = ?",
                (_HASHER.hash(password), _key(name)),
            )
    return _user(row)
