"""The app's copy of the public offer finder: kept current, linked from the app.

Streamlit serves the folder ``static/`` beside ``app.py`` at ``/app/static/``
(``server.enableStaticServing`` in ``.streamlit/config.toml``); the finder lives in
``static/finder/`` and is rebuilt by the service whenever the store's data version
changed (:func:`dashboard.services.finder.keep_current`): on each run of the app and, for
changes made elsewhere, by a background check once a minute.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from dashboard.config import REPO_ROOT, environment
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.services import finder
from dashboard.ui.session import current_user


def finder_dir() -> Path:
    """Where Streamlit serves the finder from: ``static/<name>`` beside the entry script
    (``INTEGRATIONSATLAS_FINDER_NAME``, default ``finder``; the tests give each server its
    own, so that servers on different stores never share one folder)."""
    return REPO_ROOT / "static" / environment().finder_name


def finder_url() -> str:
    """The finder's address relative to any page of the app (pages sit at the top level,
    so this also holds under ``server.baseUrlPath``)."""
    return f"app/static/{environment().finder_name}/index.html"


@st.cache_resource(show_spinner=False)
def _watching() -> bool:
    finder.watch(finder_dir())
    return True


def keep_finder_current() -> None:
    """Rebuild the app's finder if the data changed (cheap when it did not); start the
    background check once per server process. Never raises."""
    finder.keep_current(finder_dir())
    try:
        _watching()
    except Exception:  # noqa: BLE001 - a missing thread never breaks a page
        return


def finder_section(lang: str) -> None:
    """The finder page: what it is, the link to it, its build, how to publish it."""
    st.title(t("finderpage.heading", lang))
    st.write(t("finderpage.intro", lang))
    described = finder.read_build(finder_dir())
    if described is None:
        st.warning(t("finderpage.missing", lang))
        return
    st.link_button(t("finderpage.open", lang), finder_url(), type="primary")
    files = described.get("files")
    size = sum(int(v) for v in files.values()) if isinstance(files, dict) else 0
    generated = str(described.get("generated", ""))
    offers = int(str(described.get("offers", 0)))
    st.caption(
        tn(
            "finderpage.status",
            offers,
            lang,
            date=fmt_date(dt.date.fromisoformat(generated) if generated else None, lang),
            offers=fmt_int(offers, lang),
            size=fmt_int(size / 1000, lang),
        )
    )
    if current_user().role == "admin":  # how to publish it: for those who run the server
        st.caption(t("finderpage.publish", lang))
