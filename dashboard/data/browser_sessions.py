"""Which browser tab had a signed-in session: so that a tab whose session was lost (the
process restarted) tells its user so, instead of silently showing the public pages.

Only digests are kept: of the browser's cookie (set by the HTTP guard) and of Streamlit's
session id; a row lives until the session's absolute end, and is removed at sign-out or
when its tab has told the user.
"""

from __future__ import annotations

import hashlib

from dashboard.data.db import Database
from dashboard.data.signin_throttle import name_key


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def remember(db: Database, browser: str, session: str, name: str, expires: float) -> None:
    """Record that ``browser``'s tab with Streamlit session ``session`` signed in as
    ``name`` until ``expires`` (POSIX seconds); expired rows of any browser are removed.

    Nothing is recorded without a browser or session (no guard in front, tests)."""
    if not browser or not session:
        return
    with db.transaction(advance=False) as conn:
        conn.execute(
            "INSERT INTO browser_sessions (browser, session, name_key, expires)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (browser, session) DO UPDATE"
            " SET name_key = excluded.name_key, expires = excluded.expires",
            (browser[:64], _digest(session), name_key(name), expires),
        )


def forget(db: Database, browser: str, session: str, now: float) -> None:
    """Remove the record of one tab (sign-out, expiry) and every expired one."""
    with db.transaction(advance=False) as conn:
        conn.execute(
            "DELETE FROM browser_sessions WHERE (browser = ? AND session = ?) OR expires < ?",
            (browser[:64], _digest(session), now),
        )


def take_lost(db: Database, browser: str, session: str, now: float) -> bool:
    """Whether ``browser``'s tab had a signed-in session ``session`` that is still within
    its lifetime (the record is removed: the tab tells its user once).

    Parameters
    ----------
    browser
        The browser's digest.
    session
        The Streamlit session id the tab asked to resume (and did not get back).
    now
        POSIX seconds.
    """
    if not browser or not session:
        return False
    with db.connection() as conn:  # a read first: anyone may send any session id
        row = conn.one(
            "SELECT expires FROM browser_sessions WHERE browser = ? AND session = ?",
            (browser[:64], _digest(session)),
        )
    if row is None:
        return False
    with db.transaction(advance=False) as conn:
        conn.execute(
            "DELETE FROM browser_sessions WHERE (browser = ? AND session = ?) OR expires < ?",
            (browser[:64], _digest(session), now),
        )
    return float(row[0]) >= now
