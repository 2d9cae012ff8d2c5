"""Projects in the store: the records of the first release migrated with their source and
date, status changes forward only with a date, versions refused when stale, the history,
and internal notes for the Kreisverwaltung only."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError

from dashboard.data.projects import ProjectLedger
from dashboard.data.store import StaleVersionError, Store
from dashboard.domain import privacy
from dashboard.domain.projects import (
    Place,
    ProjectRecord,
    StatusChange,
    allowed_next,
    check_transition,
    status_on,
    with_status,
)
from tests.conftest import REPO
from tests.unit.test_schema import load_fixture

DATASETS = REPO / "datasets"
PAPER = "Beschlussvorlage 0285/2013 des Landkreises Kaiserslautern (Integrationskonzept)"


def _record(**changes: object) -> ProjectRecord:
    data: dict[str, object] = {
        "id": "p-test",
        "title": "Sprachpaten im Verein",
        "status": "beschlossen",
        "statuses": [{"status": "beschlossen", "on": "2024-03"}],
        "source": "Protokoll der Steuerungsgruppe",
        "reference_date": "2024-03-12",
    }
    data.update(changes)
    return ProjectRecord.model_validate(data)


def test_v1_projects_keep_source_and_date(tmp_path: Path) -> None:
    path = load_fixture(tmp_path / "v1.gpkg")
    conn = sqlite3.connect(path)
    old = {r[0]: json.loads(r[1]) for r in conn.execute("SELECT id, record FROM projects")}
    conn.close()
    store = Store(path, DATASETS)
    records = {p.id: p for p in store.projects()}
    assert set(records) == set(old) and len(records) == 3
    for pid, before in old.items():
        after = records[pid]
        assert after.title == before["title"] and after.source == before["source"]
        assert after.reference_date == before["reference_date"]
        assert after.status == before["status"]
        # the status is the first dated entry of the history, dated like its source
        assert after.statuses == [
            StatusChange(status=before["status"], on=before["reference_date"])
        ]
        assert after.version == 1


def test_new_store_has_the_three_named_projects(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.gpkg", DATASETS)
    records = store.projects()
    assert [p.title for p in records] == [
        "Einbürgerungskampagne des Landkreises", "Mediale Plattform", "Sprache lernen im Verein",
    ]  # fmt: skip
    assert {p.source for p in records} == {PAPER}
    assert {p.statuses[0].on for p in records} == {"2013"}


def test_status_moves_forward_with_a_date() -> None:
    r = _record()
    assert allowed_next("beschlossen") == [
        "in_vorbereitung",
        "laufend",
        "abgeschlossen",
        "eingestellt",
    ]
    running = with_status(r, "laufend", "2025-02-01", "bernd", "Auftakt", "2025-02-03T10:00:00")
    assert running.status == "laufend" and running.actual_start == "2025-02-01"
    assert [c.status for c in running.statuses] == ["beschlossen", "laufend"]
    assert status_on(running, dt.date(2025, 1, 31)) == "beschlossen"
    assert status_on(running, dt.date(2025, 2, 1)) == "laufend"
    assert status_on(running, dt.date(2023, 12, 31)) is None
    with pytest.raises(ValueError, match="cannot change"):
        with_status(running, "beschlossen", "2025-03-01", "bernd", "", "")
    with pytest.raises(ValidationError, match="dated before"):
        with_status(running, "abgeschlossen", "2024-01-01", "bernd", "", "")
    done = with_status(running, "abgeschlossen", "2025-12", "bernd", "", "")
    assert done.actual_end == "2025-12"
    with pytest.raises(ValueError, match="final"):
        check_transition("abgeschlossen", "eingestellt")
    with pytest.raises(ValidationError, match="last status change"):
        _record(status="laufend")


def test_places_are_checked() -> None:
    assert Place(kind="gemeinde", ref="07335019").ref == "07335019"
    for bad in (
        {"kind": "gemeinde", "ref": "0733"},
        {"kind": "vg", "ref": "07335019"},
        {"kind": "point", "lat": 49.4},
        {"kind": "gemeinde", "ref": "07335019", "lat": 49.4, "lon": 7.6},
    ):
        with pytest.raises(ValidationError):
            Place.model_validate(bad)


def test_stale_save_is_refused_and_history_kept(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.gpkg", DATASETS)
    ledger = ProjectLedger(store.db)
    version = store.data_version()
    (stored,) = ledger.save([(_record(), None)], "bernd", "2025-01-01T10:00:00", "neu")
    assert stored.version == 1 and store.data_version() == version + 1
    moved = with_status(stored, "laufend", "2025-02-01", "bernd", "Start", "2025-02-01T09:00:00")
    ledger.save([(moved, 1)], "bernd", "2025-02-01T09:00:00", "Start", action="status")
    with pytest.raises(StaleVersionError):
        ledger.save([(stored.model_copy(update={"title": "Alt"}), 1)], "anna", "2025-02-02", "")
    assert ledger.record("p-test").status == "laufend"  # type: ignore[union-attr]
    history = ledger.history("p-test")
    assert history["action"].tolist() == ["status", "add"]
    assert json.loads(history["after"].iloc[0])["status"] == "laufend"


def test_internal_notes_only_for_the_kreisverwaltung() -> None:
    r = with_status(
        _record(internal_note="Förderbescheid steht aus"), "laufend", "2025-02", "bernd", "", "t"
    )
    for role, vgs, project_vgs, sees in (
        ("district_editor", (), {"073355009"}, True),
        ("admin", (), set(), True),
        ("vg_editor", ("073355009",), {"073355009"}, True),
        ("vg_editor", ("073355011",), {"073355009"}, False),
        ("public", (), {"073355009"}, False),
    ):
        shown = privacy.project_for(r, role, vgs, project_vgs)
        assert (shown.internal_note == "Förderbescheid steht aus") is sees, role
        assert ({c.by for c in shown.statuses} == {"", "bernd"}) is sees, role
