"""The finder as the app serves it, and what a first visit transfers.

The app keeps its copy at ``/app/static/<name>/index.html`` (Streamlit's static serving)
and rebuilds it when the store's data version changes; the Angebotsfinder page links to
it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urljoin

import pytest

from dashboard.config import get_settings
from dashboard.data.store import Change, Store
from dashboard.services import finder
from tests.e2e.conftest import running_app
from tests.e2e.finder_browser import StaticServer, open_phone, ready
from tests.finder_support import synthetic_offers, synthetic_store

pytestmark = pytest.mark.e2e

#: The issue's budget for a first visit (all files, the service worker's copy included).
FIRST_VISIT_BUDGET = 300_000


def test_app_serves_links_and_rebuilds_the_finder(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = f"finder-test-{tmp_path.name}"[:60]
    monkeypatch.setenv("INTEGRATIONSATLAS_FINDER_NAME", name)
    settings = synthetic_store(tmp_path / "store.gpkg")
    with running_app(tmp_path, settings.store_path, tmp_path / "users.json") as url:
        phone = open_phone(browser)
        try:
            page = phone.page
            page.goto(f"{url}/finder")
            link = page.get_by_role("link", name="Angebotsfinder öffnen")
            link.wait_for(timeout=60_000)
            href = link.get_attribute("href")
            assert href and href.endswith(f"app/static/{name}/index.html")
            status = page.get_by_text("beim ersten Besuch").inner_text()
            assert "Angebote" in status and "Datenversion" not in status
            page.goto(urljoin(f"{url}/finder", href) + "?lang=de")
            ready(page)
            page.get_by_label("Deutsch lernen", exact=True).check()
            page.get_by_label("Gemeinde oder Postleitzahl").fill("Landstuhl")
            page.get_by_role("button", name="Angebote suchen").click()
            first = page.locator("ol.results > li h2 span[lang]").first
            first.wait_for()
            assert first.inner_text() == "Synthetischer Deutschkurs A"

            # an editor adds a course (place not yet known): the next run of the app rebuilds
            store = Store(settings.store_path, settings.datasets_dir)
            added = synthetic_offers()[2].model_copy(
                update={
                    "id": "syn-late",
                    "name": "Synthetischer Nachtragskurs",
                    "lat": None,
                    "lon": None,
                    "precision": "unknown",
                }  # fmt: skip
            )
            store.apply([Change(added)], "test")
            app = phone.context.new_page()
            app.goto(f"{url}/finder")
            app.get_by_role("link", name="Angebotsfinder öffnen").wait_for(timeout=60_000)
            page.reload()
            ready(page)
            section = page.get_by_role("region", name="Angebote ohne bekannten Ort")
            section.wait_for()
            assert "Synthetischer Nachtragskurs" in section.inner_text()
            assert phone.external == []
        finally:
            phone.context.close()
            finder_dir = Path(__file__).resolve().parents[2] / "static" / name
            for path in sorted(finder_dir.glob("*"), reverse=True):
                path.unlink()
            if finder_dir.is_dir():
                finder_dir.rmdir()


def test_first_visit_transfers_under_300_kb(browser: object, tmp_path: Path) -> None:
    settings = dataclasses.replace(get_settings(), store_path=tmp_path / "s.gpkg")
    info = finder.publish(tmp_path / "site", settings)
    server = StaticServer(tmp_path / "site")
    phone = open_phone(browser)
    try:
        page = phone.page
        page.goto(server.url + "index.html")
        ready(page)
        page.wait_for_selector("html[data-offline-ready]", timeout=30_000)
        sent = sum(n for _, n in server.sent)
        served = {path.split("?")[0].lstrip("/") for path, _ in server.sent}
        assert served >= set(info.files) - {"build.json"}  # everything, for later offline use
        assert 0 < sent < FIRST_VISIT_BUDGET, sent
    finally:
        phone.context.close()
        server.stop()
