"""The import page's rules: a list without a "last verified" column is verified at its
date; cells corrected on the page are checked like the file's own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.data.importer import Defaults, default_geocoder
from dashboard.data.store import Store
from dashboard.services.importing import read_path
from tests.conftest import REPO, plan_file

LIST = "Einrichtung;Art;PLZ;Ort\r\nE2E-Treff;Verein;67685;Weilerbach\r\nE2E-Zirkus;Zirkus;66849;Landstuhl\r\n"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.gpkg", REPO / "datasets")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_new_offers_of_a_list_count_as_verified_at_its_date(store: Store, tmp_path: Path) -> None:
    geo = default_geocoder(get_settings())
    defaults = Defaults(source="Liste VG Weilerbach", reference_date="2026-03-31")
    plan = plan_file(_write(tmp_path, LIST), store, geo, defaults)
    [row] = plan.valid
    assert row.facility is not None
    assert row.facility.reference_date == "2026-03-31"
    assert row.facility.last_verified == dt.date(2026, 3, 31)


def test_a_stated_last_verified_column_is_kept_even_empty(store: Store, tmp_path: Path) -> None:
    geo = default_geocoder(get_settings())
    text = "Name;Kategorie;PLZ;Ort;Stand;Quelle;Zuletzt geprüft\r\nE2E-Treff;Verein;67685;Weilerbach;01.01.2026;Test;\r\n"
    plan = plan_file(_write(tmp_path, text), store, geo)
    [row] = plan.valid
    assert row.facility is not None and row.facility.last_verified is None


def test_corrected_cells_are_checked_again(store: Store, tmp_path: Path) -> None:
    geo = default_geocoder(get_settings())
    upload = read_path(_write(tmp_path, LIST))
    mapping = upload.proposed_mapping()
    defaults = Defaults(source="Test", reference_date="2026-03-31")
    from dashboard.data.importer import plan_import

    before = plan_import(upload.raw, mapping, geo, store.facilities(), defaults)
    assert [r.status for r in before.rows] == ["add", "invalid"]
    fixed = upload.corrected({1: {"Art": "Beratungsstelle"}})
    after = plan_import(fixed.raw, mapping, geo, store.facilities(), defaults)
    assert [r.status for r in after.rows] == ["add", "add"]
    assert upload.raw.frame.loc[1, "Art"] == "Zirkus"  # the file as read stays as it was
    with pytest.raises(ValueError, match="column"):
        upload.corrected({0: {"Unbekannt": "x"}})
    with pytest.raises(ValueError, match="row 5"):
        upload.corrected({5: {"Art": "Kita"}})


def test_the_preview_names_rows_in_the_pages_language(store: Store, tmp_path: Path) -> None:
    from dashboard.render.tables import import_preview_table

    geo = default_geocoder(get_settings())
    defaults = Defaults(source="Test", reference_date="2026-03-31")
    plan = plan_file(_write(tmp_path, LIST), store, geo, defaults)
    english = import_preview_table(plan, "en")
    german = import_preview_table(plan, "de")
    assert list(english.iloc[:, 0]) == ["line 2"]
    assert list(german.iloc[:, 0]) == ["Zeile 2"]
