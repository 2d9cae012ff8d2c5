"""One view state across pages, in AppTest: the selection travels between the map, the
analysis, the inventory and the edit page; a vintage change keeps the VG or its successor;
a language switch keeps every value; a VG-Redaktion starts on its own VG; a proposal
waiting for review fills the edit form.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data.store import Store
from dashboard.data.users import add_user
from dashboard.services import app as service_app
from tests.conftest import REPO

APP = str(REPO / "app.py")
WEILERBACH, LANDSTUHL = "073355009", "073355011"
OWN = "ref-821a16defc"  # Grundschule Weilerbach


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "users.json"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(path))
    db = Store(tmp_path / "store.gpkg", REPO / "datasets").db
    add_user(db, "anna", "anna-passwort-1", "vg_editor", [WEILERBACH])
    service_app._store.cache_clear()
    yield path
    service_app._store.cache_clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def test_vintage_change_keeps_the_vg_or_its_successor() -> None:
    at = _run(AppTest.from_file(APP, default_timeout=90))
    at.radio(key="atlas_vintage").set_value(2013).run()
    at.selectbox(key="atlas_vg").set_value("073355003").run()  # Hochspeyer (until 2014)
    assert any(h.value.startswith("Verbandsgemeinde Hochspeyer") for h in at.header)
    at.radio(key="atlas_vintage").set_value(2019).run()
    assert not at.exception
    assert at.selectbox(key="atlas_vg").value == "073355002"  # in Enkenbach-Alsenborn since
    assert at.query_params["vg"] == "073355002" and "v" not in at.query_params
    at.selectbox(key="atlas_vg").set_value(LANDSTUHL).run()
    at.radio(key="atlas_vintage").set_value(2014).run()
    assert at.selectbox(key="atlas_vg").value == "073355005"  # Landstuhl's key until 2019


def test_language_switch_keeps_every_value() -> None:
    at = _run(AppTest.from_file(APP, default_timeout=90))
    at.radio(key="atlas_vintage").set_value(2014).run()
    at.selectbox(key="atlas_vg").set_value(WEILERBACH).run()
    at.multiselect(key="atlas_handlungsfelder").set_value(["sprache"]).run()
    at.selectbox(key="atlas_scheme").set_value("equal_interval").run()
    at.radio(key="lang_switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Map: offers and needs"
    assert at.radio(key="atlas_vintage").value == 2014
    assert at.selectbox(key="atlas_vg").value == WEILERBACH
    assert at.multiselect(key="atlas_handlungsfelder").value == ["sprache"]
    assert at.selectbox(key="atlas_scheme").value == "equal_interval"
    assert at.query_params["lang"] == "en" and at.query_params["v"] == "2014"
    at.switch_page("app_pages/daten.py").run()
    assert at.title[0].value == "Data & sources"  # the language stays on every page
    assert at.query_params["lang"] == "en"


def test_selection_travels_between_pages() -> None:
    at = _run(AppTest.from_file(APP, default_timeout=90))
    at.multiselect(key="atlas_categories").set_value(["Schule"]).run()
    at.selectbox(key="atlas_vg").set_value(WEILERBACH).run()
    at.switch_page("app_pages/versorgung.py").run()
    assert not at.exception
    assert at.selectbox(key="gaps_selector").value == "Schule"
    assert at.radio(key="gaps_vintage").value == 2019
    assert any("Weilerbach" in c.value for c in at.caption)
    assert at.query_params["vg"] == WEILERBACH and at.query_params["sel"] == "Schule"
    at.selectbox(key="gaps_selector").set_value("sprache").run()
    at.number_input(key="gaps_max_distance_km").set_value(8.0).run()
    at.switch_page("app_pages/bestand.py").run()
    assert at.selectbox(key="inv_vg").value == WEILERBACH
    assert at.selectbox(key="inv_hf").value == "sprache"
    assert at.selectbox(key="inv_category").value == ""
    at.switch_page("app_pages/karte.py").run()
    assert at.multiselect(key="atlas_handlungsfelder").value == ["sprache"]
    assert at.multiselect(key="atlas_categories").value == []
    assert at.selectbox(key="atlas_vg").value == WEILERBACH
    assert at.multiselect(key="atlas_layers").value == [
        "facilities",
        "choropleth",
        "gemeinden",
        "city",
    ]
    at.switch_page("app_pages/versorgung.py").run()
    assert at.number_input(key="gaps_max_distance_km").value == 8.0  # its own values kept


def test_vg_editor_starts_on_its_vg_and_sees_its_proposal(users: Path) -> None:
    at = _run(AppTest.from_file(APP, default_timeout=90))
    at.text_input(key="auth_name").input("anna")
    at.text_input(key="auth_password").input("anna-passwort-1")
    at.button(key="auth_submit").click().run()
    assert not at.exception
    assert at.selectbox(key="atlas_vg").value == WEILERBACH
    assert "Verbandsgemeinde Weilerbach (073355009)" in [h.value for h in at.header]
    at.switch_page("app_pages/bearbeiten.py").run()
    at.selectbox(key="ed_pick").set_value(OWN).run()
    sfx = f"{OWN}_1_0"
    at.text_input(key=f"ed_operator_{sfx}").input("Verbandsgemeinde Weilerbach")
    at.button(key="ed_submit").click().run()
    assert not at.exception
    assert any("Vorschlag Nr. 1" in s.value for s in at.success)
    # the form now shows the proposed value, with a note that it waits for review
    assert at.text_input(key=f"ed_operator_{OWN}_1_p1_1").value == "Verbandsgemeinde Weilerbach"
    assert any("wartet auf die Prüfung" in i.value for i in at.info)
