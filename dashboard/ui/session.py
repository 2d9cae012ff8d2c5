"""Sign-in and the current user: local accounts (or the identity provider), session, pages.

* Local sign-in: a small form in the sidebar checks name and password through the service
  (:func:`dashboard.services.signin.sign_in`, throttled per name and client). A failure
  always shows the same message; it never says whether the name or the password was wrong.
* The :class:`~dashboard.services.signin.Session` lives in ``st.session_state`` (server side, per
  browser tab). It is renewed on every run and dropped, with a message, once it expired.
  Every run re-reads the account, so a removed account or a changed role takes effect at
  once.
* Identity provider: if Streamlit's OIDC sign-in is configured (``[auth]`` in the secrets,
  kept outside the repository), a button calls ``st.login()``; the e-mail address of
  ``st.user`` is looked up in the user file for the role (unknown: public).
* Rights are enforced by :class:`dashboard.services.workspace.Workspace`; :func:`pages_for` only decides
  which pages the navigation offers, and :func:`require_page` stops a page opened anyway.
"""

from __future__ import annotations

import datetime as dt
import math

import streamlit as st

from dashboard.config import REPO_ROOT
from dashboard.domain.roles import PUBLIC, User
from dashboard.domain.webpolicy import BROWSER_HEADER, CLIENT_HEADER
from dashboard.i18n.catalogue import t, tn
from dashboard.services.app import workspace_for
from dashboard.services.signin import (
    MAX_TYPED_NAME,
    MAX_TYPED_PASSWORD,
    Session,
    current_account,
    lost_sign_in,
    sign_in,
    signed_out,
)
from dashboard.services.workspace import Workspace
from dashboard.ui.pagefocus import follow_navigation
from dashboard.ui.text import plain

SESSION_KEY = "auth_session"
_EXPIRED_KEY = "auth_expired_notice"
#: Set on a session's first run (a resumed session keeps it, a new one lacks it).
_SEEN_KEY = "auth_seen"
#: The tab's signed-in session was lost (process restart): shown until the next sign-in.
_RESTARTED_KEY = "auth_restarted_notice"

#: Page file -> (title key, text module, url path); the order of the navigation.
PAGES: dict[str, tuple[str, str, str]] = {
    "app_pages/karte.py": ("nav.map", "i18n", "karte"),
    "app_pages/versorgung.py": ("nav.gaps", "i18n", "versorgung"),
    "app_pages/bestand.py": ("nav.facilities", "i18n", "bestand"),
    "app_pages/massnahmen.py": ("nav.projects", "i18n", "massnahmen"),
    "app_pages/entwicklung.py": ("nav.development", "i18n", "seit-dem-konzept"),
    "app_pages/bearbeiten.py": ("nav.edit", "auth", "bearbeiten"),
    "app_pages/pruefen.py": ("nav.review", "auth", "pruefen"),
    "app_pages/importieren.py": ("nav.import", "i18n", "importieren"),
    "app_pages/erhebung.py": ("nav.collect", "i18n", "erhebung"),
    "app_pages/indikatoren.py": ("nav.indicators", "i18n", "indikatoren"),
    "app_pages/verwaltung.py": ("nav.users", "auth", "benutzer"),
    "app_pages/daten.py": ("nav.data", "i18n", "daten"),
    "app_pages/praesentation.py": ("nav.presentation", "i18n", "praesentation"),
    "app_pages/finder.py": ("nav.finder", "i18n", "finder"),
    "app_pages/barrierefreiheit.py": ("nav.accessibility", "i18n", "barrierefreiheit"),
}
_PUBLIC_PAGES = frozenset(
    {
        "app_pages/karte.py",
        "app_pages/versorgung.py",
        "app_pages/bestand.py",
        "app_pages/massnahmen.py",
        "app_pages/entwicklung.py",
        "app_pages/daten.py",
        "app_pages/praesentation.py",
        "app_pages/finder.py",
        "app_pages/barrierefreiheit.py",
    }
)
_EDITOR_PAGES = _PUBLIC_PAGES | {"app_pages/bearbeiten.py"}
_DISTRICT_PAGES = _EDITOR_PAGES | {
    "app_pages/pruefen.py",
    "app_pages/importieren.py",
    "app_pages/erhebung.py",
    "app_pages/indikatoren.py",
}
_ROLE_PAGES: dict[str, frozenset[str]] = {
    "public": _PUBLIC_PAGES,
    "vg_editor": _EDITOR_PAGES,
    "district_editor": _DISTRICT_PAGES,
    "admin": _DISTRICT_PAGES | {"app_pages/verwaltung.py"},
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# -- who is signed in ---------------------------------------------------------------------------
def oidc_configured() -> bool:
    """Whether Streamlit's identity-provider sign-in is set up (``[auth]`` in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _oidc_user() -> User | None:
    """The account of a person signed in with the identity provider (``None``: not signed
    in that way; :data:`PUBLIC` if the address has no account)."""
    if not getattr(st.user, "is_logged_in", False):
        return None
    email = str(getattr(st.user, "email", "") or "")
    found = current_account(email) if email else None
    return found or PUBLIC


# -- which browser, which tab ------------------------------------------------------------------
def _header(name: str) -> str:
    try:
        return str(st.context.headers.get(name) or "")
    except Exception:  # noqa: BLE001 - no request context (a bare script run)
        return ""


def _browser() -> str:
    """The browser's digest from the HTTP guard (empty without the guard in front)."""
    return _header(BROWSER_HEADER)


def _client() -> str:
    """The client address the HTTP guard determined; without the guard Streamlit's peer
    address (``None`` for loopback: then the sign-in counts it as an unknown address)."""
    guarded = _header(CLIENT_HEADER)
    if guarded:
        return guarded
    ip = st.context.ip_address
    return ip if isinstance(ip, str) else ""


def _tab() -> str:
    """This tab's Streamlit session id (the id its browser asks to resume)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return str(ctx.session_id) if ctx is not None else ""


def _resumed_tab() -> str:
    """The session id this connection asked to resume (Streamlit's frontend sends it when it
    reconnects), or ``""``."""
    parts = [p.strip() for p in _header("Sec-WebSocket-Protocol").split(",")]
    return parts[2] if len(parts) >= 3 else ""


def _notice_lost_session() -> None:
    """On a session's first run: if it replaces a signed-in session of this tab that was
    lost (the process restarted, or the reconnect came too late), say so until the next
    sign-in, instead of silently showing the public pages."""
    if st.session_state.get(_SEEN_KEY):
        return
    st.session_state[_SEEN_KEY] = True
    previous = _resumed_tab()
    if previous and previous != _tab() and lost_sign_in(_browser(), previous, _now()):
        st.session_state[_RESTARTED_KEY] = True


def current_user() -> User:
    """The signed-in user of this browser session, or :data:`~dashboard.data.users.PUBLIC`.

    A local session is renewed on each call; an expired one is dropped (a notice is shown
    by :func:`signin_widget`). The account is re-read from the user file, so its current
    role and VGs apply and a removed account is signed out.
    """
    _notice_lost_session()
    oidc = _oidc_user()
    if oidc is not None:
        return oidc
    session: Session | None = st.session_state.get(SESSION_KEY)
    if session is None:
        return PUBLIC
    now = _now()
    if not session.is_valid(now):
        del st.session_state[SESSION_KEY]
        st.session_state[_EXPIRED_KEY] = True
        signed_out(_browser(), _tab(), now)
        return PUBLIC
    account = current_account(session.user.name)
    if account is None:
        del st.session_state[SESSION_KEY]
        return PUBLIC
    st.session_state[SESSION_KEY] = session.touch(now)
    return account


def sign_out() -> None:
    """End the local session (the identity provider's one through ``st.logout``)."""
    if st.session_state.pop(SESSION_KEY, None) is not None:
        signed_out(_browser(), _tab(), _now())
    if getattr(st.user, "is_logged_in", False):
        st.logout()


# -- what the user may open ---------------------------------------------------------------------
def pages_for(user: User) -> list[str]:
    """The page files (``app_pages/....py``) a user's role may open, in navigation order."""
    allowed = _ROLE_PAGES.get(user.role, _PUBLIC_PAGES)
    return [p for p in PAGES if p in allowed]


def may_open(page: str) -> bool:
    """Whether the current user's role may open ``page`` (a link to it is shown only then)."""
    return page in pages_for(current_user())


def navigation(lang: str, user: User | None = None) -> st.Page:
    """``st.navigation`` with exactly the pages of the current user's role.

    Pages are given by absolute path, so any entry script (``app.py``, a test app) works.
    """
    user = current_user() if user is None else user
    pages = []
    for path in pages_for(user):
        key, _, url = PAGES[path]
        title = t(key, lang)
        pages.append(
            st.Page(str(REPO_ROOT / path), title=title, url_path=url, default=url == "karte")
        )
    chosen = st.navigation(pages)
    follow_navigation(chosen.url_path)  # a phone's sidebar closes once a page is chosen
    return chosen


def require_page(page: str, lang: str) -> User:
    """Stop with "Keine Berechtigung" unless the current user's role may open ``page``.

    Parameters
    ----------
    page
        The page file, e.g. ``app_pages/bearbeiten.py``.
    lang
        ``de`` or ``en``.

    Returns
    -------
    User
        The current user (allowed).
    """
    user = current_user()
    if page not in pages_for(user):
        st.error(t("auth.denied", lang))
        st.stop()
    return user


# -- the service for this user ------------------------------------------------------------------
def workspace() -> Workspace:
    """The store as the current user may see and change it."""
    return workspace_for(current_user())


# -- the sidebar widget -------------------------------------------------------------------------
def _try_sign_in(name: str, password: str, lang: str) -> str | None:
    """Sign in; ``None`` on success, else the one message to show (never which part failed)."""
    if _header(CLIENT_HEADER) and not _browser():
        return t("auth.cookie_needed", lang)  # behind the guard a session needs its browser
    outcome = sign_in(name, password, _client(), _now(), browser=_browser(), tab=_tab())
    if outcome.retry_after is not None:
        return t("auth.throttled", lang, seconds=max(1, math.ceil(outcome.retry_after)))
    if outcome.session is None:
        return t("auth.failed", lang)
    st.session_state[SESSION_KEY] = outcome.session
    st.session_state.pop(_RESTARTED_KEY, None)
    _preset_own_vg(outcome.session.user)
    return None


def _preset_own_vg(user: User) -> None:
    """A VG-Redaktion starts on its own VG (map, lists, analysis), unless a VG is already
    chosen; the rest of the view stays as it was."""
    from dashboard.ui.common import remember, shared_state, view

    state = shared_state()
    ws = workspace_for(user)
    mine = list(ws.my_vgs())
    if ws.acts_everywhere() or not mine or state.vg:
        return
    vg = view().carry_vg(mine[0], ws.config.current_vintage, state.vintage)
    if vg:
        remember(vg=vg, gemeinde="")


def signin_widget(lang: str) -> User:
    """Sidebar: who is signed in and a sign-out button, or the sign-in form.

    Returns
    -------
    User
        The current user after this run's sign-in or sign-out.
    """
    box = st.sidebar
    user = current_user()
    if st.session_state.pop(_EXPIRED_KEY, False):
        box.warning(t("auth.expired", lang))
    restarted = bool(st.session_state.get(_RESTARTED_KEY)) and user.role == "public"
    if restarted:
        box.warning(t("auth.restarted", lang))
    if user.role != "public":
        box.markdown(
            t("auth.signed_in", lang, name=plain(user.name), role=t(f"role.{user.role}", lang))
        )
        if user.vgs:
            names = workspace().areas.vg_label(user.vgs)
            box.caption(tn("auth.vgs", len(user.vgs), lang, vgs=plain(names)))
        if box.button(t("auth.signout", lang), key="auth_signout"):
            sign_out()
            st.rerun()
        return user
    if getattr(st.user, "is_logged_in", False):  # identity provider, but no account here
        box.info(t("auth.oidc_no_role", lang, name=plain(getattr(st.user, "email", ""))))
        if box.button(t("auth.signout", lang), key="auth_signout"):
            sign_out()
        return user
    with box.expander(t("auth.heading", lang), expanded=restarted):
        if oidc_configured():
            st.button(t("auth.oidc_login", lang), key="auth_oidc", on_click=st.login)
            st.caption(t("auth.local", lang))
        with st.form("auth_form", clear_on_submit=True, border=False):
            name = st.text_input(
                t("auth.name", lang),
                key="auth_name",
                autocomplete="username",
                max_chars=MAX_TYPED_NAME,
            )
            password = st.text_input(
                t("auth.password", lang),
                type="password",
                key="auth_password",
                autocomplete="current-password",
                max_chars=MAX_TYPED_PASSWORD,
            )
            submitted = st.form_submit_button(t("auth.submit", lang), key="auth_submit")
    if submitted:
        problem = _try_sign_in(name, password, lang)
        if problem is None:
            st.rerun()
        box.error(problem)
    return user
