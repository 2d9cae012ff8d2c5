"""A return must match its send (both store backends).

Each workbook carries the send it answers (VG, round, send id, check value); tests edit
the returned workbooks with openpyxl as a careless or dishonest VG would: another VG named
in the hidden sheet, the same send read back twice, another VG's offer id, a row moved
into another VG. Each is refused or flagged with its reason, and nothing is written for
the refused part (facilities, proposals, returns, list marks, data version).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.collection import CollectionLedger
from dashboard.data.store import Change, Store
from dashboard.domain.collection import SHEET_CHOICES, SHEET_LISTS, SHEET_META, SHEET_OFFERS
from dashboard.domain.model import Facility
from dashboard.domain.roles import User
from dashboard.services import collection
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from tests.conftest import REPO

WEILERBACH = "073355009"
LANDSTUHL = "073355011"
#: An offer of VG Landstuhl (Theodor-Heuss-Grundschule, Landstuhl).
LANDSTUHL_OFFER = "ref-dc1019cd2d"
CLOCK = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(store_location: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    if isinstance(store_location, Path):
        monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(store_location))
    else:  # the command line opens the same PostGIS database
        monkeypatch.setenv("INTEGRATIONSATLAS_DATABASE_URL", store_location)
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    return Store(store_location, REPO / "datasets", clock=lambda: CLOCK)


def workspace(store: Store, role: str = "district_editor", vgs: tuple[str, ...] = ()) -> Workspace:
    return Workspace(store, User(name=f"test-{role}", role=role, vgs=vgs),
                     load_boundaries(get_settings()))  # fmt: skip


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_meta(wb: openpyxl.Workbook, **values: str) -> None:
    ws = wb[SHEET_META]
    for row in ws.iter_rows():
        if row[0].value in values:
            row[1].value = values[row[0].value]


def kita_complete(wb: openpyxl.Workbook) -> None:
    lists = wb[SHEET_LISTS]
    for r in range(2, lists.max_row + 1):
        if lists.cell(r, 1).value == "Kita":
            lists.cell(r, 2, "ja")
            lists.cell(r, 3, "11.2026")


def columns(wb: openpyxl.Workbook) -> dict[str, int]:
    return {c.value: c.column for c in wb[SHEET_OFFERS][1]}


def first_free_row(wb: openpyxl.Workbook) -> int:
    ws = wb[SHEET_OFFERS]
    return (
        max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value or ws.cell(r, 2).value) + 1
    )


def state(store: Store) -> tuple[object, ...]:
    """Everything a return may write."""
    ledger = CollectionLedger(store.db)
    with store.db.connection() as conn:
        marks = conn.frame("SELECT * FROM list_marks ORDER BY id").to_dict("records")
        proposals = conn.frame("SELECT id, status FROM proposals ORDER BY id").to_dict("records")
    return (store.facilities(), ledger.returns()["id"].tolist(), marks, proposals,
            store.data_version())  # fmt: skip


def test_a_workbook_naming_another_vg_is_refused_and_nothing_is_written(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    before = state(store)

    def to_landstuhl(wb: openpyxl.Workbook) -> None:
        set_meta(wb, vg_key=LANDSTUHL, vg_name="Landstuhl")
        kita_complete(wb)

    forged = edit(data, to_landstuhl)
    with pytest.raises(collection.ReturnRefused) as refused:
        collection.read_return(ws, forged, "zurueck.xlsx")
    text = str(refused.value)
    assert "nennt die VG Landstuhl" in text and "an die VG Weilerbach" in text
    assert "Landstuhl" in refused.value.text("en") and "was sent to VG Weilerbach" in (
        refused.value.text("en")
    )
    # the command line: one line, the reason, exit 2, nothing written, no list marked
    path = tmp_path / "zurueck.xlsx"
    path.write_bytes(forged)
    capsys.readouterr()
    assert main(["collect-read", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Fehler: zurueck.xlsx: die Arbeitsmappe nennt die VG Landstuhl")
    assert err.count("\n") == 1 and str(tmp_path) not in err
    assert main(["collect-confirm", "1"]) == 1  # there is no return to confirm
    assert state(store) == before
    assert ws.view().list_marks.lookup() == {}


def test_edited_keys_unknown_sends_and_old_workbooks_are_refused(store: Store) -> None:
    ws = workspace(store)
    _, weilerbach = collection.workbook(ws, WEILERBACH, "2026-11")
    _, landstuhl = collection.workbook(ws, LANDSTUHL, "2026-11")  # send 2
    before = state(store)
    cases = {
        "Prüfwert": edit(weilerbach, lambda wb: set_meta(wb, check="0" * 32)),
        # the send id of Landstuhl's workbook, the VG too: the check value still Weilerbach's
        "passt nicht zum Versand 2": edit(
            weilerbach, lambda wb: set_meta(wb, send_id="2", vg_key=LANDSTUHL)
        ),
        "Versand „99“, den es nicht gibt": edit(weilerbach, lambda wb: set_meta(wb, send_id="99")),
        "Runde „2027-01“": edit(weilerbach, lambda wb: set_meta(wb, round="2027-01")),
        "keinen Prüfwert": edit(weilerbach, lambda wb: set_meta(wb, check="")),
    }
    for reason, forged in cases.items():
        with pytest.raises(collection.ReturnRefused, match=reason):
            collection.read_return(ws, forged, "zurueck.xlsx")
    assert state(store) == before
    # the workbooks as sent are read (the control case)
    assert collection.read_return(ws, landstuhl, "l.xlsx").send_id == 2
    assert collection.read_return(ws, weilerbach, "w.xlsx").send_id == 1


def test_a_send_is_read_back_once(store: Store, tmp_path: Path, capsys) -> None:  # noqa: ANN001
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    returned = edit(data, kita_complete)
    first = collection.read_return(ws, returned, "zurueck.xlsx")
    racing = collection.read_return(ws, returned, "zurueck.xlsx")  # read before the first submit
    done = collection.submit_return(ws, first, "zurueck.xlsx", returned)
    assert done.marks == 1
    before = state(store)
    with pytest.raises(collection.ReturnRefused, match=r"schon eingelesen \(Rücklauf 1 vom"):
        collection.read_return(ws, returned, "nochmal.xlsx")
    with pytest.raises(collection.StoreError, match="inzwischen eingelesen"):
        collection.submit_return(ws, racing, "zurueck.xlsx", returned)
    assert state(store) == before
    # the command line says it in one line, in the user's language, exit 2
    path = tmp_path / "nochmal.xlsx"
    path.write_bytes(returned)
    capsys.readouterr()
    assert main(["collect-read", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "schon eingelesen" in err and "Traceback" not in err
    assert main(["collect-read", str(path), "--lang", "en"]) == 2
    assert "was read back already (return 1" in capsys.readouterr().err
    assert state(store) == before


def test_another_vgs_offer_id_and_unknown_ids_are_problems_of_their_rows(store: Store) -> None:
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    other = store.facility(LANDSTUHL_OFFER)
    assert other is not None

    def add_foreign_rows(wb: openpyxl.Workbook) -> None:
        sheet, col, row = wb[SHEET_OFFERS], columns(wb), first_free_row(wb)
        for r, rid in ((row, LANDSTUHL_OFFER), (row + 1, "ref-0000000000")):
            sheet.cell(r, col["ID"], rid)
            sheet.cell(r, col["Name"], other.name + " (geändert)")
            sheet.cell(r, col["Kategorie"], "Schule")
            sheet.cell(r, col["Ort"], "Weilerbach")
        kita_complete(wb)

    returned = edit(data, add_foreign_rows)
    plan = collection.read_return(ws, returned, "zurueck.xlsx")
    problems = {p.value: p.problem for p in plan.problems}
    assert "gehört zu einem Angebot der VG Landstuhl" in problems[LANDSTUHL_OFFER]
    assert "unbekannte ID" in problems["ref-0000000000"]
    assert [p.problem_text("en") for p in plan.problems][0].startswith(
        f"the ID {LANDSTUHL_OFFER} belongs to an offer of VG Landstuhl"
    )
    before = state(store)
    with pytest.raises(collection.ImportRejected, match="2 Problem"):
        collection.submit_return(ws, plan, "zurueck.xlsx", returned)
    assert state(store) == before
    # only the valid part is written: the list mark, no proposal for the foreign rows
    done = collection.submit_return(ws, plan, "zurueck.xlsx", returned, skip_invalid=True)
    assert done.proposals == [] and done.marks == 1
    assert store.facility(LANDSTUHL_OFFER) == other
    with store.db.connection() as conn:
        marks = conn.frame("SELECT vg_key FROM list_marks")
    assert set(marks["vg_key"]) == {WEILERBACH}


def test_a_row_moved_into_another_vg_is_refused_alone(store: Store) -> None:
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    moved_id: list[str] = []

    def move(wb: openpyxl.Workbook) -> None:
        sheet, col = wb[SHEET_OFFERS], columns(wb)
        moved_id.append(sheet.cell(2, col["ID"]).value)
        sheet.cell(2, col["Ort"], "Landstuhl")  # moves into VG Landstuhl
        sheet.cell(3, col["Hinweis"], "neue Öffnungszeiten")  # a plain change
        new = first_free_row(wb)  # a new offer placed in Landstuhl
        sheet.cell(new, col["Name"], "Test-Kita Drüben")
        sheet.cell(new, col["Kategorie"], "Kita")
        sheet.cell(new, col["Ort"], "Landstuhl")

    returned = edit(data, move)
    before = {f.id: f for f in store.facilities()}
    plan = collection.read_return(ws, returned, "zurueck.xlsx")
    moved = [p for p in plan.problems if "liegt nach der Adresse in der VG Landstuhl" in p.problem]
    assert len(moved) == 2, plan.problems
    assert {p.row for p in moved} == {
        "Angebote, Zeile 2",
        f"Angebote, Zeile {len(plan.book.rows) + 1}",
    }
    done = collection.submit_return(ws, plan, "zurueck.xlsx", returned, skip_invalid=True)
    assert len(done.proposals) == 1  # the plain change only
    proposals = ws.proposals("pending")
    assert [p.record_id for p in proposals] != moved_id
    assert {f.id: f for f in store.facilities()} == before  # proposals only, nothing applied


def test_confirming_marks_only_the_lists_of_the_vg_it_was_sent_to(store: Store) -> None:
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    returned = edit(data, kita_complete)
    plan = collection.read_return(ws, returned, "zurueck.xlsx")
    done = collection.submit_return(ws, plan, "zurueck.xlsx", returned)
    # a pending mark of another VG attached to this return (as an older release could write)
    with store.db.transaction() as conn:
        conn.execute(
            "INSERT INTO list_marks (id, vg_key, category, complete, as_of, marked_by, marked_at,"
            " status, return_id) VALUES (99, ?, 'Kita', 1, '2026-11', 'x', 'x', 'pending', ?)",
            (LANDSTUHL, done.return_id),
        )
    collection.confirm_return(ws, done.return_id)
    marks = ws.view().list_marks.lookup()
    assert (WEILERBACH, "Kita") in marks and (LANDSTUHL, "Kita") not in marks


def test_choice_lists_hold_only_the_vgs_own_values(store: Store) -> None:
    ws = workspace(store)
    weilerbach = store.facility("ref-e09ea01d14")  # Kita Weilerbach (1)
    landstuhl = store.facility(LANDSTUHL_OFFER)
    assert weilerbach is not None and landstuhl is not None

    def record(rid: str, where: Facility, category: str, language: str, group: str) -> Change:
        return Change(Facility(
            id=rid, name=f"Testeintrag {rid}", category=category, lat=where.lat, lon=where.lon,
            precision="gemeinde", languages=[language], target_groups=[group],
            source="Testdaten", reference_date="2026",
        ))  # fmt: skip

    store.apply(
        [
            record("test-unterkunft", weilerbach, "Unterkunft", "Amharisch", "Geflüchtete aus Eritrea"),
            record("test-verein-l", landstuhl, "Verein", "Isländisch", "Landstuhler Gruppe"),
            record("test-verein-w", weilerbach, "Verein", "Walisisch", "Weilerbacher Gruppe"),
        ],
        "test",
    )  # fmt: skip
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    values = {str(c.value) for row in wb[SHEET_CHOICES].iter_rows() for c in row if c.value}
    assert {"Walisisch", "Weilerbacher Gruppe", "Arabisch", "Familien"} <= values
    assert not {"Amharisch", "Geflüchtete aus Eritrea", "Isländisch", "Landstuhler Gruppe"} & values
    everything = " ".join(
        str(c.value) for sheet in wb.worksheets for row in sheet.iter_rows() for c in row if c.value
    )
    assert "Amharisch" not in everything and "test-unterkunft" not in everything
