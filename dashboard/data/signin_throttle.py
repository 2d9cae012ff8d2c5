"""Attempt counters for sign-in: counted before the password is checked, shared by all
processes through the store's database (tables ``signin_failures`` and ``signin_known``).

See :class:`Throttle` for the counters and their order. Typed names are bounded and kept
only as digests: an anonymous visitor cannot grow the store with long names, and a
password typed into the name field is never stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import unicodedata
from dataclasses import dataclass

from dashboard.data.db import Connection, Database, SQLiteDatabase
from dashboard.data.schema import SIGNIN_TABLES, execute_ddl


def name_key(name: str) -> str:
    """The normalised form of a name (NFKC, stripped, case-folded): the account's key."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


_key = name_key


class SignInThrottled(Exception):
    """Too many failed sign-ins: try again after ``retry_after`` seconds."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            f"Zu viele fehlgeschlagene Anmeldungen. Bitte in {seconds} Sekunden erneut versuchen."
        )


# -- slowing down repeated failures -----------------------------------------------------------
#: Longest typed name that is looked up (an account name has at most 128 characters; the
#: form allows 200). Longer input is a failed attempt, never looked up or stored.
MAX_TYPED_NAME = 200
#: Longest typed password that is checked (Argon2 needs no more; longer is a failure).
MAX_TYPED_PASSWORD = 1024
#: Longest client address kept in a counter's key (an IPv6 address has at most 45).
_MAX_CLIENT = 64
#: The counter key of attempts whose client address is not known.
UNKNOWN_CLIENT = "unbekannt"


@dataclass(frozen=True)
class Backoff:
    """After ``free`` attempts refuse for ``delay`` seconds, doubling per further attempt
    up to ``max_delay``.

    Attempts older than ``forget`` seconds are forgotten.
    """

    free: int = 5
    delay: float = 30.0
    max_delay: float = 3600.0
    forget: float = 24 * 3600.0

    def lock_for(self, attempts: int) -> float:
        """Seconds to refuse after the ``attempts``-th counted attempt."""
        if attempts < self.free:
            return 0.0
        return min(self.delay * 2.0 ** (attempts - self.free), self.max_delay)


#: One client address, any names: checked first; generous, an office may share one address.
CLIENT_BACKOFF = Backoff(free=20)
#: One account from one client address: the guesser at that address.
PAIR_BACKOFF = Backoff()
#: One account from any address not known for it (guessing spread over many addresses):
#: a short lock that attempts during it do not extend, and never for an address where the
#: account signed in recently.
ACCOUNT_BACKOFF = Backoff(free=10, delay=60.0, max_delay=60.0, forget=3600.0)
#: An address where the account signed in within this time is "known" for it.
KNOWN_FOR = 90 * 24 * 3600.0


def typed_name_digest(name: str) -> str:
    """What the counters keep of a typed name: a digest of its normalised form (at most
    :data:`MAX_TYPED_NAME` characters of it), never the text, so a name of any length
    (or a password typed into the name field) costs the store a few bytes."""
    bounded = _key(name[: MAX_TYPED_NAME + 1])
    return hashlib.sha256(bounded.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _client_key(client: str) -> str:
    client = client.strip()[:_MAX_CLIENT]
    return client or UNKNOWN_CLIENT


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt counted before its password is checked.

    Attributes
    ----------
    name, client
        As typed (bounded) and the client address key.
    keys
        The counters it was counted on.
    """

    name: str
    client: str
    keys: tuple[tuple[str, Backoff], ...]


class Throttle:
    """Attempt counters in the store's database, shared by all processes.

    Every attempt is counted *before* its password is checked, in one write transaction
    (writers are serialised on both backends), so parallel attempts from any number of
    processes never check more passwords than the limits allow. A success takes its
    attempt back. The counters, in the order they are checked:

    * the client address over all names (:data:`CLIENT_BACKOFF`, 20 attempts): first, so
      an address over its limit touches no account's counter;
    * the account at this client address (:data:`PAIR_BACKOFF`): five attempts, then
      30 s doubling up to an hour. A stranger guessing at their own address locks only
      themselves out of that account;
    * the account over all addresses (:data:`ACCOUNT_BACKOFF`): after ten attempts a lock
      of one minute that attempts during the lock do not extend; it does not apply at an
      address where the account signed in successfully within 90 days, so the real user
      at their usual address is never locked out by someone else's attempts.

    An attempt refused by a locked counter is counted nowhere. The typed name is kept as
    a digest only (:func:`typed_name_digest`). Without a known client address all such
    attempts share one address counter.

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
        if client == UNKNOWN_CLIENT or len(name) > MAX_TYPED_NAME:
            return False
        row = conn.one(
            "SELECT last_success FROM signin_known WHERE name_key = ? AND client = ?",
            (_key(name), client),
        )
        return row is not None and t - float(row[0]) < KNOWN_FOR

    @staticmethod
    def keys(name: str, client: str, known: bool) -> list[tuple[str, Backoff]]:
        """The counters one attempt touches, in the order they are checked."""
        account = typed_name_digest(name)
        out = [(f"client:{client}", CLIENT_BACKOFF), (f"pair:{account}|{client}", PAIR_BACKOFF)]
        if not known:
            out.append((f"user:{account}", ACCOUNT_BACKOFF))
        return out

    def begin(self, name: str, client: str, now: dt.datetime) -> Attempt:
        """Count an attempt on every counter, or refuse it if one of them is locked.

        Raises
        ------
        SignInThrottled
            A counter is locked; the attempt was counted nowhere.
        """
        t, client = now.timestamp(), _client_key(client)
        name = name[: MAX_TYPED_NAME + 1]
        with self.db.transaction(advance=False) as conn:
            keys = self.keys(name, client, self._known(conn, name, client, t))
            for key, _ in keys:
                row = conn.one("SELECT locked_until FROM signin_failures WHERE key = ?", (key,))
                if row is not None and float(row[0]) > t:
                    raise SignInThrottled(float(row[0]) - t)
            for key, policy in keys:
                self._count(conn, key, policy, t)
            forget = max(b.forget for b in (CLIENT_BACKOFF, PAIR_BACKOFF, ACCOUNT_BACKOFF))
            conn.execute(
                "DELETE FROM signin_failures WHERE last < ? AND locked_until < ?", (t - forget, t)
            )
        return Attempt(name, client, tuple(keys))

    @staticmethod
    def _count(conn: Connection, key: str, policy: Backoff, t: float) -> None:
        """One more attempt on ``key`` (one upsert), then its lock if it reached the limit."""
        row = conn.one(
            "INSERT INTO signin_failures (key, count, last, locked_until) VALUES (?, 1, ?, 0)"
            " ON CONFLICT (key) DO UPDATE SET"
            " count = CASE WHEN signin_failures.last < ? THEN 1"
            " ELSE signin_failures.count + 1 END,"
            " last = excluded.last RETURNING count",
            (key, t, t - policy.forget),
        )
        lock = policy.lock_for(int(row[0]))
        if lock > 0:
            conn.execute(
                "UPDATE signin_failures SET locked_until = ? WHERE key = ?", (t + lock, key)
            )

    def succeeded(self, attempt: Attempt, now: dt.datetime) -> None:
        """Take a successful attempt back: the account's counter at this address is
        cleared, the others count one less, and the address becomes known for the account."""
        t = now.timestamp()
        with self.db.transaction(advance=False) as conn:
            for key, policy in attempt.keys:
                if key.startswith("pair:"):
                    conn.execute("DELETE FROM signin_failures WHERE key = ?", (key,))
                    continue
                conn.execute(
                    "UPDATE signin_failures SET count = count - 1,"
                    " locked_until = CASE WHEN count - 1 < ? THEN 0 ELSE locked_until END"
                    " WHERE key = ? AND count > 0",
                    (policy.free, key),
                )
            if attempt.client != UNKNOWN_CLIENT:
                conn.execute(
                    "INSERT INTO signin_known (name_key, client, last_success) VALUES (?, ?, ?)"
                    " ON CONFLICT (name_key, client) DO UPDATE"
                    " SET last_success = excluded.last_success",
                    (_key(attempt.name), attempt.client, t),
                )
