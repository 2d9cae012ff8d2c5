"""Tests for the OpenStreetMap importer (``dashboard.data.importer.osm``).

All names and places in the fixtures are synthetic test data.
"""

from __future__ import annotations

from pathlib import Path

import osmium
import pandas as pd
import pytest

from dashboard.data.importer.osm import (
    COLUMNS,
    OSM_CATEGORY_RULES,
    SOURCE_PREFIX,
    OsmTable,
    osm_category,
    read_osm,
)

CATEGORIES = {
    "Kita",
    "Schule",
    "Verein",
    "Beratungsstelle",
    "Sprachkurs",
    "Gesundheit",
    "Religion",
    "Projektstandort",
    "Unterkunft",
}

OSM_XML = """<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="integrationsatlas-tests">
 <node id="1" version="2" timestamp="2024-03-05T10:00:00Z" lat="49.4431234" lon="7.7512345">
  <tag k="amenity" v="kindergarten"/>
  <tag k="name" v="Test-Kita Sonnenschein"/>
  <tag k="operator" v="Testträger e.V."/>
  <tag k="addr:street" v="Teststraße"/>
  <tag k="addr:housenumber" v="12a"/>
  <tag k="addr:postcode" v="67655"/>
  <tag k="addr:city" v="Testhausen"/>
  <tag k="language:tr" v="yes"/>
  <tag k="language:de" v="yes"/>
  <tag k="language:en" v="no"/>
  <tag k="phone" v="+49 631 0000000"/>
  <tag k="contact:email" v="kita@example.invalid"/>
  <tag k="website" v="https://example.invalid/kita"/>
 </node>
 <node id="2" version="1" lat="49.45" lon="7.76">
  <tag k="amenity" v="school"/>
  <tag k="name" v="Test-Grundschule Am Wald"/>
  <tag k="addr:place" v="Testdorf"/>
 </node>
 <node id="3" version="1" lat="49.43" lon="7.74">
  <tag k="club" v="sport"/>
  <tag k="name" v="Test-Sportverein 1900"/>
 </node>
 <node id="4" version="1" lat="49.431" lon="7.741">
  <tag k="amenity" v="bench"/>
 </node>
 <node id="5" version="1" lat="49.432" lon="7.742">
  <tag k="shop" v="bakery"/>
  <tag k="name" v="Test-Bäckerei"/>
 </node>
 <node id="10" version="1" lat="49.440" lon="7.750"/>
 <node id="11" version="1" lat="49.440" lon="7.752"/>
 <node id="12" version="1" lat="49.442" lon="7.752"/>
 <node id="13" version="1" lat="49.442" lon="7.750"/>
 <way id="20" version="3" timestamp="2023-11-30T23:30:00Z">
  <nd ref="10"/>
  <nd ref="11"/>
  <nd ref="12"/>
  <nd ref="13"/>
  <nd ref="10"/>
  <tag k="amenity" v="place_of_worship"/>
  <tag k="name" v="Test-Kapelle St. Beispiel"/>
 </way>
</osm>
"""


@pytest.fixture
def osm_path(tmp_path: Path) -> Path:
    """The XML fixture written to ``test.osm``."""
    path = tmp_path / "test.osm"
    path.write_text(OSM_XML, encoding="utf-8")
    return path


@pytest.fixture
def pbf_path(osm_path: Path, tmp_path: Path) -> Path:
    """The same content converted to ``test.osm.pbf`` with pyosmium."""
    path = tmp_path / "test.osm.pbf"
    with osmium.SimpleWriter(str(path)) as writer:
        for obj in osmium.FileProcessor(str(osm_path)):
            writer.add(obj)
    return path


# --- mapping table ---------------------------------------------------------------------------


def test_rules_use_only_known_categories() -> None:
    assert OSM_CATEGORY_RULES
    for key, value, category in OSM_CATEGORY_RULES:
        assert key and (value is None or value)
        assert category in CATEGORIES


@pytest.mark.parametrize(
    ("key", "value", "category"),
    OSM_CATEGORY_RULES,
    ids=[f"{k}={v or '*'}" for k, v, _ in OSM_CATEGORY_RULES],
)
def test_each_rule_maps_on_its_own(key: str, value: str | None, category: str) -> None:
    assert osm_category({key: value or "anything"}) == category


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"amenity": "kindergarten"}, "Kita"),
        ({"amenity": "childcare"}, "Kita"),
        ({"amenity": "school"}, "Schule"),
        ({"amenity": "social_facility"}, "Beratungsstelle"),
        ({"amenity": "social_facility", "social_facility": "shelter"}, "Unterkunft"),
        ({"amenity": "social_facility", "social_facility:for": "refugees"}, "Unterkunft"),
        (
            {
                "amenity": "social_facility",
                "social_facility": "outreach",
                "social_facility:for": "refugees",
            },
            "Beratungsstelle",
        ),
        ({"amenity": "refugee_site"}, "Unterkunft"),
        ({"office": "association"}, "Verein"),
        ({"club": "sport"}, "Verein"),
        ({"club": "culture", "name": "x"}, "Verein"),
        ({"amenity": "place_of_worship", "religion": "christian"}, "Religion"),
        ({"healthcare": "counselling"}, "Gesundheit"),
        ({"amenity": "doctors"}, "Gesundheit"),
        ({"amenity": "clinic"}, "Gesundheit"),
        ({"amenity": "hospital"}, "Gesundheit"),
        ({"amenity": "community_centre"}, "Projektstandort"),
        ({"amenity": "language_school"}, "Sprachkurs"),
        ({"office": "ngo"}, "Beratungsstelle"),
        ({"amenity": "pharmacy"}, None),
        ({"amenity": "bench"}, None),
        ({"name": "Test-Ort"}, None),
        ({}, None),
        ({"club": ""}, None),
    ],
)
def test_osm_category(tags: dict[str, str], expected: str | None) -> None:
    assert osm_category(tags) == expected


# --- reading ---------------------------------------------------------------------------------


def test_read_osm_xml(osm_path: Path) -> None:
    table = read_osm(osm_path)
    assert isinstance(table, OsmTable)
    frame = table.frame
    assert list(frame.columns) == list(COLUMNS)
    assert all(pd.api.types.is_string_dtype(frame[c]) for c in frame.columns)
    assert not frame.isna().any().any()
    # nodes first, then ways, ascending ids; bench (no name, no rule) and way members skipped
    assert list(frame["osm_id"]) == ["node/1", "node/2", "node/3", "node/5", "way/20"]
    assert table.row_labels == ["node/1", "node/2", "node/3", "node/5", "way/20"]

    kita = frame.iloc[0].to_dict()
    assert kita == {
        "name": "Test-Kita Sonnenschein",
        "category": "Kita",
        "operator": "Testträger e.V.",
        "street": "Teststraße 12a",
        "postcode": "67655",
        "place": "Testhausen",
        "lat": "49.4431234",
        "lon": "7.7512345",
        "contact": "+49 631 0000000; kita@example.invalid; https://example.invalid/kita",
        "languages": "de, tr",
        "source": SOURCE_PREFIX + "test.osm",
        "reference_date": "2024-03-05",
        "osm_id": "node/1",
        "note": "OSM amenity=kindergarten",
    }

    school = frame.iloc[1]
    assert school["category"] == "Schule"
    assert school["place"] == "Testdorf"
    assert school["street"] == ""
    assert school["reference_date"] == ""
    assert (school["lat"], school["lon"]) == ("49.45", "7.76")

    club = frame.iloc[2]
    assert club["category"] == "Verein"
    assert club["note"] == "OSM club=sport"

    bakery = frame.iloc[3]
    assert bakery["name"] == "Test-Bäckerei"
    assert bakery["category"] == ""
    assert bakery["note"] == ""


def test_way_position_is_centroid(osm_path: Path) -> None:
    way = read_osm(osm_path).frame.set_index("osm_id").loc["way/20"]
    assert way["name"] == "Test-Kapelle St. Beispiel"
    assert way["category"] == "Religion"
    assert way["note"] == "OSM amenity=place_of_worship"
    assert way["reference_date"] == "2023-11-30"
    assert float(way["lat"]) == pytest.approx(49.441, abs=1e-7)
    assert float(way["lon"]) == pytest.approx(7.751, abs=1e-7)
    assert (way["lat"], way["lon"]) == ("49.441", "7.751")


def test_pbf_gives_identical_frame(osm_path: Path, pbf_path: Path) -> None:
    from_xml = read_osm(osm_path)
    from_pbf = read_osm(pbf_path)
    assert from_pbf.row_labels == from_xml.row_labels
    # only the file name in the source column differs
    assert set(from_pbf.frame["source"]) == {SOURCE_PREFIX + "test.osm.pbf"}
    pd.testing.assert_frame_equal(
        from_pbf.frame.drop(columns="source"), from_xml.frame.drop(columns="source")
    )


def test_file_without_matches_gives_empty_table(tmp_path: Path) -> None:
    path = tmp_path / "empty.osm"
    path.write_text(
        '<?xml version="1.0"?><osm version="0.6">'
        '<node id="1" lat="49.4" lon="7.7"><tag k="amenity" v="bench"/></node></osm>',
        encoding="utf-8",
    )
    table = read_osm(path)
    assert table.frame.empty
    assert list(table.frame.columns) == list(COLUMNS)
    assert table.row_labels == []


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["garbage.osm", "garbage.osm.pbf"])
def test_garbage_file_raises_value_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ValueError, match=name.replace(".", r"\.")) as info:
        read_osm(path)
    assert "\n" not in str(info.value)


def test_non_osm_xml_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "page.osm"
    path.write_text("<html><body>kein OSM</body></html>", encoding="utf-8")
    with pytest.raises(ValueError, match=r"page\.osm"):
        read_osm(path)


def test_missing_file_raises_value_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"missing\.osm"):
        read_osm(tmp_path / "missing.osm")


def test_unknown_extension_raises_value_error(tmp_path: Path) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text("name\nTest\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"facilities\.csv"):
        read_osm(path)
