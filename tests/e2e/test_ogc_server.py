"""OGC API – Features as a GIS reads it: GDAL's OAPIF driver against the running app.

The app is started as ``make run`` starts it (``streamlit run asgi.py``: Streamlit and the
OGC service behind the HTTP guard) on its own store, seeded with an accommodation
(Unterkunft) whose name, street and position are markers that must reach no collection,
and a public control offer. A GIS client (pyogrio's GDAL, driver ``OAPIF``) reads every
collection; the expected figures come from the public :class:`RoleView` of the same store.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import sqlite3
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyogrio
import pytest
from playwright.sync_api import expect
from pyproj import Transformer

from dashboard.config import get_settings
from dashboard.data.store import Change, Store
from dashboard.data.users import add_user
from dashboard.domain.model import Facility
from dashboard.domain.roles import User
from dashboard.services.context import load_boundaries
from dashboard.services.layers import layer_frame, layer_specs
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app, watched_page

pytestmark = pytest.mark.e2e

SECRET = Facility(
    id="ogc-unterkunft",
    name="Geheime OGC-Testunterkunft Ulmenweg",
    category="Unterkunft",
    street="Ulmenweg 3",
    postcode="67685",
    place="Weilerbach",
    lat=49.46789,
    lon=7.62345,
    precision="exact",
    capacity=30,
    source="OGC-Testdaten",
    reference_date=dt.date(2025, 1, 1),
)
MARKERS = ("Ulmenweg", "ogc-unterkunft", "Geheime OGC", "49.46789", "7.62345")
VISIBLE = Facility(
    id="ogc-verein",
    name="Sichtbarer OGC-Testverein",
    category="Verein",
    place="Weilerbach",
    lat=49.47321,
    lon=7.63654,
    precision="exact",
    source="OGC-Testdaten",
    reference_date=dt.date(2025, 1, 1),
)
EDITOR = ("olga", "olga-passwort-1")


@dataclass
class Server:
    url: str
    store: Store

    @property
    def ogc(self) -> str:
        return f"{self.url}/ogc"

    def workspace(self, user: User | None = None) -> Workspace:
        return Workspace(self.store, user, load_boundaries(get_settings()))

    def get(self, path: str, auth: tuple[str, str] | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(f"{self.ogc}{path}")
        if auth:
            token = base64.b64encode(":".join(auth).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run asgi.py`` (as ``make run``) on its own seeded store."""
    folder = tmp_path_factory.mktemp("ogc")
    store = Store(folder / "store.gpkg", REPO / "datasets")
    store.apply([Change(SECRET), Change(VISIBLE)], "ogc-seed")
    add_user(store.db, *EDITOR, "district_editor")
    with running_app(folder, folder / "store.gpkg", folder / "users.json", script="asgi.py") as url:
        yield Server(url, store)


def _read(server: Server, layer: str, **kwargs: object):  # noqa: ANN202 - GeoDataFrame
    return pyogrio.read_dataframe(f"OAPIF:{server.ogc}", layer=layer, **kwargs)


def test_every_collection_reads_as_the_public_view_has_it(server: Server) -> None:
    view = server.workspace().view()
    specs = layer_specs(view)
    listed = [str(name) for name, _ in pyogrio.list_layers(f"OAPIF:{server.ogc}")]
    assert listed == [s.id for s in specs]
    assert {"angebote", "gemeinden", "vg2019", "projekte", "versorgung_kita"} <= set(listed)
    assert "versorgung_unterkunft" not in listed  # the public analyses no sensitive category
    for spec in specs:
        read = _read(server, spec.id)
        expected = layer_frame(view, spec.id)
        assert len(read) == len(expected), spec.id
        assert len(read) > 0 or spec.id == "projekte", spec.id
    offers = _read(server, "angebote")
    assert len(offers) == view.n_drawable()
    assert VISIBLE.name in set(offers["name"])
    assert set(offers["kategorie"]) <= set(view.categories())
    gemeinden = _read(server, "gemeinden")
    assert len(gemeinden) == len(view.district.gemeinden)
    heads = view.populations.at("gemeinde", 2019)
    one = gemeinden.iloc[0]
    assert one["einwohner"] == heads.loc[one["schluessel"], "population"]
    assert str(one["einwohner_quelle"]) == str(heads.loc[one["schluessel"], "sources"])
    analysis = _read(server, "versorgung_kita")
    assert set(analysis["einstufung"]) <= {"gap", "no_gap", "unknown"}
    assert "unknown" in set(analysis["klasse"])  # "unbekannt" is a class of its own


def test_the_accommodation_reaches_no_collection(server: Server) -> None:
    view = server.workspace().view()
    for spec in layer_specs(view):
        status, _, body = server.get(f"/collections/{spec.id}/items?f=json&limit=1000")
        assert status == 200, spec.id
        text = body.decode()
        for marker in MARKERS:
            assert marker not in text, (spec.id, marker)
    status, _, body = server.get("/collections/angebote/items/ogc-unterkunft?f=json")
    assert status == 404
    # its VG shows it only as the privacy rule's count: "<5", never the exact 1
    vgs = json.loads(server.get("/collections/vg2019/items?f=json")[2])
    counts = {
        f["properties"]["name"]: f["properties"]["unterkunft_anzahl"] for f in vgs["features"]
    }
    assert counts["Weilerbach"] == "<5"


def test_bbox_and_paging_return_the_expected_offers(server: Server) -> None:
    view = server.workspace().view()
    offers = layer_frame(view, "angebote")
    box = (7.55, 49.40, 7.70, 49.50)
    inside = offers.cx[box[0] : box[2], box[1] : box[3]]
    assert 0 < len(inside) < len(offers)
    read = _read(server, "angebote", bbox=box)
    assert sorted(read["id"]) == sorted(inside["id"])
    # GDAL follows the "next" links page by page
    paged = pyogrio.read_dataframe(f"OAPIF:{server.ogc}", layer="angebote", PAGE_SIZE=5)
    assert sorted(paged["id"]) == sorted(offers["id"])
    status, _, body = server.get("/collections/angebote/items?f=json&limit=5&offset=5")
    page = json.loads(body)
    assert [f["id"] for f in page["features"]] == list(offers["id"].iloc[5:10])
    assert page["numberMatched"] == len(offers)
    assert {link["rel"] for link in page["links"]} >= {"next", "prev"}
    status, _, body = server.get("/collections/angebote/items?f=json&kategorie=Kita&limit=1000")
    assert {f["properties"]["kategorie"] for f in json.loads(body)["features"]} == {"Kita"}
    cql = urllib.request.quote("kategorie = 'Schule' AND vg = 'Landstuhl'")
    status, _, body = server.get(f"/collections/angebote/items?f=json&filter={cql}&limit=1000")
    found = json.loads(body)["features"]
    want = offers[(offers["kategorie"] == "Schule") & (offers["vg"] == "Landstuhl")]
    assert status == 200 and sorted(f["id"] for f in found) == sorted(want["id"]) and found


def test_epsg_25832_coordinates_equal_a_pyproj_transform(server: Server) -> None:
    wgs = _read(server, "angebote")
    utm = _read(server, "angebote", CRS="EPSG:25832")
    assert utm.crs.to_epsg() == 25832
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:25832", always_xy=True)
    a = wgs.set_index("id").geometry.dropna()
    b = utm.set_index("id").geometry.loc[a.index]
    for fid in a.index:
        x, y = to_utm.transform(a[fid].x, a[fid].y)
        assert abs(b[fid].x - x) < 0.01 and abs(b[fid].y - y) < 0.01, fid


def test_an_edit_through_the_workspace_is_in_the_next_read(server: Server) -> None:
    editor = User(name=EDITOR[0], role="district_editor")
    ws = server.workspace(editor)
    before = _read(server, "angebote")
    stored = ws.facility(VISIBLE.id)
    assert stored is not None
    ws.apply_change(
        stored.model_copy(update={"name": "Umbenannter OGC-Testverein"}), stored.version
    )
    after = _read(server, "angebote")
    names = set(after["name"])
    assert "Umbenannter OGC-Testverein" in names and VISIBLE.name not in names
    assert len(after) == len(before)


def test_staff_sign_in_opens_the_internal_view_only_with_valid_credentials(
    server: Server,
) -> None:
    status, _, body = server.get("/collections?f=json", auth=EDITOR)
    assert status == 200
    ids = {c["id"] for c in json.loads(body)["collections"]}
    assert "versorgung_unterkunft" in ids  # the Kreis-Redaktion may analyse accommodation
    vgs = json.loads(server.get("/collections/vg2019/items?f=json", auth=EDITOR)[2])
    counts = {
        f["properties"]["name"]: f["properties"]["unterkunft_anzahl"] for f in vgs["features"]
    }
    assert counts["Weilerbach"] == "1"  # exact for who may see the records
    offers = server.get("/collections/angebote/items?f=json&limit=1000", auth=EDITOR)[2]
    assert "Ulmenweg" not in offers.decode()  # never a point, for anyone
    status, headers, _ = server.get("/collections?f=json", auth=(EDITOR[0], "falsch"))
    assert status == 401 and "Basic" in headers.get("www-authenticate", "")
    public = json.loads(server.get("/collections?f=json")[2])
    assert "versorgung_unterkunft" not in {c["id"] for c in public["collections"]}


def test_the_guard_and_the_documents(server: Server) -> None:
    status, headers, body = server.get("/conformance?f=json")
    assert status == 200
    conforms = json.loads(body)["conformsTo"]
    assert any("ogcapi-features-2/1.0/conf/crs" in c for c in conforms)
    assert not any("create-replace-delete" in c for c in conforms)
    assert headers.get("x-frame-options") == "SAMEORIGIN"
    assert "default-src 'self'" in headers.get("content-security-policy", "")
    status, _, body = server.get("/openapi?f=json")
    assert status == 200 and "/collections/angebote/items" in json.loads(body)["paths"]
    titles = {}
    for lang in ("de", "en"):
        status, _, body = server.get(f"/collections/angebote?f=json&lang={lang}")
        titles[lang] = json.loads(body)["title"]
    assert titles == {"de": "Angebote", "en": "Offers"}
    foreign = urllib.request.Request(f"{server.ogc}/collections", headers={"Host": "evil.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(foreign, timeout=30)
    assert refused.value.code == 421


def test_the_styled_geopackage_download(server: Server, tmp_path: Path) -> None:
    landing = json.loads(server.get("/?f=json")[2])
    link = next(x for x in landing["links"] if x["rel"] == "enclosure")
    assert link["href"] == f"{server.ogc}/atlas.gpkg"
    assert not any("processes" in x["rel"] for x in landing["links"])
    status, headers, body = server.get("/atlas.gpkg")
    assert status == 200 and body[:16] == b"SQLite format 3\x00"
    for marker in MARKERS:
        assert marker.encode() not in body
    out = tmp_path / "atlas.gpkg"
    out.write_bytes(body)
    offers = pyogrio.read_dataframe(out, layer="angebote")
    assert len(offers) == server.workspace().view().n_drawable()
    con = sqlite3.connect(out)
    try:
        styled = {r[0] for r in con.execute("SELECT f_table_name FROM layer_styles")}
    finally:
        con.close()
    assert {"angebote", "versorgung_kita", "bedarf"} <= styled


def test_a_person_browses_the_service_offline(server: Server, browser: object) -> None:
    """In a browser (German) the service's pages work from the app alone (no CDN): landing
    page, collections, the offers as a table, one offer; English on request."""
    with watched_page(browser, locale="de-DE") as watched:
        _browse(server, watched)


def _browse(server: Server, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{server.ogc}/")
    expect(page.get_by_role("heading").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Integrationsatlas")
    page.goto(f"{server.ogc}/collections/angebote")
    expect(page.get_by_role("heading", name="Angebote")).to_be_visible()
    page.get_by_role("link", name="Items").click()
    table = page.locator("table")
    offers = layer_frame(server.workspace().view(), "angebote")
    expect(table).to_contain_text(str(offers["name"].iloc[0]))
    rows = table.locator("tbody tr")
    assert rows.count() == min(100, len(offers))
    rows.first.get_by_role("link").click()
    expect(page.locator("table")).to_contain_text("kategorie")
    assert "Ulmenweg" not in page.content()
    page.goto(f"{server.ogc}/collections/angebote?lang=en")
    expect(page.get_by_role("heading", name="Offers")).to_be_visible()
    assert watched.external == [] and watched.errors == []
