"""Every page runs in Streamlit's AppTest without exceptions, in German and English."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "app.py")


def _run(page: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def test_map_page_default_is_current_vintage() -> None:
    at = _run()
    assert at.title[0].value == "Karte des Landkreises"
    assert at.radio(key="vintage").value == 2019
    assert len(at.dataframe[0].value) == 6


def test_map_page_vintage_switch() -> None:
    at = _run()
    at.radio(key="vintage").set_value(2013).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 9
    at.radio(key="vintage").set_value(2014).run()
    assert len(at.dataframe[0].value) == 7


def test_map_page_online_basemap_warns() -> None:
    at = _run()
    at.selectbox(key="basemap").set_value("osm").run()
    assert not at.exception
    assert any("Internet" in i.value for i in at.info)


@pytest.mark.parametrize("lang,title", [("de", "Daten & Quellen"), ("en", "Data & sources")])
def test_data_page(lang: str, title: str) -> None:
    at = _run("pages/daten.py", lang)
    assert at.title[0].value == title
    assert len(at.dataframe) == 3
    assert any("2018" in i.value for i in at.info)


def test_english_map_page() -> None:
    at = _run(lang="en")
    assert at.title[0].value == "Map of the district"
    assert "Population" in at.dataframe[0].value.columns
