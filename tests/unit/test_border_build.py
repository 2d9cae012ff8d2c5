"""The population beyond the border comes into raw/ from the npm package by name and
version, with its provenance; the raw file is written once and then only checked."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest

from dashboard.build import BuildError
from dashboard.build.border import (
    MEMBER,
    RAW_FILE,
    border_kreise,
    build_border_population,
    read_rows,
)
from dashboard.config import get_settings
from tests.conftest import REFERENCE

DISTRICT = get_settings().district

HEADER = (
    "AGS;type;name;NUTS3;area_km2;population;population_male;population_female;population_per_km2"
)


def tarball(path: Path, city_population: str = "12345") -> Path:
    """A package of the same layout, with made-up figures (test data)."""
    rows = [HEADER, f"07312;Kreisfreie Stadt;Teststadt;X;1;{city_population};1;1;1"]
    rows += [f"{k};Landkreis;Testkreis {k};X;1;{i}000;1;1;1"
             for i, k in enumerate(("07332", "07333", "07336", "07340"), start=1)]  # fmt: skip
    data = ("\n".join(rows) + "\n").encode("utf-8")
    with tarfile.open(path, "w:gz") as tar:
        info = tarfile.TarInfo(MEMBER)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


def test_build_writes_once_then_only_checks(tmp_path: Path) -> None:
    tgz = tarball(tmp_path / "pkg.tgz")
    reference = tmp_path / "reference"
    reference.mkdir()
    assert build_border_population(reference, tmp_path / "cache", tgz, district=DISTRICT) == 5
    text = (reference / RAW_FILE).read_text(encoding="utf-8")
    assert "07312,Kreisfreie Stadt,Teststadt,12345,2018-12-31" in text
    assert "CC-BY-4.0,landkreise-deutschland@3.0.0,data/districts.csv" in text
    assert (
        build_border_population(reference, tmp_path / "cache", tgz, district=DISTRICT) == 5
    )  # unchanged: ok
    other = tarball(tmp_path / "other.tgz", "99999")
    with pytest.raises(BuildError, match="raw facts are never rewritten"):
        build_border_population(reference, tmp_path / "cache", other, district=DISTRICT)
    assert (reference / RAW_FILE).read_text(encoding="utf-8") == text


def test_committed_raw_fact_is_the_city_of_99845() -> None:
    text = (REFERENCE / RAW_FILE).read_text(encoding="utf-8")
    assert text.splitlines()[1].startswith(
        '07312,Kreisfreie Stadt,"Kaiserslautern, kreisfreie Stadt",99845,2018-12-31'
    )


def test_committed_raw_fact_matches_the_package() -> None:
    cached = get_settings().cache_dir / "npm" / "landkreise-deutschland-3.0.0.tgz"
    if not cached.is_file() and shutil.which("npm") is None:
        pytest.skip("npm not installed and package not cached")
    from dashboard.build.border import package_tarball

    rows = read_rows(package_tarball(get_settings().cache_dir), border_kreise(DISTRICT))
    assert rows[0]["population"] == "99845" and rows[0]["ags"] == "07312"
    committed = (REFERENCE / RAW_FILE).read_text(encoding="utf-8")
    assert all(r["package_sha256"] in committed for r in rows)
