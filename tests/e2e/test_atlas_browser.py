"""The atlas map in a real browser, offline: layers, legend, clusters, filters, shared URL, XSS."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import MAP, Watched, sign_in
from tests.e2e.test_offline_map import _count_in_map

pytestmark = pytest.mark.e2e


def _wait_facilities(w: Watched, n: int) -> None:
    w.page.wait_for_function(
        """([mapSel, n]) => {
            const m = document.querySelector(mapSel);
            return !!m && m.getAttribute("data-ia-points") === String(n);
        }""",
        arg=[MAP, n],
        timeout=60_000,
    )


def test_layers_legend_clusters_and_filter(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(app_url)
    _count_in_map(watched, "path.ia-vg", 6)
    _wait_facilities(watched, 28)
    inner = page.locator(MAP)
    assert inner.locator(".ia-cluster").count() > 0
    assert inner.locator(".ia-legend").count() == 1
    assert "Kita" in inner.locator(".ia-legend").first.inner_text()
    assert inner.locator(".ia-legend-nodata").count() == 1
    page.get_by_text("28 von 29 Angeboten auf der Karte").wait_for()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Verbandsgemeinde").first
    box.locator("input").click()
    page.keyboard.type("Weilerbach")
    page.keyboard.press("Enter")
    page.get_by_text("13 von 29 Angeboten auf der Karte").wait_for(timeout=60_000)
    _wait_facilities(watched, 13)
    _count_in_map(watched, "path.ia-vg-selected", 1)
    page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)").wait_for()
    assert "vg=073355009" in page.url
    assert watched.errors == [] and watched.external == []


def test_shared_url_restores_view(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/?lang=en&v=2013&cat=Schule&lvl=gemeinde&cls=equal_interval&k=3")
    page.get_by_role("heading", name="Map: offers and needs").wait_for(timeout=60_000)
    _count_in_map(watched, "path.ia-vg", 9)
    _count_in_map(watched, "path.ia-gemeinde", 50)
    _wait_facilities(watched, 11)
    page.get_by_text("11 of 29 offers on the map").wait_for()
    legend = page.locator(MAP).locator(".ia-legend-class")
    assert legend.count() == 3
    assert "cat=Schule" in page.url and "v=2013" in page.url
    assert watched.errors == [] and watched.external == []


def test_html_in_names_is_text(watched: Watched, app_url: str, tmp_path: Path) -> None:
    page = watched.page
    csv = "Name;Kategorie;Breitengrad;Längengrad;Stand;Quelle\r\n"
    csv += "<img src=x onerror=alert(1)>;Verein;49,4131;7,5703;01.01.2025;E2E-XSS\r\n"
    path = tmp_path / "xss.csv"
    path.write_bytes(csv.encode("utf-8"))
    sign_in(page, app_url)
    page.get_by_role("link", name="Import").click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Importieren").click()
    page.get_by_text("1 Datensatz gespeichert.").wait_for(timeout=60_000)
    page.goto(f"{app_url}/?q=onerror")
    page.get_by_text("1 Treffer").wait_for(timeout=60_000)
    inner = page.locator(MAP)
    popup = inner.locator(".ia-popup")
    popup.wait_for(timeout=60_000)
    assert "<img src=x onerror=alert(1)>" in popup.inner_text()
    assert inner.locator(".ia-popup img").count() == 0
    assert watched.errors == [] and watched.external == []  # no dialog opened
