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
from dashboard.domain.collection import SHEET_OFFERS
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


def _send_weilerbach(page: object) -> bytes:
    """Make VG Weilerbach's workbook on the collection page and download it."""
    page.get_by_role("heading", name="Stand je Verbandsgemeinde").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Verbandsgemeinde").first  # type: ignore[attr-defined]
    box.locator("input").click()
    page.keyboard.type("Weilerbach")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Arbeitsmappe erstellen").click()  # type: ignore[attr-defined]
    download = page.get_by_role("button", name="erhebung-")  # type: ignore[attr-defined]
    download.wait_for(timeout=60_000)
    with page.expect_download(timeout=120_000) as info:  # type: ignore[attr-defined]
        download.click()
    assert info.value.suggested_filename.endswith("-weilerbach.xlsx")
    return Path(info.value.path()).read_bytes()


def test_collection_round_in_the_browser(watched: Watched, own_url: str, tmp_path: Path) -> None:
    page = watched.page
    sign_in(page, own_url)
    page.get_by_role("link", name="Erhebungsrunde").click()
    page.get_by_role("heading", name="Erhebungsrunde: Listen der Verbandsgemeinden").wait_for(
        timeout=60_000
    )
    sent = _send_weilerbach(page)
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
    page.get_by_text("7 fehlerhafte Zeilen: nichts geladen").wait_for(timeout=60_000)
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


def _upload(page: object, path: Path) -> None:
    page.locator('input[type="file"]').set_input_files(str(path))  # type: ignore[attr-defined]


def test_the_collection_page_shows_why_a_return_is_refused(
    watched: Watched, own_url: str, tmp_path: Path
) -> None:
    """Another VG named, another VG's offer in the sheet, the same send read back twice:
    a Kreis-Redaktion sees each reason on the page, in German."""
    from tests.unit.test_collection_sends import (
        LANDSTUHL,
        LANDSTUHL_OFFER,
        columns,
        edit,
        first_free_row,
        kita_complete,
        set_meta,
    )  # fmt: skip

    page = watched.page
    sign_in(page, own_url)
    page.get_by_role("link", name="Erhebungsrunde").click()
    sent = _send_weilerbach(page)

    def to_landstuhl(wb: openpyxl.Workbook) -> None:
        set_meta(wb, vg_key=LANDSTUHL, vg_name="Landstuhl")
        kita_complete(wb)

    forged = tmp_path / "andere-vg.xlsx"
    forged.write_bytes(edit(sent, to_landstuhl))
    _upload(page, forged)
    page.get_by_text(
        "die Arbeitsmappe nennt die VG Landstuhl, wurde aber mit dem Versand 1"
    ).wait_for(timeout=60_000)
    assert page.get_by_role("button", name="Als Vorschläge übernehmen").count() == 0

    def foreign_row(wb: openpyxl.Workbook) -> None:
        sheet, col, row = wb[SHEET_OFFERS], columns(wb), first_free_row(wb)
        sheet.cell(row, col["ID"], LANDSTUHL_OFFER)
        sheet.cell(row, col["Name"], "Theodor-Heuss-Grundschule (geändert)")
        sheet.cell(row, col["Kategorie"], "Schule")
        kita_complete(wb)

    foreign = tmp_path / "fremde-id.xlsx"
    foreign.write_bytes(edit(sent, foreign_row))
    _upload(page, foreign)
    page.get_by_text("1 Problem: ohne „nur gültige Zeilen“ wird nichts übernommen.").wait_for(
        timeout=60_000
    )
    page.locator('[data-testid="stTable"]').get_by_text(
        f"die ID {LANDSTUHL_OFFER} gehört zu einem Angebot der VG Landstuhl"
    ).wait_for(timeout=60_000)
    _idle(watched)
    page.get_by_role("button", name="Als Vorschläge übernehmen").click()
    page.get_by_text("1 Problem: nichts übernommen").wait_for(timeout=60_000)
    _idle(watched)

    good = tmp_path / "zurueck.xlsx"
    good.write_bytes(edit(sent, kita_complete))
    _upload(page, good)
    page.get_by_text("1 Problem: ohne").wait_for(state="detached", timeout=60_000)  # the new file
    page.get_by_text("0 Vorschläge").wait_for(timeout=60_000)
    _idle(watched)
    page.get_by_role("button", name="Als Vorschläge übernehmen").click()
    page.get_by_text("Rücklauf 1: 0 Vorschläge und 1 Angabe zur Vollständigkeit").wait_for(
        timeout=60_000
    )
    again = tmp_path / "nochmal.xlsx"
    again.write_bytes(good.read_bytes())
    _upload(page, again)
    page.get_by_text("der Versand 1 an die VG Weilerbach wurde schon eingelesen").wait_for(
        timeout=60_000
    )
    _no_error_box(watched)
    assert watched.errors == [] and watched.external == []


def test_the_indicator_page_asks_for_the_kind_and_offers_labels_with_roles(
    watched: Watched, own_url: str, tmp_path: Path
) -> None:
    from tests.hostile.corpus_inputs import indicator_values_csv
    from tests.unit.test_indicator_import import GEMEINDEN

    page = watched.page
    sign_in(page, own_url)
    page.get_by_role("link", name="Indikatoren laden").click()
    page.get_by_role("heading", name="Indikatoren laden").first.wait_for(timeout=60_000)
    # the known indicators by label and role, each once
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text="Indikator").first
    box.locator("input").click()
    options = page.get_by_role("option")
    options.first.wait_for(timeout=30_000)
    texts = [o.inner_text().strip() for o in options.all()]
    assert "Kinder unter 6 Jahren – Bedarf für Kitas" in texts
    assert "Kinder von 6 bis 9 Jahren – Bedarf für Grundschulen" in texts
    assert "Einwohner – Bevölkerung" in texts
    assert len(texts) == len(set(texts))
    page.keyboard.press("Escape")
    # a percentage the atlas does not know: asked for, refused until answered
    values = [f"{62 + (i * 7) % 37},5" for i in range(len(GEMEINDEN))]
    path = indicator_values_csv(tmp_path / "quote.csv", GEMEINDEN, values, "%", "quote_x")
    _upload(page, path)
    page.get_by_text(
        "Der Atlas kennt „quote_x“ nicht: ist es eine Anzahl, ein Anteil oder eine Rate?"
    ).wait_for(timeout=60_000)
    page.get_by_role("button", name="Laden", exact=True).click()
    page.get_by_text("Nichts geladen: für quote_x bitte angeben").wait_for(timeout=60_000)
    page.get_by_text("Anteil (z. B. in %): nie summiert, nie je 1.000 gerechnet").click()
    _idle(watched)
    page.get_by_role("button", name="Laden", exact=True).click()
    page.get_by_text(f"{len(GEMEINDEN)} Werte geladen.").wait_for(timeout=60_000)
    page.get_by_text("wird nicht summiert").first.wait_for()
    _no_error_box(watched)
    assert watched.errors == [] and watched.external == []
