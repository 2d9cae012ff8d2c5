"""The VG editor's and the reviewer's journey in a real browser, offline: the VG-Redaktion
signs in → the map and the lists open on its own VG → it proposes a correction (the
confirmation beside the form, the form showing the proposed values) → the Kreis-Redaktion
approves it → the map, the history and a new Steckbrief show it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import JOURNEY_USERS, Watched
from tests.e2e.journey import (
    TIMEOUT,
    chosen,
    click_map,
    count_in_map,
    download,
    map_frame,
    nav,
    no_exception,
    pdf_text,
    pick,
    settle,
    sign_in,
    url_has,
)

pytestmark = pytest.mark.e2e

MAP_HEADING = "Karte: Angebote und Bedarf"
WEILERBACH = "Verbandsgemeinde Weilerbach (073355009)"
SCHOOL = "Grundschule Weilerbach"
CORRECTED = "Grundschule Weilerbach E2E-Korrektur"  # test data: a corrected name


def _grid_text(w: Watched, index: int = 0) -> str:
    """The cells of a table drawn as a data grid (its accessible copy in the page)."""
    grid = w.page.locator('[data-testid="stDataFrame"]').nth(index)
    grid.scroll_into_view_if_needed()
    grid.locator('[role="gridcell"]').first.wait_for(state="attached", timeout=TIMEOUT)
    return " ".join(grid.locator('[role="gridcell"]').all_inner_texts())


def test_vg_editor_and_reviewer_journey(watched: Watched, journey_url: str) -> None:
    w, page = watched, watched.page
    anna, bernd = JOURNEY_USERS["anna"], JOURNEY_USERS["bernd"]

    # 1. the VG-Redaktion signs in on the map: it opens on its own VG
    page.goto(journey_url)
    page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=TIMEOUT)
    sign_in(w, "anna", anna[0])
    page.get_by_role("heading", name=WEILERBACH).wait_for(timeout=TIMEOUT)
    count_in_map(w, "path.ia-vg-selected", 1)
    assert chosen(w, "Verbandsgemeinde") == "Weilerbach"
    url_has(w, "vg=073355009")
    no_exception(w)

    # 2. the edit page: offers, lists and the map of its VG only
    nav(w, "Angebote bearbeiten")
    page.get_by_role("heading", name="Angebote bearbeiten").wait_for(timeout=TIMEOUT)
    page.get_by_role("combobox", name="Angebot", exact=True).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert f"{SCHOOL} (Weilerbach)" in options
    assert not [o for o in options if "Landstuhl" in o or "Ramstein" in o], options
    page.get_by_text("Klick in die Karte", exact=True).click()
    settle(w)
    count_in_map(w, "path.ia-vg-selected", 1)  # the position map opens on its VG
    lat, lng = click_map(w, at=(0.4, 0.5))  # a click in the map sets the position
    shown = page.get_by_text(re.compile(r"Gewählt: [\d.]+, [\d.]+")).first
    shown.wait_for(timeout=TIMEOUT)
    got = [float(x) for x in re.findall(r"[\d.]+", shown.inner_text())[:2]]
    assert abs(got[0] - lat) < 1e-4 and abs(got[1] - lng) < 1e-4, (got, lat, lng)
    no_exception(w)
    page.get_by_text("Adresse (PLZ und Ort)", exact=True).click()
    settle(w)
    no_exception(w)

    # 3. propose a correction of a name
    pick(w, "Angebot", f"{SCHOOL} (Weilerbach)")
    main = page.locator('[data-testid="stMain"]')
    name_box = main.get_by_label("Name", exact=True)
    expect(name_box).to_have_value(SCHOOL)
    name_box.fill(CORRECTED)
    page.get_by_label("Kommentar (Grund der Änderung)").fill("Name laut Schulträger")
    page.get_by_role("button", name="Vorschlagen").click()
    confirmation = page.get_by_text("Vorschlag Nr. 1 gespeichert").first
    confirmation.wait_for(timeout=TIMEOUT)
    settle(w)
    # the confirmation sits beside the form's buttons, in view where the user clicked
    expect(confirmation).to_be_in_viewport()
    button = page.get_by_role("button", name="Vorschlagen").bounding_box()
    box = confirmation.bounding_box()
    assert button is not None and box is not None and 0 <= box["y"] - button["y"] < 250
    # the form shows the proposed value while it waits, with a note
    expect(main.get_by_label("Name", exact=True)).to_have_value(CORRECTED)
    page.get_by_text("wartet auf die Prüfung").first.wait_for(timeout=TIMEOUT)
    no_exception(w)
    page.get_by_role("button", name="Abmelden").click()
    settle(w)

    # 4. the Kreis-Redaktion approves it
    sign_in(w, "bernd", bernd[0])
    nav(w, "Vorschläge prüfen")
    page.get_by_role("heading", name="Vorschläge prüfen").wait_for(timeout=TIMEOUT)
    page.get_by_text("Offene Vorschläge (1)").wait_for(timeout=TIMEOUT)
    diff = page.locator('[data-testid="stTable"]').first.inner_text()
    assert SCHOOL in diff and CORRECTED in diff
    page.get_by_label("Kommentar zur Entscheidung").fill("passt")
    page.get_by_role("button", name="Übernehmen").click()
    page.get_by_text("Vorschlag Nr. 1 übernommen.").wait_for(timeout=TIMEOUT)
    settle(w)
    no_exception(w)

    # 5. the history shows who proposed and who approved
    history = _grid_text(w, index=1)
    for expected in ("anna", "bernd", "vorgeschlagen", "übernommen", CORRECTED):
        assert expected in history, expected

    # 6. the map shows it: a search finds the corrected name and opens its popup
    nav(w, "Karte")
    page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=TIMEOUT)
    page.get_by_label("Name suchen").fill("E2E-Korrektur")
    page.keyboard.press("Enter")
    settle(w)
    page.get_by_text("1 Treffer").first.wait_for(timeout=TIMEOUT)
    frame = map_frame(w)
    frame.locator(".ia-popup").first.wait_for(timeout=TIMEOUT)
    assert CORRECTED in frame.locator(".ia-popup").first.inner_text()
    no_exception(w)

    # 7. and a new Steckbrief of Weilerbach lists it
    page.get_by_label("Name suchen").fill("")
    page.keyboard.press("Enter")
    settle(w)
    page.get_by_role("heading", name=WEILERBACH).wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Steckbrief Weilerbach (PDF) erstellen").click()
    name, data = download(w, "Steckbrief Weilerbach herunterladen (PDF)")
    text = pdf_text(data)
    assert re.fullmatch(r"steckbrief-weilerbach-\d{4}-\d{2}-\d{2}\.pdf", name), name
    assert CORRECTED in text
    no_exception(w)
    assert w.errors == [] and w.external == []
