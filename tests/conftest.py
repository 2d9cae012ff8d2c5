"""Shared fixtures: repository paths and tiny synthetic VG250 inputs (explicit CRS)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard.i18n.catalogue import clear_missing_keys, missing_keys, speak_for

REPO = Path(__file__).resolve().parent.parent
#: Immutable raw inputs of the data builds, inside the repository.
RAW = REPO / "raw"
REFERENCE = RAW / "reference"


@pytest.fixture(autouse=True)
def no_missing_messages():
    """Every test fails if the code asked the catalogue for a key it lacks.

    A missing key never breaks a page (it is logged and shown as the key); this makes the
    tests catch it, including keys built at run time and those of pages run by AppTest.
    """
    clear_missing_keys()
    speak_for(None)  # messages name the configured district unless a test's workspace binds one
    yield
    speak_for(None)
    missing = missing_keys()
    clear_missing_keys()
    assert not missing, f"messages missing in the catalogue: {sorted(missing)}"


#: Synthetic Gemeinden (test data, not real): three 1 km squares in a row and a
#: "city" square north of them, in EPSG:25832 around Kaiserslautern.
SYNTHETIC_AGS = ["07335001", "07335002", "07335003"]


@pytest.fixture
def synthetic_membership(tmp_path: Path) -> Path:
    """A datasets/ folder with a membership table for the three synthetic Gemeinden."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    pd.DataFrame(
        {
            "ags": SYNTHETIC_AGS,
            "name": ["Testdorf A", "Testdorf B", "Teststadt C"],
            "kind": ["Gemeinde", "Gemeinde", "Stadt"],
            "vg_2013": ["VG Eins", "VG Zwei", "VG Drei"],
            "vg_rs_2013": ["073355001", "073355002", "073355003"],
            "vg_2014": ["VG Eins", "VG Eins", "VG Drei"],
            "vg_rs_2014": ["073355001", "073355001", "073355003"],
            "vg_2019": ["VG Neu", "VG Neu", "VG Neu"],
            "vg_rs_2019": ["073355011", "073355011", "073355011"],
        }
    ).to_csv(folder / "gemeinden_vg_membership.csv", index=False)
    return folder


def synthetic_vg250(extra_columns: dict | None = None) -> gpd.GeoDataFrame:
    """Three adjacent 1 km² Gemeinden and a city square, VG250 attribute names, EPSG:25832."""
    x0, y0 = 410_000, 5_480_000
    geoms = [box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(3)]
    geoms.append(box(x0, y0 + 1000, x0 + 3000, y0 + 2000))
    data = {
        "RS": ["073355001001", "073355002002", "073355003003", "073120000000"],
        "AGS": SYNTHETIC_AGS + ["07312000"],
        "GEN": ["Testdorf A", "Testdorf B", "Teststadt C", "Kaiserslautern"],
        "BEZ": ["Gemeinde", "Gemeinde", "Stadt", "Stadt"],
        "GF": [4, 4, 4, 4],
    }
    data.update(extra_columns or {})
    return gpd.GeoDataFrame(data, geometry=geoms, crs="EPSG:25832")


@pytest.fixture
def synthetic_gpkg(tmp_path: Path) -> Path:
    """The synthetic Gemeinden written as an official-style VG250 GeoPackage."""
    path = tmp_path / "vg250_test.gpkg"
    synthetic_vg250().to_file(path, layer="vg250_gem", driver="GPKG")
    return path


@pytest.fixture(autouse=True, scope="session")
def _isolated_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never touch the developer's store (file, database or user file): each session
    gets its own file; the PostGIS tests make their own databases."""
    import os

    folder = tmp_path_factory.mktemp("store")
    os.environ["INTEGRATIONSATLAS_STORE"] = str(folder / "test.gpkg")
    os.environ["INTEGRATIONSATLAS_USERS"] = str(folder / "no-legacy-users.json")
    os.environ.pop("INTEGRATIONSATLAS_DATABASE_URL", None)


def shipped_populations():  # noqa: ANN201 - dashboard.analysis.population.Populations
    """Headline populations of the shipped indicators (as the service computes them)."""
    from dashboard.analysis.population import Populations

    values = pd.read_csv(
        REPO / "datasets" / "indicators.csv", dtype={"area_key": str}, keep_default_na=False
    )
    membership = pd.read_csv(
        REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str, keep_default_na=False
    )
    return Populations(values, membership, "07335")


def shipped_areas():  # noqa: ANN201 - dashboard.analysis.gaps.Areas
    """The analysis areas of the shipped district with the shipped headline populations
    (as :attr:`dashboard.services.context.DistrictContext.analysis` builds them)."""
    from dashboard.analysis.gaps import with_population
    from dashboard.config import get_settings
    from dashboard.services.context import load_boundaries

    return with_population(load_boundaries(get_settings()).analysis, shipped_populations())


def plan_file(path: Path, store, geocoder, defaults=None, mapping=None):  # noqa: ANN001, ANN201
    """Plan an import of a file against a store (data-layer tests)."""
    from dashboard.data.importer import plan_file as _plan_file

    return _plan_file(path, store.facilities(), geocoder, defaults, mapping)


def execute(plan, store, author: str, skip_invalid: bool = False, comment: str = "") -> int:  # noqa: ANN001
    """Write a plan to a store in one transaction (data-layer tests; the app uses the
    service's ``Workspace.import_plan``)."""
    from dashboard.data.importer import changes_of

    changes = changes_of(plan, skip_invalid=skip_invalid)
    return store.apply(changes, author, comment) if changes else 0


# -- the store on both backends -------------------------------------------------------------------
#: The store's backends; store, access, import and account tests run on each.
BACKENDS = ("sqlite", "postgis")
_backend_outcomes: dict[str, dict[str, int]] = {b: {} for b in BACKENDS}
_backend_skips: dict[str, set[str]] = {b: set() for b in BACKENDS}


@pytest.fixture(scope="session")
def pg_cluster():  # noqa: ANN201 - tests.pgcluster.Cluster
    """A throw-away PostgreSQL cluster with PostGIS for this test session (stopped after).

    Skips the PostGIS tests, with the reason, where no cluster can be had.
    """
    from tests import pgcluster

    reason = pgcluster.available()
    if reason:
        pytest.skip(f"PostGIS backend unavailable: {reason}")
    try:
        cluster = pgcluster.start()
    except Exception as exc:  # noqa: BLE001 - any failure becomes the skip reason
        pytest.skip(f"PostGIS backend unavailable: {exc}")
    yield cluster
    from dashboard.data import db

    for opened in list(db._open.values()):
        opened.close()
    cluster.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The store backend of this test (``sqlite`` or ``postgis``), recorded for the summary."""
    request.node.user_properties.append(("backend", request.param))
    return str(request.param)


@pytest.fixture
def new_store_location(backend: str, tmp_path: Path, request: pytest.FixtureRequest):  # noqa: ANN201
    """Makes fresh store locations of this test's backend: a file path or a database URL."""
    counter = iter(range(1, 1000))

    def make() -> Path | str:
        n = next(counter)
        if backend == "sqlite":
            return tmp_path / f"store{n}.gpkg"
        return request.getfixturevalue("pg_cluster").new_database()

    return make


@pytest.fixture
def store_location(new_store_location) -> Path | str:  # noqa: ANN001
    """A fresh store location of this test's backend."""
    return new_store_location()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    backend = dict(report.user_properties).get("backend")
    if backend not in _backend_outcomes:
        return
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        outcome = report.outcome
        counts = _backend_outcomes[backend]
        counts[outcome] = counts.get(outcome, 0) + 1
        if report.skipped and isinstance(report.longrepr, tuple):
            _backend_skips[backend].add(str(report.longrepr[2]))


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """One line per store backend: how many store/access/import tests ran on it."""
    if not any(_backend_outcomes.values()):
        return
    terminalreporter.section("store backends")
    for backend in BACKENDS:
        counts = _backend_outcomes[backend]
        text = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none run"
        terminalreporter.write_line(f"{backend}: {text}")
        for reason in sorted(_backend_skips[backend]):
            terminalreporter.write_line(f"  SKIPPED ({backend}): {reason}", yellow=True)
