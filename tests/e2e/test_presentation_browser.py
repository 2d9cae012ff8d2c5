"""Presentation mode in a real browser: previous/next in the same tab; no input widgets in
the show; a saved sequence reopens from its link."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import Watched

pytestmark = pytest.mark.e2e

#: Input widgets a person could type into or choose from (the show has none).
VISIBLE_INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; }).length"""
VISIBLE_BUTTONS = """() => [...document.querySelectorAll('button')]
    .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; })
    .map(e => e.innerText.trim())"""


def _map_drawn(w: Watched) -> None:
    w.page.wait_for_function(
        """() => { const i = document.querySelector('[data-testid="stImage"] img');
            return !!i && i.complete && i.naturalWidth > 600; }""",
        timeout=60_000,
    )


def test_next_previous_and_no_inputs(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/praesentation")
    page.get_by_role("heading", name="Landkreis Kaiserslautern: Angebote und Bedarf").wait_for(
        timeout=60_000
    )
    _map_drawn(watched)
    assert page.get_by_text("Ansicht 1 von 7").is_visible()
    footer = page.locator(".ia-pres-footer").inner_text()
    assert "© GeoBasis-DE / BKG (2016)" in footer and "Einwohner: Stand" in footer
    assert "Einwohner" in page.locator(".ia-leg").inner_text()  # the map's legend
    assert page.evaluate(VISIBLE_INPUTS) == 0
    buttons = page.evaluate(VISIBLE_BUTTONS)
    assert [b.split("\n")[0] for b in buttons] == ["◀ zurück", "weiter ▶", "Ablauf bearbeiten"]
    page.get_by_role("button", name="weiter ▶").click()
    page.get_by_role("heading", name="Verbandsgemeinde Bruchmühlbach-Miesau (073355001)").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Ansicht 2 von 7").is_visible()
    assert "ausgewählte Verbandsgemeinde" in page.locator(".ia-leg").inner_text()
    page.get_by_role("button", name="◀ zurück").click()
    page.get_by_text("Ansicht 1 von 7").wait_for(timeout=60_000)
    _map_drawn(watched)
    assert len(page.context.pages) == 1  # the show never opens another tab
    assert watched.errors == [] and watched.external == []


def test_saved_sequence_reopens(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/praesentation?seq=hf:sprache~vg:073355009&i=1")
    page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Ansicht 2 von 2").is_visible()
    assert page.get_by_role("button", name="weiter ▶").is_disabled()
    page.get_by_role("button", name="◀ zurück").click()
    page.get_by_role("heading", name="Handlungsfeld: Sprache").wait_for(timeout=60_000)
    assert "seq=hf%3Asprache~vg%3A073355009" in page.url or "seq=hf:sprache~vg:073355009" in (
        page.url
    )
    assert watched.errors == [] and watched.external == []
