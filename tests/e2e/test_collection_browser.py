"""The Kreis-Redaktion's pages in a real browser, offline: a collection round (workbook out,
edited as a VG would, back in as proposals, reviewed, confirmed) and an indicator table
with bad rows (reported, refused, then only the valid rows loaded)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO
from tests.e2e.conftest import EDITOR, Watched, running_app, sign_in
from tests.unit.test_collection import edited_workbook
from tests.unit.test_indicator_import import write_table

pytestmark = pytest.mark.e2e


@pytest.fixture
def own_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with its own store (these journeys change data)."""
    folder = tmp_path_factory.mktemp("kreis")
    store = folder / "store.gpkg"
    add_user(Store(store, REPO / "datasets").db, *EDITOR, role="district_editor")
    with running_app(folder, store, folder / "users.json") as url:
        yield url


def _idle(w: Watched) -> None:
    w.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _no_error_box(w: Watched) -> None:
    assert w.page.locator('[data-testid="stException"]').count() == 0
    assert w.page.get_by_text("Fehlernummer").count() == 0


def test_collection_round_in_the_browser(watched: Watched, own_url: str, tmp_path: Path) -> None:
    page = watched.page
    sign_in(page, own_url)
    page.get_by_role("link", name="Erhebungsrunde").click()
    page.get_by_role("heading", name="Erhebungsrunde: Listen der Verbandsgemeinden").wait_for(
        timeout=60_000
    )
    page.get_by_role("heading", name="Stand je Verbandsgemeinde").wait_for()
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Verbandsgemeinde").first
    box.locator("input").click()
    page.keyboard.type("Weilerbach")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Arbeitsmappe erstellen").click()
    download = page.get_by_role("button", name="erhebung-")
    download.wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:
        download.click()
    assert info.value.suggested_filename.endswith("-weilerbach.xlsx")
    sent = Path(info.value.path()).read_bytes()
    assert "Angebote" in openpyxl.load_workbook(io.BytesIO(sent)).sheetnames
    returned, _ = edited_workbook(sent)
    path = tmp_path / "zurueck-weilerbach.xlsx"
    path.write_bytes(returned)

    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text("3 Vorschläge").wait_for(timeout=60_000)
    page.get_by_text("Kita Sonnenschein").first.wait_for()
    page.get_by_role("button", name="Als Vorschläge übernehmen").click()
    page.get_by_text(
        "Rücklauf 1: 3 Vorschläge und 1 Angabe zur Vollständigkeit übernommen"
    ).wait_for(timeout=60_000)
    _no_error_box(watched)

    page.get_by_role("link", name="Vorschläge prüfen").click()
    approve = page.get_by_role("button", name="Übernehmen", exact=True)
    for number in (1, 2, 3):  # the oldest proposal comes first
        page.get_by_text(f"Nr. {number} ·").first.wait_for(timeout=60_000)
        _idle(watched)
        approve.first.click()
        page.get_by_text(f"Vorschlag Nr. {number} übernommen.").wait_for(timeout=60_000)
    page.get_by_text("Keine offenen Vorschläge").first.wait_for(timeout=60_000)

    page.get_by_role("link", name="Erhebungsrunde").click()
    page.get_by_role("heading", name="Rückläufe bestätigen").wait_for(timeout=60_000)
    page.get_by_role("button", name="Bestätigen").click()
    page.get_by_text("Rücklauf 1 der VG Weilerbach bestätigt").wait_for(timeout=60_000)
    page.get_by_text("Kein Rücklauf wartet auf Bestätigung.").wait_for()

    page.get_by_role("link", name="Versorgungsanalyse").click()
    page.get_by_role("heading", name="Ergebnis").wait_for(timeout=60_000)
    page.get_by_text("1 von 42 Listen (Verbandsgemeinde × Kategorie) ist als vollständig").wait_for(
        timeout=60_000
    )
    page.get_by_text("ohne Lücke · 42 unbekannt").wait_for()
    _no_error_box(watched)
    assert watched.errors == [] and watched.external == []


def test_indicator_table_with_bad_rows(watched: Watched, own_url: str, tmp_path: Path) -> None:
    page = watched.page
    path = write_table(tmp_path / "kinder_unter_6.csv")
    sign_in(page, own_url)
    page.get_by_role("link", name="Indikatoren laden").click()
    page.get_by_role("heading", name="Indikatoren laden").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text("57 Zeilen: 50 gültig, 7 fehlerhaft").wait_for(timeout=60_000)
    report = page.locator('[data-testid="stTable"]').first
    text = report.inner_text()
    for problem in (
        "unbekannter Schlüssel", "Schlüssel einer VG eines anderen Gebietsstands (gibt es 2013, 2014)",
        "doppelt: gleiches Gebiet", "keine Zahl", "Stand fehlt", "Quelle fehlt",
        "ungültiges Datum",
    ):  # fmt: skip
        assert problem in text, problem
    page.get_by_role("button", name="Laden", exact=True).click()
    page.get_by_text("7 fehlerhafte Zeile(n): nichts geladen").wait_for(timeout=60_000)
    page.get_by_test_id("stCheckbox").get_by_text("Nur die gültigen Zeilen laden").click()
    _idle(watched)
    page.get_by_role("button", name="Laden", exact=True).click()
    page.get_by_text("50 Werte geladen.").wait_for(timeout=60_000)
    page.get_by_text("Kinder unter 6 Jahren: Anzahl, aus den Gemeinden summiert").wait_for()
    page.get_by_role("heading", name="Geladene Tabellen").wait_for()
    _no_error_box(watched)

    page.get_by_role("link", name="Versorgungsanalyse").click()
    page.get_by_text("Bedarf: Kinder unter 6 Jahren").first.wait_for(timeout=60_000)
    assert watched.errors == [] and watched.external == []
