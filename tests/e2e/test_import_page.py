"""Import page in a real browser: upload, report with row numbers, import valid rows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import Watched, sign_in

pytestmark = pytest.mark.e2e

CSV = "\r\n".join(
    [
        "Name;Kategorie;Ort;Breitengrad;Längengrad;Stand;Quelle",
        "<img src=x onerror=alert(1)>;Verein;Landstuhl;;;01.01.2025;E2E-Testliste",
        "Test-E2E-Verein;Verein;Weilerbach;;;01.01.2025;E2E-Testliste",
        ";Kita;Landstuhl;;;01.01.2025;E2E-Testliste",
        "Test-E2E-Falsch;Zirkus;Landstuhl;;;31.02.2025;E2E-Testliste",
    ]
)


def test_import_reports_rows_and_imports_valid_ones(
    watched: Watched, app_url: str, tmp_path: Path
) -> None:
    page = watched.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    path = tmp_path / "e2e-liste.csv"
    path.write_bytes(CSV.encode("cp1252"))
    page.goto(f"{app_url}/bestand")
    info = page.get_by_text(re.compile(r"\d+ Einrichtungen im Bestand")).first
    before = int(info.inner_text(timeout=60_000).split()[0])
    sign_in(page, app_url)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Listen importieren").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text("Neu: 2 · Geändert: 0 · Unverändert: 0 · Fehlerhaft: 2").wait_for(
        timeout=60_000
    )
    page.get_by_text("Prüfbericht", exact=True).wait_for()
    report = page.locator('[data-testid="stTable"]').first.inner_text(timeout=30_000)
    for expected in (
        "Zeile 4",
        "Name fehlt",
        "Zeile 5",
        "unbekannte Kategorie",
        "ungültiges Datum",
    ):
        assert expected in report
    page.get_by_text("Nur die gültigen Zeilen übernehmen").click()
    page.get_by_role("button", name="Importieren").click()
    page.get_by_text("2 Datensätze gespeichert.").wait_for(timeout=60_000)
    page.goto(f"{app_url}/bestand")
    page.get_by_text(f"{before + 2} Einrichtungen im Bestand").first.wait_for(timeout=60_000)
    assert dialogs == []
    assert watched.errors == [] and watched.external == []
