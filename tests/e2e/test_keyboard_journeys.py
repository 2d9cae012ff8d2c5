"""The users' journeys with the keyboard alone: no mouse event at all (``page.keyboard``
only, :mod:`tests.e2e.keyboard`), the focus visible on every control reached and never lost
to the page after a rerun, and what changes without a page change announced (a live region).

* The planner picks a VG (the select box beside the map), goes to the Versorgungsanalyse,
  chooses an offer, places a planned facility by its coordinates, and downloads the table
  with it.
* The presenter steps through a show (Tab to "weiter" and Enter; the arrow keys) and back.
* The Kreis-Redaktion signs in, filters the map (the count is announced), and reaches the
  review, the import (the upload button; a list uploaded, its report shown) and the
  collection round.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import JOURNEY_USERS, Watched
from tests.e2e.journey import TIMEOUT, no_exception, settle, url_has
from tests.e2e.keyboard import choose, focus_shown, focused_name, names, tab_into, tab_to

pytestmark = pytest.mark.e2e

WEILERBACH = "073355009"
#: The planned facility: in the Gemeinde Rodenbach (VG Weilerbach), typed as coordinates.
PLANNED = ("49.4725", "7.6570")


def _live_text(w: Watched) -> str:
    """What the page's live regions (role status/alert, aria-live) hold now."""
    return str(
        w.page.evaluate(  # type: ignore[attr-defined]
            """() => [...document.querySelectorAll('[role=status], [role=alert], [aria-live]')]
                .filter(e => e.getAttribute('aria-live') !== 'off')
                .map(e => e.innerText).join('\\n')"""
        )
    )


def _focus_kept(w: Watched, name: str) -> None:
    """After the rerun a change started, the focus is still on the control (not lost to the
    page) and visible."""
    settle(w)
    found = focused_name(w)
    assert found is not None, f"the focus was lost after changing {name!r}"
    assert names(w, name), (name, found)
    assert focus_shown(w), f"the focus on {name!r} is not visible after the rerun"


def _type_number(w: Watched, label: str, value: str) -> None:
    """Tab to a number field, replace its value, and leave it with Tab (which commits it)."""
    tab_to(w, label)
    page = w.page
    page.keyboard.press("Control+A")  # type: ignore[attr-defined]
    page.keyboard.type(value, delay=20)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    _focus_kept(w, label)


def test_planner_by_keyboard(watched: Watched, journey_url: str) -> None:
    page = watched.page
    page.goto(f"{journey_url}/?lang=de")
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    settle(watched)

    # 1. a VG, chosen in the select box beside the map: its view opens below the map
    choose(watched, "Verbandsgemeinde", "Weilerbach")
    page.get_by_role("heading", name=f"Verbandsgemeinde Weilerbach ({WEILERBACH})").wait_for(
        timeout=TIMEOUT
    )
    url_has(watched, f"vg={WEILERBACH}")
    _focus_kept(watched, "Verbandsgemeinde")
    no_exception(watched)

    # 2. the Versorgungsanalyse through the navigation, the VG carried
    tab_to(watched, "Versorgungsanalyse", back=True)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=re.compile("^Versorgungsanalyse")).first.wait_for(
        timeout=TIMEOUT
    )
    settle(watched)
    url_has(watched, f"vg={WEILERBACH}")

    # 3. the analysis for language courses
    choose(watched, "Angebot (Kategorie oder Handlungsfeld)", "Handlungsfeld Sprache")
    url_has(watched, "sel=sprache")
    page.get_by_text("Gewählt: Verbandsgemeinde Weilerbach").first.wait_for(timeout=TIMEOUT)
    no_exception(watched)

    # 4. what if: the expander opened with Enter, the planned facility switched on with
    #    Space, its place typed as coordinates; the changes are announced
    tab_to(watched, "Was wäre, wenn? Geplante Einrichtung (wird nicht gespeichert)")
    page.keyboard.press("Enter")
    tab_to(watched, "Geplante Einrichtung einrechnen")
    page.keyboard.press("Space")
    _focus_kept(watched, "Geplante Einrichtung einrechnen")
    _type_number(watched, "Breitengrad", PLANNED[0])
    _type_number(watched, "Längengrad", PLANNED[1])
    page.get_by_text("Veränderungen durch die geplante Einrichtung").first.wait_for(timeout=TIMEOUT)
    assert page.get_by_label("Breitengrad", exact=True).input_value().startswith("49.472")
    announced = _live_text(watched)
    assert "Veränderungen durch die geplante Einrichtung:" in announced, announced
    no_exception(watched)

    # 5. the table with the planned facility, downloaded with Enter
    tab_to(watched, "ohne (nur der Bestand)")  # a radio group: Tab reaches the chosen one,
    page.keyboard.press("ArrowRight")  # the arrow keys move the choice
    _focus_kept(watched, "mit, als „was wäre wenn“ gekennzeichnet")
    tab_to(watched, "Herunterladen als CSV")
    with page.expect_download(timeout=120_000) as info:
        page.keyboard.press("Enter")
    name = info.value.suggested_filename
    text = open(info.value.path(), encoding="utf-8-sig").read()  # noqa: PTH123
    assert re.search(r"was-?waere", name, re.I), name
    assert "Weilerbach" in text and re.search("geplant", text, re.I), text[:300]
    no_exception(watched)
    assert watched.errors == [] and watched.external == []


def test_presenter_by_keyboard(watched: Watched, journey_url: str) -> None:
    page = watched.page
    page.goto(f"{journey_url}/praesentation?lang=de")
    position = page.locator(".ia-pres-pos")
    position.wait_for(timeout=120_000)
    settle(watched)
    first = page.locator(".ia-pres h1").inner_text()
    total = int(position.inner_text().split()[-1])
    assert total >= 3, position.inner_text()

    # Tab to "weiter", Enter: the next view, the focus stays on the button
    tab_to(watched, "weiter ▶")
    for i in range(2, 4):
        page.keyboard.press("Enter")
        position.filter(has_text=f"Ansicht {i} von {total}").wait_for(timeout=TIMEOUT)
        _focus_kept(watched, "weiter ▶")
        alt = page.locator('[data-testid="stImage"] img').first.get_attribute("alt") or ""
        assert alt.startswith("Karte: ") and len(alt) > 40, alt  # what the map shows
    assert page.locator(".ia-pres h1").inner_text() != first

    # the arrow keys of a presenter's remote: back to the start
    for i in (2, 1):
        page.keyboard.press("ArrowLeft")
        position.filter(has_text=f"Ansicht {i} von {total}").wait_for(timeout=TIMEOUT)
    settle(watched)
    assert page.locator(".ia-pres h1").inner_text() == first
    assert focused_name(watched) is not None, "the focus was lost while stepping back"
    no_exception(watched)
    assert watched.errors == [] and watched.external == []


#: A list for the import (two valid rows, one without a name): only uploaded and checked.
IMPORT_CSV = "\r\n".join(
    [
        "Name;Kategorie;Ort;Breitengrad;Längengrad;Stand;Quelle",
        "Tastatur-Testverein;Verein;Weilerbach;;;01.01.2025;E2E-Testliste",
        "Tastatur-Testkita;Kita;Landstuhl;;;01.01.2025;E2E-Testliste",
        ";Kita;Landstuhl;;;01.01.2025;E2E-Testliste",
    ]
)


def _open_page(w: Watched, link: str, heading: str) -> None:
    """Shift+Tab back to the navigation link, Enter; the page's heading shows."""
    tab_to(w, link, back=True)
    w.page.keyboard.press("Enter")  # type: ignore[attr-defined]
    w.page.get_by_role("heading", name=heading, level=1).wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    settle(w)
    no_exception(w)


def test_staff_by_keyboard(watched: Watched, journey_url: str, tmp_path: object) -> None:
    page = watched.page
    name, (password, _, _) = "bernd", JOURNEY_USERS["bernd"]
    page.goto(f"{journey_url}/?lang=de")
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    settle(watched)

    # sign in: the form in the sidebar, opened with Enter, sent with Enter
    tab_to(watched, "Anmeldung")
    page.keyboard.press("Enter")
    tab_to(watched, "Name")
    page.keyboard.type(name)
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.get_by_text(f"Angemeldet als {name}").wait_for(timeout=TIMEOUT)
    settle(watched)

    # a filter: the count of offers changes and is announced
    before = page.get_by_text(re.compile(r"\d+ von \d+ Angeboten auf der Karte")).first
    count = before.inner_text()
    tab_to(watched, "Filter")
    page.keyboard.press("Enter")
    choose(watched, "Handlungsfeld", "Sprache")
    page.wait_for_function(
        "(c) => ![...document.querySelectorAll('[role=status]')].some(e => e.innerText === c)",
        arg=count,
        timeout=TIMEOUT,
    )
    assert re.search(r"\d+ von \d+ Angeboten auf der Karte", _live_text(watched))
    assert count not in _live_text(watched)
    no_exception(watched)

    # the review, the import (the file dialog opened with Enter), the collection round
    _open_page(watched, "Vorschläge prüfen", "Vorschläge prüfen")
    _open_page(watched, "Import", "Listen importieren")
    path = tmp_path / "tastatur-liste.csv"  # type: ignore[operator]
    path.write_bytes(IMPORT_CSV.encode("cp1252"))
    tab_into(watched, '[data-testid="stFileUploader"]')  # its button, focus visible
    # Enter on it opens the system's file dialog, which a test cannot drive; the file is
    # given to the upload field as that dialog would (no mouse either way)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_text("Neu: 2 · Geändert: 0 · Unverändert: 0 · Fehlerhaft: 1").wait_for(
        timeout=TIMEOUT
    )
    assert "Name fehlt" in page.locator('[data-testid="stTable"]').first.inner_text()
    no_exception(watched)
    _open_page(watched, "Erhebungsrunde", "Erhebungsrunde: Listen der Verbandsgemeinden")
    tab_into(watched, '[data-testid="stMain"] :is(button, input, a, summary)')  # its controls
    assert watched.errors == [] and watched.external == []
