"""Prepare an app process at its start, so the first visitor does not wait for it.

A fresh process used to spend the first page run importing the pages' modules (the
analysis and classification libraries take seconds), reading the district and building the
start page's map data: 8 s before the first map. :func:`lifespan` (used by ``asgi.py``, the
entry of ``make run`` and of ``serve``) does that work before the process answers its first
request: the modules every page imports, the public district view, and the start page's
map resources in both languages (written to the app's static folder and kept in the
process's caches, which every session shares). A failure here is logged and the process
starts anyway; the first page then prepares what is missing as before.
"""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import importlib
import importlib.util
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dashboard.config import REPO_ROOT

log = logging.getLogger(__name__)


def page_modules() -> list[str]:
    """The ``dashboard`` modules the entry script and the pages import (read from their
    source, so the list follows the pages)."""
    names: dict[str, None] = {}
    files = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "app_pages").glob("*.py"))]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names[node.module] = None
                for alias in node.names:  # ``from dashboard.ui import atlas, vgview``
                    if _is_module(f"{node.module}.{alias.name}"):
                        names[f"{node.module}.{alias.name}"] = None
            elif isinstance(node, ast.Import):
                names.update({a.name: None for a in node.names})
    return [n for n in names if n.startswith("dashboard.")]


def _is_module(name: str) -> bool:
    try:
        return name.startswith("dashboard.") and importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a name inside a module, not a module
        return False


def prepare() -> float:
    """Import the pages' modules and build what the start page shows the public.

    Returns
    -------
    float
        Seconds it took.
    """
    from dashboard.domain.viewstate import ViewState
    from dashboard.i18n.catalogue import LANGUAGES
    from dashboard.services.app import workspace_for

    start = time.perf_counter()
    for name in page_modules():
        importlib.import_module(name)
    from dashboard.ui.finder import keep_finder_current
    from dashboard.ui.mapview import map_spec

    keep_finder_current()  # the public offer finder, built if the data changed
    view = workspace_for(None).view()
    today = dt.date.today()
    for lang in LANGUAGES:
        state = view.resolved(ViewState(lang=lang))  # the start page's default view
        view.filtered(state, today)
        map_spec(view, state, today=today)  # resources written, overlay and offers cached
    return time.perf_counter() - start


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """Streamlit's ``App`` lifespan: :func:`prepare` before the first request is served."""
    try:
        seconds = await asyncio.to_thread(prepare)
        log.info("prepared for the first visitor in %.1f s", seconds)
    except Exception:  # noqa: BLE001 - the process starts anyway
        log.exception("preparing the first view failed; the first page prepares it")
    yield
