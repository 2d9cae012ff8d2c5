"""Projects through the service: the Kreis-Redaktion adds and moves projects, a
VG-Redaktion proposes in its own VG only, the review writes, the public never gets an
internal note, a project list with bad rows writes nothing (or only its valid rows), and
the Sachstandsbericht says what changed between two days."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from dashboard.config import get_settings
from dashboard.data.store import StaleVersionError, Store
from dashboard.domain.roles import User
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.projects import InvalidProject, project_desk
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace
from tests.conftest import REPO

WEILERBACH, LANDSTUHL = "073355009", "073355011"
ANNA = User("anna", "vg_editor", (WEILERBACH,))
BERND = User("bernd", "district_editor")
SECRET = "Zq7Projekt-Notiz"  # test data: an internal note that must never reach the public


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture
def store(store_location: Path | str) -> Store:
    ticks = itertools.count()
    start = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    return Store(
        store_location, REPO / "datasets", clock=lambda: start + dt.timedelta(minutes=next(ticks))
    )


@pytest.fixture
def desk(store: Store, boundaries: Boundaries):
    return lambda user: project_desk(Workspace(store, user, boundaries))


FORM = {
    "title": "Sprachcafé für Eltern",
    "handlungsfelder": ["sprache", "kita_schule"],
    "arbeitskreis": "bildung_erziehung",
    "gemeinden": ["Landstuhl", "Weilerbach"],
    "status": "beschlossen",
    "status_on": "12.03.2024",
    "contact": "Kreisverwaltung, Tel. 0631 7105-0",
    "open_to_residents": "ja",
    "internal_note": SECRET,
    "source": "Protokoll der Steuerungsgruppe",
    "reference_date": "12.03.2024",
}


def test_kreis_redaktion_adds_and_moves_a_project(desk, store: Store) -> None:
    bernd = desk(BERND)
    record = bernd.from_form(FORM, None)
    assert [p.ref for p in record.places] == ["07335022", "07335049"]
    saved = bernd.save(record, None, "neu")
    assert saved.stored is not None and saved.proposal is None
    pid = saved.stored.id
    moved = bernd.move(pid, "laufend", "01.02.2025", "Auftakt im Bürgerhaus", 1)
    assert moved.stored is not None and moved.stored.status == "laufend"
    assert moved.stored.actual_start == "2025-02-01"
    with pytest.raises(StaleVersionError):
        bernd.move(pid, "abgeschlossen", "2025-12", "", 1)  # loaded before the move
    with pytest.raises(StoreError, match="„laufend“ kann nicht zu „beschlossen“"):
        bernd.move(pid, "beschlossen", "2025-03", "", 2)  # no way back
    with pytest.raises(StoreError, match="vor dem des bisherigen Status"):
        bernd.move(pid, "abgeschlossen", "2024-12", "", 2)
    history = bernd.history(pid)
    assert history["action"].tolist() == ["status", "add"]
    # the public sees the project in both VGs, without the note and without account names
    public = desk(None).record(pid)
    assert public is not None and public.internal_note == ""
    assert {c.by for c in public.statuses} == {""}
    assert desk(None).project_vgs(public) == {WEILERBACH, LANDSTUHL}
    assert bernd.record(pid).internal_note == SECRET  # type: ignore[union-attr]


def test_vg_redaktion_proposes_in_its_own_vg_only(desk) -> None:
    anna, bernd = desk(ANNA), desk(BERND)
    outside = anna.from_form({**FORM, "gemeinden": ["Landstuhl"]}, None)
    with pytest.raises(PermissionDenied):
        anna.save(outside, None)
    own = anna.from_form({**FORM, "title": "Nähcafé Weilerbach", "gemeinden": ["Rodenbach"]}, None)
    proposal = anna.save(own, None, "bitte aufnehmen").proposal
    assert proposal is not None and proposal.vg_keys == (WEILERBACH,)
    assert own.id not in {r.id for r in bernd.records()}  # nothing written yet
    with pytest.raises(PermissionDenied):
        anna.review(proposal.id, True)
    assert [p.id for p in anna.proposals()] == [proposal.id]
    bernd.review(proposal.id, True, "passt")
    stored = bernd.record(own.id)
    assert stored is not None and stored.title == "Nähcafé Weilerbach"
    actions = bernd.history(own.id)["action"].tolist()
    assert actions == ["approve", "add", "proposal"]
    with pytest.raises(PermissionDenied):
        desk(None).save(own, None)


def test_invalid_form_names_each_field(desk) -> None:
    bad = {**FORM, "gemeinden": ["Atlantis"], "status": "fertig", "reference_date": "31.02.2025"}
    with pytest.raises(InvalidProject) as info:
        desk(BERND).from_form(bad, None)
    assert {p.field for p in info.value.problems} == {"gemeinden", "status", "reference_date"}


def _cells(data: bytes) -> str:
    """Every cell of every sheet of a workbook, as text."""
    wb = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value)


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "Handlungsfelder", "Status", "Status seit", "Gemeinden", "Quelle", "Stand"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


LIST = _xlsx(
    [
        ["Patenschaften für Neuzugewanderte", "Soziales", "laufend", "03.2024", "Landstuhl", "Liste AK Soziales", "2025"],
        ["Interkulturelle Woche", "Interkulturelle Öffnung von Politik und Verwaltung", "abgeschlossen", "2023", "Weilerbach", "Liste AK Soziales", "2025"],
        ["", "Sprache", "laufend", "2024", "Landstuhl", "Liste AK Soziales", "2025"],
        ["Elterncafé", "Sport", "gestartet", "2024", "Atlantis", "", "2025"],
    ]
)  # fmt: skip


def test_project_list_with_bad_rows_writes_nothing(desk, store: Store) -> None:
    bernd = desk(BERND)
    before, version = len(bernd.records()), store.data_version()
    plan = bernd.plan_upload("projekte.xlsx", LIST)
    report = plan.problems_frame("de")
    assert report["Zeile"].tolist() == ["Zeile 4", "Zeile 5", "Zeile 5", "Zeile 5", "Zeile 5"]
    assert set(report["Feld"]) == {"Titel", "Handlungsfelder", "Status", "Gemeinden", "Quelle"}
    with pytest.raises(StoreError, match="2 fehlerhafte"):
        bernd.import_list(plan, skip_invalid=False)
    assert len(bernd.records()) == before and store.data_version() == version
    assert bernd.import_list(plan, skip_invalid=True) == 2
    titles = {r.title for r in bernd.records()}
    assert {"Patenschaften für Neuzugewanderte", "Interkulturelle Woche"} <= titles
    with pytest.raises(PermissionDenied):
        desk(ANNA).plan_upload("projekte.xlsx", LIST)
    # the same list again: every title is stored now, nothing new is written twice
    again = bernd.plan_upload("projekte.xlsx", LIST)
    assert len(again.valid) == 0


def test_written_list_reads_back(desk) -> None:
    bernd = desk(BERND)
    bernd.save(bernd.from_form(FORM, None), None)
    data = bernd.list_file("de", "xlsx", internal=True)
    sheet = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[1]]
    assert "Interne Notiz" in header and "Titel" in header
    plan = bernd.plan_upload("export.xlsx", data)
    assert plan.problems == [] and len(plan.valid) == 4  # 3 shipped + the new one, as changes
    assert {r.base_version for r in plan.valid} == {1}
    public = _cells(bernd.list_file("de", "xlsx"))
    assert SECRET not in public and "Interne Notiz" not in public and "Sprachcafé" in public
    with pytest.raises(PermissionDenied):
        desk(None).list_file("de", "xlsx", internal=True)


def test_sachstand_says_what_changed(desk) -> None:
    bernd = desk(BERND)
    saved = bernd.save(bernd.from_form(FORM, None), None).stored
    assert saved is not None
    bernd.move(saved.id, "laufend", "01.02.2025", "Auftakt im Bürgerhaus", 1)
    rows = bernd.state(dt.date(2025, 6, 30), dt.date(2024, 12, 31))
    row = next(r for r in rows if r.record.id == saved.id)
    assert (row.status_before, row.status, row.changed) == ("beschlossen", "laufend", True)
    unchanged = next(r for r in rows if r.record.title == "Mediale Plattform")
    assert not unchanged.changed
    pdf = bernd.sachstand(dt.date(2025, 6, 30), dt.date(2024, 12, 31), "de", "pdf")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Sprachcafé für Eltern" in text and "Auftakt im Bürgerhaus" in text
    assert "3 von 23 dokumentiert" not in text and "4 von 23 dokumentiert" in text
    assert SECRET not in text
    internal = bernd.sachstand(
        dt.date(2025, 6, 30), dt.date(2024, 12, 31), "de", "pdf", internal=True
    )
    assert SECRET in " ".join(p.extract_text() for p in PdfReader(io.BytesIO(internal)).pages)
    xlsx = _cells(bernd.sachstand(dt.date(2025, 6, 30), dt.date(2024, 12, 31), "en", "xlsx"))
    assert SECRET not in xlsx and "Sprachcafé für Eltern" in xlsx and "running" in xlsx


def test_offer_history_does_not_open_a_project(desk, store: Store, boundaries: Boundaries) -> None:
    bernd = desk(BERND)
    saved = bernd.save(bernd.from_form({**FORM, "gemeinden": ["Landstuhl"]}, None), None).stored
    assert saved is not None
    with pytest.raises(PermissionDenied):  # a VG-Redaktion of another VG: not through the offers'
        Workspace(store, ANNA, boundaries).history(saved.id)
    with pytest.raises(PermissionDenied):
        desk(ANNA).history(saved.id)


def test_map_spec_carries_the_project_sites_without_the_note(
    desk, store: Store, boundaries
) -> None:
    """The map's Projektstandorte layer: one site per place of the project (two here), its
    own resource without the internal note, the layer switch and the legend's section; off
    when the map has no sites."""
    import json

    from dashboard.domain.viewstate import ViewState
    from dashboard.render.web.atlas import map_args
    from dashboard.render.web.project_sites import sites_resource
    from dashboard.render.web.resources import resource
    from dashboard.services.project_sites import project_sites

    bernd = desk(BERND)
    bernd.save(bernd.from_form(FORM, None), None, "neu")
    public = Workspace(store, None, boundaries).view()
    state = public.resolved(ViewState(lang="de"))
    sites = project_sites(public, state)
    mine = [s for s in sites if s.title == FORM["title"]]
    assert sorted(s.place for s in mine) == ["Landstuhl", "Weilerbach"]
    assert all(s.status == "beschlossen" and s.approximate for s in mine)
    res = sites_resource(sites, "de")
    payload = json.loads(res.text)
    assert payload["n"] == len(sites) and payload["title"].count(FORM["title"]) == 2
    assert SECRET not in res.text
    stub = resource("stub", {})
    common = {"topo": stub, "areas": stub, "facilities": None, "overlay": None, "choropleth": None}
    spec = map_args(
        public.district, state.vintage, "de", **common, projects=res, project_sites=sites
    )
    assert spec["res"]["projects"] == res.name and spec["layers"]["projects"] is True
    titles = [s["title"] for s in spec["legend"]["sections"]]
    assert "Projektstandorte" in titles
    section = next(x for x in spec["legend"]["sections"] if x["title"] == "Projektstandorte")
    texts = [i["text"] for i in section["items"]]  # a project's place is a Gemeinde or a VG
    assert "hohl, gestrichelt: Lage ungefähr (nur Gemeinde oder Verbandsgemeinde bekannt)" in texts
    # the text summary read with the map names the sites and how many are approximate
    approx = sum(1 for s in sites if s.approximate)
    assert (
        f"{len(sites)} Projektstandorte auf der Karte ({approx} mit ungefährer Lage"
        in spec["summary"]
    )
    off = map_args(public.district, state.vintage, "de", **common)
    assert off["res"]["projects"] is None and off["layers"]["projects"] is False
    assert "Projektstandorte" not in [s["title"] for s in off["legend"]["sections"]]
    assert "Projektstandort" not in off["summary"]
