"""Rights in the data layer: VG-Redaktion only in its VG, proposals and review, public counts."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.data.areas import Areas
from dashboard.data.importer.edits import InvalidEdit, facility_from_values
from dashboard.data.store import Change, StaleVersionError, Store, StoreError
from dashboard.domain.model import Facility
from dashboard.domain.privacy import format_count, sensitive_counts, visible
from dashboard.domain.review import FieldChange
from dashboard.domain.roles import PUBLIC, User
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.signin import start_session
from dashboard.services.workspace import PermissionDenied, Workspace
from tests.conftest import REPO

WEILERBACH, LANDSTUHL = "073355009", "073355011"
OWN = "ref-821a16defc"  # Grundschule Weilerbach (VG Weilerbach)
FOREIGN = "ref-dc1019cd2d"  # Theodor-Heuss-Grundschule (VG Landstuhl)
ANNA = User("anna", "vg_editor", (WEILERBACH,))
BERND = User("bernd", "district_editor")
CARLA = User("carla", "admin")


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture(scope="module")
def areas(boundaries: Boundaries) -> Areas:
    return boundaries.areas


@pytest.fixture
def store(store_location: Path | str) -> Store:
    ticks = itertools.count()
    start = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    return Store(
        store_location,
        REPO / "datasets",
        clock=lambda: start + dt.timedelta(minutes=next(ticks)),
    )


@pytest.fixture
def ws(store: Store, boundaries: Boundaries):
    def make(user: User | None) -> Workspace:
        return Workspace(store, user, boundaries)

    return make


def _at(areas: Areas, gemeinde: str) -> dict[str, object]:
    loc = areas.geocoder.from_gemeinde(gemeinde)
    return {"lat": loc.lat, "lon": loc.lon, "ags": loc.ags, "precision": loc.precision}


def _new(areas: Areas, fid: str, gemeinde: str, category: str = "Verein") -> Facility:
    return Facility(
        id=fid,
        name=f"Test {fid}",
        category=category,
        source="Testdaten",
        reference_date=dt.date(2025, 1, 1),
        **_at(areas, gemeinde),  # type: ignore[arg-type]
    )


# -- VG-Redaktion stays in its VG ---------------------------------------------------------------
def test_vg_editor_cannot_change_offer_in_another_vg(ws, store: Store, areas: Areas) -> None:
    anna = ws(ANNA)
    foreign = store.facility(FOREIGN)
    changed = foreign.model_copy(update={"operator": "Fremder Träger"})
    with pytest.raises(PermissionDenied, match=r"eigenen Verbandsgemeinde \(Weilerbach\)"):
        anna.propose_change(changed, foreign.version, "versuch")
    with pytest.raises(PermissionDenied, match="eigenen Verbandsgemeinde"):
        anna.propose_close(FOREIGN, foreign.version, "versuch")
    # claiming the foreign record now lies in Weilerbach does not help: the stored place counts
    forged = foreign.model_copy(update=_at(areas, "Weilerbach"))
    with pytest.raises(PermissionDenied, match="eigenen Verbandsgemeinde"):
        anna.propose_change(forged, foreign.version, "versuch")
    with pytest.raises(PermissionDenied, match="nur die Kreis-Redaktion"):
        anna.apply_change(changed, foreign.version, "direkt")
    with pytest.raises(PermissionDenied, match="nur die Kreis-Redaktion"):
        anna.apply_changes([Change(changed, foreign.version)], "direkt")
    with pytest.raises(PermissionDenied):
        anna.confirm_current(LANDSTUHL, "alles aktuell")
    with pytest.raises(PermissionDenied, match="Neue Angebote"):
        anna.propose_change(_new(areas, "test-neu-ls", "Landstuhl"), None, "neu")
    assert store.facility(FOREIGN) == foreign
    assert anna.proposals() == [] and store.history().empty


def test_vg_editor_cannot_move_offer_into_another_vg(ws, store: Store, areas: Areas) -> None:
    own = store.facility(OWN)
    moved = facility_from_values({"place": "Landstuhl", "lat": "", "lon": ""}, areas.geocoder, own)
    assert moved.ags != own.ags and areas.vg_of(moved) == LANDSTUHL
    with pytest.raises(PermissionDenied, match=r"andere Verbandsgemeinde \(Landstuhl\)"):
        ws(ANNA).propose_change(moved, own.version, "umgezogen")
    # within the VG a move is fine
    within = facility_from_values({"place": "Rodenbach", "lat": "", "lon": ""}, areas.geocoder, own)
    proposal = ws(ANNA).propose_change(within, own.version, "umgezogen")
    assert proposal.kind == "change" and proposal.vg_key == WEILERBACH


def test_rights_by_role(ws, tmp_path: Path) -> None:
    public, anna, bernd, carla = ws(None), ws(ANNA), ws(BERND), ws(CARLA)
    assert not public.can_propose() and anna.can_propose() and not anna.can_apply()
    assert [w.import_allowed() for w in (public, anna, bernd, carla)] == [
        False,
        False,
        True,
        True,
    ]
    with pytest.raises(PermissionDenied, match="Importieren"):
        anna.require_import()
    bernd.require_import()
    for w in (public, anna, bernd):
        with pytest.raises(PermissionDenied, match="nur ein Admin"):
            w.list_users()
    carla.add_user("dora", "langes-passwort-1", "vg_editor", [WEILERBACH])
    assert [u.name for u in carla.list_users()] == ["dora"]
    with pytest.raises(ValueError, match="Unbekannte Verbandsgemeinde"):
        carla.add_user("emil", "langes-passwort-1", "vg_editor", ["073359999"])
    with pytest.raises(PermissionDenied):
        public.proposals()
    with pytest.raises(PermissionDenied, match="anmelden"):
        public.propose_close(OWN, 1, "zu")
    with pytest.raises(PermissionDenied, match="anmelden"):
        public.history()


# -- proposals and review -----------------------------------------------------------------------
def test_approved_change_reaches_store_and_map_rejected_does_not(
    ws, store: Store, areas: Areas
) -> None:
    anna, bernd = ws(ANNA), ws(BERND)
    own = store.facility(OWN)
    edited = facility_from_values({"operator": "Verbandsgemeinde Weilerbach"}, areas.geocoder, own)
    change = anna.propose_change(edited, own.version, "Träger ergänzt")
    new = anna.propose_change(_new(areas, "test-neu-wb", "Weilerbach"), None, "neuer Verein")
    bad = anna.propose_change(_new(areas, "test-falsch", "Rodenbach"), None, "Doppelt?")
    assert (change.kind, new.kind, change.status) == ("change", "add", "pending")
    assert store.facility(OWN).operator == "" and store.facility("test-neu-wb") is None

    delta = bernd.delta(change.id)
    assert delta.changes == (FieldChange("operator", "", "Verbandsgemeinde Weilerbach"),)
    assert {"name", "category"} <= {c.field for c in bernd.delta(new.id).changes}

    with pytest.raises(PermissionDenied, match="Vorschläge prüfen"):
        anna.review(change.id, True, "selbst genehmigt")
    assert bernd.review(change.id, True, "passt").status == "approved"
    assert bernd.review(new.id, True, "").status == "approved"
    decided = bernd.review(bad.id, False, "gibt es schon als Sportverein")
    assert (decided.status, decided.reviewer, decided.review_comment) == (
        "rejected",
        "bernd",
        "gibt es schon als Sportverein",
    )
    with pytest.raises(StoreError, match="schon entschieden"):
        bernd.review(bad.id, True, "doch")

    ids = {f.id for f in store.facilities()}
    assert store.facility(OWN).operator == "Verbandsgemeinde Weilerbach"
    assert store.facility(OWN).version == own.version + 1
    assert "test-neu-wb" in ids and "test-falsch" not in ids
    on_map = ws(None).view().facilities()
    assert "test-neu-wb" in set(on_map["id"]) and "test-falsch" not in set(on_map["id"])
    assert anna.proposals() == [] and len(anna.proposals(status=None)) == 3

    history = store.history()
    rows = {(r.record_id, r.action): r for r in history.itertuples()}
    assert rows[(OWN, "proposal")].author == "anna"
    assert rows[(OWN, "proposal")].comment == "Träger ergänzt"
    assert rows[(OWN, "change")].author == "bernd" and "Vorschlag" in rows[(OWN, "change")].comment
    assert rows[(OWN, "approve")].author == "bernd" and rows[(OWN, "approve")].comment == "passt"
    assert rows[("test-neu-wb", "add")].author == "bernd"
    assert rows[("test-falsch", "proposal")].author == "anna"
    reject = rows[("test-falsch", "reject")]
    assert reject.author == "bernd" and reject.comment == "gibt es schon als Sportverein"
    assert ("test-falsch", "add") not in rows
    assert all(str(r.at).startswith("2025-03-01T09:") for r in history.itertuples())
    # a VG-Redaktion sees the history of its own offers, not of others
    assert len(anna.history(OWN)) == 3
    with pytest.raises(PermissionDenied):
        anna.history()


def test_proposal_on_a_changed_record(ws, store: Store) -> None:
    anna, bernd = ws(ANNA), ws(BERND)
    own = store.facility(OWN)
    first = anna.propose_change(own.model_copy(update={"contact": "a@example.org"}), own.version)
    second = anna.propose_change(own.model_copy(update={"contact": "b@example.org"}), own.version)
    same = anna.propose_change(own.model_copy(update={"contact": "a@example.org"}), own.version)
    other = anna.propose_change(own.model_copy(update={"capacity": 40}), own.version)
    bernd.review(first.id, True, "ok")
    # the same field changed since to another value: shown as such, never overwritten
    assert bernd.delta(second.id).conflicts == ("contact",)
    with pytest.raises(StoreError, match="von anderer Seite geändert: Kontakt"):
        bernd.review(second.id, True, "ok")
    assert store.facility(OWN).contact == "a@example.org"
    # the same change again: nothing left to apply, closed as done with one click
    assert bernd.delta(same.id).applied
    with pytest.raises(StoreError, match="als erledigt schließen"):
        bernd.review(same.id, True, "ok")
    assert bernd.close_done(same.id, "war schon drin").status == "approved"
    with pytest.raises(StoreError, match="noch nicht im Datensatz"):
        bernd.close_done(other.id)
    # another field: put onto the record as it is now, the first change stays
    assert [c.field for c in bernd.delta(other.id).changes] == ["capacity"]
    bernd.review(other.id, True, "Plätze")
    now = store.facility(OWN)
    assert (now.contact, now.capacity, now.version) == ("a@example.org", 40, own.version + 2)
    assert [p.id for p in bernd.proposals()] == [second.id]  # stays pending
    with pytest.raises(StaleVersionError):  # proposing on an old version is refused at once
        anna.propose_close(OWN, own.version, "geschlossen")


def test_direct_change_validated_like_import(ws, store: Store, areas: Areas) -> None:
    bernd = ws(BERND)
    own = store.facility(OWN)
    saved = bernd.apply_change(own.model_copy(update={"capacity": 40}), own.version, "Plätze")
    assert saved.capacity == 40 and saved.version == own.version + 1
    berlin = own.model_copy(update={"lat": 52.52, "lon": 13.40, "ags": ""})
    with pytest.raises(StoreError, match="außerhalb"):
        bernd.apply_change(berlin, saved.version)
    with pytest.raises(InvalidEdit, match="unbekannte Kategorie"):
        facility_from_values({"category": "Zirkus"}, areas.geocoder, saved)
    with pytest.raises(InvalidEdit, match="außerhalb"):
        facility_from_values({"lat": "52,52", "lon": "13,40"}, areas.geocoder, saved)
    unchanged = facility_from_values({}, areas.geocoder, saved)
    assert unchanged == saved


def test_expired_session_is_refused(store: Store, boundaries: Boundaries) -> None:
    t0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    session = start_session(ANNA, t0)
    assert Workspace.for_session(store, session, t0, boundaries).user == ANNA
    assert Workspace.for_session(store, None, t0, boundaries).user == PUBLIC
    with pytest.raises(PermissionDenied, match="abgelaufen"):
        Workspace.for_session(store, session, t0 + dt.timedelta(hours=13), boundaries)


# -- public view --------------------------------------------------------------------------------
def test_format_count() -> None:
    assert [format_count(n) for n in range(7)] == ["0", "<5", "<5", "<5", "<5", "5", "6"]


def test_public_sees_sensitive_facilities_only_as_counts(ws, store: Store, areas: Areas) -> None:
    bernd = ws(BERND)
    for i in range(3):
        bernd.apply_change(_new(areas, f"test-uk-wb{i}", "Weilerbach", "Unterkunft"), None)
    for i in range(6):
        bernd.apply_change(_new(areas, f"test-uk-ls{i}", "Landstuhl", "Unterkunft"), None)
    located = areas.locate(store.facilities())
    assert (located["category"] == "Unterkunft").sum() == 9

    shown = visible(located, "public", (), 2019)
    assert not (shown["category"] == "Unterkunft").any() and len(shown) == len(located) - 9
    public = ws(None)
    assert not (public.view().facilities()["category"] == "Unterkunft").any()
    assert public.facility("test-uk-wb0") is None and public.facility(OWN) is not None

    counts = sensitive_counts(located, "public", vintage=2019)
    assert counts.to_dict("records") == [
        {"vg_rs": WEILERBACH, "category": "Unterkunft", "count": "<5"},
        {"vg_rs": LANDSTUHL, "category": "Unterkunft", "count": "6"},
    ]
    assert "3" not in set(counts["count"])
    # the VG-Redaktion of Weilerbach gets its own count exactly, Landstuhl's as everyone
    anna_counts = sensitive_counts(located, "vg_editor", (WEILERBACH,), vintage=2019)
    assert list(anna_counts["count"]) == ["3", "6"]

    # a VG-Redaktion sees sensitive points only in its own VG; the Kreis-Redaktion all
    anna_ids = set(ws(ANNA).view().facilities()["id"])
    assert "test-uk-wb0" in anna_ids and "test-uk-ls0" not in anna_ids
    assert len(bernd.view().facilities()) == len(located)


# -- keeping the list current -------------------------------------------------------------------
def test_confirm_current_and_stale_offers(ws, store: Store, areas: Areas) -> None:
    anna, bernd = ws(ANNA), ws(BERND)
    today = dt.date(2025, 3, 1)
    own = store.facility(OWN)
    bernd.apply_change(own.model_copy(update={"last_verified": dt.date(2024, 6, 1)}), own.version)
    located = areas.locate(store.facilities())
    stale = bernd.stale_offers(today)
    assert OWN not in set(stale["id"])  # verified 9 months ago
    assert FOREIGN in set(stale["id"]) and len(stale) == len(located) - 1
    assert set(anna.stale_offers(today)["vg"]) == {"Weilerbach"}
    with pytest.raises(PermissionDenied):
        ws(None).stale_offers(today)
    assert OWN in set(bernd.stale_offers(dt.date(2025, 6, 2))["id"])

    anna.confirm_current(WEILERBACH, "Liste mit den Ortsgemeinden abgeglichen")
    (confirmation,) = bernd.confirmations().to_dict("records")
    assert confirmation["confirmed_at"].startswith("2025-03-01T09:")
    assert {k: v for k, v in confirmation.items() if k != "confirmed_at"} == {
        "vg_key": WEILERBACH,
        "vg": "Weilerbach",
        "confirmed_by": "anna",
        "comment": "Liste mit den Ortsgemeinden abgeglichen",
    }
    after = bernd.stale_offers(today)
    assert "Weilerbach" not in set(after["vg"]) and "Landstuhl" in set(after["vg"])
    assert "Weilerbach" in set(bernd.stale_offers(dt.date(2026, 3, 2))["vg"])
    bernd.confirm_current(LANDSTUHL)
    with pytest.raises(StoreError, match="Unbekannte"):
        bernd.confirm_current("999999999")
