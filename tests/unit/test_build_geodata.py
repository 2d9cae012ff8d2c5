"""The geodata build on tiny synthetic inputs: counts, keys, vintages, areas, errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from dashboard.build import BuildError
from dashboard.build.geodata import build_geodata
from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.manifest import sha256_file
from tests.conftest import synthetic_vg250


def _build(source: Path, membership: Path, out: Path) -> dict[str, int]:
    district = get_settings().district
    return build_geodata(source, out, membership, out.parent / "cache", district=district)


def test_counts_and_vintages(
    synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path
) -> None:
    out = tmp_path / "geodata"
    counts = _build(synthetic_gpkg, synthetic_membership, out)
    assert counts["gemeinden.geojson"] == 3
    assert (counts["vg_2013.geojson"], counts["vg_2014.geojson"], counts["vg_2019.geojson"]) == (
        3,
        2,
        1,
    )
    vg2014 = gpd.read_file(out / "vg_2014.geojson", datetime_as_string=True)
    assert list(vg2014["rs"]) == ["073355001", "073355003"]
    assert list(vg2014["n_gemeinden"]) == [2, 1]
    assert list(vg2014["valid_from"]) == ["2014-07-01"] * 2
    assert list(vg2014["valid_to"]) == ["2019-06-30"] * 2
    vg2019 = gpd.read_file(out / "vg_2019.geojson")
    assert vg2019["valid_to"].isna().all()
    assert vg2019["area_km2"].iloc[0] == pytest.approx(3.0, rel=1e-3)


def test_areas_and_coverage(
    synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path
) -> None:
    out = tmp_path / "geodata"
    _build(synthetic_gpkg, synthetic_membership, out)
    for sub in ("", "web/"):
        gem = gpd.read_file(out / f"{sub}gemeinden.geojson").to_crs(25832)
        outline = gpd.read_file(out / f"{sub}landkreis.geojson").to_crs(25832).geometry.iloc[0]
        assert gem.area.sum() / 1e6 == pytest.approx(3.0, rel=1e-3)
        for vintage in (2013, 2014, 2019):
            vg = gpd.read_file(out / f"{sub}vg_{vintage}.geojson").to_crs(25832)
            assert vg.is_valid.all()
            union = shapely.union_all(vg.geometry.to_numpy())
            assert union.symmetric_difference(outline).area < 10_000  # 0.01 km²


def test_city_is_context(synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path) -> None:
    out = tmp_path / "geodata"
    _build(synthetic_gpkg, synthetic_membership, out)
    city = gpd.read_file(out / "context.geojson")
    assert list(city["ags"]) == ["07312000"]
    assert city["kind"].iloc[0] == "Kreisfreie Stadt"


def test_manifest_complete(
    synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path
) -> None:
    out = tmp_path / "geodata"
    counts = _build(synthetic_gpkg, synthetic_membership, out)
    manifest = json.loads((out / "MANIFEST.json").read_text(encoding="utf-8"))
    assert set(manifest["outputs"]) == set(counts)
    for rel, entry in manifest["outputs"].items():
        for field in (
            "source",
            "package",
            "licence",
            "attribution",
            "reference_date",
            "crs",
            "feature_count",
            "input",
            "sha256",
            "command",
        ):
            assert entry.get(field), (rel, field)
        assert entry["attribution"] == "© GeoBasis-DE / BKG (2016)"
        assert entry["input"]["sha256"] == sha256_file(synthetic_gpkg)
        assert entry["sha256"] == sha256_file(out / rel)
        assert entry["feature_count"] == counts[rel]


def test_reproducible(synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _build(synthetic_gpkg, synthetic_membership, first)
    _build(synthetic_gpkg, synthetic_membership, second)
    for path in sorted(first.rglob("*.geojson")):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path.name


def test_shapefile_source(synthetic_membership: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vg250_shp"
    folder.mkdir()
    synthetic_vg250().to_file(folder / "VG250_GEM.shp")
    counts = _build(folder, synthetic_membership, tmp_path / "geodata")
    assert counts["gemeinden.geojson"] == 3


def test_missing_source_is_one_line_error(synthetic_membership: Path, tmp_path: Path) -> None:
    missing = tmp_path / "nope.gpkg"
    with pytest.raises(BuildError) as exc:
        _build(missing, synthetic_membership, tmp_path / "geodata")
    message = str(exc.value)
    assert "nope.gpkg" in message and "expected" in message and "\n" not in message


def test_unsuitable_source_changes_nothing(
    synthetic_gpkg: Path, synthetic_membership: Path, tmp_path: Path
) -> None:
    out = tmp_path / "geodata"
    _build(synthetic_gpkg, synthetic_membership, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    wrong = tmp_path / "wrong.gpkg"
    synthetic_vg250().drop(columns=["AGS"]).to_file(wrong, layer="vg250_gem", driver="GPKG")
    with pytest.raises(BuildError, match="wrong.gpkg: attributes AGS missing"):
        _build(wrong, synthetic_membership, out)
    not_geo = tmp_path / "table.csv"
    not_geo.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(BuildError, match="table.csv: unsupported file type"):
        _build(not_geo, synthetic_membership, out)
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob(".staging-*"))


def test_other_district_is_rejected(synthetic_membership: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.gpkg"
    gdf = synthetic_vg250()
    gdf["AGS"] = ["07111001", "07111002", "07111003", "07312000"]
    gdf.to_file(other, layer="vg250_gem", driver="GPKG")
    with pytest.raises(BuildError, match="no Gemeinde with AGS 07335"):
        _build(other, synthetic_membership, tmp_path / "geodata")


def test_cli_failure_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geodata"
    monkeypatch.setenv("INTEGRATIONSATLAS_GEODATA", str(out))
    code = main(["build-geodata", "--source", str(tmp_path / "missing.tgz")])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and "missing.tgz" in err
    assert not out.exists() or not any(out.iterdir())


def test_cli_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "build-geodata" in capsys.readouterr().out
