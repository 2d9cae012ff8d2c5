"""No traceback reaches a user: a short message with an error id; details to the log."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dashboard.i18n.catalogue import t

log = logging.getLogger("integrationsatlas")


@contextmanager
def guarded(lang: str) -> Iterator[None]:
    """Run a page; an unexpected error shows one line in the user's language with an id,
    and the traceback goes to the server log under that id.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from
    ``BaseException`` and passes through untouched.
    """
    try:
        yield
    except Exception:
        error_id = secrets.token_hex(4)
        log.exception("error %s on a page", error_id)
        st.error(t("error.unexpected", lang, id=error_id))
