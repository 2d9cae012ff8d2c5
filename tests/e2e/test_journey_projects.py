"""The projects' journey in a real browser, offline: the Kreis-Redaktion adds a project
with two places and moves it from "beschlossen" to "laufend" with a date; a VG-Redaktion
proposes a project in its VG and the Kreis-Redaktion approves it; the timeline, the map's
Projektstandorte layer, the VG view and the Sachstandsbericht (PDF text) show both, the
public version without the internal note; the history shows each change.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app
from tests.e2e.journey import (
    TIMEOUT,
    count_in_map,
    download,
    map_frame,
    nav,
    no_exception,
    pdf_text,
    pick,
    settle,
    sign_in,
)

pytestmark = pytest.mark.e2e

USERS = {"anna": ("anna-passwort-1", "vg_editor", ["073355009"]),
         "bernd": ("bernd-passwort-1", "district_editor", [])}  # fmt: skip
FIRST = "Sprachcafé für Eltern E2E"  # test data
SECOND = "Nähcafé Rodenbach E2E"  # test data
NOTE = "Zq7Projektnotiz Förderbescheid steht aus"  # an internal note: never public
WEILERBACH = "Verbandsgemeinde Weilerbach (073355009)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("e2e-projects")
    store = folder / "store.gpkg"
    db = Store(store, REPO / "datasets").db
    for name, (password, role, vgs) in USERS.items():
        add_user(db, name, password, role, vgs)
    with running_app(folder, store, folder / "users.json") as url:
        yield url


def _tab(w: Watched, name: str) -> None:
    """Open a section of the page (the radio group "Bereich")."""
    group = w.page.locator('[data-testid="stRadio"]').filter(
        has=w.page.get_by_text("Bereich", exact=True)
    )
    group.get_by_text(name, exact=True).click()
    settle(w)


def _fill(page: Page, label: str, text: str, exact: bool = True) -> None:
    page.locator('[data-testid="stForm"]').get_by_label(label, exact=exact).fill(text)


def _history(w: Watched, title: str, *words: str) -> str:
    """The change history shown for a project (the data grid's accessible copy), once it
    holds ``title`` and every one of ``words`` (the grid is redrawn after a choice)."""
    grid = w.page.locator('[data-testid="stDataFrame"]:visible').first
    grid.scroll_into_view_if_needed()
    w.page.wait_for_function(
        """([g, want]) => { const t = [...g.querySelectorAll('[role=gridcell]')].map(c => c.innerText).join(' ');
            return want.every(x => t.includes(x)); }""",
        arg=[grid.element_handle(), [title, *words]],
        timeout=TIMEOUT,
    )
    return " ".join(grid.locator('[role="gridcell"]').all_inner_texts())


def _new_project(w: Watched, title: str, places: list[str], status: str, button: str) -> None:
    page = w.page
    _tab(w, "Erfassen, Vorschläge, Import")
    page.get_by_text("Neue Maßnahme erfassen", exact=True).click()
    settle(w)
    _fill(page, "Titel", title)
    pick(w, "Handlungsfelder", "Sprache")
    for place in places:
        pick(w, "Gemeinden", place)
    pick(w, "Status bei Erfassung", status)
    _fill(page, "Status seit", "12.03.2024")
    _fill(page, "Kontakt", "Kreisverwaltung, Telefon 0631 7105-0")
    _fill(page, "Interne Notiz (nur", NOTE, exact=False)
    _fill(page, "Quelle", "Protokoll der Steuerungsgruppe 03/2024")
    _fill(page, "Stand", "12.03.2024")
    page.locator('[data-testid="stForm"]').get_by_role("button", name=button).click()
    settle(w)


def test_projects_journey(watched: Watched, server: str) -> None:
    w, page = watched, watched.page
    page.goto(f"{server}/massnahmen")
    page.get_by_role("heading", name="Maßnahmen des Integrationskonzepts").wait_for(timeout=TIMEOUT)
    page.get_by_text("3 von 23 dokumentiert").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("Erfassen, Vorschläge, Import").count() == 0  # the public: no form

    # 1. the Kreis-Redaktion adds a project with two places ...
    sign_in(w, "bernd", USERS["bernd"][0])
    _new_project(w, FIRST, ["Landstuhl", "Weilerbach"], "beschlossen", "Speichern")
    page.get_by_text(f"Gespeichert: {FIRST}").wait_for(timeout=TIMEOUT)
    page.get_by_text("4 von 23 dokumentiert").wait_for(timeout=TIMEOUT)
    no_exception(w)

    # 2. ... and moves it from "beschlossen" to "laufend" with a date
    _tab(w, "Einzelne Maßnahme")
    pick(w, "Maßnahme", FIRST)
    pick(w, "Neuer Status", "laufend")
    _fill(page, "Seit (Datum)", "01.02.2025")
    _fill(page, "Vermerk zum Status", "Auftakt im Bürgerhaus")
    page.get_by_role("button", name="Status speichern").click()
    settle(w)
    page.get_by_text(f"Gespeichert: {FIRST}").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Abmelden").click()
    settle(w)

    # 3. the VG-Redaktion proposes a project in its VG ...
    sign_in(w, "anna", USERS["anna"][0])
    nav(w, "Maßnahmen")
    _new_project(w, SECOND, ["Rodenbach"], "vorgeschlagen", "Vorschlagen")
    page.get_by_text("Vorschlag Nr. 1 gespeichert").wait_for(timeout=TIMEOUT)
    page.get_by_text("4 von 23 dokumentiert").wait_for(timeout=TIMEOUT)  # not yet written
    page.get_by_role("button", name="Abmelden").click()
    settle(w)

    # 4. ... and the Kreis-Redaktion approves it
    sign_in(w, "bernd", USERS["bernd"][0])
    nav(w, "Maßnahmen")
    _tab(w, "Erfassen, Vorschläge, Import")
    page.get_by_text("Vorschläge zu Maßnahmen (1)").wait_for(timeout=TIMEOUT)
    page.get_by_role("button", name="Übernehmen").click()
    settle(w)
    page.get_by_text("Vorschlag Nr. 1 übernommen.").wait_for(timeout=TIMEOUT)
    page.get_by_text("5 von 23 dokumentiert").wait_for(timeout=TIMEOUT)
    no_exception(w)

    # 5. the timeline shows both (its texts are SVG text in the page)
    _tab(w, "Übersicht und Zeitstrahl")
    chart = page.locator('[data-testid="stVegaLiteChart"] svg').first
    chart.wait_for(timeout=TIMEOUT)
    labels = " ".join(chart.locator("text").all_text_contents())
    assert FIRST in labels and SECOND in labels, labels

    # 6. the history shows each change
    _tab(w, "Einzelne Maßnahme")
    pick(w, "Maßnahme", FIRST)
    statuses = (
        page.locator('[data-testid="stTable"]').filter(has_text="Auftakt im Bürgerhaus").first
    )
    statuses.wait_for(timeout=TIMEOUT)
    text = statuses.inner_text()
    assert "beschlossen" in text and "laufend" in text and "01.02.2025" in text
    _history(w, FIRST, "angelegt", "Status geändert", "bernd")
    pick(w, "Maßnahme", SECOND)
    _history(w, SECOND, "vorgeschlagen", "übernommen", "angelegt", "anna")

    # 7. the Sachstandsbericht (PDF): both, the change with its date; public without the note
    _tab(w, "Sachstandsbericht")
    label = "Veränderungen seit (z. B. letzte Kreistagssitzung)"
    for part, value in (("Tag", "31"), ("Monat", "12"), ("Jahr", "2024")):
        field = page.get_by_role("spinbutton", name=f"{part}, {label}")
        field.click()
        field.press_sequentially(value, delay=40)
    page.keyboard.press("Tab")
    settle(w)
    page.wait_for_function(
        "(l) => document.querySelector(`[aria-label='Jahr, ${l}']`)?.getAttribute('aria-valuenow') === '2024'",
        arg=label,
        timeout=TIMEOUT,
    )
    page.get_by_role("button", name="Sachstandsbericht (PDF) erstellen").click()
    settle(w)
    _, data = download(w, "Sachstandsbericht (PDF) herunterladen")
    text = pdf_text(data)
    assert FIRST in text and SECOND in text
    assert "beschlossen → laufend am 01.02.2025: Auftakt im Bürgerhaus" in text
    assert "Öffentliche Fassung" in text and "Zq7Projektnotiz" not in text
    page.get_by_text("Interne Fassung mit Notizen (nicht zur Veröffentlichung)").click()
    settle(w)
    page.get_by_role("button", name="Sachstandsbericht (PDF) erstellen").click()
    settle(w)
    _, data = download(w, "Sachstandsbericht (PDF) herunterladen")
    assert "Zq7Projektnotiz" in pdf_text(data)  # the check can find it
    no_exception(w)

    # 8. the map's Projektstandorte layer: three sites (two of the first, one of the second)
    nav(w, "Karte")
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=TIMEOUT)
    count_in_map(w, "div.ia-project", 3)
    frame = map_frame(w)
    assert frame.locator("div.ia-project-laufend").count() == 2
    assert frame.locator("div.ia-project-vorgeschlagen").count() == 1
    assert "Projektstandorte" in frame.locator(".ia-legend").first.inner_text()
    # ... and the map's text summary (read by screen readers) says so
    summary = frame.locator("p.ia-sr").first.text_content() or ""
    assert "3 Projektstandorte auf der Karte (3 mit ungefährer Lage" in summary, summary

    # 9. the VG view lists both
    pick(w, "Verbandsgemeinde", "Weilerbach")
    page.get_by_role("heading", name=WEILERBACH).wait_for(timeout=TIMEOUT)
    projects = page.locator('[data-testid="stTable"]').filter(has_text=FIRST).first
    projects.wait_for(timeout=TIMEOUT)
    listed = projects.inner_text()
    assert SECOND in listed and "laufend seit 01.02.2025" in listed
    no_exception(w)
    assert w.errors == [] and w.external == []
