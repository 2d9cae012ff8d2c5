"""Streamlit glue shared by the pages: the language, the user's view, cached outputs.

Pages never open the store: they read through :func:`view` (the signed-in user's
:class:`~dashboard.services.view.RoleView`) and change through
:func:`dashboard.ui.session.workspace`. Outputs that cost time are cached by what they
depend on: the view state, the data version and the audience.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, t
from dashboard.services.view import RoleView


def current_language() -> str:
    """The language of this session: query parameter ``lang``, else German."""
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> str:
    """Sidebar selector for the language; keeps it in the URL (``?lang=en``).

    Returns
    -------
    str
        ``de`` or ``en``.
    """
    lang = current_language()
    choice = st.sidebar.radio(
        t("lang.label", lang),
        LANGUAGES,
        index=LANGUAGES.index(lang),
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        horizontal=True,
        key="lang_switch",
    )
    if choice != lang:
        st.query_params["lang"] = choice
        st.rerun()
    return lang


def view() -> RoleView:
    """What the signed-in user (or the public) may read, at the current data version."""
    from dashboard.ui.session import workspace

    return workspace().view()
