"""A 1,000-row CSV as German offices export it: every row gets the right Gemeinde and VG."""

from __future__ import annotations

from pathlib import Path

from benchmarks.synthetic import SYNTHETIC_PREFIX, german_office_csv, random_points_in
from dashboard.config import get_settings
from dashboard.data.boundaries import load_layer
from dashboard.data.importer import default_geocoder
from dashboard.data.locate import located_facilities
from dashboard.data.population import load_membership
from dashboard.data.store import Store
from tests.conftest import REPO, execute, plan_file


def test_thousand_rows_windows_1252(tmp_path: Path, store_location: Path | str) -> None:
    settings = get_settings()
    gemeinden = load_layer(settings.geodata_dir, "gemeinden")
    points = random_points_in(gemeinden, 1000, seed=7)
    path = tmp_path / "liste.csv"
    path.write_bytes(german_office_csv(points, seed=7))
    store = Store(store_location, REPO / "datasets")
    plan = plan_file(path, store, default_geocoder(settings))
    assert plan.count("add") == 1000, plan.problems[:5]
    assert execute(plan, store, "bench") == 1000
    imported = [f for f in store.facilities() if f.name.startswith(SYNTHETIC_PREFIX)]
    located = located_facilities(imported, settings).sort_values("name")
    expected = points.reset_index(drop=True)
    assert list(located["located_ags"]) == list(expected["ags"])
    assert list(located["ags"]) == list(expected["ags"])
    membership = load_membership(settings.datasets_dir).set_index("ags")
    assert list(located["vg_rs_2019"]) == list(membership.loc[expected["ags"], "vg_rs_2019"])
    assert located.iloc[0]["operator"] == "Träger Ä1"
