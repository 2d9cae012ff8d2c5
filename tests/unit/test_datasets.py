"""datasets/: built from raw/reference, every value with its date and source."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analysis.population import headline_population
from dashboard.build import BuildError
from dashboard.build.datasets import build_datasets
from dashboard.config import get_settings
from dashboard.data.manifest import read_manifest, sha256_file
from dashboard.data.population import load_membership, load_population
from tests.conftest import RAW, REFERENCE, REPO

DATASETS = REPO / "datasets"


def test_population_has_date_and_source_per_value() -> None:
    pop = load_population(DATASETS)
    assert len(pop) == 50
    assert (pop["population"] > 0).all()
    assert pop["population_source"].str.len().gt(0).all()
    dates = pd.to_datetime(pop["population_date"])
    assert dates.min().year == 2018 and dates.max().year == 2023  # mixed, shown as such


def test_manifest_matches_files() -> None:
    manifest = read_manifest(DATASETS)
    for name, entry in manifest["outputs"].items():
        assert entry["sha256"] == sha256_file(DATASETS / name)
        assert entry["source"] and entry["reference_date"] and entry["command"]


def test_raw_inputs_are_unchanged() -> None:
    """raw/ is immutable: every file has the checksum its README records."""
    readme = (RAW / "README.md").read_text(encoding="utf-8")
    files = sorted(p for p in RAW.rglob("*") if p.is_file() and p != RAW / "README.md")
    assert len(files) == 7
    for path in files:
        rel = path.relative_to(RAW).as_posix()
        assert re.search(rf"`{re.escape(rel)}` \|.*\| `{sha256_file(path)}` \|", readme), rel


def test_builds_read_inputs_inside_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTEGRATIONSATLAS_REFERENCE", raising=False)
    assert get_settings().reference_dir == REFERENCE
    for entry in read_manifest(DATASETS)["outputs"].values():
        for item in ([entry["input"]] if "input" in entry else []) + entry.get("inputs", []):
            assert item["file"].startswith("raw/"), item
            assert item["sha256"] == sha256_file(REPO / item["file"])


def test_bad_reference_is_rejected(tmp_path: Path) -> None:
    ref = tmp_path / "ref"
    ref.mkdir()
    df = pd.read_csv(DATASETS / "gemeinden_vg_membership.csv", dtype=str).merge(
        pd.read_csv(DATASETS / "population_gemeinden.csv", dtype=str).drop(columns="name"), on="ags"
    )
    df.loc[3, "population"] = "-5"
    df.to_csv(ref / "lk_kaiserslautern_gemeinden.csv", index=False)
    out = tmp_path / "datasets"
    with pytest.raises(BuildError, match="line 5: population '-5'"):
        build_datasets(ref, out, district=get_settings().district)
    assert not out.exists() or not any(out.iterdir())
    with pytest.raises(BuildError, match="file not found"):
        build_datasets(tmp_path / "missing", out, district=get_settings().district)


def test_vg_aggregate_sums_and_keeps_oldest_date() -> None:
    pop, mem = load_population(DATASETS), load_membership(DATASETS)
    values = pd.read_csv(
        DATASETS / "indicators.csv", dtype={"area_key": str}, keep_default_na=False
    )
    for vintage, n in ((2013, 9), (2014, 7)):  # no official VG figures: sums of Gemeinden
        agg = headline_population(values, mem, "vg", vintage)
        assert len(agg) == n and set(agg["basis"]) == {"sum_of_gemeinden"}
        assert agg["population"].sum() == pop["population"].sum()
    old = headline_population(values, mem, "vg", 2014)
    landstuhl = mem[mem["vg_rs_2014"] == "073355005"]["ags"]
    parts = pop[pop["ags"].isin(landstuhl)]
    assert old.loc["073355005", "population"] == parts["population"].sum()
    assert old.loc["073355005", "reference_date"] == parts["population_date"].min() == "2018-05-30"
    # the current VGs have official figures: those win over the sum of their Gemeinden
    current = headline_population(values, mem, "vg", 2019)
    assert current.loc["073355011", "population"] == 26205
    assert current.loc["073355011", "basis"] == "official"
    assert current.loc["073355011", "reference_date"] == "2022-12-31"
