"""Export and re-import give the same records: ids, all fields, positions within 1 m."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.data.importer import default_geocoder
from dashboard.data.locate import located_facilities
from dashboard.data.store import Store
from dashboard.export.facilities import EXPORT_FORMATS, export_facilities
from tests.conftest import REPO, execute, plan_file

# Synthetic additions so every field is exercised (test data, not real facilities).
EXTRA = "\r\n".join(
    [
        "Name;Kategorie;Handlungsfeld;Träger;Straße;PLZ;Ort;Breitengrad;Längengrad;Genauigkeit;"
        "Sprachen;Zielgruppen;Kontakt;Plätze;Quelle;Stand;Geprüft am;Status;Bemerkung",
        "Test-Treff <b>Mitte</b>;Projektstandort;Soziales, Sprache;Test e.V.;Teststraße 5;66849;"
        "Landstuhl;49,4131;7,5703;Adresse;de, ar;Familien, Jugendliche;=1+1;25;Testliste;"
        "31.12.2024;15.01.2025;aktiv;Zeile mit allen Feldern",
    ]
)


@pytest.fixture
def store(tmp_path: Path, store_location: Path | str) -> Store:
    s = Store(store_location, REPO / "datasets")
    extra = tmp_path / "extra.csv"
    extra.write_bytes(EXTRA.encode("cp1252"))
    plan = plan_file(extra, s, default_geocoder(get_settings()))
    assert plan.count("add") == 1, plan.problems
    execute(plan, s, "tester")
    return s


@pytest.mark.parametrize(
    ("fmt", "lang"),
    [
        *((fmt, None) for fmt in EXPORT_FORMATS),
        *((f, g) for f in EXPORT_FORMATS for g in ("de", "en")),
    ],
)
def test_round_trip(
    fmt: str, lang: str | None, store: Store, tmp_path: Path, new_store_location
) -> None:
    settings = get_settings()
    before = store.facilities()
    out = tmp_path / f"export.{fmt}"
    export_facilities(located_facilities(before, settings), fmt, out, lang, vintage=2019)

    plan = plan_file(out, store, default_geocoder(settings))
    assert plan.count("invalid") == 0, plan.problems[:3]
    assert plan.count("unchanged") == len(before), [(r.row, r.diff) for r in plan.rows if r.diff]

    empty = tmp_path / "empty-datasets"
    shutil.copytree(REPO / "datasets", empty)
    header = (empty / "facilities.csv").read_text(encoding="utf-8").splitlines()[0]
    (empty / "facilities.csv").write_text(header + "\n", encoding="utf-8")
    fresh = Store(new_store_location(), empty)
    execute(plan_file(out, fresh, default_geocoder(settings)), fresh, "tester")
    after = {f.id: f for f in fresh.facilities()}
    assert set(after) == {f.id for f in before}
    for f in before:
        g = after[f.id]
        a, b = f.model_dump(exclude={"lat", "lon"}), g.model_dump(exclude={"lat", "lon"})
        assert a == b, (fmt, f.id, {k: (a[k], b[k]) for k in a if a[k] != b[k]})
        if f.lat is not None:
            dist = default_geocoder(settings).distance_m((f.lat, f.lon), (g.lat, g.lon))
            assert dist < 1.0
