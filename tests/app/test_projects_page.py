"""The Maßnahmen page and "Seit dem Konzept" in AppTest: the concept's frame with the
shipped data, the summary, the list, the roles' forms, both languages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data.store import Store
from dashboard.data.users import add_user
from dashboard.services import app as service_app
from dashboard.ui import mapview
from tests.conftest import REPO

APP = str(REPO / "app.py")
PAGE, DEVELOPMENT = "app_pages/massnahmen.py", "app_pages/entwicklung.py"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "no-legacy-users.json"))
    opened = Store(path, REPO / "datasets")
    add_user(opened.db, "bernd", "bernd-passwort-1", "district_editor")
    service_app._store.cache_clear()
    mapview.clear_caches()
    yield opened
    service_app._store.cache_clear()


def _page(page: str, lang: str = "de", user: tuple[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    if user:
        at.text_input(key="auth_name").input(user[0])
        at.text_input(key="auth_password").input(user[1])
        at.button(key="auth_submit").click().run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "frame"), [("de", "3 von 23 dokumentiert"), ("en", "3 of 23 documented")]
)
def test_shipped_data_three_of_twenty_three(store: Store, lang: str, frame: str) -> None:
    at = _page(PAGE, lang)
    assert at.markdown[0].value == f"**{frame}**"
    summary = at.table[0].value
    assert len(summary) == 10  # nine Handlungsfelder and "ohne Angabe" (Mediale Plattform)
    listed = at.dataframe[0].value
    assert len(listed) == 3
    assert "Mediale Plattform" in set(listed.iloc[:, 0])
    assert at.radio(key="pj_section").options == (
        ["Übersicht und Zeitstrahl", "Einzelne Maßnahme", "Sachstandsbericht"]
        if lang == "de"
        else ["Overview and timeline", "Single project", "Progress report"]
    )  # the public: no form


def test_filters_are_shared_with_the_map(store: Store) -> None:
    at = _page(PAGE)
    at.multiselect(key="pj_hf").set_value(["sprache"]).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 1
    assert at.query_params["hf"] == "sprache"
    at.multiselect(key="pj_status").set_value(["abgeschlossen"]).run()
    assert len(at.dataframe[0].value) == 0
    assert at.query_params["pst"] == "abgeschlossen"
    at.switch_page("app_pages/karte.py").run()  # the map keeps the project filter
    assert not at.exception
    assert at.multiselect(key="atlas_handlungsfelder").value == ["sprache"]


def test_kreis_redaktion_gets_the_forms(store: Store) -> None:
    at = _page(PAGE, user=("bernd", "bernd-passwort-1"))
    assert len(at.radio(key="pj_section").options) == 4
    at.radio(key="pj_section").set_value("edit").run()
    at.toggle(key="pjf_show_new").set_value(True).run()
    assert not at.exception
    assert at.text_input(key="pjf_new_title").value == ""


@pytest.mark.parametrize("lang", ["de", "en"])
def test_since_the_concept(store: Store, lang: str) -> None:
    at = _page(DEVELOPMENT, lang)
    assert at.title[0].value.startswith("Seit dem Konzept" if lang == "de" else "Since the concept")
    assert at.markdown[0].value == (
        "**3 von 23 dokumentiert**" if lang == "de" else "**3 of 23 documented**"
    )
    assert at.selectbox(key="dev_indicator").value == "population"
