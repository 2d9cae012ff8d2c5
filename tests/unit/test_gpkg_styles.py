"""GeoPackages open in QGIS as the atlas draws them: ``layer_styles`` with QML and SLD.

The offers export (what ``export --format gpkg`` and the download write) and the atlas
GeoPackage are written from the public view of the shipped data with one accommodation
added; every style row must parse as QML and SLD, name an existing layer and field, and
hold one class per category / class present, with the atlas's colours. When Debian's
PyQGIS is installed, QGIS itself opens the file and renders it.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from dashboard.analysis.gapview import STATUS_COLORS
from dashboard.data.store import Change
from dashboard.domain.model import Facility
from dashboard.export.facilities import GPKG_LAYER, gpkg_column
from dashboard.render.common.symbols import SYMBOLS
from dashboard.services.app import workspace_for
from dashboard.services.geopackage import NEEDS, write_atlas
from dashboard.services.outputs import write_facilities
from dashboard.services.view import RoleView
from tests.conftest import REPO

SE = "{http://www.opengis.net/se}"
OGC = "{http://www.opengis.net/ogc}"
SHELTER = Facility(
    id="style-unterkunft",
    name="Stil-Testunterkunft",
    category="Unterkunft",
    place="Weilerbach",
    lat=49.46,
    lon=7.62,
    precision="exact",
    source="Testdaten",
    reference_date=dt.date(2025, 1, 1),
)


@pytest.fixture(scope="module")
def views() -> tuple[RoleView, RoleView]:
    """The public view and an admin's view of the test store (one accommodation added)."""
    from dashboard.domain.roles import User

    admin = workspace_for(User(name="style-admin", role="admin"))
    if admin.store.facility(SHELTER.id) is None:
        admin.store.apply([Change(SHELTER)], "style-test")
    return workspace_for(None).view(), admin.view()


def _styles(gpkg: Path) -> list[dict[str, str]]:
    con = sqlite3.connect(gpkg)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM layer_styles")]
    finally:
        con.close()


def _column_values(gpkg: Path, table: str, field: str) -> set[str]:
    con = sqlite3.connect(gpkg)
    try:
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
        assert kinds.get(table) == "features"
        columns = {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}
        assert field in columns, (table, field)
        rows = con.execute(f'SELECT DISTINCT "{field}" FROM "{table}"').fetchall()
        return {str(r[0]) for r in rows if r[0] is not None}
    finally:
        con.close()


def _qml_classes(row: dict[str, str]) -> dict[str, str]:
    """value -> fill colour of the QML's categorised renderer (after checking its field)."""
    text = row["styleQML"]
    root = ET.fromstring(text[text.index("<qgis") :])
    renderer = root.find("renderer-v2")
    assert renderer is not None and renderer.get("type") == "categorizedSymbol"
    assert renderer.get("attr") == row["field"]
    symbols = {}
    for symbol in renderer.iter("symbol"):
        options = {o.get("name"): o.get("value") for o in symbol.iter("Option") if o.get("name")}
        r, g, b, _ = (int(v) for v in str(options["color"]).split(","))
        symbols[symbol.get("name")] = f"#{r:02X}{g:02X}{b:02X}"
    return {c.get("value"): symbols[c.get("symbol")] for c in renderer.iter("category")}


def _sld_rules(row: dict[str, str]) -> dict[str, str]:
    """value -> fill colour of the SLD's rules (after checking layer and field)."""
    root = ET.fromstring(row["styleSLD"])
    assert root.find(f".//{SE}Name").text == row["f_table_name"]
    rules = {}
    for rule in root.iter(f"{SE}Rule"):
        assert rule.find(f".//{OGC}PropertyName").text == row["field"]
        value = rule.find(f".//{OGC}Literal").text
        fill = next(p.text for p in rule.iter(f"{SE}SvgParameter") if p.get("name") == "fill")
        rules[value] = fill.upper()
    return rules


def _checked(gpkg: Path) -> dict[str, dict[str, str]]:
    """Every style row checked against its layer; layer -> value -> colour."""
    out = {}
    for row in _styles(gpkg):
        assert row["useAsDefault"] == 1
        root = ET.fromstring(row["styleQML"][row["styleQML"].index("<qgis") :])
        row["field"] = root.find("renderer-v2").get("attr")
        present = _column_values(gpkg, row["f_table_name"], row["field"])
        classes = _qml_classes(row)
        assert set(classes) == present, row["f_table_name"]
        assert _sld_rules(row) == classes
        out[row["f_table_name"]] = classes
    return out


def test_offers_export_carries_the_atlas_symbols(
    views: tuple[RoleView, RoleView], tmp_path: Path
) -> None:
    public, admin = views
    out = tmp_path / "angebote.gpkg"
    write_facilities(public, public.facilities(), "gpkg", out)
    styles = _checked(out)
    assert list(styles) == [GPKG_LAYER]
    classes = styles[GPKG_LAYER]
    shown = set(public.facilities()["category"])
    assert set(classes) == shown and "Unterkunft" not in classes
    assert classes == {c: SYMBOLS[c][0].upper() for c in shown}
    # an editor's export holds the accommodation: its class is there, in its colour
    internal = tmp_path / "intern.gpkg"
    write_facilities(admin, admin.facilities(), "gpkg", internal)
    assert _checked(internal)[GPKG_LAYER]["Unterkunft"] == SYMBOLS["Unterkunft"][0].upper()
    assert gpkg_column("category", "de") in {r[1] for r in _table_info(internal, GPKG_LAYER)}


def _table_info(gpkg: Path, table: str) -> list[tuple]:
    con = sqlite3.connect(gpkg)
    try:
        return con.execute(f'PRAGMA table_info("{table}")').fetchall()
    finally:
        con.close()


def test_atlas_geopackage_styles_needs_and_analysis_classes(
    views: tuple[RoleView, RoleView], tmp_path: Path
) -> None:
    public, _ = views
    out = tmp_path / "atlas.gpkg"
    counts = write_atlas(public, out)
    styles = _checked(out)
    assert set(styles) == {k for k in counts if k not in ("gemeinden", "vg2019")}
    assert counts["angebote"] == public.n_drawable()
    kita = styles["versorgung_kita"]
    assert "unknown" in kita  # "unbekannt" has its own class ...
    assert {c: STATUS_COLORS[c].upper() for c in kita} == kita
    row = next(r for r in _styles(out) if r["f_table_name"] == "versorgung_kita")
    assert 'name="outline_style" type="QString" value="dash"' in row["styleQML"]  # ... dashed
    assert "stroke-dasharray" in row["styleSLD"]
    needs = styles[NEEDS]
    ch = public.choropleth(_default_state())
    assert ch is not None
    assert {k: v for k, v in needs.items() if k != "-1"} == {
        str(i): ch.colors[i].upper() for i in {int(k) for k in needs if k != "-1"}
    }


def _default_state():  # noqa: ANN202 - ViewState
    from dashboard.domain.viewstate import ViewState

    return ViewState()


def _pyqgis() -> str | None:
    python = shutil.which("python3", path="/usr/bin")
    if python is None:
        return None
    found = subprocess.run([python, "-c", "import qgis.core"], capture_output=True)
    return python if found.returncode == 0 else None


@pytest.mark.slow
def test_qgis_opens_and_renders_the_styled_atlas(
    views: tuple[RoleView, RoleView], tmp_path: Path
) -> None:
    python = _pyqgis()
    if python is None:
        pytest.skip(
            "QGIS is not installed (`make test` installs Debian's python3-qgis and "
            "qgis-providers with scripts/ensure-qgis when run as root); the styles are "
            "checked as QML/SLD above"
        )
    public, _ = views
    out = tmp_path / "atlas.gpkg"
    write_atlas(public, out)
    png = tmp_path / "qgis-atlas.png"
    done = subprocess.run(
        [python, str(REPO / "tests" / "qgis_render.py"), str(out), str(png), "angebote", NEEDS],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    offers = report["angebote"]
    assert offers["renderer"] == "categorizedSymbol" and offers["field"] == "kategorie"
    assert {c["value"]: c["color"].upper() for c in offers["categories"]} == {
        c: SYMBOLS[c][0].upper() for c in set(public.active()["category"])
    }
    assert report[NEEDS]["renderer"] == "categorizedSymbol"
    assert png.stat().st_size > 10_000
    shots = REPO / "var"
    shots.mkdir(exist_ok=True)
    shutil.copy(png, shots / "qgis-atlas.png")  # the README's screenshot (docs/ogc.md)


def test_geojson_export_names_its_crs(views: tuple[RoleView, RoleView], tmp_path: Path) -> None:
    import pyogrio

    public, _ = views
    out = tmp_path / "angebote.geojson"
    write_facilities(public, public.facilities(), "geojson", out)
    crs = json.loads(out.read_text(encoding="utf-8"))["crs"]
    assert crs["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    assert pyogrio.read_info(out)["crs"] in ("OGC:CRS84", "EPSG:4326")
