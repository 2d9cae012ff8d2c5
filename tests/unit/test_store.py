"""The store on both backends: seeding, GIS-readable, versions, history, all-or-nothing writes."""

from __future__ import annotations

import pyogrio
import pytest

from dashboard.data.store import Change, StaleVersionError, Store, StoreError
from tests.conftest import REPO


@pytest.fixture
def path(store_location):  # noqa: ANN001 - a GeoPackage file or a PostGIS URL
    return store_location


def test_seeded_from_shipped_datasets(path) -> None:
    store = Store(path, REPO / "datasets")
    facilities = store.facilities()
    assert len(facilities) == 29
    assert {f.precision for f in facilities} == {"gemeinde", "unknown"}
    assert len(store.projects()) == 3
    assert not store.indicators().empty
    assert store.history().empty


def test_opens_in_gdal_like_qgis(tmp_path) -> None:
    path = tmp_path / "store.gpkg"
    Store(path, REPO / "datasets")
    layers = dict(pyogrio.list_layers(path))
    assert layers["facilities"] == "Point" and "history" in layers
    gdf = pyogrio.read_dataframe(path, layer="facilities")
    assert gdf.crs.to_epsg() == 4326 and len(gdf) == 29
    assert gdf.geometry.notna().sum() == 28


def test_postgis_layer_like_qgis(pg_cluster) -> None:
    """On PostgreSQL the facilities are a PostGIS point layer in EPSG:4326 (QGIS lists it)."""
    store = Store(pg_cluster.new_database(), REPO / "datasets")
    with store.db.connection() as conn:
        row = conn.one(
            "SELECT f_table_schema, type, srid FROM geometry_columns"
            " WHERE f_table_name = 'facilities' AND f_geometry_column = 'geom'"
        )
        assert tuple(row) == ("integrationsatlas", "POINT", 4326)
        located = conn.one(
            "SELECT COUNT(*), COUNT(geom), MIN(ST_X(geom)), MAX(ST_Y(geom)) FROM facilities"
        )
    assert located[0] == 29 and located[1] == 28
    assert 7.0 < located[2] < 8.5 and 49.0 < located[3] < 50.0


def test_two_sessions_second_save_refused(path) -> None:
    alice, bob = Store(path, REPO / "datasets"), Store(path, REPO / "datasets")
    a = alice.facilities()[0]
    b = bob.facility(a.id)
    alice.update(a.model_copy(update={"operator": "Träger A"}), a.version, "alice", "korrigiert")
    with pytest.raises(StaleVersionError) as exc:
        bob.update(b.model_copy(update={"operator": "Träger B"}), b.version, "bob")
    assert "alice" in str(exc.value) and "neu laden" in str(exc.value)
    history = alice.history(a.id)
    assert len(history) == 1
    row = history.iloc[0]
    assert (row["author"], row["action"], row["comment"]) == ("alice", "change", "korrigiert")
    assert '"operator":""' in row["before"] and '"operator":"Träger A"' in row["after"]
    assert alice.facility(a.id).operator == "Träger A"


def test_apply_is_all_or_nothing(path) -> None:
    store = Store(path, REPO / "datasets")
    first, second = store.facilities()[:2]
    new = first.model_copy(update={"id": "test-neu", "name": "Test-Neu"})
    with pytest.raises(StaleVersionError):
        store.apply([Change(new), Change(second, second.version + 5)], "tester")
    assert store.facility("test-neu") is None and store.history().empty
    with pytest.raises(StoreError, match="schon vergeben"):
        store.apply([Change(new), Change(first)], "tester")
    assert store.facility("test-neu") is None


def test_close_is_recorded(path) -> None:
    store = Store(path, REPO / "datasets")
    f = store.facilities()[0]
    store.update(f.model_copy(update={"status": "closed"}), f.version, "tester", "aufgegeben")
    assert store.history(f.id).iloc[0]["action"] == "close"
    assert f.id not in {x.id for x in store.facilities(include_closed=False)}


def test_author_required(path) -> None:
    store = Store(path, REPO / "datasets")
    f = store.facilities()[0]
    with pytest.raises(StoreError, match="Autor"):
        store.update(f, f.version, " ")


def test_on_commit_runs_in_the_same_transaction(path) -> None:
    store = Store(path, REPO / "datasets")
    f = store.facilities()[0]

    def fail(conn) -> None:  # noqa: ANN001
        raise StoreError("decision failed")

    with pytest.raises(StoreError, match="decision failed"):
        store.apply(
            [Change(f.model_copy(update={"operator": "X"}), f.version)], "tester", on_commit=fail
        )
    assert store.facility(f.id).operator == "" and store.history().empty
