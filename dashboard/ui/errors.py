"""No traceback reaches a user: a short message with an error id; details to the log."""

from __future__ import annotations

import logging
import os
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


#: Set to ``1`` in a test server's environment to allow :func:`test_hook`; never in a
#: deployment.
TEST_HOOKS_ENV = "INTEGRATIONSATLAS_TEST_HOOKS"


def test_hook() -> None:
    """Test only: with ``INTEGRATIONSATLAS_TEST_HOOKS=1`` in the server's environment, the
    URL parameter ``test_error=1`` raises an unexpected error whose message holds a server
    path, so a browser test can see that a user gets the short message and never the
    traceback. Without the variable the parameter does nothing.

    Raises
    ------
    RuntimeError
        When both are set.
    """
    if os.environ.get(TEST_HOOKS_ENV) == "1" and st.query_params.get("test_error") == "1":
        raise RuntimeError(f"provoked test error in {__file__}")
