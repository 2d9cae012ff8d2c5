"""A fresh app process prepares the first view before its first request (asgi.py's
lifespan): the pages' modules imported, the start page's map data written and cached."""

from __future__ import annotations

import asyncio
import concurrent.futures
from pathlib import Path

import pytest

from dashboard.ui import mapview, warmup


def test_the_pages_modules_are_found_in_their_source() -> None:
    modules = warmup.page_modules()
    for name in ("dashboard.ui.mapview", "dashboard.ui.atlas", "dashboard.ui.gaps"):
        assert name in modules
    assert all(m.startswith("dashboard.") for m in modules)


def test_the_start_page_is_prepared_at_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapview, "DATA_DIR", tmp_path)
    mapview.clear_caches()

    async def start() -> None:
        async with warmup.lifespan(None):
            pass

    # a thread of its own: a browser test of the same session may hold a running loop here
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, start()).result()
    written = {p.name.split("-")[0] for p in tmp_path.glob("*.json")}
    assert {"topo", "areas", "fac", "overlay"} <= written  # the start page's map, both languages
    assert len(list(tmp_path.glob("areas-*.json"))) == 2
    mapview.clear_caches()
