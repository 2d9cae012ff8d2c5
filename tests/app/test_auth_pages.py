"""Sign-in and roles in AppTest: each role sees exactly its pages and may do exactly its actions.

Every test gets its own store and user file (``INTEGRATIONSATLAS_STORE``,
``INTEGRATIONSATLAS_USERS``); the app's cached store is dropped before and after.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import get_settings
from dashboard.data.db import Database
from dashboard.data.importer.edits import facility_from_values
from dashboard.data.store import Store
from dashboard.data.users import add_user, authenticate
from dashboard.domain.roles import PUBLIC, User
from dashboard.services import app as service_app
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.signin import Session, start_session
from dashboard.services.workspace import PermissionDenied, Workspace
from dashboard.ui import mapview
from dashboard.ui.session import SESSION_KEY, pages_for
from tests.conftest import REPO

_MAIN = REPO / "app.py"
#: ``app.py`` once it signs users in; until then the same lines from this folder.
APP = _MAIN if "signin_widget" in _MAIN.read_text() else Path(__file__).with_name("signin_app.py")

WEILERBACH, LANDSTUHL = "073355009", "073355011"
OWN = "ref-821a16defc"  # Grundschule Weilerbach (VG Weilerbach)
FOREIGN = "ref-dc1019cd2d"  # Theodor-Heuss-Grundschule (VG Landstuhl)
PASSWORDS = {
    "anna": "anna-passwort-1",
    "bernd": "bernd-passwort-1",
    "carla": "carla-passwort-1",
}
EDIT, REVIEW, USERS, IMPORT = (
    "app_pages/bearbeiten.py",
    "app_pages/pruefen.py",
    "app_pages/verwaltung.py",
    "app_pages/importieren.py",
)
#: The collection round and the indicator loads (Kreis-Redaktion, Admin).
KREIS_PAGES = ["app_pages/erhebung.py", "app_pages/indikatoren.py"]
PUBLIC_PAGES = [
    "app_pages/karte.py",
    "app_pages/versorgung.py",
    "app_pages/bestand.py",
    "app_pages/daten.py",
    "app_pages/praesentation.py",
    "app_pages/finder.py",
    "app_pages/barrierefreiheit.py",
]


@dataclass
class Env:
    store: Store
    boundaries: Boundaries

    @property
    def users(self) -> Database:
        """Where the accounts are: the store's database."""
        return self.store.db

    def ws(self, user: User | None) -> Workspace:
        return Workspace(self.store, user, self.boundaries)


def _clear_caches() -> None:
    service_app._store.cache_clear()
    mapview.clear_caches()


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boundaries: Boundaries) -> Iterator[Env]:
    store_path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(store_path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "no-legacy-users.json"))
    store = Store(store_path, REPO / "datasets")
    add_user(store.db, "anna", PASSWORDS["anna"], "vg_editor", [WEILERBACH])
    add_user(store.db, "bernd", PASSWORDS["bernd"], "district_editor")
    add_user(store.db, "carla", PASSWORDS["carla"], "admin")
    _clear_caches()
    yield Env(store, boundaries)
    _clear_caches()


def _rel(page: str) -> str:
    """A page file relative to the entry script (what ``switch_page`` expects)."""
    return os.path.relpath(REPO / page, APP.parent)


def _app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def _sign_in(at: AppTest, name: str, password: str | None = None) -> AppTest:
    at.text_input(key="auth_name").input(name)
    at.text_input(key="auth_password").input(password or PASSWORDS[name])
    at.button(key="auth_submit").click().run()
    assert not at.exception, at.exception
    return at


def _open(at: AppTest, page: str) -> AppTest:
    at.switch_page(_rel(page)).run()
    assert not at.exception, at.exception
    return at


def _registered(at: AppTest) -> list[str]:
    """The page files the navigation offers (every page file, tried one by one)."""
    found = []
    for page in sorted(str(p.relative_to(REPO)) for p in (REPO / "app_pages").glob("*.py")):
        try:
            at.switch_page(_rel(page))
        except ValueError:
            continue
        found.append(page)
    at.switch_page(_rel("app_pages/karte.py"))
    return found


# -- public -----------------------------------------------------------------------------------
def test_public_sees_no_edit_review_or_user_pages(env: Env) -> None:
    at = _app()
    assert sorted(_registered(at)) == sorted(PUBLIC_PAGES)
    assert pages_for(PUBLIC) == PUBLIC_PAGES
    assert at.text_input(key="auth_password").proto.type == 1  # PASSWORD: never echoed


_IMPORT_GUARDED = "require_page" in (REPO / IMPORT).read_text()


@pytest.mark.parametrize(
    "page",
    [
        EDIT,
        REVIEW,
        USERS,
        pytest.param(
            IMPORT,
            marks=pytest.mark.skipif(
                not _IMPORT_GUARDED, reason="import page not yet guarded by require_page"
            ),
        ),
    ],
)
def test_page_opened_without_the_right_says_no_permission(env: Env, page: str) -> None:
    at = AppTest.from_file(str(REPO / page), default_timeout=60).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Keine Berechtigung"]
    assert not at.title and not at.button and not at.text_input
    if page != EDIT:  # a VG-Redaktion may open the edit page, but nothing beyond
        at.session_state[SESSION_KEY] = start_session(
            User("anna", "vg_editor", (WEILERBACH,)), dt.datetime.now(dt.UTC)
        )
        at.run()
        assert [e.value for e in at.error] == ["Keine Berechtigung"] and not at.title


def test_wrong_password_or_unknown_name_gives_one_neutral_message(env: Env) -> None:
    at = _app()
    _sign_in(at, "anna", "falsches-passwort")
    assert [e.value for e in at.error] == ["Anmeldung fehlgeschlagen."]
    _sign_in(at, "niemand", "falsches-passwort")
    assert [e.value for e in at.error] == ["Anmeldung fehlgeschlagen."]
    assert sorted(_registered(at)) == sorted(PUBLIC_PAGES)
    # without a client address (AppTest) only the account-wide counter applies: ten failures
    for _ in range(9):
        _sign_in(at, "anna", "falsches-passwort")
    _sign_in(at, "anna")  # even the right password is refused while locked
    [message] = [e.value for e in at.error]
    seconds = re.fullmatch(r"Zu viele Versuche, bitte in (\d+) s erneut versuchen\.", message)
    assert seconds and 25 <= int(seconds[1]) <= 30
    assert EDIT not in _registered(at)


def test_expired_session_is_dropped_with_a_message(env: Env) -> None:
    at = _sign_in(_app(), "anna")
    assert EDIT in _registered(at)
    session: Session = at.session_state[SESSION_KEY]
    old = session.issued - dt.timedelta(hours=13)
    at.session_state[SESSION_KEY] = Session(session.user, old, old)
    at.run()
    assert any("Sitzung ist abgelaufen" in w.value for w in at.warning)
    assert SESSION_KEY not in at.session_state
    assert EDIT not in _registered(at)


def test_sign_out(env: Env) -> None:
    at = _sign_in(_app(), "bernd")
    assert REVIEW in _registered(at)
    at.button(key="auth_signout").click().run()
    assert sorted(_registered(at)) == sorted(PUBLIC_PAGES)


def test_identity_provider_user_gets_the_role_of_its_address(env: Env) -> None:
    add_user(env.users, "dora@kreis-kl.de", None, "district_editor")
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.user = {"is_logged_in": True, "email": "dora@kreis-kl.de"}
    at.run()
    assert REVIEW in _registered(at) and USERS not in _registered(at)
    at.user = {"is_logged_in": True, "email": "fremd@example.org"}
    at.run()
    assert sorted(_registered(at)) == sorted(PUBLIC_PAGES)
    assert any("ohne Rolle" in i.value for i in at.info)


# -- VG-Redaktion -------------------------------------------------------------------------------
def test_vg_editor_proposes_in_own_vg_only(env: Env) -> None:
    at = _sign_in(_app(), "anna")
    assert sorted(_registered(at)) == sorted([*PUBLIC_PAGES, EDIT])
    _open(at, EDIT)
    assert at.title[0].value == "Angebote bearbeiten"
    assert "edit.save" not in {b.label for b in at.button}
    options = at.selectbox(key="ed_pick").options
    assert "Grundschule Weilerbach (Weilerbach)" in options
    assert "Theodor-Heuss-Grundschule (Landstuhl)" not in options
    assert all("Landstuhl" not in o for o in options)
    at.selectbox(key="ed_pick").set_value(FOREIGN).run()  # not an option: a new offer instead
    assert at.text_input(key="ed_name_new_0_0").value == ""

    at = _sign_in(_app(), "anna")
    _open(at, EDIT)
    at.selectbox(key="ed_pick").set_value(OWN).run()
    sfx = f"{OWN}_1_0"
    assert at.text_input(key=f"ed_name_{sfx}").value == "Grundschule Weilerbach"
    assert at.button(key="ed_submit").label == "Vorschlagen"
    # invalid values: each problem with field and reason, nothing proposed
    at.text_input(key=f"ed_postcode_{sfx}").input("123")
    at.text_input(key=f"ed_capacity_{sfx}").input("viele")
    at.button(key="ed_submit").click().run()
    assert at.error[0].value.startswith("Nicht gespeichert")
    problems = at.table[0].value
    assert {"PLZ", "Kapazität"} <= set(problems.index)
    assert "PLZ muss fünfstellig sein" in set(problems["Problem"])
    assert env.ws(User("anna", "vg_editor", (WEILERBACH,))).proposals() == []
    # a valid change becomes a proposal; the store stays as it was
    at.text_input(key=f"ed_postcode_{sfx}").input("67685")
    at.text_input(key=f"ed_capacity_{sfx}").input("120")
    at.text_input(key=f"ed_operator_{sfx}").input("Verbandsgemeinde Weilerbach")
    at.text_input(key=f"ed_comment_{sfx}").input("Träger ergänzt")
    at.button(key="ed_submit").click().run()
    assert not at.exception, at.exception
    assert any("Vorschlag Nr. 1" in s.value for s in at.success)
    anna = env.ws(User("anna", "vg_editor", (WEILERBACH,)))
    [proposal] = anna.proposals()
    assert proposal.record_id == OWN and proposal.vg_key == WEILERBACH
    assert proposal.facility.operator == "Verbandsgemeinde Weilerbach"
    assert env.store.facility(OWN).operator == "" and env.store.facility(OWN).version == 1
    # a new offer outside the own VG is refused by the data layer, with its message
    at.selectbox(key="ed_pick").set_value("").run()
    sfx = "new_0_1"
    at.text_input(key=f"ed_name_{sfx}").input("Test-Treff Landstuhl")
    at.text_input(key=f"ed_place_{sfx}").input("Landstuhl")
    at.text_input(key=f"ed_source_{sfx}").input("Testdaten")
    at.button(key="ed_submit").click().run()
    assert any("eigenen Verbandsgemeinde" in e.value for e in at.error)
    # calling the data layer directly does not get round it either
    foreign = env.store.facility(FOREIGN)
    with pytest.raises(PermissionDenied):
        anna.propose_change(foreign.model_copy(update={"operator": "x"}), foreign.version)
    with pytest.raises(PermissionDenied):
        anna.review(proposal.id, True)
    # confirming the own list
    at.button(key="ed_confirm").click().run()
    assert any("Liste von Weilerbach ist aktuell" in s.value for s in at.success)
    assert any(
        c.value.replace("\\", "").startswith("Weilerbach: zuletzt bestätigt am") for c in at.caption
    )


# -- Kreis-Redaktion ----------------------------------------------------------------------------
def test_district_editor_reviews_proposals(env: Env) -> None:
    anna = env.ws(User("anna", "vg_editor", (WEILERBACH,)))
    own = env.store.facility(OWN)
    changed = facility_from_values(
        {"operator": "VG Weilerbach"}, env.boundaries.areas.geocoder, own
    )
    anna.propose_change(changed, own.version, "Träger ergänzt")
    new = facility_from_values(
        {"name": "Test-Sprachcafé", "category": "Sprachkurs", "place": "Rodenbach",
         "source": "Testdaten", "reference_date": "01.02.2025"},
        env.boundaries.areas.geocoder,
    )  # fmt: skip
    anna.propose_change(new, None, "neu eröffnet")

    at = _sign_in(_app(), "bernd")
    assert sorted(_registered(at)) == sorted([*PUBLIC_PAGES, EDIT, REVIEW, IMPORT, *KREIS_PAGES])
    _open(at, REVIEW)
    assert at.header[0].value == "Offene Vorschläge (2)"
    assert len(at.table) == 2  # one diff per proposal
    diff = at.table[0].value
    assert diff.loc[0, "Feld"] == "Träger" and diff.loc[0, "jetzt"] == "–"
    assert diff.loc[0, "Vorschlag"] == "VG Weilerbach"
    at.text_input(key="rv_comment_1").input("passt")
    at.button(key="rv_approve_1").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Vorschlag Nr. 1 übernommen."]
    at.text_input(key="rv_comment_2").input("Dublette")
    at.button(key="rv_reject_2").click().run()
    assert [s.value for s in at.success] == ["Vorschlag Nr. 2 abgelehnt."]

    stored = {f.id: f for f in env.store.facilities()}
    assert stored[OWN].operator == "VG Weilerbach" and stored[OWN].version == 2
    assert new.id not in stored
    assert at.header[0].value == "Offene Vorschläge (0)"
    decided, history = (d.value for d in at.dataframe)
    assert list(decided["Nr."]) == [2, 1]
    assert list(decided["Status"]) == ["abgelehnt", "übernommen"]
    assert list(decided["Geprüft von"]) == ["bernd", "bernd"]
    assert list(decided["Kommentar"]) == ["Dublette", "passt"]
    assert all(decided["Geprüft am"].str.match(r"\d\d\.\d\d\.\d{4} \d\d:\d\d"))
    rows = {(r["Von"], r["Aktion"], r["Datensatz"]): r for _, r in history.iterrows()}
    assert rows[("anna", "vorgeschlagen", OWN)]["Kommentar"] == "Träger ergänzt"
    assert rows[("anna", "vorgeschlagen", new.id)]["Kommentar"] == "neu eröffnet"
    assert rows[("bernd", "übernommen", OWN)]["Kommentar"] == "passt"
    assert rows[("bernd", "abgelehnt", new.id)]["Kommentar"] == "Dublette"
    assert rows[("bernd", "geändert", OWN)]["Kommentar"].startswith("passt – Vorschlag 1 von anna")
    assert rows[("bernd", "abgelehnt", new.id)]["Angebot"] == "Test-Sprachcafé"
    assert all(history["Zeitpunkt"].str.match(r"\d\d\.\d\d\.\d{4} \d\d:\d\d"))


def test_district_editor_saves_directly(env: Env) -> None:
    at = _open(_sign_in(_app(), "bernd"), EDIT)
    at.selectbox(key="ed_pick").set_value(FOREIGN).run()
    sfx = f"{FOREIGN}_1_0"
    assert at.button(key="ed_submit").label == "Speichern"
    at.radio(key=f"ed_mode_{sfx}").set_value("coords").run()
    at.number_input(key=f"ed_lat_{sfx}").set_value(49.4031).run()
    at.number_input(key=f"ed_lon_{sfx}").set_value(7.5612).run()
    at.text_input(key=f"ed_comment_{sfx}").input("Adresse geprüft")
    at.button(key="ed_submit").click().run()
    assert not at.exception, at.exception
    assert any("Version 2" in s.value for s in at.success)
    f = env.store.facility(FOREIGN)
    assert (f.lat, f.lon, f.precision, f.version) == (49.4031, 7.5612, "exact", 2)
    # close it: saved at once, kept in the history as closed
    sfx = f"{FOREIGN}_2_1"
    at.text_input(key=f"ed_comment_{sfx}").input("Schule aufgelöst")
    at.button(key="ed_close").click().run()
    assert env.store.facility(FOREIGN).status == "closed"
    assert env.store.history(FOREIGN)["action"].iloc[0] == "close"
    # a new offer placed by postcode and place; the map mode renders
    at.selectbox(key="ed_pick").set_value("").run()
    sfx = "new_0_2"
    at.radio(key=f"ed_mode_{sfx}").set_value("map").run()
    assert not at.exception, at.exception
    assert any("In die Karte klicken" in c.value for c in at.caption)
    at.radio(key=f"ed_mode_{sfx}").set_value("address").run()
    at.text_input(key=f"ed_name_{sfx}").input("Test-Begegnungscafé")
    at.selectbox(key=f"ed_category_{sfx}").set_value("Verein")
    at.text_input(key=f"ed_postcode_{sfx}").input("67685")
    at.text_input(key=f"ed_place_{sfx}").input("Weilerbach")
    at.text_input(key=f"ed_source_{sfx}").input("Testdaten")
    at.button(key="ed_submit").click().run()
    assert not at.exception, at.exception
    assert any("Gespeichert: Test-Begegnungscafé" in s.value for s in at.success)
    [added] = [f for f in env.store.facilities() if f.name == "Test-Begegnungscafé"]
    assert added.precision == "postcode" and added.postcode == "67685"
    assert env.boundaries.areas.vg_of(added) == WEILERBACH


# -- Admin --------------------------------------------------------------------------------------
def test_admin_manages_users(env: Env) -> None:
    with pytest.raises(PermissionDenied):
        env.ws(User("bernd", "district_editor")).list_users()
    at = _sign_in(_app(), "carla")
    assert sorted(_registered(at)) == sorted(
        [*PUBLIC_PAGES, EDIT, REVIEW, IMPORT, *KREIS_PAGES, USERS]
    )
    _open(at, USERS)
    assert at.title[0].value == "Benutzer"
    assert list(at.dataframe[0].value["Name"]) == ["anna", "bernd", "carla"]
    assert "password_hash" not in " ".join(str(v) for v in at.dataframe[0].value.to_numpy().ravel())
    at.text_input(key="usr_name").input("dora")
    at.selectbox(key="usr_role").set_value("vg_editor")
    at.multiselect(key="usr_vgs").set_value([LANDSTUHL])
    at.text_input(key="usr_pw").input("dora-passwort-1")
    at.text_input(key="usr_pw2").input("dora-passwort-1")
    at.button(key="usr_add_submit").click().run()
    assert [s.value for s in at.success] == ["Konto dora angelegt."]
    table = at.dataframe[0].value.set_index("Name")
    assert table.loc["dora", "Rolle"] == "VG-Redaktion"
    assert table.loc["dora", "Verbandsgemeinden"] == "Landstuhl"
    # a too short password is refused with the data layer's reason
    at.selectbox(key="usr_reset_name").set_value("dora")
    at.text_input(key="usr_reset_pw").input("kurz")
    at.text_input(key="usr_reset_pw2").input("kurz")
    at.button(key="usr_reset_submit").click().run()
    assert any("mindestens 10 Zeichen" in e.value for e in at.error)
    at.selectbox(key="usr_reset_name").set_value("dora")
    at.text_input(key="usr_reset_pw").input("dora-neues-pw-2")
    at.text_input(key="usr_reset_pw2").input("dora-neues-pw-2")
    at.button(key="usr_reset_submit").click().run()
    assert [s.value for s in at.success] == ["Neues Passwort für dora gesetzt."]
    assert authenticate(env.users, "dora", "dora-neues-pw-2") is not None
    at.selectbox(key="usr_remove_name").set_value("dora")
    at.checkbox(key="usr_remove_sure").check().run()
    at.button(key="usr_remove").click().run()
    assert [s.value for s in at.success] == ["Konto dora entfernt."]
    assert list(at.dataframe[0].value["Name"]) == ["anna", "bernd", "carla"]
    # the last admin stays
    at.selectbox(key="usr_remove_name").set_value("carla")
    at.checkbox(key="usr_remove_sure").check().run()
    at.button(key="usr_remove").click().run()
    assert any("letzte Admin" in e.value for e in at.error)


def test_removed_account_is_signed_out(env: Env) -> None:
    at = _sign_in(_app(), "anna")
    assert EDIT in _registered(at)
    env.ws(User("carla", "admin")).remove_user("anna")
    at.run()
    assert sorted(_registered(at)) == sorted(PUBLIC_PAGES)


def test_english_texts(env: Env) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.query_params["lang"] = "en"
    at.run()
    _sign_in(at, "anna", "wrong-password-x")
    assert [e.value for e in at.error] == ["Sign-in failed."]
    _sign_in(at, "bernd")
    _open(at, REVIEW)
    assert at.title[0].value == "Review proposals"
