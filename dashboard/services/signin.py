"""Sign-in and sessions: the service between the sign-in form and the accounts.

A local sign-in checks name and password against the accounts in the store's database
(:func:`dashboard.data.users.authenticate`, throttled per account and client address so
that a stranger cannot lock a known account out, see :class:`dashboard.data.users.Throttle`)
and starts a :class:`Session`, valid until idle too long or too old. The UI keeps the session
per browser tab and calls :func:`current_account` on each run, so a removed account or a
changed role takes effect at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field, replace

from dashboard.config import environment, get_settings
from dashboard.data import browser_sessions
from dashboard.data import users as accounts
from dashboard.data.db import Database
from dashboard.domain.roles import User
from dashboard.domain.webpolicy import CLIENT_HEADER as CLIENT_HEADER
from dashboard.domain.webpolicy import LOCAL_CLIENT as LOCAL_CLIENT
from dashboard.services.stores import store

#: Longest name the sign-in form takes (the accounts check it again).
MAX_TYPED_NAME = accounts.MAX_TYPED_NAME
#: Longest password the sign-in form takes.
MAX_TYPED_PASSWORD = accounts.MAX_TYPED_PASSWORD

DEFAULT_IDLE = dt.timedelta(hours=8)
DEFAULT_MAX = dt.timedelta(hours=12)


@dataclass(frozen=True)
class SignInOutcome:
    """The result of a sign-in attempt: a session, or how long to wait, or neither."""

    session: Session | None = None
    retry_after: float | None = None


def sign_in(
    name: str,
    password: str,
    client: str,
    now: dt.datetime,
    *,
    browser: str = "",
    tab: str = "",
) -> SignInOutcome:
    """Check a local sign-in and start a session.

    Parameters
    ----------
    name, password
        What the person typed (bounded: see :data:`MAX_TYPED_NAME`).
    client
        The client address the HTTP guard determined (counters per address first).
    now
        Current time (UTC).
    browser, tab
        The browser's digest and the tab's Streamlit session id: remembered until the
        session's absolute end, so that the tab can say "Sitzung neu gestartet" if its
        session is lost (:func:`lost_sign_in`).

    Returns
    -------
    SignInOutcome
        ``session`` on success; ``retry_after`` (seconds) when throttled; both ``None`` for
        any failure (the caller shows one message, never which part was wrong).
    """
    try:
        user = accounts.authenticate(_db(), name, password, clock=lambda: now, client=client)
    except accounts.SignInThrottled as exc:
        return SignInOutcome(retry_after=exc.retry_after)
    if user is None:
        return SignInOutcome()
    session = start_session(user, now)
    ends = (session.issued + session.absolute_timeout).timestamp()
    browser_sessions.remember(_db(), browser, tab, user.name, ends)
    return SignInOutcome(session=session)


def signed_out(browser: str, tab: str, now: dt.datetime) -> None:
    """Forget a tab's sign-in (sign-out or expiry): its loss is no longer news."""
    browser_sessions.forget(_db(), browser, tab, now.timestamp())


def lost_sign_in(browser: str, previous_tab: str, now: dt.datetime) -> bool:
    """Whether a new session replaces a signed-in one of the same browser that was lost
    (the process restarted, or the reconnect came too late): its user is told once.

    Parameters
    ----------
    browser
        The browser's digest.
    previous_tab
        The Streamlit session id the tab asked to resume.
    now
        Current time (UTC).
    """
    return browser_sessions.take_lost(_db(), browser, previous_tab, now.timestamp())


def _db() -> Database:
    return store(get_settings()).db


def current_account(name: str) -> User | None:
    """The account of that name as it is now (``None``: removed)."""
    return accounts.find_user(_db(), name)


def session_timeouts() -> tuple[dt.timedelta, dt.timedelta]:
    """Idle and absolute session lifetimes from the environment (defaults 8 h and 12 h).

    Returns
    -------
    tuple of datetime.timedelta
        ``(idle, absolute)``; the idle time never exceeds the absolute one.
    """
    env = environment()
    idle = dt.timedelta(minutes=env.session_idle_minutes)
    absolute = dt.timedelta(minutes=env.session_max_minutes)
    return min(idle, absolute), absolute


@dataclass(frozen=True)
class Session:
    """A signed-in session: valid until idle too long or too old.

    Attributes
    ----------
    user
        Who signed in.
    issued
        Sign-in time (UTC).
    last_seen
        Last activity (UTC); renewed by :meth:`touch`.
    idle_timeout, absolute_timeout
        Lifetimes without activity and since sign-in.
    id
        Random identifier (for logs), not a secret used for authentication.
    """

    user: User
    issued: dt.datetime
    last_seen: dt.datetime
    idle_timeout: dt.timedelta = DEFAULT_IDLE
    absolute_timeout: dt.timedelta = DEFAULT_MAX
    id: str = field(default_factory=lambda: secrets.token_urlsafe(16))

    @property
    def expires(self) -> dt.datetime:
        """When the session ends unless renewed."""
        return min(self.last_seen + self.idle_timeout, self.issued + self.absolute_timeout)

    def is_valid(self, now: dt.datetime) -> bool:
        """Whether the session is still valid at ``now``."""
        return self.issued <= now < self.expires

    def touch(self, now: dt.datetime) -> Session:
        """The session after activity at ``now`` (the absolute limit stays).

        Raises
        ------
        PermissionError
            If the session has already expired.
        """
        if not self.is_valid(now):
            raise PermissionError("Die Sitzung ist abgelaufen. Bitte neu anmelden.")
        return replace(self, last_seen=now)


def start_session(
    user: User,
    now: dt.datetime,
    idle: dt.timedelta | None = None,
    absolute: dt.timedelta | None = None,
) -> Session:
    """Begin a session for a signed-in user.

    Parameters
    ----------
    user
        From :func:`authenticate` (or :func:`find_user` after an OIDC sign-in).
    now
        Sign-in time (UTC).
    idle, absolute
        Lifetimes; by default :func:`session_timeouts`.

    Returns
    -------
    Session
        Valid from ``now``.
    """
    env_idle, env_absolute = session_timeouts()
    return Session(user, now, now, idle or env_idle, absolute or env_absolute)
