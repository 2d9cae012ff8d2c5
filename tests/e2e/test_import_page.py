"""Import page in a real browser: upload, report with row numbers, import valid rows."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.e2e.conftest import EDITOR, Watched, sign_in

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


#: A VG's own list: its own column names, no source or date columns (test data).
OWN_LIST = "\r\n".join(
    [
        "Einrichtung;Art;PLZ;Ort",
        "E2E-Sprachcafé;Sprachkurs;67685;Weilerbach",
        "E2E-Kita Sonnenschein;Kita;6768;Landstuhl",
        "E2E-Beratung;Zirkus;66849;Landstuhl",
    ]
)


def _stale(page: object) -> int:
    heading = page.get_by_text(re.compile(r"Seit 12 Monaten nicht geprüft \(\d+\)")).first
    return int(re.search(r"\((\d+)\)", heading.inner_text(timeout=60_000)).group(1))


def _type_into_cell(page: object, grid: object, text: str, replacement: str) -> None:
    """Select the cell showing ``text`` (a click into the table, then the arrow keys) and
    type over it, as a person does in a spreadsheet."""
    exact = re.compile(f"^{re.escape(text)}$")
    target = grid.locator('[role="gridcell"]', has_text=exact).first
    target.wait_for(state="attached", timeout=60_000)
    want = (int(target.get_attribute("aria-colindex")), target.get_attribute("data-testid"))
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + 35 + 17)  # a cell of row 1
    selected = grid.locator('[role="gridcell"][aria-selected="true"]')
    for _ in range(20):
        selected.first.wait_for(state="attached", timeout=10_000)
        col = int(selected.first.get_attribute("aria-colindex"))
        row = int(selected.first.get_attribute("data-testid").rsplit("-", 1)[-1])
        if (col, selected.first.get_attribute("data-testid")) == want:
            break
        want_row = int(want[1].rsplit("-", 1)[-1])
        key = (
            "ArrowRight" if col < want[0] else "ArrowLeft" if col > want[0]
            else "ArrowDown" if row < want_row else "ArrowUp"
        )  # fmt: skip
        before = selected.first.get_attribute("data-testid")
        page.keyboard.press(key)
        page.wait_for_function(
            """([g, old]) => { const c = document.querySelectorAll('[data-testid="stDataFrame"]')[g]
                .querySelector('[role=gridcell][aria-selected=true]');
              return !!c && c.getAttribute('data-testid') !== old; }""",
            arg=[0, before],
            timeout=10_000,
        )
    else:
        raise AssertionError(f"could not select the cell {text!r}")
    page.keyboard.type(replacement, delay=20)
    page.keyboard.press("Enter")


def test_import_own_list_corrected_in_place(watched: Watched, app_url: str, tmp_path: Path) -> None:
    from tests.e2e.journey import settle

    page = watched.page
    path = tmp_path / "liste-vg.csv"
    path.write_bytes(OWN_LIST.encode("cp1252"))
    sign_in(page, app_url)
    page.get_by_role("link", name="Angebote bearbeiten").click()
    stale_before = _stale(page)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Listen importieren").first.wait_for(timeout=60_000)
    page.locator('input[type="file"]').set_input_files(str(path))
    # source and date of the list in plain sight, filled in: the rows need no own columns
    page.get_by_role("heading", name="Quelle und Stand der Liste").wait_for(timeout=60_000)
    source = page.get_by_label("Quelle", exact=True).input_value()
    assert "liste-vg.csv" in source and EDITOR[0] in source
    date = page.locator('[data-testid="stDateInput"]', has_text="Stand der Liste")
    assert date.locator("input").input_value() == dt.date.today().isoformat()  # editable
    page.get_by_text("Neu: 1 · Geändert: 0 · Unverändert: 0 · Fehlerhaft: 2").wait_for(
        timeout=60_000
    )
    # the mapping names the fields in German, never their internal names
    mapping = page.locator('[data-testid="stExpander"]', has_text="Spaltenzuordnung prüfen")
    shown = sorted(b.input_value() for b in mapping.get_by_role("combobox").all())
    assert shown == ["Kategorie", "Name", "Ort", "PLZ"]
    body = page.locator("body").inner_text()
    for internal in ("postcode", "reference_date", "category", "--"):
        assert internal not in body, internal
    # the invalid cells are corrected in place and checked again at once
    page.get_by_role("heading", name="2 fehlerhafte Zeilen korrigieren").wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').first
    _type_into_cell(page, grid, "Zirkus", "Beratungsstelle")
    page.get_by_text("Neu: 2 · Geändert: 0 · Unverändert: 0 · Fehlerhaft: 1").wait_for(
        timeout=60_000
    )
    settle(watched)
    page.get_by_role("heading", name="1 fehlerhafte Zeile korrigieren").wait_for()
    grid = page.locator('[data-testid="stDataFrame"]').first
    _type_into_cell(page, grid, "6768", "66849")
    page.get_by_text("Neu: 3 · Geändert: 0 · Unverändert: 0 · Fehlerhaft: 0").wait_for(
        timeout=60_000
    )
    settle(watched)
    page.get_by_role("button", name="Importieren").click()
    # the summary says what was written, and the page is ready for the next list
    page.get_by_text("3 Datensätze gespeichert. Aus „liste-vg.csv“: 3 neu, 0 geändert.").wait_for(
        timeout=60_000
    )
    assert page.get_by_text("Neu: 3").count() == 0
    # the imported offers count as verified on the date of the list: none is stale
    page.get_by_role("link", name="Angebote bearbeiten").click()
    assert _stale(page) == stale_before
    assert watched.errors == [] and watched.external == []
