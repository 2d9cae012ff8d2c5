"""The projects' other capabilities in a real browser, offline: a project list with bad
rows is reported row by row and writes nothing, or only its valid rows on request; the
Kreistag view "Seit dem Konzept" draws the change map between two chosen dates with
"keine Daten" where a date is missing; the offer finder lists a running project open to
residents."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app
from tests.e2e.journey import TIMEOUT, count_in_map, nav, no_exception, pick, settle, sign_in

pytestmark = pytest.mark.e2e

BERND = ("bernd", "bernd-passwort-1")
GOOD = "Patenschaften für Neuzugewanderte E2E"  # test data
ALSO_GOOD = "Interkulturelle Woche E2E"  # test data


@dataclass
class Server:
    url: str
    store: Path
    folder: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("e2e-projects-more")
    store = folder / "store.gpkg"
    add_user(Store(store, REPO / "datasets").db, *BERND, role="district_editor")
    finder = {"INTEGRATIONSATLAS_FINDER_NAME": "finder-e2e-projects"}
    try:
        with running_app(folder, store, folder / "users.json", finder) as url:
            yield Server(url, store, folder)
    finally:
        shutil.rmtree(REPO / "static" / finder["INTEGRATIONSATLAS_FINDER_NAME"], ignore_errors=True)


def _list(path: Path) -> Path:
    """An XLSX project list (test data): two valid rows, two invalid ones."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "Handlungsfelder", "Status", "Status seit", "Gemeinden", "Kontakt",
               "Offen für Einwohner", "Quelle", "Stand"])  # fmt: skip
    ws.append(
        [
            GOOD,
            "Sprache",
            "laufend",
            "03.2024",
            "Landstuhl",
            "Telefon 06371 0",
            "ja",
            "Liste AK",
            "2025",
        ]
    )
    ws.append(
        [
            ALSO_GOOD,
            "Soziales",
            "abgeschlossen",
            "2023",
            "Weilerbach",
            "",
            "nein",
            "Liste AK",
            "2025",
        ]
    )
    ws.append(["", "Sprache", "laufend", "2024", "Landstuhl", "", "nein", "Liste AK", "2025"])
    ws.append(
        ["Elterncafé E2E", "Sport", "gestartet", "2024", "Atlantis", "", "vielleicht", "", "2025"]
    )
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def _section(w: Watched, name: str) -> None:
    w.page.locator('[data-testid="stRadio"]').get_by_text(name, exact=True).click()
    settle(w)


def test_project_list_with_bad_rows(server: Server, watched: Watched) -> None:
    w, page = watched, watched.page
    page.goto(f"{server.url}/massnahmen")
    page.get_by_text("3 von 23 dokumentiert").wait_for(timeout=TIMEOUT)
    sign_in(w, *BERND)
    _section(w, "Erfassen, Vorschläge, Import")
    page.get_by_text("Maßnahmenliste importieren (XLSX oder CSV)").click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        str(_list(server.folder / "projekte.xlsx"))
    )
    settle(w)
    page.get_by_text("4 Zeilen gelesen: 2 gültig, 2 fehlerhaft.").wait_for(timeout=TIMEOUT)
    report = page.locator('[data-testid="stTable"]').filter(has_text="Zeile 5").first.inner_text()
    for expected in ("Zeile 4", "Titel fehlt", "Zeile 5", "Handlungsfelder", "Sport",
                     "Gemeinden", "Atlantis", "Offen für Einwohner", "Quelle"):  # fmt: skip
        assert expected in report, expected
    page.get_by_role("button", name="Alle Zeilen übernehmen").click()
    settle(w)
    page.get_by_text("2 fehlerhafte Zeilen, nichts gespeichert").wait_for(timeout=TIMEOUT)
    assert page.get_by_text("3 von 23 dokumentiert").count() == 1  # nothing written
    page.get_by_role("button", name="Nur die gültigen Zeilen übernehmen").click()
    settle(w)
    page.get_by_text("2 Maßnahmen aus „projekte.xlsx“ gespeichert.").wait_for(timeout=TIMEOUT)
    page.get_by_text("5 von 23 dokumentiert").wait_for(timeout=TIMEOUT)
    no_exception(w)

    # the finder lists the running project open to residents (place and contact recorded)
    page.goto(f"{server.url}/finder")
    settle(w)
    site = REPO / "static" / "finder-e2e-projects"
    build = json.loads((site / "build.json").read_text(encoding="utf-8"))
    data = next(site.glob("data.*.json")).read_text(encoding="utf-8")
    assert GOOD in data and ALSO_GOOD not in data, (
        build
    )  # finished, closed to residents: not listed
    assert w.errors == [] and w.external == []


def test_change_map_since_the_concept(server: Server, watched: Watched) -> None:
    w, page = watched, watched.page
    page.goto(f"{server.url}/seit-dem-konzept")
    page.get_by_role("heading", name="Seit dem Konzept: was sich verändert hat").wait_for(
        timeout=TIMEOUT
    )
    pick(w, "Kennzahl", "Einwohner")
    page.get_by_text("Entwicklung: Einwohner").wait_for(timeout=TIMEOUT)
    assert page.locator('[data-testid="stVegaLiteChart"] svg').count() >= 1
    pick(w, "Von (Stand)", "31.12.2018")
    pick(w, "Bis (Stand)", "31.12.2023")
    table = page.locator('[data-testid="stTable"]').filter(has_text="Veränderung absolut").first
    table.wait_for(timeout=TIMEOUT)
    text = table.inner_text()
    assert "Wert 31.12.2018" in text and "Wert 31.12.2023" in text  # both dates named
    assert "Weilerbach" in text and "+797" in text  # 14.091 → 14.888 (shipped, one source each)
    assert "keine Daten" in text
    count_in_map(w, "path.ia-vg", 6)
    nav(w, "Maßnahmen")
    no_exception(w)
    assert w.errors == [] and w.external == []
