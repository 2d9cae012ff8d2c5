"""Every page and every report rendered in English holds no German message of the catalogue.

Pages run in Streamlit's AppTest with ``?lang=en`` (public pages, and the editors' pages
signed in); everything they show is read: labels, options, Markdown, the map component's
HTML, and every cell, column and index of every table. Reports are read as PDF text
(Steckbrief, handout, printable map) or as HTML (the offline map). A German fragment is a
fixed piece of a German message (see :mod:`tests.german`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from dashboard.analysis.gaps import Thresholds
from dashboard.cli.reports import cli_map
from dashboard.data.users import add_user
from dashboard.domain.viewstate import ViewState
from dashboard.export.facilities import export_facilities
from dashboard.export.gaps import csv_text
from dashboard.render.context import ReportContext
from dashboard.render.print.steckbrief import GAP_CATEGORIES, all_vgs_report, vg_report
from dashboard.render.web.html_export import export_html
from dashboard.services import app as service_app
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.ui import mapview
from tests.conftest import REPO
from tests.german import german_fragments, german_in, page_texts

APP = REPO / "tests" / "app" / "signin_app.py"
LANDSTUHL, WEILERBACH = "073355011", "073355009"
PASSWORD = "passwort-fuer-den-test"


def _no_german(texts: list[str], where: str) -> None:
    found = german_in(texts)
    assert not found, f"{where}: German text in English output: {found}"


# -- the check itself --------------------------------------------------------------------------
def test_fragments_cover_the_words_of_the_analysis() -> None:
    fragments = german_fragments()
    assert "im nach Bedarf gewichteten Mittel" in fragments  # gap reasons
    assert any("je 1.000 Einwohner (Schwelle" in f for f in fragments)
    assert "weder Angebot noch Projekt in" in fragments  # coverage matrix
    assert "Erreichbarkeit 2SFCA je 1.000 (Bedarf" in fragments  # column labels
    assert "unbekannt – keine bestätigte Liste" in fragments  # coverage
    assert "Landkreis Kaiserslautern" not in fragments  # a name, also in the data
    assert german_in(["Nächste Kita im nach Bedarf gewichteten Mittel 8 km entfernt"])
    assert not german_in(["Nearest day-care centre 8 km away on the demand-weighted mean"])


# -- pages -------------------------------------------------------------------------------------
@pytest.fixture
def accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fresh store with an editor of each role."""
    from dashboard.data.store import Store

    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(tmp_path / "store.gpkg"))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "no-legacy-users.json"))
    users = Store(tmp_path / "store.gpkg", REPO / "datasets").db
    add_user(users, "anna", PASSWORD, "vg_editor", [WEILERBACH])
    add_user(users, "bernd", PASSWORD, "district_editor")
    add_user(users, "carla", PASSWORD, "admin")
    service_app._store.cache_clear()
    mapview.clear_caches()
    yield
    service_app._store.cache_clear()
    mapview.clear_caches()


def _english(
    page: str,
    params: dict[str, str] | None = None,
    user: str | None = None,
    action: Callable[[AppTest], object] | None = None,
) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = "en"
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if user:
        at.text_input(key="auth_name").input(user)
        at.text_input(key="auth_password").input(PASSWORD)
        at.button(key="auth_submit").click().run()
    if page != "app_pages/karte.py":
        at.switch_page(str(Path("../..") / page)).run()
    if action:
        action(at)
        at.run()
    assert not at.exception, at.exception
    return at


def _what_if(at: AppTest) -> None:
    at.toggle(key="gaps_whatif").set_value(True)


PUBLIC = [
    ("app_pages/karte.py", {}, None),
    ("app_pages/karte.py", {"vg": LANDSTUHL, "ind": "foreign_population_share"}, None),
    ("app_pages/versorgung.py", {}, None),
    ("app_pages/versorgung.py", {"sel": "sprache", "glvl": "vg"}, _what_if),
    ("app_pages/versorgung.py", {"sel": "Kita", "max_distance_km": "3"}, _what_if),
    ("app_pages/bestand.py", {}, None),
    ("app_pages/daten.py", {}, None),
    ("app_pages/praesentation.py", {}, None),
    ("app_pages/praesentation.py", {"edit": "1"}, None),
    ("app_pages/praesentation.py", {"seq": f"vg:{LANDSTUHL}~hf:sprache", "i": "1"}, None),
    ("app_pages/finder.py", {}, None),
]


@pytest.mark.parametrize(("page", "params", "action"), PUBLIC)
def test_public_pages_in_english(
    accounts: None, page: str, params: dict[str, str], action: Callable | None
) -> None:
    at = _english(page, params, action=action)
    texts = page_texts(at)
    assert len(texts) > 10
    _no_german(texts, f"{page} {params}")


@pytest.mark.parametrize(
    ("page", "user"),
    [
        ("app_pages/bearbeiten.py", "anna"),
        ("app_pages/bearbeiten.py", "bernd"),
        ("app_pages/pruefen.py", "bernd"),
        ("app_pages/importieren.py", "bernd"),
        ("app_pages/erhebung.py", "bernd"),
        ("app_pages/indikatoren.py", "bernd"),
        ("app_pages/verwaltung.py", "carla"),
    ],
)
def test_editor_pages_in_english(accounts: None, page: str, user: str) -> None:
    at = _english(page, user=user)
    assert at.title, page
    _no_german(page_texts(at), f"{page} ({user})")


def test_gap_page_shows_english_findings_and_labels(accounts: None) -> None:
    at = _english("app_pages/versorgung.py", {"sel": "Kita"})
    texts = [m.value for m in at.markdown]
    assert any("50 Gemeinden\\: unknown – no confirmed list" in m for m in texts)
    table = at.dataframe[0].value
    assert {"Rank", "Finding", "Offers per 1,000 (demand)", "Nearest offer"} <= set(table.columns)
    assert not set(table.columns) & {"rank", "severity", "reason", "flagged", "reason_codes"}
    assert set(table["Finding"]) == {"unknown – no confirmed list"}
    # distances of offers known only to their Gemeinde are ranges, never an exact 0
    assert any("km (approximate position)" in d for d in table["Nearest offer"])
    assert "0 km" not in set(table["Nearest offer"])


# -- reports -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> RoleView:
    """The public's view of a fresh store of the shipped data."""
    from dashboard.config import get_settings
    from dashboard.data.store import Store
    from dashboard.services.context import load_boundaries
    from dashboard.services.workspace import Workspace

    store = Store(tmp_path_factory.mktemp("store") / "s.gpkg", REPO / "datasets")
    return Workspace(store, None, load_boundaries(get_settings())).view()


@pytest.fixture(scope="module")
def ctx(view: RoleView) -> ReportContext:
    return view.render_context


def _pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.split()))  # hyphenated cells


def test_steckbrief_and_handout_in_english(
    ctx: ReportContext, view: RoleView, tmp_path: Path
) -> None:
    analysis = outputs.gap_report(view, 2019, None)
    one = _pdf_text(vg_report(LANDSTUHL, 2019, out=tmp_path / "vg.pdf", lang="en", context=ctx,
                              analysis=analysis))  # fmt: skip
    assert "Supply gaps" in one and "Thresholds" in one and "unknown – no confirmed list" in one
    _no_german([one], "Steckbrief")
    every = _pdf_text(all_vgs_report(2019, out=tmp_path / "all.pdf", lang="en", context=ctx,
                                     analysis=analysis))  # fmt: skip
    _no_german([every], "handout")


def test_printable_map_and_offline_map_in_english(
    ctx: ReportContext, view: RoleView, tmp_path: Path
) -> None:
    for indicator, level, vg in (
        ("refugees_ukraine", "vg", ""),
        ("population", "vg", LANDSTUHL),
        ("population", "gemeinde", ""),
    ):
        out = cli_map(
            view, indicator, level, "pdf", "A4", "landscape",
            tmp_path / f"{indicator}-{level}-{vg}.pdf", lang="en",
            per_1000=indicator == "refugees_ukraine", vg=vg or None,
        )  # fmt: skip
        text = _pdf_text(out)
        assert "Scale 1 :" in text
        _no_german([text], f"printable map {indicator}")
    state = ViewState(lang="en", vintage=2019, vg=LANDSTUHL)
    html = export_html(
        tmp_path / "map.html", state, context=ctx, points=view.points(state, dt.date.today()),
        choropleth=view.choropleth(state),
    )  # fmt: skip
    _no_german([html.read_text(encoding="utf-8")], "offline map")


def test_gap_files_in_english(view: RoleView) -> None:
    th = Thresholds()
    for selector in (*GAP_CATEGORIES, "sprache"):
        for level in ("gemeinde", "vg"):
            flags = view.gaps_table(selector, th, level=level, vintage=2019)
            table = outputs.gaps_file_table(flags, "en")  # the page's download and the CLI's
            _no_german([csv_text(table, "en")], f"gap file {selector} {level}")
            assert "Reason" in table.columns and "Population source" in table.columns


def test_facility_downloads_in_english(ctx: ReportContext, tmp_path: Path) -> None:
    out = export_facilities(ctx.located, "csv", tmp_path / "f.csv", "en", vintage=2019)
    assert out == len(ctx.located)
    text = (tmp_path / "f.csv").read_text(encoding="utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert {"Postcode", "Last verified", "Category", "Fields of action"} <= set(header)
    assert not set(header) & {"postcode", "last_verified", "reference_date", "category"}
    _no_german([text], "facility CSV")
    export_facilities(ctx.located, "xlsx", tmp_path / "f.xlsx", "en", vintage=2019)
    book = openpyxl.load_workbook(tmp_path / "f.xlsx")
    assert book.sheetnames == ["Facilities", "Sources"]
    cells = [str(c.value) for ws in book for row in ws.iter_rows() for c in row if c.value]
    _no_german(cells, "facility XLSX")
