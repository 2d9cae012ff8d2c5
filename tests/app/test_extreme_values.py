"""No stored value makes a page show an error: indicator values an older release could
store (1e308, -1e308, 1e20 as a count of children) on the public map at Gemeinde and VG
level, in German and English (Streamlit's AppTest, a store of its own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.data.store import Store
from dashboard.services import app as service_app
from dashboard.ui import mapview
from tests.conftest import REPO

APP = REPO / "app.py"
GEMEINDEN = sorted(pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)["ags"])
EXTREME = (1e308, -1e308, 1e20)


@pytest.fixture
def extreme_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "no-legacy-users.json"))
    store = Store(path, REPO / "datasets")
    with store.db.transaction() as conn:  # written around the checks, as an older release
        for i, ags in enumerate(GEMEINDEN):
            conn.execute(
                "INSERT INTO indicators (area_level, area_key, area_name, indicator, value, unit,"
                " reference_date, source, note) VALUES ('gemeinde', ?, '', 'kinder_x', ?,"
                " 'persons', '2023', 'Testdaten', '')",
                (ags, EXTREME[i] if i < len(EXTREME) else float(i)),
            )
    service_app._store.cache_clear()
    mapview.clear_caches()
    yield
    service_app._store.cache_clear()
    mapview.clear_caches()


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("level", ["gemeinde", "vg"])
def test_the_public_map_shows_extreme_values_without_an_error(
    extreme_store: None, lang: str, level: str
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    at.query_params["ind"] = "kinder_x"
    at.query_params["lvl"] = level
    at.run()
    assert not at.exception, at.exception
    assert not [e.value for e in at.error], [e.value for e in at.error]
    shown = " ".join(t.value.to_string() for t in at.table)
    if level == "gemeinde":
        assert "1E308" in shown and "-1E308" in shown, shown[:2000]
