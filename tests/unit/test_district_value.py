"""The district is a value: a district built in a test is passed in, beside the configured one.

A made-up Kreis 07999 (test data, not real) is built around Trier, west of the bounds the
shipped district has (6.6 °E; the Land's configuration reaches there too), and the service
is opened on it with no environment variable: its vintages, VGs, words and positions come
from the value passed in, while the configured district keeps its own in the same process.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from dashboard.build.district import resolve_target
from dashboard.build.geodata import build_geodata
from dashboard.config import Settings, environment, get_settings, settings_for
from dashboard.data.store import Store
from dashboard.domain.model import Facility
from dashboard.domain.roles import User
from dashboard.i18n.catalogue import t
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import StoreError, Workspace
from tests.unit.test_district import _synthetic_package

#: South-west corner of the made-up Kreis in EPSG:25832: near Trier (about 6.64 °E, 49.75 °N).
TRIER = (330_000, 5_513_000)
BERND = User("bernd", "district_editor")


@pytest.fixture(scope="module")
def kreis(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings serving the made-up Kreis, built into a temporary folder."""
    tmp = tmp_path_factory.mktemp("kreis")
    source = _synthetic_package(tmp / "vg250", *TRIER)
    target = resolve_target("07999", source, tmp / "cache", tmp / "out")
    build_geodata(source, target.geodata_dir, target.datasets_dir, tmp / "cache",
                  district=target.district)  # fmt: skip
    target.commit()
    settings = settings_for(target.district, environment())
    return dataclasses.replace(settings, store_path=tmp / "store.gpkg")


def _workspace(settings: Settings) -> Workspace:
    return Workspace(
        Store(settings.store_path, settings.datasets_dir), BERND, load_boundaries(settings)
    )


def test_the_service_runs_on_a_district_passed_in(kreis: Settings) -> None:
    ws = _workspace(kreis)
    view = ws.view()
    assert view.config.key == "07999" and view.current_vintage == 2016
    assert set(view.vg_names()) == {"079995001", "079995002", "079990004"}
    assert t("app.title", "de") == "Integrationsatlas Landkreis Testkreis"  # its words

    x0, y0, x1, y1 = view.district.outline.total_bounds
    assert x1 < 7.0  # west of where the shipped district's inputs used to clamp
    lat, lon = (y0 + y1) / 2, x0 + 0.004  # inside the first Gemeinde, near Trier
    stored = ws.apply_change(
        Facility(id="test-trier", name="Test Trier", category="Verein", source="Testdaten",
                 reference_date=dt.date(2026, 1, 1), lat=float(lat), lon=float(lon),
                 ags="07999001", precision="exact"), None,
    )  # fmt: skip
    located = ws.view().facilities().set_index("id").loc[stored.id]
    assert located["located_ags"] == "07999001" and located["vg_rs_2016"] == "079995001"
    assert not located["outside_district"]
    with pytest.raises(StoreError):  # a position outside the district is refused, not clamped
        ws.apply_change(stored.model_copy(update={"lat": 49.44, "lon": 7.76}), stored.version)


def test_the_configured_district_keeps_its_own(kreis: Settings) -> None:
    _workspace(kreis)  # binds the made-up Kreis's words in this thread
    home = Workspace(
        Store(kreis.store_path, kreis.datasets_dir), None, load_boundaries(get_settings())
    )
    assert home.view().current_vintage == 2019 and home.config.key == "07335"
    assert t("app.title", "de") == "Integrationsatlas Landkreis Kaiserslautern"
    assert kreis.district != get_settings().district and hash(kreis.district)


def test_settings_are_values(tmp_path: Path) -> None:
    one, two = get_settings(), get_settings()
    assert one == two and hash(one) == hash(two)  # one store, one set of boundaries per process
    assert load_boundaries(one) is load_boundaries(two)
