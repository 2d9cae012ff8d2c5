"""The presenter's journey in a real browser, offline: open the sequence editor from the
page → build a sequence → download the printable map and the Steckbrief (their text read
with pypdf) → start the show in the same tab → step through it by button and keys →
reopen the saved presentation from its link. At 1920 x 1080, as on a projector.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import Watched, watched_page
from tests.e2e.journey import TIMEOUT, download, no_exception, pdf_text, pick, settle

pytestmark = pytest.mark.e2e

SHOW_IMAGE = '[data-testid="stImage"] img'
#: Input widgets a person could type into or choose from (the show has none).
INPUTS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                   return r.width > 0 && r.height > 0 && s.visibility !== 'hidden'; }).length"""


@pytest.fixture
def projector(browser: object) -> Iterator[Watched]:
    """A page at 1920 x 1080 (a projector), every external request blocked and counted."""
    with watched_page(
        browser, viewport={"width": 1920, "height": 1080}, accept_downloads=True
    ) as w:
        yield w


def _shows(w: Watched, heading: str, position: str) -> None:
    """The show is on ``position`` with ``heading``, its map drawn and its legend beside."""
    page = w.page
    page.get_by_role("heading", name=heading).wait_for(timeout=TIMEOUT)
    page.locator(".ia-pres-pos", has_text=position).wait_for(timeout=TIMEOUT)
    page.wait_for_function(
        """(sel) => { const i = document.querySelector(sel);
            return !!i && i.complete && i.naturalWidth > 600; }""",
        arg=SHOW_IMAGE,
        timeout=TIMEOUT,
    )
    settle(w)  # the run is over: nothing of a page shown before is left
    assert page.locator(".ia-leg").first.is_visible()
    footer = page.locator(".ia-pres-footer").inner_text()
    assert "© GeoBasis-DE / BKG (2016)" in footer and "Einwohner: Stand" in footer
    assert page.evaluate(INPUTS) == 0  # only the buttons to move on
    for a, b in re.findall(r"Stand (\S+) bis (\S+)", footer):
        assert a != b, footer  # one date is written once ("Stand 08.2024 bis 08.2024")
    no_exception(w)


def _map_share(w: Watched) -> float:
    """The share of the projector's screen the show's map takes."""
    box = w.page.locator(SHOW_IMAGE).first.bounding_box()
    assert box is not None
    return float(box["width"] * box["height"]) / (1920 * 1080)


def _font_px(w: Watched, selector: str) -> float:
    return float(
        w.page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    )


def test_presenter_journey(projector: Watched, journey_url: str) -> None:
    w, page = projector, projector.page
    # 1. from the map page to the presentation: it starts on the default sequence
    page.goto(journey_url)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Präsentation").click()
    _shows(w, "Landkreis Kaiserslautern: Angebote und Bedarf", "Ansicht 1 von 7")
    # type for the back of the room, at 1920 x 1080
    assert _font_px(w, ".ia-pres h1") >= 44
    assert _font_px(w, ".ia-leg-row") >= 20
    assert _font_px(w, '[data-testid="stTable"] td') >= 22

    # 2. a button opens the editor, in the same tab
    page.get_by_role("button", name="Ablauf bearbeiten").click()
    page.get_by_role("heading", name="Ablauf zusammenstellen").wait_for(timeout=TIMEOUT)
    settle(w)
    assert len(page.context.pages) == 1 and urlparse(page.url).path == "/praesentation"
    chips = page.locator('[data-testid="stMultiSelect"] [data-tag]')
    assert chips.count() == 7  # the default: overview and each VG, not all 16 views
    no_exception(w)

    # 3. build a sequence: clear it, then overview, Weilerbach, Handlungsfeld Sprache
    page.get_by_role("button", name="Leeren").click()
    settle(w)
    page.get_by_text("Noch keine Ansicht gewählt").first.wait_for(timeout=TIMEOUT)
    assert page.get_by_role("button", name="Präsentation starten").is_disabled()
    label = "Ansichten in der Reihenfolge der Präsentation"
    for view in ("Landkreis (Überblick)", "Verbandsgemeinde Weilerbach", "Handlungsfeld: Sprache"):
        pick(w, label, view)
    assert chips.count() == 3
    assert "seq=overview~vg%3A073355009~hf%3Asprache" in page.url or (
        "seq=overview~vg:073355009~hf:sprache" in page.url
    )

    # 4. the printable map (PDF) and the Steckbrief of the Weilerbach view: two PDFs, each
    #    button says which, each file name says the VG and the day; the print in German
    pick(w, "Ansicht für Druckkarte und Steckbrief", "Verbandsgemeinde Weilerbach")
    pick(w, "Format", "pdf")
    page.get_by_role("button", name="Druckkarte dieser Ansicht erstellen (300 dpi)").click()
    name, data = download(w, "Druckkarte herunterladen (PDF)")
    text = pdf_text(data)
    assert re.fullmatch(r"integrationsatlas-karte-weilerbach-\d{4}-\d{2}-\d{2}\.pdf", name), name
    for expected in ("Verbandsgemeinde Weilerbach", "Einwohner", "© GeoBasis-DE / BKG"):
        assert expected in text, expected
    assert text.count("Verbandsgemeinde Weilerbach (073355009)") == 1, text[:300]  # no echo
    assert not re.search(r"\b(mirror|article|figures reported by|portrait of)\b", text)
    page.get_by_role("button", name="Steckbrief Weilerbach (PDF) erstellen").click()
    name, data = download(w, "Steckbrief Weilerbach herunterladen (PDF)")
    assert re.fullmatch(r"steckbrief-weilerbach-\d{4}-\d{2}-\d{2}\.pdf", name), name
    text = pdf_text(data)
    assert "Steckbrief" in text and "Weilerbach" in text and "14.888" in text
    assert "Angebot e " not in text  # the table header keeps its word
    assert not re.search(r"\b(mirror|article|figures reported by|portrait of)\b", text)
    labels = page.locator('[data-testid="stDownloadButton"] button').all_inner_texts()
    assert len(labels) == len(set(labels)) >= 2, labels  # never two identical buttons
    no_exception(w)

    # 5. start: the show runs in this tab and steps by button and keys
    page.get_by_role("button", name="Präsentation starten").click()
    _shows(w, "Landkreis Kaiserslautern: Angebote und Bedarf", "Ansicht 1 von 3")
    share = _map_share(w)
    assert share >= 0.45, f"the map takes {share:.0%} of the projector's screen"
    assert len(page.context.pages) == 1
    page.get_by_role("button", name="weiter ▶").click()
    _shows(w, "Verbandsgemeinde Weilerbach (073355009)", "Ansicht 2 von 3")
    assert "14.888" in page.locator('[data-testid="stTable"]').first.inner_text()
    page.keyboard.press("ArrowRight")
    _shows(w, "Handlungsfeld: Sprache", "Ansicht 3 von 3")
    assert page.get_by_role("button", name="weiter ▶").is_disabled()
    page.keyboard.press("ArrowLeft")
    _shows(w, "Verbandsgemeinde Weilerbach (073355009)", "Ansicht 2 von 3")
    page.keyboard.press("PageUp")  # a presenter's remote
    _shows(w, "Landkreis Kaiserslautern: Angebote und Bedarf", "Ansicht 1 von 3")
    page.keyboard.press("PageDown")
    _shows(w, "Verbandsgemeinde Weilerbach (073355009)", "Ansicht 2 von 3")

    # 6. the address bar holds the presentation: the link reopens it where it was
    link = page.url
    assert "i=1" in link
    page.goto(link)
    _shows(w, "Verbandsgemeinde Weilerbach (073355009)", "Ansicht 2 von 3")
    assert w.errors == [] and w.external == []
