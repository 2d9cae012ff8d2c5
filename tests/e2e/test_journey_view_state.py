"""One view across pages, in a real browser: the language, the vintage, the VG and the
filters survive page changes, a language switch, a vintage change (the VG or its
successor) and signing in and out; an unexpected error shows a short message with an
error number, never a traceback.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import JOURNEY_USERS, JourneyServer, Watched
from tests.e2e.journey import (
    TIMEOUT,
    checked_radio,
    chosen,
    count_in_map,
    nav,
    no_exception,
    pick,
    settle,
    sign_in,
    url_has,
)

pytestmark = pytest.mark.e2e

VINTAGE_DE = "Gebietsstand der Verbandsgemeinden"
VINTAGE_EN = "Boundary vintage of the Verbandsgemeinden"


def test_view_survives_pages_language_vintage_and_sign_out(
    watched: Watched, journey_url: str
) -> None:
    w, page = watched, watched.page
    page.goto(journey_url)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    # vintage 2013, VG Kaiserslautern-Süd, category Kita, Gemeinden layer off
    page.get_by_text("2013 (9 VG", exact=False).click()
    settle(w)
    count_in_map(w, "path.ia-vg", 9)
    pick(w, "Verbandsgemeinde", "Kaiserslautern-Süd")
    page.get_by_role("heading", name="Verbandsgemeinde Kaiserslautern-Süd (073355004)").wait_for(
        timeout=TIMEOUT
    )
    page.get_by_text("Filter", exact=True).click()
    pick(w, "Kategorie", "Kita")
    url_has(w, "v=2013", "vg=073355004", "cat=Kita")

    # a vintage change keeps the VG's successor: Kaiserslautern-Süd is in Landstuhl since 2019
    page.get_by_text("2019 (6 VG", exact=False).click()
    settle(w)
    page.get_by_role("heading", name="Verbandsgemeinde Landstuhl (073355011)").wait_for(
        timeout=TIMEOUT
    )
    url_has(w, "vg=073355011")
    assert chosen(w, "Verbandsgemeinde") == "Landstuhl"
    # and back: Landstuhl exists in 2014 (with its old key)
    page.get_by_text("2014 (7 VG", exact=False).click()
    settle(w)
    page.get_by_role("heading", name="Verbandsgemeinde Landstuhl (073355005)").wait_for(
        timeout=TIMEOUT
    )
    count_in_map(w, "path.ia-vg", 7)
    no_exception(w)

    # switching the language keeps every value and the vintage
    page.get_by_text("English", exact=True).click()
    settle(w)
    page.get_by_role("heading", name="Map: offers and needs").wait_for(timeout=TIMEOUT)
    assert checked_radio(w, VINTAGE_EN).startswith("2014 (7 VGs")
    assert chosen(w, "Verbandsgemeinde") == "Landstuhl"
    assert (
        page.locator('[data-testid="stMultiSelect"] [data-tag]', has_text="Day-care centre").count()
        == 1
    )
    url_has(w, "lang=en", "v=2014", "cat=Kita")
    no_exception(w)

    # another page reads the same view, and the way back finds it unchanged
    nav(w, "Data inventory")
    page.get_by_role("heading", name=re.compile("^Data inventory")).wait_for(timeout=TIMEOUT)
    assert chosen(w, "Verbandsgemeinde") == "Landstuhl"  # the current VG of the same area
    assert chosen(w, "Category") == "Day-care centre"
    url_has(w, "lang=en")
    nav(w, "Map")
    page.get_by_role("heading", name="Map: offers and needs").wait_for(timeout=TIMEOUT)
    assert checked_radio(w, VINTAGE_EN).startswith("2014 (7 VGs")
    assert chosen(w, "Verbandsgemeinde") == "Landstuhl"
    count_in_map(w, "path.ia-vg", 7)

    # signing in and out (on the edit page, which the public may not open) keeps the view
    page.get_by_text("Deutsch", exact=True).click()
    settle(w)
    sign_in(w, "bernd", JOURNEY_USERS["bernd"][0])
    assert checked_radio(w, VINTAGE_DE).startswith("2014 (7 VG")
    nav(w, "Angebote bearbeiten")
    page.get_by_role("heading", name="Angebote bearbeiten").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Abmelden").click()
    settle(w)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    page.get_by_text("Anmeldung", exact=True).wait_for(timeout=TIMEOUT)
    assert checked_radio(w, VINTAGE_DE).startswith("2014 (7 VG")
    assert chosen(w, "Verbandsgemeinde") == "Landstuhl"
    count_in_map(w, "path.ia-vg", 7)
    count_in_map(w, "path.ia-gemeinde", 50)  # the layers are still on
    url_has(w, "v=2014", "vg=073355005")
    no_exception(w)
    assert w.errors == [] and w.external == []


def test_unexpected_error_shows_a_number_not_a_traceback(
    watched: Watched, journey_server: JourneyServer
) -> None:
    page = watched.page
    page.goto(f"{journey_server.url}/?test_error=1")
    message = page.get_by_text(re.compile(r"Fehlernummer [0-9a-f]{8}")).first
    message.wait_for(timeout=TIMEOUT)
    error_id = re.search(r"Fehlernummer ([0-9a-f]{8})", message.inner_text()).group(1)
    body = page.locator("body").inner_text()
    for leak in ("Traceback", "RuntimeError", "provoked test error", "/dashboard/", ".py"):
        assert leak not in body, leak
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Ask Google").count() == 0
    # the details are in the server log under the same number
    log = journey_server.log.read_text(encoding="utf-8", errors="replace")
    assert f"error {error_id}" in log and "provoked test error" in log
    # without the parameter the same app works
    page.goto(journey_server.url)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    no_exception(watched)
    assert watched.errors == [] and watched.external == []
