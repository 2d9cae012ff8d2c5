"""Every page runs in Streamlit's AppTest without exceptions, in German and English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data.users import add_user
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
    assert at.title[0].value == "Karte: Angebote und Bedarf"
    assert at.radio(key="atlas_vintage").value == 2019
    assert "28 von 29 Angeboten auf der Karte" in at.markdown[0].value  # in its live region
    assert len(at.table[0].value) == 6  # values of the area shading, one row per VG


def test_map_page_vintage_switch() -> None:
    at = _run()
    at.radio(key="atlas_vintage").set_value(2013).run()
    assert not at.exception
    assert len(at.table[0].value) == 9
    at.radio(key="atlas_vintage").set_value(2014).run()
    assert len(at.table[0].value) == 7
    assert at.query_params["v"] == "2014"


def test_map_page_filters_update_counts_and_url() -> None:
    at = _run()
    at.multiselect(key="atlas_categories").set_value(["Kita"]).run()
    assert "11 von 29 Angeboten auf der Karte" in at.markdown[0].value  # in its live region
    assert at.query_params["cat"] == "Kita"
    at.selectbox(key="atlas_vg").set_value("073355009").run()
    assert "8 von 29 Angeboten auf der Karte" in at.markdown[0].value  # in its live region
    assert "Verbandsgemeinde Weilerbach (073355009)" in [h.value for h in at.header]
    assert len(at.get("download_button")) == 4


def test_map_page_restores_view_from_url() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in {
        "v": "2013",
        "cat": "Schule",
        "lvl": "gemeinde",
        "vg": "073355004",
        "bogus": "1",
    }.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.radio(key="atlas_vintage").value == 2013
    assert at.multiselect(key="atlas_categories").value == ["Schule"]
    assert at.selectbox(key="atlas_vg").value == "073355004"
    assert any(h.value.startswith("Verbandsgemeinde Kaiserslautern-Süd") for h in at.header)
    assert len(at.table[0].value) == 50  # Gemeinde level


def test_map_page_bad_url_values_are_reported() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["v"] = "1999"
    at.query_params["cat"] = "Zirkus"
    at.run()
    assert not at.exception
    assert at.radio(key="atlas_vintage").value == 2019
    assert any("v=1999" in w.value and "cat=Zirkus" in w.value for w in at.warning)


def test_map_page_online_basemap_warns() -> None:
    at = _run()
    at.selectbox(key="atlas_basemap").set_value("osm").run()
    assert not at.exception
    assert any("Internet" in i.value for i in at.info)


@pytest.mark.parametrize("lang,title", [("de", "Daten & Quellen"), ("en", "Data & sources")])
def test_data_page(lang: str, title: str) -> None:
    at = _run("app_pages/daten.py", lang)
    assert at.title[0].value == title
    assert len(at.dataframe) == 3
    dates = next(i.value for i in at.info if "2018" in i.value)
    # the population's dates, oldest first, as every date is written in the page's language
    expected = {"de": "(30.05.2018, 31.12.2018, 31.12.2020", "en": "(2018-05-30, 2018-12-31, 2020"}
    assert expected[lang] in dates, dates


def test_english_map_page() -> None:
    at = _run(lang="en")
    assert at.title[0].value == "Map: offers and needs"
    assert "28 of 29 offers on the map" in at.markdown[0].value  # in its live region
    assert "Population" in at.table[0].value.columns


def test_inventory_page_lists_shipped_facilities() -> None:
    at = _run("app_pages/bestand.py")
    assert "29 Einrichtungen" in at.info[0].value
    assert len(at.dataframe[0].value) == 29
    at.selectbox(key="inv_vg").set_value("073355009").run()
    assert not at.exception
    weilerbach = at.dataframe[0].value
    assert len(weilerbach) > 0 and set(weilerbach["VG (2019)"]) == {"Weilerbach"}
    at.selectbox(key="inv_category").set_value("Kita").run()
    assert set(at.dataframe[0].value["Kategorie"]) == {"Kita"}


def test_inventory_page_english() -> None:
    at = _run("app_pages/bestand.py", "en")
    assert at.title[0].value.startswith("Data inventory")
    assert "facilities in the inventory" in at.info[0].value


def test_import_page_waits_for_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.config import get_settings
    from dashboard.data.users import find_user
    from dashboard.services.stores import store

    accounts = store(get_settings()).db  # the store the app uses
    if find_user(accounts, "bernd") is None:
        add_user(accounts, "bernd", "bernd-passwort-1", "district_editor")
    at = AppTest.from_file(APP, default_timeout=60).run()
    with pytest.raises(ValueError):  # not in the public navigation
        at.switch_page("app_pages/importieren.py")
    at.text_input(key="auth_name").input("bernd")
    at.text_input(key="auth_password").input("bernd-passwort-1")
    at.button(key="auth_submit").click().run()
    at.switch_page("app_pages/importieren.py").run()
    assert not at.exception
    assert at.title[0].value == "Listen importieren"
    assert not at.dataframe


def test_gaps_page_opens_with_coverage_and_says_unknown() -> None:
    at = _run("app_pages/versorgung.py")
    assert at.title[0].value.startswith("Versorgungsanalyse")
    # the page opens with the coverage of the lists: none is confirmed in the shipped data
    assert at.header[0].value == "Datenabdeckung: welche Listen bestätigt sind"
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("0 von 42 Listen") for w in warnings)
    # the answer first: what is unknown and why, before the coverage table
    answer = [m.value for m in at.markdown if "Ob es Lücken gibt" in m.value]
    assert answer and "für alle 50 Gemeinden unbekannt" in answer[0]
    assert "Liste der Kategorie Kita noch nicht als vollständig bestätigt" in answer[0]
    # Kita's demand indicator is missing: said where the user looks, not in grey
    assert any("Kinder unter 6 Jahren" in w for w in warnings)
    assert at.query_params["sel"] == "Kita" and at.query_params["max_distance_km"] == "5"
    texts = [m.value for m in at.markdown]
    assert any("0 Lücken · 0 unsicher · 0 ohne Lücke · 50 unbekannt" in m for m in texts)
    # the findings are grouped, not one sentence per Gemeinde
    assert any("50 Gemeinden\\: unbekannt – keine bestätigte Liste" in m for m in texts)
    table = at.dataframe[0].value
    assert len(table) == 50 and set(table["Einstufung"]) == {"unbekannt – keine bestätigte Liste"}
    assert not set(table.columns) & {"rank", "severity", "reason", "flagged", "status"}
    at.number_input(key="gaps_max_distance_km").set_value(20.0).run()
    assert at.query_params["max_distance_km"] == "20"
    assert len(at.get("download_button")) == 3


def test_gaps_page_restores_thresholds_and_what_if() -> None:
    at = AppTest.from_file(str(REPO / "app_pages" / "versorgung.py"), default_timeout=60)
    params = {"sel": "sprache", "glvl": "vg", "max_distance_km": "7,5", "radius_km": "8"}
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    assert at.selectbox(key="gaps_selector").value == "sprache"
    assert at.number_input(key="gaps_max_distance_km").value == 7.5
    at.toggle(key="gaps_whatif").set_value(True).run()
    assert not at.exception
    headings = [h.value for h in at.header]
    assert "Veränderungen durch die geplante Einrichtung" in headings
    # no list is confirmed: no area changes its status, but distances and shares do, and
    # the headline says so (never "ändert keine Markierung" while figures move)
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("ändert keine Markierung" in x for x in texts)
    head = next(m for m in texts if m.startswith("Die geplante Einrichtung in "))
    assert "ändert Werte in" in head and "Verbandsgemeinde" in head
    assert "Die Einstufung bleibt „unbekannt“" in head
    # downloads while the what-if is on: the user chooses without it or marked
    assert at.radio(key="gaps_download_choice").value == "without"
    at.radio(key="gaps_download_choice").set_value("with").run()
    assert not at.exception
    # the table of every measure counts the planned facility: it says so
    assert "Mit der geplanten, nicht gespeicherten Einrichtung gerechnet." in [
        c.value for c in at.caption
    ]
    table = next(d.value for d in at.dataframe if "Rang" in d.value.columns)
    assert set(table["Was wäre wenn"]) == {
        "ja: mit geplanter, nicht gespeicherter Einrichtung gerechnet"
    }


def test_what_if_by_keyboard_and_refused_outside_the_district() -> None:
    at = AppTest.from_file(str(REPO / "app_pages" / "versorgung.py"), default_timeout=60)
    at.run()
    assert not at.exception
    # by keyboard: a Gemeinde is chosen, the planned facility stands on its point, said so
    at.selectbox(key="gaps_place").set_value("07335047").run()  # Trippstadt
    assert not at.exception and at.toggle(key="gaps_whatif").value
    lat, lon = at.number_input(key="gaps_lat").value, at.number_input(key="gaps_lon").value
    assert 49.3 < lat < 49.4 and 7.7 < lon < 7.9
    placed = [m.value for m in at.markdown if m.value.startswith("Geplante Einrichtung in")]
    assert placed and "Trippstadt" in placed[0]
    assert "Veränderungen durch die geplante Einrichtung" in [h.value for h in at.header]
    # typed coordinates in Trier: refused with a message, never moved into the district
    at.number_input(key="gaps_lat").set_value(49.7499).run()
    at.number_input(key="gaps_lon").set_value(6.6371).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert any("49,7499" in w and "außerhalb des Landkreises" in w for w in warnings), warnings
    assert at.number_input(key="gaps_lon").value == 6.6371  # not clamped
    assert "Veränderungen durch die geplante Einrichtung" not in [h.value for h in at.header]


def test_map_page_exports_with_progress() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["vg"] = "073355009"
    at.run()
    at.selectbox(key="exp_fmt").set_value("pdf").run()
    at.button(key="exp_make_map").click().run()
    assert not at.exception
    at.button(key="exp_make_vg_073355009").click().run()
    labels = [b.label for b in at.get("download_button")]
    # two PDFs side by side: each button says which file it gives
    assert "Druckkarte herunterladen (PDF)" in labels
    assert "Steckbrief Weilerbach herunterladen (PDF)" in labels
    assert len(labels) == len(set(labels)), labels


def test_presentation_compose_page() -> None:
    at = AppTest.from_file(str(REPO / "app_pages" / "praesentation.py"), default_timeout=60)
    at.query_params["edit"] = "1"
    at.run()
    assert not at.exception
    # the default sequence: the district overview, then each current VG
    assert at.multiselect(key="pres_codes").value == [
        "overview", "vg:073355001", "vg:073355002", "vg:073355008", "vg:073355009",
        "vg:073355010", "vg:073355011",
    ]  # fmt: skip
    at.button(key="pres_start").click().run()
    assert not at.exception
    assert at.query_params["i"] == "0" and "edit" not in at.query_params
    assert at.session_state["pres_mode"] == "show"


def test_an_unreadable_district_gives_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A misconfigured district (the settings are read per run, not at import) reaches the
    page as the short message with an error number; the details go to the server log."""
    monkeypatch.setenv("INTEGRATIONSATLAS_DISTRICT", "09999")
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    [error] = at.error
    assert "Fehlernummer" in error.value and "09999" not in error.value


def test_overlay_says_which_demand_layer_is_absent_and_staff_may_load_it() -> None:
    """The needs overlay offers no foreign-population layer (none is loaded): it says so
    and why, for everyone; Kreis-Redaktion also gets a link to load it."""
    at = _run()
    notes = [c.value for c in at.caption if "Nicht als Schicht verfügbar" in c.value]
    assert notes and "Ausländische Bevölkerung" in notes[0], [c.value for c in at.caption]
    assert "Versorgungsanalyse" in notes[0]
    assert not [p for p in at.get("page_link") if "laden" in p.proto.label]
    from dashboard.config import get_settings
    from dashboard.data.users import find_user
    from dashboard.services.stores import store

    accounts = store(get_settings()).db
    if find_user(accounts, "bernd") is None:
        add_user(accounts, "bernd", "bernd-passwort-1", "district_editor")
    at.text_input(key="auth_name").input("bernd")
    at.text_input(key="auth_password").input("bernd-passwort-1")
    at.button(key="auth_submit").click().run()
    assert not at.exception
    links = [p.proto for p in at.get("page_link") if "Ausländische Bevölkerung" in p.proto.label]
    assert links and links[0].page.endswith("indikatoren"), links


_ISO_DATE = re.compile(r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?\b")
_PUBLIC_PAGES = (
    "karte", "versorgung", "bestand", "massnahmen", "entwicklung", "daten", "praesentation",
    "finder", "barrierefreiheit",
)  # fmt: skip


def test_german_pages_write_dates_the_german_way() -> None:
    """Every public page in German: texts, tables and grids hold no ISO date ("2018-05-30");
    dates are written by the one date rule (``31.12.2023``, ``08.2024``, ``2012``)."""
    found: dict[str, list[str]] = {}
    seen = 0
    for name in _PUBLIC_PAGES:
        at = _run(f"app_pages/{name}.py")
        texts = [
            str(e.value)
            for kind in ("markdown", "info", "warning", "caption", "header", "subheader", "title")
            for e in getattr(at, kind)
        ]
        for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
            texts += [str(v) for col in frame.columns for v in frame[col].head(200)]
        seen += len(texts)
        hits = [x[:120] for x in texts if _ISO_DATE.search(x)]
        if hits:
            found[name] = hits[:5]
    assert seen > 1000  # the pages were read, not empty
    assert not found, found
