"""The map page in a real browser with every external request blocked."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import MAP, Watched, sign_in

pytestmark = pytest.mark.e2e


def _count_in_map(w: Watched, selector: str, expected: int) -> None:
    w.page.wait_for_function(
        """([mapSel, sel, n]) => {
            const m = document.querySelector(mapSel);
            return !!(m && m.querySelectorAll(sel).length === n);
        }""",
        arg=[MAP, selector, expected],
        timeout=60_000,
    )


def test_map_renders_offline_and_vintage_switch(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(app_url)
    _count_in_map(watched, "path.ia-vg", 6)
    frame = page.locator(MAP)
    box = frame.bounding_box()
    assert box is not None and box["height"] > 300 and box["width"] > 300
    inner = page.locator(MAP)
    assert inner.locator("path.ia-vg").first.is_visible()
    attribution = inner.locator(".leaflet-control-attribution")
    assert attribution.is_visible()
    assert "© GeoBasis-DE / BKG (2016)" in attribution.inner_text()
    assert inner.locator("path.ia-gemeinde").count() == 50

    page.get_by_text("2013 (9 VG").click()
    _count_in_map(watched, "path.ia-vg", 9)

    assert watched.errors == []
    assert watched.external == []


def test_data_page_offline(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/daten")
    page.get_by_role("heading", name="Daten & Quellen").first.wait_for(timeout=60_000)
    assert watched.errors == [] and watched.external == []


def test_english_switch(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/?lang=en")
    page.get_by_role("heading", name="Map: offers and needs").first.wait_for(timeout=60_000)
    _count_in_map(watched, "path.ia-vg", 6)
    assert watched.errors == [] and watched.external == []


@pytest.mark.parametrize("path", ["", "versorgung", "bestand", "daten"])
def test_every_page_offline(watched: Watched, app_url: str, path: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/{path}")
    page.locator("h1").first.wait_for(timeout=60_000)
    if path in ("", "versorgung"):
        _count_in_map(watched, "path.ia-vg", 6)
        legend = page.locator(MAP).locator(".ia-legend").first
        legend.wait_for(timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Page not found").count() == 0
    assert watched.errors == [] and watched.external == []


def test_import_page_offline_for_editors(watched: Watched, app_url: str) -> None:
    page = watched.page
    sign_in(page, app_url)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Listen importieren").wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert watched.errors == [] and watched.external == []
