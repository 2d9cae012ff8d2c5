"""No traceback reaches a user: a short message with an error id; details to the log.

A store that stays locked by another change (:class:`StoreBusy`) or a database server that
cannot be reached (:class:`StoreUnavailable`) gets its own plain message instead.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from dashboard.config import environment
from dashboard.i18n.catalogue import t
from dashboard.i18n.message import error_text
from dashboard.services.workspace import StoreBusy, StoreUnavailable
from dashboard.ui.text import plain

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
    except StoreBusy as exc:
        log.warning("store busy on a page: %s", exc.detail)
        st.warning(t("store.busy", lang))
    except StoreUnavailable as exc:
        log.error("store unavailable on a page: %s", exc.detail)
        st.error(t("store.unavailable", lang))
    except Exception:
        error_id = secrets.token_hex(4)
        log.exception("error %s on a page", error_id)
        st.error(t("error.unexpected", lang, id=error_id))


def refused(exc: BaseException, lang: str) -> None:
    """Show why an action was refused (a rights check, a stale version, an unreadable
    file, invalid rows), in the user's language and as plain text.

    Parameters
    ----------
    exc
        The refusal: a :class:`dashboard.i18n.message.LocalizedError` is worded in
        ``lang``; any other error shows its own text.
    lang
        The user's language.
    """
    st.error(plain(error_text(exc, lang)))


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
    if environment().test_hooks and st.query_params.get("test_error") == "1":
        raise RuntimeError(f"provoked test error in {__file__}")
