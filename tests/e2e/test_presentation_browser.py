"""Presentation mode in a real browser: next/previous move through views; no input widgets."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Watched
from tests.e2e.test_offline_map import _count_in_map

pytestmark = pytest.mark.e2e

VISIBLE_INPUTS = """() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; }).length"""


def test_next_previous_and_no_widgets(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/praesentation")
    page.get_by_role("heading", name="Landkreis Kaiserslautern: Angebote und Bedarf").wait_for(
        timeout=60_000
    )
    _count_in_map(watched, "path.ia-vg", 6)
    assert page.get_by_text("Ansicht 1 von 16").is_visible()
    assert "© GeoBasis-DE / BKG (2016)" in page.locator(".ia-pres-footer").inner_text()
    assert "Einwohner: Stand" in page.locator(".ia-pres-footer").inner_text()
    assert page.evaluate(VISIBLE_INPUTS) == 0
    page.locator("a.ia-next").click()
    page.get_by_role("heading", name="Verbandsgemeinde Bruchmühlbach-Miesau (073355001)").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Ansicht 2 von 16").is_visible()
    _count_in_map(watched, "path.ia-vg-selected", 1)
    assert page.evaluate(VISIBLE_INPUTS) == 0
    page.locator("a.ia-prev").click()
    page.get_by_text("Ansicht 1 von 16").wait_for(timeout=60_000)
    _count_in_map(watched, ".ia-legend", 1)
    assert watched.errors == [] and watched.external == []


def test_saved_sequence_reopens(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/praesentation?seq=hf:sprache~vg:073355009&i=1")
    page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Ansicht 2 von 2").is_visible()
    assert page.locator("a.ia-next").count() == 0
    page.locator("a.ia-prev").click()
    page.get_by_role("heading", name="Handlungsfeld: Sprache").wait_for(timeout=60_000)
    assert watched.errors == [] and watched.external == []
