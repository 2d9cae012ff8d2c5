"""The accessibility statement in a real browser: linked from every page's navigation,
reached by the keyboard, the district's values shown as its file states them and what the
Kreis has not filled in said so (German and English)."""

from __future__ import annotations

import pytest

from dashboard.config import load_district
from dashboard.domain.accessibility import statement_values
from tests.e2e.conftest import Watched
from tests.e2e.journey import TIMEOUT, no_exception, open_sidebar, settle

pytestmark = pytest.mark.e2e

WORDS = {
    "de": ("Karte: Angebote und Bedarf", "Barrierefreiheit", "Erklärung zur Barrierefreiheit",
           "noch nicht vom Kreis eingetragen", "Durchsetzungsverfahren"),
    "en": ("Map: offers and needs", "Accessibility", "Accessibility statement",
           "not yet filled in by the Kreis", "Enforcement procedure"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["de", "en"])
def test_statement_is_linked_and_shows_the_districts_values(
    watched: Watched, journey_url: str, lang: str
) -> None:
    map_heading, link, heading, missing, enforcement = WORDS[lang]
    page = watched.page
    page.goto(f"{journey_url}/?lang={lang}")
    page.get_by_role("heading", name=map_heading).wait_for(timeout=TIMEOUT)
    settle(watched)
    open_sidebar(watched)
    nav_link = page.get_by_role("link", name=link, exact=True)
    nav_link.focus()  # reached and followed by the keyboard
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=heading, level=1).wait_for(timeout=TIMEOUT)
    settle(watched)
    assert "/barrierefreiheit" in page.url
    page.get_by_role("heading", name=enforcement, level=2).wait_for()
    body = page.locator('[data-testid="stMain"]').inner_text()
    values = statement_values(load_district("07335"))  # the server's district
    body_flat = " ".join(body.split())
    assert values.get("enforcement_body") in body_flat  # the district file's own words
    assert values.get("contact_email") is None  # the shipped district has no contact yet
    assert body.count(missing) >= 4, body  # ... and the page says so, field by field
    no_exception(watched)
    assert watched.errors == [] and watched.external == []
