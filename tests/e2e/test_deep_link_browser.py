"""A shared link opened as the very first request of a fresh server keeps the app's navigation."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import _free_port, _wait_healthy

pytestmark = pytest.mark.e2e


def test_first_request_deep_link(browser: object, tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(tmp_path / "store.gpkg")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc)
        page = browser.new_page()
        page.goto(f"{url}/versorgung?sel=Schule")
        nav = page.locator('[data-testid="stSidebarNav"] a')
        nav.first.wait_for(timeout=60_000)
        page.get_by_role(
            "heading", name="Versorgungsanalyse: wo Bedarf hoch und Angebot dünn ist"
        ).wait_for(timeout=60_000)
        assert nav.all_inner_texts()[:2] == ["Karte", "Versorgungsanalyse"]
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
