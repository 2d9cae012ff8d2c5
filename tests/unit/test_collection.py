"""The collection round: workbook out, edited with openpyxl as a VG would, read back as
proposals, approved; and the analysis then states gaps for that VG only."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.collection import SHEET_GUIDE, SHEET_LISTS, SHEET_META, SHEET_OFFERS
from dashboard.domain.roles import User
from dashboard.services import collection
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import PermissionDenied, Workspace
from tests.conftest import REPO

WEILERBACH = "073355009"
LANDSTUHL = "073355011"
CLOCK = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    return Store(path, REPO / "datasets", clock=lambda: CLOCK)


def workspace(store: Store, role: str = "district_editor", vgs: tuple[str, ...] = ()) -> Workspace:
    user = User(name=f"test-{role}", role=role, vgs=vgs)
    return Workspace(store, user, load_boundaries(get_settings()))


def _sheet_rows(ws: openpyxl.worksheet.worksheet.Worksheet) -> tuple[list[str], list[tuple]]:
    header = [c.value for c in ws[1]]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in r)]
    return header, rows


def edited_workbook(data: bytes) -> tuple[bytes, dict[str, str]]:
    """As a VG would: one changed offer, one closed, one new; the Kita list complete."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[SHEET_OFFERS]
    header, rows = _sheet_rows(ws)
    col = {name: header.index(name) + 1 for name in header}
    kitas = [i for i, r in enumerate(rows, start=2) if r[col["Kategorie"] - 1] == "Kita"]
    changed, closed = kitas[0], kitas[1]
    ids = {
        "changed": ws.cell(changed, col["ID"]).value,
        "closed": ws.cell(closed, col["ID"]).value,
    }
    ws.cell(changed, col["Hinweis"], "Ganztagsangebot, 45 Plätze")
    ws.cell(changed, col["Kapazität"], 45)
    ws.cell(closed, col["Status"], "geschlossen")
    new = len(rows) + 2
    ws.cell(new, col["Name"], "Kita Sonnenschein")
    ws.cell(new, col["Kategorie"], "Kita")
    ws.cell(new, col["Ort"], "Weilerbach")
    ws.cell(new, col["Träger"], "Protestantische Kirchengemeinde")
    lists = wb[SHEET_LISTS]
    for r in range(2, lists.max_row + 1):
        if lists.cell(r, 1).value == "Kita":
            lists.cell(r, 2, "ja")
            lists.cell(r, 3, "11.2026")
        if lists.cell(r, 1).value == "Ausgefüllt von":
            lists.cell(r, 2, "VG Weilerbach, Frau Beispiel")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue(), ids


def test_workbook_has_dropdowns_instructions_and_a_completeness_field(store: Store) -> None:
    ws = workspace(store)
    name, data = collection.workbook(ws, WEILERBACH, "2026-11")
    assert name == "erhebung-2026-11-weilerbach.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames[:3] == [SHEET_GUIDE, SHEET_OFFERS, SHEET_LISTS]
    assert wb[SHEET_META].sheet_state == "hidden"
    guide = " ".join(str(c.value) for c in wb[SHEET_GUIDE]["A"] if c.value)
    assert "Verbandsgemeinde Weilerbach" in guide and "geschlossen" in guide
    header, rows = _sheet_rows(wb[SHEET_OFFERS])
    assert header[:3] == ["ID", "Name", "Kategorie"]
    assert len(rows) == 13  # 8 Kitas and 5 schools of VG Weilerbach
    ranges = {
        str(dv.sqref).split(":")[0][0]: dv
        for dv in wb[SHEET_OFFERS].data_validations.dataValidation
    }
    category = ranges["C"]
    assert category.type == "list" and category.errorStyle == "stop"
    status = [dv for dv in wb[SHEET_OFFERS].data_validations.dataValidation
              if dv.formula1 == '"aktiv,geschlossen"']  # fmt: skip
    assert len(status) == 1
    lists_header = [c.value for c in wb[SHEET_LISTS][1]]
    assert lists_header[:3] == ["Kategorie", "Liste vollständig", "Stand"]
    complete = [dv for dv in wb[SHEET_LISTS].data_validations.dataValidation
                if dv.formula1 == '"ja,nein"']  # fmt: skip
    assert len(complete) == 1
    # the send is recorded
    board = collection.status_board(ws, dt.date(2026, 12, 5)).set_index("vg_key")
    assert board.loc[WEILERBACH, "sent"] == "2026-11-30"
    assert board.loc[WEILERBACH, "age_days"] == 5
    assert board.loc[LANDSTUHL, "sent"] == ""


def test_round_trip_three_proposals_approved_exactly_these_changes(store: Store) -> None:
    ws = workspace(store)
    before = {f.id: f for f in store.facilities()}
    history_before = len(store.history())
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    returned, ids = edited_workbook(data)

    plan = collection.read_return(ws, returned, "rücklauf-weilerbach.xlsx")
    assert plan.problems == [] and plan.missing == []
    assert len(plan.unchanged) == 11
    assert [m.category for m in plan.book.marks] == ["Kita"]
    assert plan.book.marks[0].complete and plan.book.marks[0].as_of == "2026-11"
    assert plan.book.filled_by == "VG Weilerbach, Frau Beispiel"

    done = collection.submit_return(ws, plan, "rücklauf-weilerbach.xlsx", returned)
    assert len(done.proposals) == 3 and done.marks == 1
    pending = ws.proposals("pending")
    assert sorted(p.kind for p in pending) == ["add", "change", "close"]
    assert store.facilities() == list(before.values())  # nothing applied yet
    # the marks are pending until the return is confirmed
    assert ws.view().list_marks.lookup() == {}
    with pytest.raises(Exception, match="offene Vorschläge"):
        collection.confirm_return(ws, done.return_id)

    for p in pending:
        ws.review(p.id, True, "geprüft")
    collection.confirm_return(ws, done.return_id)

    after = {f.id: f for f in store.facilities()}
    new = [f for i, f in after.items() if i not in before]
    assert len(new) == 1 and new[0].name == "Kita Sonnenschein"
    assert new[0].operator == "Protestantische Kirchengemeinde"
    assert new[0].reference_date == "2026-11" and new[0].precision == "gemeinde"
    assert new[0].source.startswith("Rücklauf Erhebung 2026-11 VG Weilerbach")
    changed = after[ids["changed"]]
    assert changed.note == "Ganztagsangebot, 45 Plätze" and changed.capacity == 45
    assert (changed.lat, changed.lon) == (before[ids["changed"]].lat, before[ids["changed"]].lon)
    assert after[ids["closed"]].status == "closed"
    untouched = set(before) - {ids["changed"], ids["closed"]}
    assert all(after[i] == before[i] for i in untouched)
    # history: exactly these three records, each proposed, approved and applied
    history = store.history()
    recent = history.iloc[: len(history) - history_before]
    assert set(recent["record_id"]) == {new[0].id, ids["changed"], ids["closed"]}
    assert sorted(recent["action"]) == sorted(
        ["proposal"] * 3 + ["approve"] * 3 + ["add", "change", "close"]
    )
    # the list counts now, as of the VG's date
    assert ws.view().list_marks.lookup() == {(WEILERBACH, "Kita"): (True, "2026-11")}
    board = collection.status_board(ws, dt.date(2026, 11, 30)).set_index("vg_key")
    row = board.loc[WEILERBACH]
    assert (row["returned"], row["reviewed"], row["confirmed"]) == ("2026-11-30",) * 3
    assert (row["proposals"], row["pending"], row["complete"]) == (3, 0, 1)


def _gaps_json(capsys: pytest.CaptureFixture[str], *args: str) -> pd.DataFrame:
    assert main(["gaps", "--category", "Kita", "--format", "json", *args]) == 0
    return pd.DataFrame(json.loads(capsys.readouterr().out))


def test_gaps_are_unknown_until_a_vg_list_is_confirmed(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _gaps_json(capsys)
    assert len(before) == 50
    assert set(before["Einstufung"]) == {"unbekannt – keine bestätigte Liste"}
    assert before["Versorgungslücke"].isna().all()  # no verdict, never "nein"

    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    returned, _ = edited_workbook(data)
    done = collection.submit_return(ws, collection.read_return(ws, returned, "r.xlsx"), "r.xlsx",
                                    returned)  # fmt: skip
    for p in ws.proposals("pending"):
        ws.review(p.id, True)
    collection.confirm_return(ws, done.return_id)

    after = _gaps_json(capsys).set_index("Schlüssel")
    weilerbach = set(after.index[after["VG-Schlüssel"] == WEILERBACH])
    assert len(weilerbach) == 8
    known = set(after.index[after["Einstufung"] != "unbekannt – keine bestätigte Liste"])
    assert known == weilerbach
    # by hand: Kitas after the return (Mackenbach's closed, a new one in Weilerbach):
    # Eulenbis 1, Erzenhausen 0, Kollweiler 0, Mackenbach 0, Reichenbach-Steegen 1,
    # Rodenbach 2, Schwedelbach 1, Weilerbach 3. Threshold 0.5 per 1,000 inhabitants;
    # every Gemeinde of VG Weilerbach is within 5 km of a Kita, so only "few" can flag.
    population = pd.read_csv(REPO / "datasets" / "population_gemeinden.csv", dtype={"ags": str})
    pop = population.set_index("ags")["population"]
    kitas = {"07335006": 1, "07335005": 0, "07335019": 0, "07335024": 0, "07335501": 1,
             "07335040": 2, "07335043": 1, "07335049": 3}  # fmt: skip
    assert set(kitas) == weilerbach
    expected = {k: "Lücke" if n / pop[k] * 1000 < 0.5 else "keine Lücke" for k, n in kitas.items()}
    assert after.loc[sorted(weilerbach), "Einstufung"].to_dict() == expected
    assert after.loc[sorted(weilerbach), "Angebote"].to_dict() == kitas
    gaps_found = after[after["Einstufung"] == "Lücke"]
    assert set(gaps_found["Begründung"].str.contains("je 1.000")) == {True}
    assert set(gaps_found.index) == {"07335005", "07335019", "07335024"}


def test_returns_are_checked_before_anything_is_written(store: Store) -> None:
    ws = workspace(store)
    _, data = collection.workbook(ws, WEILERBACH, "2026-11")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[SHEET_OFFERS]
    header, rows = _sheet_rows(sheet)
    col = {name: header.index(name) + 1 for name in header}
    sheet.cell(2, col["Kategorie"], "Kindergartenplatz")  # not a category
    sheet.delete_rows(3)  # a deleted row: reported, never closed silently
    lists = wb[SHEET_LISTS]
    lists.cell(2, 2, "ja")  # complete, but without a date
    out = io.BytesIO()
    wb.save(out)
    plan = collection.read_return(ws, out.getvalue(), "r.xlsx")
    fields = {p.field for p in plan.problems}
    assert "category" in fields and "Stand" in fields
    assert len(plan.missing) == 1
    with pytest.raises(collection.ImportRejected):
        collection.submit_return(ws, plan, "r.xlsx", out.getvalue())
    assert ws.proposals("pending") == [] and collection.status_board(ws).loc[5, "returned"] == ""
    # a VG editor may read back only its own VG's workbook; the public nothing
    with pytest.raises(PermissionDenied):
        collection.read_return(workspace(store, "vg_editor", (LANDSTUHL,)), data, "r.xlsx")
    with pytest.raises(PermissionDenied):
        collection.workbook(workspace(store, "vg_editor", (WEILERBACH,)), WEILERBACH, "x")
    with pytest.raises(collection.ReadError, match="keine Arbeitsmappe der Erhebungsrunde"):
        blank = io.BytesIO()
        openpyxl.Workbook().save(blank)
        collection.read_return(ws, blank.getvalue(), "other.xlsx")


def test_cli_round_trip(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "runde"
    assert main(["collect", "--all", "--out", str(out), "--round", "2026-11"]) == 0
    books = sorted(p.name for p in out.iterdir())
    assert len(books) == 6 and "erhebung-2026-11-weilerbach.xlsx" in books
    returned, _ = edited_workbook((out / "erhebung-2026-11-weilerbach.xlsx").read_bytes())
    back = tmp_path / "zurueck.xlsx"
    back.write_bytes(returned)
    capsys.readouterr()
    assert main(["collect-read", str(back), "--dry-run"]) == 0
    assert "Kita Sonnenschein" in capsys.readouterr().out
    assert workspace(store).proposals("pending") == []
    assert main(["collect-read", str(back)]) == 0
    assert "Rücklauf 1: 3 Vorschläge und 1 Angabe zur" in capsys.readouterr().out
    assert main(["collect-confirm", "1"]) == 1  # proposals still open
    assert main(["collect-status"]) == 0
    assert "Weilerbach" in capsys.readouterr().out
