"""Import: every format, German CSV quirks, validation report, all-or-nothing, duplicates."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from dashboard.config import get_settings
from dashboard.data.importer import (
    Geocoder,
    ImportRejected,
    ReadError,
    default_geocoder,
)
from dashboard.data.importer.geocode import parse_number
from dashboard.data.importer.plan import parse_date
from dashboard.data.store import Store
from tests.conftest import REPO, execute, plan_file

HEADER = "Name;Kategorie;Straße;PLZ;Ort;Breitengrad;Längengrad;Stand;Quelle"
# Synthetic test rows (not real facilities); coordinates inside Landstuhl and Weilerbach.
GOOD = [
    "Test-Kita Sonnenschein;Kita;Teststraße 1;66849;Landstuhl;49,4131;7,5703;31.12.2024;Testliste",
    "Test-Verein Miteinander;Verein;;;Weilerbach;;;01.06.2025;Testliste",
]
BAD = {
    "name": ";Kita;;;Landstuhl;;;31.12.2024;Testliste",
    "category": "Test-Zirkus;Zirkus;;;Landstuhl;;;31.12.2024;Testliste",
    "outside": "Test-Schule Berlin;Schule;;;;52,52;13,40;31.12.2024;Testliste",
    "postcode": "Test-Schule PLZ;Schule;;10115;;;;31.12.2024;Testliste",
    "duplicate": "Test-Kita Sonnenschein;Kita;;;;49,4135;7,5706;31.12.2024;Testliste",
    "swapped": "Test-Verein Vertauscht;Verein;;;;7,5703;49,4131;31.12.2024;Testliste",
    "date": "Test-Verein Datum;Verein;;;;49,4131;7,5703;31.02.2025;Testliste",
}
EXPECTED_FIELDS = {
    "name": ("name", "Name fehlt"),
    "category": ("category", "unbekannte Kategorie"),
    "outside": ("lat", "außerhalb"),
    "postcode": ("postcode", "außerhalb"),
    "duplicate": ("name", "Dublette von Zeile 2"),
    "swapped": ("lat", "vertauscht"),
    "date": ("reference_date", "ungültiges Datum"),
}


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return default_geocoder(get_settings())


@pytest.fixture
def store(store_location: Path | str) -> Store:
    return Store(store_location, REPO / "datasets")


def _write_csv(path: Path, lines: list[str], encoding: str = "cp1252", sep: str = ";") -> Path:
    text = "\r\n".join(line.replace(";", sep) if sep != ";" else line for line in lines)
    path.write_bytes(text.encode(encoding))
    return path


def test_parse_number_and_date() -> None:
    assert parse_number("49,4131") == 49.4131 and parse_number("412.345,67") == 412345.67
    assert parse_number("412,345.67") == 412345.67 and parse_number("7.5") == 7.5
    assert (
        str(parse_date("31.12.2024")) == "2024-12-31"
        and str(parse_date("2024-12-31")) == "2024-12-31"
    )
    for bad in ("31.02.2025", "2025-13-01", "gestern"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_mixed_file_reports_each_bad_row(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    lines = [HEADER, *GOOD, *BAD.values()]
    path = _write_csv(tmp_path / "liste.csv", lines)
    plan = plan_file(path, store, geocoder)
    assert plan.count("add") == 2 and plan.count("invalid") == len(BAD)
    by_row = {p.row: p for p in plan.problems}
    for i, key in enumerate(BAD):
        row = f"Zeile {i + 4}"  # header line 1, two good rows
        field, text = EXPECTED_FIELDS[key]
        assert row in by_row, key
        assert by_row[row].field == field and text in by_row[row].problem, (key, by_row[row])
    before = len(store.facilities())
    with pytest.raises(ImportRejected):
        execute(plan, store, "tester")
    assert len(store.facilities()) == before
    assert store.history().empty
    assert execute(plan, store, "tester", skip_invalid=True) == 2
    names = {f.name for f in store.facilities()}
    assert {"Test-Kita Sonnenschein", "Test-Verein Miteinander"} <= names
    assert len(store.facilities()) == before + 2


def test_utf8_bom_comma_and_precision(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    lines = [
        "Bezeichnung,Art,PLZ,Ort,Stand,Quelle,Sprachen",
        'Test-Beratung Ost,Beratungsstelle,67685,Weilerbach,2025-01-31,Testliste,"de, tr"',
        "Test-Kurs Süd,Sprachkurs,,Trippstadt,31.01.2025,Testliste,de",
    ]
    path = tmp_path / "utf8.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    plan = plan_file(path, store, geocoder)
    assert plan.count("add") == 2, plan.problems
    first, second = (r.facility for r in plan.rows)
    assert (
        first.precision == "postcode"
        and first.ags == "07335049"
        and first.languages == ["de", "tr"]
    )
    assert (
        second.precision == "gemeinde"
        and second.ags == "07335047"
        and second.name == "Test-Kurs Süd"
    )


def test_utm_coordinates(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    pt = gpd.GeoSeries([Point(7.5703, 49.4131)], crs=4326).to_crs(25832).iloc[0]
    east = f"{pt.x:.2f}".replace(".", ",")
    north = f"{pt.y:.2f}".replace(".", ",")
    path = _write_csv(
        tmp_path / "utm.csv",
        [
            "Name;Kategorie;Rechtswert;Hochwert;Stand;Quelle",
            f"Test-UTM;Verein;{east};{north};01.01.2025;Test",
        ],
    )
    plan = plan_file(path, store, geocoder)
    f = plan.rows[0].facility
    assert f is not None and f.ags == "07335022" and abs(f.lat - 49.4131) < 1e-5


def test_html_names_are_kept_exactly(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    names = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]
    path = _write_csv(
        tmp_path / "html.csv",
        ["Name;Kategorie;Ort;Stand;Quelle"]
        + [f"{n};Verein;Landstuhl;01.01.2025;Test" for n in names],
        encoding="utf-8",
    )
    execute(plan_file(path, store, geocoder), store, "tester")
    stored = {f.name for f in store.facilities()}
    assert set(names) <= stored


def test_xlsx(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    import datetime as dt

    frame = pd.DataFrame(
        {
            "Einrichtung": ["Test-Kita Excel"],
            "Kategorie": ["Kindertagesstätte"],
            "Postleitzahl": [66877],
            "Ort": ["Ramstein-Miesenbach"],
            "Stand": [dt.datetime(2024, 12, 31)],
            "Quelle": ["Testliste"],
        }
    )
    path = tmp_path / "liste.xlsx"
    frame.to_excel(path, index=False)
    plan = plan_file(path, store, geocoder)
    row = plan.rows[0]
    assert row.row == "Zeile 2" and row.status == "add", row.problems
    assert row.facility.category == "Kita" and str(row.facility.reference_date) == "2024-12-31"
    assert row.facility.ags == "07335038"


def test_geojson_and_gpkg(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["Test-Punkt A", "Test-Punkt B"], "kategorie": ["Verein", "Religion"],
         "stand": ["01.02.2025", "2025-02-01"], "quelle": ["Test", "Test"]},
        geometry=[Point(7.5703, 49.4131), Point(7.6352, 49.4785)],
        crs="EPSG:4326",
    )  # fmt: skip
    gj = tmp_path / "punkte.geojson"
    gj.write_text(gdf.to_json(), encoding="utf-8")
    gp = tmp_path / "punkte.gpkg"
    gdf.to_crs(25832).to_file(gp, layer="einrichtungen", driver="GPKG")
    for path in (gj, gp):
        plan = plan_file(path, store, geocoder)
        assert plan.count("add") == 2, plan.problems
        assert [r.facility.ags for r in plan.rows] == ["07335022", "07335049"]
        assert plan.rows[0].row == "Objekt 1"
    bad = json.loads(gdf.to_json())
    bad["features"][0]["geometry"] = {
        "type": "LineString",
        "coordinates": [[7.5, 49.4], [7.6, 49.5]],
    }
    gj.write_text(json.dumps(bad), encoding="utf-8")
    plan = plan_file(gj, store, geocoder)
    assert plan.rows[0].status == "invalid" and "LineString" in plan.rows[0].problems[0].problem


def test_osm(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    osm = tmp_path / "mini.osm"
    osm.write_text(
        """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="test">
  <node id="1" lat="49.4131" lon="7.5703" version="1" timestamp="2024-05-01T10:00:00Z">
    <tag k="amenity" v="kindergarten"/><tag k="name" v="Test-Kita OSM"/>
  </node>
  <node id="2" lat="49.4785" lon="7.6352" version="1" timestamp="2024-05-02T10:00:00Z">
    <tag k="club" v="sport"/><tag k="name" v="Test-Sportverein OSM"/>
  </node>
</osm>
""",
        encoding="utf-8",
    )
    plan = plan_file(osm, store, geocoder)
    assert plan.count("add") == 2, plan.problems
    kita = plan.rows[0].facility
    assert kita.category == "Kita" and kita.ags == "07335022" and kita.precision == "exact"
    assert "OpenStreetMap" in kita.source and str(kita.reference_date) == "2024-05-01"
    assert plan.rows[0].row == "node/1"


def test_unreadable_file(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    path = tmp_path / "liste.pdf"
    path.write_bytes(b"%PDF")
    with pytest.raises(ReadError, match="Dateityp nicht unterstützt"):
        plan_file(path, store, geocoder)


def test_reimport_with_ids_plans_changes(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    path = _write_csv(tmp_path / "a.csv", [HEADER, GOOD[0]])
    execute(plan_file(path, store, geocoder), store, "tester")
    assert plan_file(path, store, geocoder).count("unchanged") == 1
    moved = _write_csv(
        tmp_path / "b.csv", [HEADER, GOOD[0].replace("Teststraße 1", "Teststraße 2")]
    )
    plan = plan_file(moved, store, geocoder)  # no id column: same name within 150 m
    assert plan.rows[0].status == "invalid" and "Dublette" in plan.rows[0].problems[0].problem
    record = next(f for f in store.facilities() if f.name == "Test-Kita Sonnenschein")
    with_id = _write_csv(
        tmp_path / "c.csv",
        ["ID;" + HEADER, f"{record.id};" + GOOD[0].replace("Teststraße 1", "Teststraße 2")],
    )
    plan = plan_file(with_id, store, geocoder)
    assert plan.rows[0].status == "change"
    assert plan.rows[0].diff["street"] == ("Teststraße 1", "Teststraße 2")
    execute(plan, store, "tester")
    assert store.facility(record.id).street == "Teststraße 2"
    assert store.facility(record.id).version == 2


def test_duplicate_against_store(tmp_path: Path, store: Store, geocoder: Geocoder) -> None:
    existing = store.facilities()[0]
    lat, lon = (str(v).replace(".", ",") for v in (existing.lat, existing.lon))
    line = f"{existing.name};{existing.category};;;;{lat};{lon};01.01.2025;Test"
    path = _write_csv(tmp_path / "dup.csv", [HEADER, line], encoding="utf-8")
    plan = plan_file(path, store, geocoder)
    assert plan.rows[0].status == "invalid"
    assert f"Bestand {existing.id}" in plan.rows[0].problems[0].problem
