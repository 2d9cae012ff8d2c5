"""One permission rule at every door: a VG-Redaktion acts only in its own VG, the
Kreis-Redaktion anywhere, the public nowhere (propose, confirm, collection round, edit page)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.domain.model import Facility
from dashboard.domain.roles import User
from dashboard.services import collection, editorial
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.workspace import PermissionDenied, Workspace
from tests.conftest import REPO

WEILERBACH, LANDSTUHL = "073355009", "073355011"
OWN = "ref-821a16defc"  # Grundschule Weilerbach (VG Weilerbach)
FOREIGN = "ref-dc1019cd2d"  # Theodor-Heuss-Grundschule (VG Landstuhl)
ANNA = User("anna", "vg_editor", (WEILERBACH,))  # VG-Redaktion Weilerbach
BERND = User("bernd", "district_editor")
CARLA = User("carla", "admin")
ROLES = {"public": None, "vg_editor": ANNA, "district_editor": BERND, "admin": CARLA}


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture
def make(tmp_path: Path, boundaries: Boundaries, monkeypatch: pytest.MonkeyPatch):
    from dashboard.data.store import Store

    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    ticks = itertools.count()
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    store = Store(
        tmp_path / "s.gpkg", REPO / "datasets",
        clock=lambda: start + dt.timedelta(minutes=next(ticks)),
    )  # fmt: skip

    def workspace(user: User | None) -> Workspace:
        return Workspace(store, user, boundaries)

    return workspace


def _changed(ws: Workspace, record_id: str) -> tuple[Facility, int]:
    stored = ws.store.facility(record_id)
    assert stored is not None
    return stored.model_copy(update={"operator": "Neuer Träger"}), stored.version


# -- the rule itself -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("role", "own", "foreign", "outside"),
    [
        ("public", False, False, False),
        ("vg_editor", True, False, False),
        ("district_editor", True, True, True),
        ("admin", True, True, True),
    ],
)
def test_may_act_in(make, role: str, own: bool, foreign: bool, outside: bool) -> None:
    ws = make(ROLES[role])
    assert (ws.may_act_in(WEILERBACH), ws.may_act_in(LANDSTUHL), ws.may_act_in(None)) == (
        own, foreign, outside,
    )  # fmt: skip
    mine = ws.my_vgs()
    expected = {"public": set(), "vg_editor": {WEILERBACH}}.get(role, set(ws.areas.vg_names))
    assert set(mine) == expected
    if role in ("district_editor", "admin"):
        assert len(mine) == 6  # every VG of the current vintage


# -- door 1: proposing a change ------------------------------------------------------------------
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_propose(make, role: str) -> None:
    ws = make(ROLES[role])
    for record, allowed in (
        (OWN, role != "public"),
        (FOREIGN, role not in ("public", "vg_editor")),
    ):
        facility, version = _changed(ws, record)
        if allowed:
            assert ws.propose_change(facility, version).vg_key in (WEILERBACH, LANDSTUHL)
        else:
            with pytest.raises(PermissionDenied):
                ws.propose_change(facility, version)


# -- door 2: confirming a VG's list as current ---------------------------------------------------
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_confirm(make, role: str) -> None:
    ws = make(ROLES[role])
    for vg, allowed in (
        (WEILERBACH, role != "public"),
        (LANDSTUHL, role in ("district_editor", "admin")),
    ):
        if allowed:
            ws.confirm_current(vg)
            assert vg in ws.view().confirmations()
        else:
            with pytest.raises(PermissionDenied):
                ws.confirm_current(vg)
    if role == "vg_editor":
        assert LANDSTUHL not in make(BERND).view().confirmations()  # nothing written


# -- door 3: the collection round ----------------------------------------------------------------
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_collection_round(make, role: str, tmp_path: Path) -> None:
    sent = collection.write_workbooks(make(BERND), [WEILERBACH, LANDSTUHL], tmp_path, "2026-03")
    books = {p.name: p.read_bytes() for p in sent}
    own = next(b for n, b in books.items() if "weilerbach" in n)
    foreign = next(b for n, b in books.items() if "landstuhl" in n)
    ws = make(ROLES[role])
    for data, name, allowed in (
        (own, "own.xlsx", role != "public"),
        (foreign, "foreign.xlsx", role in ("district_editor", "admin")),
    ):
        if allowed:
            assert collection.read_return(ws, data, name).book.vg_key in (WEILERBACH, LANDSTUHL)
        else:
            with pytest.raises(PermissionDenied):
                collection.read_return(ws, data, name)
    board = collection.status_board(ws, dt.date(2026, 3, 2)) if role != "public" else None
    if role == "vg_editor":
        assert board is not None and set(board["vg_key"]) == {WEILERBACH}
    elif board is not None:
        assert len(set(board["vg_key"])) == 6


# -- door 4: the edit page (what it offers and what it saves) -------------------------------------
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_edit_page(make, role: str) -> None:
    ws = make(ROLES[role])
    offers = editorial.editable_offers(ws)
    vgs = set(offers[f"vg_rs_{ws.config.current_vintage}"].dropna())
    if role == "public":
        assert offers.empty and editorial.own_vgs(ws) == {}
    elif role == "vg_editor":
        assert vgs == {WEILERBACH} and set(editorial.own_vgs(ws)) == {WEILERBACH}
        assert FOREIGN not in set(offers["id"]) and OWN in set(offers["id"])
    else:
        assert {WEILERBACH, LANDSTUHL} < vgs and FOREIGN in set(offers["id"])
        assert offers[f"vg_rs_{ws.config.current_vintage}"].isna().any()  # outside any VG too
    stale = ws.stale_offers(dt.date(2030, 1, 1)) if role != "public" else None
    if role == "vg_editor":
        assert stale is not None and set(stale["vg_rs"]) == {WEILERBACH}
    facility, version = _changed(ws, FOREIGN)
    values = {k: v for k, v in facility.model_dump(mode="json").items() if v is not None}
    values["handlungsfelder"] = facility.handlungsfelder
    if role in ("public", "vg_editor"):
        with pytest.raises(PermissionDenied):
            editorial.save_form(ws, ws.store.facility(FOREIGN), values, "")
    else:
        outcome = editorial.save_form(ws, ws.store.facility(FOREIGN), values, "")
        assert outcome.stored is not None and outcome.stored.version == version + 1
