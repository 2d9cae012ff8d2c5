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
* Repeated failures are slowed down (:class:`Throttle`, counters in the database, shared
  by all processes) per account *and client address*, per address, and per account
  across addresses; a stranger cannot lock a known account out for the real user (see
  :class:`Throttle`).

A deployment may sign users in with an identity provider instead (OIDC); the accounts
then only assign roles and VGs to those names (accounts without a password).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.config import get_settings
from dashboard.data.db import Connection, Database, IntegrityError, SQLiteDatabase
from dashboard.data.schema import SIGNIN_TABLES, execute_ddl
from dashboard.domain.roles import ACCOUNT_ROLES, ROLES, User

__all__ = [
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


class UserError(ValueError):
    """An account operation was refused; the message says why in plain German."""


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


def users_path() -> Path:
    """Where a legacy JSON user file would be: ``INTEGRATIONSATLAS_USERS`` or ``users.json``
    beside the store (only read, to import it once).

    Returns
    -------
    pathlib.Path
        The path (the file may not exist).
    """
    return get_settings().users_file


def _key(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def _user(row: Any) -> User:
    vgs = tuple(v for v in str(row["vgs"] or "").split(",") if v)
    return User(row["name"], row["role"], vgs, row["created"])


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.")


def _checked(name: str, role: str, vgs: Iterable[str]) -> tuple[str, tuple[str, ...]]:
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
            raise UserError(f"Den Namen {name} gibt es schon.")
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
            raise UserError(f"Den Benutzer {name} gibt es nicht.")
        if row["role"] == "admin":
            admins = conn.one("SELECT COUNT(*) FROM accounts WHERE role = 'admin'")[0]
            if int(admins) <= 1:
                raise UserError("Der letzte Admin kann nicht entfernt werden.")
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
            raise UserError(f"Den Benutzer {name} gibt es nicht.")


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
        raise UserError(f"{path} ist keine Benutzerdatei des Integrationsatlas.")
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


#: One account from one client address: the guesser at that address.
PAIR_BACKOFF = Backoff()
#: One client address, any names: more generous, since a whole office may share one address.
CLIENT_BACKOFF = Backoff(free=20)
#: One account from any address not known for it (guessing spread over many addresses):
#: short locks only, and never for an address where the account signed in recently.
ACCOUNT_BACKOFF = Backoff(free=10, max_delay=300.0)
#: An address where the account signed in within this time is "known" for it.
KNOWN_FOR = 90 * 24 * 3600.0


class Throttle:
    """Failure counters in the store's database, shared by all processes.

    Three counters decide whether a sign-in may be tried:

    * the account at this client address (:data:`PAIR_BACKOFF`): five free failures,
      then 30 s doubling up to an hour. A stranger guessing at their own address locks
      only themselves out of that account;
    * the client address over all names (:data:`CLIENT_BACKOFF`): 20 free failures;
    * the account over all addresses (:data:`ACCOUNT_BACKOFF`, at most 5 minutes), which
      slows down guessing spread over many addresses but does not apply at an address
      where the account signed in successfully within 90 days: the real user at their
      usual address is never locked out by someone else's failures.

    Without a known client address (behind a proxy that does not forward it) only the
    account counter applies, so a lock never lasts longer than five minutes. A success
    clears the account's counter at that address and marks the address as known.

    Parameters
    ----------
    db
        The store's database; ``None`` keeps the counters in this process only (tests).
    """

    def __init__(self, db: Database | None = None) -> None:
        if db is None:
            db = SQLiteDatabase(None)
            with db.connection() as conn:
                execute_ddl(conn, SIGNIN_TABLES)
        self.db = db

    def _known(self, conn: Connection, name: str, client: str, t: float) -> bool:
        if not client:
            return False
        row = conn.one(
            "SELECT last_success FROM signin_known WHERE name_key = ? AND client = ?",
            (_key(name), client),
        )
        return row is not None and t - float(row[0]) < KNOWN_FOR

    @staticmethod
    def keys(name: str, client: str, known: bool) -> list[tuple[str, Backoff]]:
        """The counters one attempt touches."""
        client = client.strip()
        out: list[tuple[str, Backoff]] = []
        if client:
            out.append((f"pair:{_key(name)}|{client}", PAIR_BACKOFF))
            out.append((f"client:{client}", CLIENT_BACKOFF))
        if not known:
            out.append((f"user:{_key(name)}", ACCOUNT_BACKOFF))
        return out

    def retry_after(self, name: str, client: str, now: dt.datetime) -> float:
        """Seconds until a sign-in may be tried again (0 when allowed)."""
        t = now.timestamp()
        wait = 0.0
        with self.db.connection() as conn:
            known = self._known(conn, name, client, t)
            for key, _ in self.keys(name, client, known):
                row = conn.one("SELECT locked_until FROM signin_failures WHERE key = ?", (key,))
                if row:
                    wait = max(wait, float(row[0]) - t)
        return wait

    def failure(self, name: str, client: str, now: dt.datetime) -> None:
        """Count a failed sign-in and lock the counters that reached their limit."""
        t = now.timestamp()
        forget = max(PAIR_BACKOFF.forget, CLIENT_BACKOFF.forget, ACCOUNT_BACKOFF.forget)
        with self.db.transaction(advance=False) as conn:
            known = self._known(conn, name, client, t)
            for key, policy in self.keys(name, client, known):
                row = conn.one("SELECT count, last FROM signin_failures WHERE key = ?", (key,))
                count = 1 if row is None or t - float(row[1]) > policy.forget else int(row[0]) + 1
                conn.execute(
                    "INSERT INTO signin_failures (key, count, last, locked_until)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                    " count = excluded.count, last = excluded.last,"
                    " locked_until = excluded.locked_until",
                    (key, count, t, t + policy.lock_for(count)),
                )
            conn.execute(
                "DELETE FROM signin_failures WHERE last < ? AND locked_until < ?", (t - forget, t)
            )

    def success(self, name: str, client: str, now: dt.datetime) -> None:
        """Clear the account's counter at this address and remember the address."""
        t = now.timestamp()
        with self.db.transaction(advance=False) as conn:
            conn.execute(
                "DELETE FROM signin_failures WHERE key = ?",
                (f"pair:{_key(name)}|{client.strip()}",),
            )
            if client.strip():
                conn.execute(
                    "INSERT INTO signin_known (name_key, client, last_success) VALUES (?, ?, ?)"
                    " ON CONFLICT (name_key, client) DO UPDATE"
                    " SET last_success = excluded.last_success",
                    (_key(name), client.strip(), t),
                )


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

    Parameters
    ----------
    db
        The store's database.
    name, password
        As typed.
    clock
        Source of the current time (UTC), injectable for tests.
    client
        The client's address (``st.context.ip_address``; behind the shipped proxy the
        forwarded address) for the per-address counters.
    throttle
        Failure counters; by default those in ``db``.

    Returns
    -------
    User or None
        The user, or ``None`` for any failure: unknown name, wrong password, or an account
        without a local password. The caller shows one message for all of them.

    Raises
    ------
    SignInThrottled
        Too many recent failures for this account at this address, this address, or this
        account from unknown addresses; nothing was checked.
    """
    throttle = throttle or Throttle(db)
    now = clock()
    wait = throttle.retry_after(name, client, now)
    if wait > 0:
        raise SignInThrottled(wait)
    with db.connection() as conn:
        row = conn.one(
            "SELECT name, role, vgs, created, password_hash FROM accounts WHERE name_key = ?",
            (_key(name),),
        )
    stored = row["password_hash"] if row else None
    try:
        ok = _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or stored is None:
        throttle.failure(name, client, now)
        return None
    throttle.success(name, client, now)
    if _HASHER.check_needs_rehash(stored):
        with db.transaction(advance=False) as conn:
            conn.execute(
                "UPDATE accounts SET password_hash = ? WHERE name_key = ?",
                (_HASHER.hash(password), _key(name)),
            )
    return _user(row)
