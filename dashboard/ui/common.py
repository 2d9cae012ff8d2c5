"""Streamlit glue shared by the pages: the language, one view state, the user's view,
cached outputs.

Pages never open the store: they read through :func:`view` (the signed-in user's
:class:`~dashboard.services.view.RoleView`) and change through
:func:`dashboard.ui.session.workspace`. Outputs that cost time are cached by what they
depend on: the view state, the data version and the audience.

One view state per browser session
----------------------------------
Language, vintage, selected VG, category or Handlungsfeld and indicator are one
:class:`~dashboard.domain.viewstate.ViewState` kept in ``st.session_state``
(:func:`shared_state`). It is read from the URL on the session's first run (a shared
link), and every page writes its part back into the URL (:func:`sync_url`), because
Streamlit's navigation links drop the query parameters.

Streamlit forgets a widget's value when a run does not draw it (another page ran), and a
widget whose labels change (another language) loses its value. So a page asks
:func:`fresh` whether its widgets must be (re)seeded: on its first draw, after another
page or language was drawn, and after the shared state was changed from outside its
widgets (:func:`remember`: a map click, a sign-in, a callback). Then it sets every
widget from the shared state (and its own remembered values, :func:`kept`) before drawing
it: Streamlit's documented way (state set before the widget is drawn), never a change of
a drawn widget.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st

from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.viewstate import ViewState, from_query, to_query
from dashboard.i18n.catalogue import LANGUAGES, t
from dashboard.services.view import RoleView

_SHARED = "view_shared"  # the session's ViewState
_REV = "view_rev"  # bumped by every change made outside a page's own widgets
_DRAWN = "view_drawn"  # (page, language, revision) of the last seeded draw
_KEPT = "view_kept"  # page -> its own widget values (not shared)
_NOTES = "view_notes"  # URL values ignored on the session's first run
_LANG_KEY = "lang_switch"

#: Fields of the view state that every page shares (and writes into its URL).
SHARED_FIELDS: tuple[str, ...] = (
    "lang", "vintage", "vg", "categories", "handlungsfelder", "indicator",
)  # fmt: skip


def view() -> RoleView:
    """What the signed-in user (or the public) may read, at the current data version."""
    from dashboard.ui.session import workspace

    return workspace().view()


# -- the shared view state --------------------------------------------------------------------
def shared_state() -> ViewState:
    """The view state of this browser session.

    On the session's first run it is read from the URL (values that do not fit are left
    out and noted for :func:`url_notes`); afterwards the session holds it.
    """
    state = st.session_state.get(_SHARED)
    if isinstance(state, ViewState):
        return state
    current = view()
    valid_vgs = {v: set(frame["rs"]) for v, frame in current.district.vgs.items()}
    state = from_query(st.query_params.to_dict(), valid_vgs, current.current_vintage)
    st.session_state[_NOTES] = state.notes
    state = replace(state, notes=())
    st.session_state[_SHARED] = state
    return state


def remember(**changes: Any) -> ViewState:
    """Change the shared view from outside the page's own widgets (a map click, a
    callback, a sign-in): the next run of any page seeds its widgets from it.

    Parameters
    ----------
    **changes
        Fields of :class:`~dashboard.domain.viewstate.ViewState`.

    Returns
    -------
    ViewState
        The new shared state.
    """
    state = replace(shared_state(), **changes)
    st.session_state[_SHARED] = state
    st.session_state[_REV] = int(st.session_state.get(_REV, 0)) + 1
    return state


def settle(state: ViewState) -> None:
    """Store the view a page's widgets show (the widgets already hold it: no reseeding)."""
    st.session_state[_SHARED] = replace(state, notes=())


def fresh(page: str, probe: str) -> bool:
    """Whether ``page`` must seed its widgets before drawing them.

    True on the page's first draw in this session, when its widgets were dropped (another
    page ran: ``probe``, the key of one of its widgets, is gone), after another language
    was drawn, and after :func:`remember` changed the shared view.

    Parameters
    ----------
    page
        The page's name.
    probe
        The key of a widget the page always draws.
    """
    mark = (page, shared_state().lang, int(st.session_state.get(_REV, 0)))
    if st.session_state.get(_DRAWN) == mark and probe in st.session_state:
        return False
    st.session_state[_DRAWN] = mark
    return True


def kept(page: str) -> dict[str, Any]:
    """A page's own widget values of its last run (empty before its first run)."""
    store: dict[str, dict[str, Any]] = st.session_state.setdefault(_KEPT, {})
    return dict(store.get(page, {}))


def keep(page: str, values: dict[str, Any]) -> None:
    """Remember a page's own widget values for its next fresh draw."""
    store: dict[str, dict[str, Any]] = st.session_state.setdefault(_KEPT, {})
    store[page] = dict(values)


def url_notes() -> tuple[str, ...]:
    """URL values ignored on the session's first run (given once, then forgotten)."""
    notes = st.session_state.pop(_NOTES, ())
    return tuple(notes)


def sync_url(params: dict[str, str], shared: tuple[str, ...] = SHARED_FIELDS) -> None:
    """Write a page's URL: the ``shared`` fields of the view state plus the page's own
    parameters (so the address bar is always a link to what is shown)."""
    desired = {**_shared_params(shared), **params}
    if st.query_params.to_dict() != desired:
        st.query_params.from_dict(desired)


def _shared_params(names: tuple[str, ...]) -> dict[str, str]:
    state = shared_state()
    current = view().current_vintage
    return to_query(
        replace(ViewState(vintage=current), **{f: getattr(state, f) for f in names}), current
    )


#: URL keys of the shared fields.
_SHARED_KEYS = frozenset(
    to_query(
        ViewState(
            vintage=2013, vg="x", categories=("Kita",), handlungsfelder=("sprache",), indicator="x"
        )
    )
)


def change_vintage(view: RoleView, vintage: int) -> ViewState:
    """Switch the shared vintage; the selected VG is kept, or replaced by its successor
    (or predecessor) in the new vintage (:meth:`RoleView.carry_vg`)."""
    state = shared_state()
    vg = view.carry_vg(state.vg, state.vintage, vintage) if state.vg else ""
    gemeinde = state.gemeinde if vg else ""
    return remember(vintage=vintage, vg=vg, gemeinde=gemeinde)


def topic(state: ViewState) -> str:
    """The one category or Handlungsfeld a view is about ("" for none or several)."""
    if len(state.categories) == 1 and not state.handlungsfelder:
        return state.categories[0]
    if len(state.handlungsfelder) == 1 and not state.categories:
        return state.handlungsfelder[0]
    return ""


def topic_fields(code: str) -> dict[str, tuple[str, ...]]:
    """The view fields that select one category or Handlungsfeld (for :func:`remember`).

    Raises
    ------
    ValueError
        For a code that is neither a category nor a Handlungsfeld.
    """
    if code in CATEGORIES:
        return {"categories": (code,), "handlungsfelder": ()}
    if code in HANDLUNGSFELDER:
        return {"categories": (), "handlungsfelder": (code,)}
    raise ValueError(f"unknown category or Handlungsfeld {code!r}")


# -- the language -----------------------------------------------------------------------------
def current_language() -> str:
    """The language of this session (``?lang=`` of the first URL, else German)."""
    return shared_state().lang


def _language_changed() -> None:
    choice = st.session_state.get(_LANG_KEY)
    if choice in LANGUAGES:
        remember(lang=choice)


def language_switch(url: bool = True) -> str:
    """Sidebar selector for the language; the choice is kept for the whole session (and
    in the URL, ``?lang=en``), with every other widget keeping its value.

    Parameters
    ----------
    url
        Write the shared view into the URL (pages with their own URL do it themselves).

    Returns
    -------
    str
        ``de`` or ``en``.
    """
    lang = current_language()
    st.session_state[_LANG_KEY] = lang  # each page draws its own switch: set before drawing
    st.sidebar.radio(
        t("lang.label", lang),
        LANGUAGES,
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        horizontal=True,
        key=_LANG_KEY,
        on_change=_language_changed,
    )
    if url:
        _merge_into_url()
    return lang


def _merge_into_url() -> None:
    """Put the shared view into the URL, leaving the page's own parameters alone."""
    shared = _shared_params(SHARED_FIELDS)
    current = st.query_params.to_dict()
    desired = {k: v for k, v in current.items() if k not in _SHARED_KEYS} | shared
    if current != desired:
        st.query_params.from_dict(desired)
