"""The Versorgungsanalyse in a real browser, offline: the coverage summary first,
"unbekannt" drawn apart from gaps, the what-if placed by two map clicks without an error
box, a download marked as what-if, a click outside the district refused with a message,
and the what-if placed by keyboard (a Gemeinde chosen), said in words."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.analysis.gapview import STATUS_COLORS
from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.services import collection
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.e2e.conftest import MAP, Watched, running_app
from tests.e2e.journey import click_map, no_exception, pick, settle
from tests.e2e.test_map_browser import _area_point, _wait_map

pytestmark = pytest.mark.e2e

WEILERBACH = "073355009"
UNKNOWN_FILL = STATUS_COLORS["unknown"]


@pytest.fixture(scope="module")
def marked_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the shipped data where VG Weilerbach's Kita list is confirmed complete."""
    folder = tmp_path_factory.mktemp("gaps")
    store = Store(folder / "store.gpkg", REPO / "datasets")
    ws = Workspace(store, User(name="e2e-kreis", role="district_editor"),
                   load_boundaries(get_settings()))  # fmt: skip
    collection.mark_list(ws, WEILERBACH, "Kita", True, "2026-11", "E2E: per Telefon bestätigt")
    with running_app(folder, folder / "store.gpkg", folder / "users.json") as url:
        yield url


def _legend_classes(w: Watched) -> list[tuple[str, str]]:
    """(text, swatch colour) of every class of the analysis legend in the map."""
    frame = w.page.locator(MAP)
    frame.locator(".ia-legend-class").first.wait_for(timeout=60_000)
    return frame.locator(".ia-legend-class").evaluate_all(
        "els => els.map(e => [e.innerText.trim(),"
        " getComputedStyle(e.querySelector('.ia-swatch')).backgroundColor])"
    )


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def _idle(w: Watched) -> None:
    """Wait until the app's run is over (Streamlit marks it on its root element)."""
    w.page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000
    )


def _no_error_box(w: Watched) -> None:
    assert w.page.locator('[data-testid="stException"]').count() == 0
    assert w.page.get_by_text("Fehlernummer").count() == 0


def test_coverage_first_and_unknown_drawn_apart_from_gaps(
    watched: Watched, marked_url: str
) -> None:
    page = watched.page
    page.goto(f"{marked_url}/versorgung")
    page.get_by_role("heading", name="Datenabdeckung: welche Listen bestätigt sind").wait_for(
        timeout=60_000
    )
    page.get_by_role("heading", name="Ergebnis", exact=True).wait_for(timeout=60_000)
    headings = page.locator("h1, h2, h3").all_inner_texts()
    assert headings.index("Datenabdeckung: welche Listen bestätigt sind") < headings.index(
        "Ergebnis"
    )  # the page opens with the coverage summary
    page.get_by_text(
        "1 von 42 Listen (Verbandsgemeinde × Kategorie) ist als vollständig"
    ).wait_for()
    page.get_by_text("3 Lücken · 0 unsicher · 5 ohne Lücke · 42 unbekannt").wait_for()
    _wait_map(watched, "data-ia-vg", "6")
    classes = dict(_legend_classes(watched))
    assert classes["unbekannt – keine bestätigte Liste (42)"] == _rgb(UNKNOWN_FILL)
    assert classes["keine Lücke (5)"] == _rgb(STATUS_COLORS["no_gap"])
    gaps = {text: colour for text, colour in classes.items() if text.startswith("Lücke")}
    assert gaps and any(text.startswith("Lücke: knapp") for text in gaps)
    assert _rgb(UNKNOWN_FILL) not in gaps.values()  # unknown is drawn apart from every gap
    assert sum(int(text.rsplit("(", 1)[1].rstrip(")")) for text in classes) == 50
    legend = page.locator(MAP).locator(".ia-legend").inner_text()
    assert "11" not in legend  # classes fit the data: no "3 – 11"
    page.get_by_text("42 Gemeinden: unbekannt – keine bestätigte Liste").wait_for()
    _no_error_box(watched)
    assert watched.errors == [] and watched.external == []


def _latitude(w: Watched) -> str:
    return w.page.get_by_label("Breitengrad").input_value()


def test_what_if_by_two_map_clicks_and_a_marked_download(watched: Watched, marked_url: str) -> None:
    page = watched.page
    page.goto(f"{marked_url}/versorgung")
    _wait_map(watched, "data-ia-vg", "6")
    start = _latitude(watched)
    page.locator(MAP).scroll_into_view_if_needed()  # below the coverage summary
    inner = page.locator(MAP)
    planned = inner.locator(".ia-mark-planned.leaflet-marker-icon")
    first_point = _area_point(watched, "Landstuhl")
    page.mouse.click(first_point["x"], first_point["y"])
    planned.first.wait_for(timeout=60_000)
    page.wait_for_function(
        "(before) => { const i = [...document.querySelectorAll('input')].find(e =>"
        " e.getAttribute('aria-label') === 'Breitengrad'); return i && i.value !== before; }",
        arg=start,
        timeout=60_000,
    )
    first = _latitude(watched)
    assert "geplant, nicht gespeichert" in inner.locator(".ia-legend").inner_text()
    page.get_by_role("heading", name="Veränderungen durch die geplante Einrichtung").wait_for()
    _no_error_box(watched)

    # a second click moves the planned facility
    _idle(watched)  # the what-if's inputs opened above the map: look up where the map is now
    page.locator(MAP).scroll_into_view_if_needed()
    second_point = _area_point(watched, "Weilerbach")
    page.mouse.click(second_point["x"], second_point["y"])
    page.wait_for_function(
        "(before) => { const i = [...document.querySelectorAll('input')].find(e =>"
        " e.getAttribute('aria-label') === 'Breitengrad'); return i && i.value !== before; }",
        arg=first,
        timeout=60_000,
    )
    assert planned.count() == 1  # one planned facility, moved; never drawn as an offer
    assert _latitude(watched) not in (start, first)
    _no_error_box(watched)

    # downloads while the what-if is on: the user chooses; "with" is marked in name and column
    page.get_by_text("mit, als „was wäre wenn“ gekennzeichnet").click()
    page.get_by_text("Die Dateien rechnen mit der geplanten Einrichtung").wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:
        _idle(watched)  # the rerun's stale elements are gone: one button
        page.get_by_role("button", name="Herunterladen als CSV").click()
    download = info.value
    assert download.suggested_filename.endswith(f"{dt.date.today()}-was-waere-wenn.csv")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text("utf-8-sig")),
                               delimiter=";"))  # fmt: skip
    assert len(rows) == 50
    assert {r["Was wäre wenn"] for r in rows} == {
        "ja: mit geplanter, nicht gespeicherter Einrichtung gerechnet"
    }
    page.get_by_text("ohne (nur der Bestand)").click()
    page.get_by_text("Die Dateien rechnen mit der geplanten Einrichtung").wait_for(
        state="detached", timeout=60_000
    )
    with page.expect_download(timeout=120_000) as info:
        _idle(watched)  # the rerun's stale elements are gone: one button
        page.get_by_role("button", name="Herunterladen als CSV").click()
    plain = info.value
    assert "was-waere-wenn" not in plain.suggested_filename
    header = Path(plain.path()).read_text("utf-8-sig").splitlines()[0]
    assert "Was wäre wenn" not in header
    _no_error_box(watched)
    assert watched.errors == [] and watched.external == []


#: A point in the city of Kaiserslautern: beside the district, not in it.
IN_THE_CITY = (49.4447, 7.7689)


def test_a_click_outside_is_refused_and_the_keyboard_places(
    watched: Watched, marked_url: str
) -> None:
    page = watched.page
    page.goto(f"{marked_url}/versorgung")
    _wait_map(watched, "data-ia-vg", "6")
    start = _latitude(watched)
    # a click in the city (beside the district): refused with a message, nothing moved
    click_map(watched, *IN_THE_CITY)
    page.get_by_text("liegt außerhalb des Landkreises Kaiserslautern").wait_for(timeout=60_000)
    settle(watched)
    assert _latitude(watched) == start  # never moved into the district
    inner = page.locator(MAP)
    assert inner.locator(".ia-mark-planned.leaflet-marker-icon").count() == 0
    no_exception(watched)
    # by keyboard: the Gemeinde is chosen from the list; the place is said in words
    page.get_by_text("Was wäre, wenn?").first.click()
    pick(watched, "Ort wählen: Gemeinde (setzt die Einrichtung auf ihren repräsentativen Punkt)",
         "Trippstadt")  # fmt: skip
    page.get_by_text("Geplante Einrichtung in Trippstadt (repräsentativer Punkt").wait_for(
        timeout=60_000
    )
    page.get_by_role("heading", name="Veränderungen durch die geplante Einrichtung").wait_for()
    inner.locator(".ia-mark-planned.leaflet-marker-icon").first.wait_for(timeout=60_000)
    assert _latitude(watched) != start
    # the table of every measure says that it counts the planned facility
    page.get_by_text("Mit der geplanten, nicht gespeicherten Einrichtung gerechnet.").wait_for()
    no_exception(watched)
    assert watched.errors == [] and watched.external == []
