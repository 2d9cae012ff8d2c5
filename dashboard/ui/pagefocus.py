"""Keep the user's focus on the page they chose: on a narrow screen (a phone), where the
sidebar lies over the page, it is closed after a page was chosen from it.

Streamlit closes it by itself only for browsers that say they are phones; a narrow window
or a phone asking for the desktop site kept it open over three quarters of the screen. The
work is done in the browser by a small Custom Component (v2) of this package
(``dashboard/render/web/static/page.js``), mounted once per run in the sidebar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboard.render.web.assets import PAGE_COMPONENT, PAGE_COMPONENT_JS

#: Below this width (CSS pixels) Streamlit's sidebar lies over the page (its "md" breakpoint).
NARROW_PX = 768

#: The page of the session's previous run.
_LAST = "ia_page_last"

_mount: Callable[..., Any] | None = None


def follow_navigation(page: str) -> None:
    """Close the sidebar after ``page`` was chosen on a narrow screen.

    Parameters
    ----------
    page
        The chosen page's URL path (any value that changes with the page).
    """
    global _mount
    if _mount is None:
        _mount = st.components.v2.component(PAGE_COMPONENT, js=PAGE_COMPONENT_JS)
    last = st.session_state.get(_LAST)
    st.session_state[_LAST] = page
    close = f"{page}@{time.monotonic_ns()}" if last is not None and last != page else ""
    with st.sidebar:
        _mount(key="ia_page", data={"close": close, "narrow": NARROW_PX}, height=0)
