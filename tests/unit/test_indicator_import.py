"""Planners load indicator tables: a row report for 7 kinds of bad row, all or nothing,
``--skip-invalid`` writes exactly the good rows, history, aggregation across vintages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analysis.indicators import reaggregate
from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.indicator_loads import IndicatorLedger
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.render.collection_text import aggregation_lines, indicator_report
from dashboard.services import indicators
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import PermissionDenied, Workspace
from tests.conftest import REPO

MEMBERSHIP = pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
GEMEINDEN = sorted(MEMBERSHIP["ags"])
CLOCK = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

#: A table as a planner receives it (German Excel CSV: ``;``, BOM, decimal comma), with one
#: bad row of each kind after the good ones (each bad in one way only: the rows that are
#: no duplicate carry another date). Test data, not real figures.
BAD_ROWS = [
    ("07335999", "Kinder unter 6", "12", "31.12.2023", "Testquelle", "unknown_key"),
    ("073355005", "Kinder unter 6", "700", "31.12.2023", "Testquelle", "other_vintage"),
    (GEMEINDEN[0], "Kinder unter 6", "13", "31.12.2023", "Testquelle", "duplicate"),
    (GEMEINDEN[1], "Kinder unter 6", "zwölf", "31.12.2022", "Testquelle", "not_number"),
    (GEMEINDEN[2], "Kinder unter 6", "12", "", "Testquelle", "missing_date"),
    (GEMEINDEN[3], "Kinder unter 6", "12", "31.12.2022", "", "missing_source"),
    (GEMEINDEN[4], "Kinder unter 6", "12", "31.02.2023", "Testquelle", "bad_date"),
]


def good_value(i: int) -> int:
    return 10 + i  # Gemeinde number i (sorted by key) has 10 + i children under 6


def write_table(path: Path, bad: bool = True) -> Path:
    lines = ["Gemeindeschlüssel;Indikator;Wert;Einheit;Stand;Quelle;Gebietsstand"]
    for i, ags in enumerate(GEMEINDEN):
        lines.append(f"{ags};population_under_6;{good_value(i)};Personen;31.12.2023;Testquelle;")
    if bad:
        for key, _, value, date, source, _ in BAD_ROWS:
            lines.append(f"{key};population_under_6;{value};Personen;{date};{source};2019")
    path.write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
    return path


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    return Store(path, REPO / "datasets", clock=lambda: CLOCK)


def workspace(store: Store, role: str = "district_editor") -> Workspace:
    return Workspace(store, User(name="planer", role=role), load_boundaries(get_settings()))


def test_seven_kinds_of_bad_row_are_reported_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    path = write_table(tmp_path / "kinder.csv")
    ws = workspace(store)
    before, version = store.indicators(), store.data_version()
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    assert len(plan.valid) == 50 and plan.n_invalid == 7
    found = [(p.row, p.code) for p in plan.problems]
    assert found == [(f"Zeile {52 + i}", row[5]) for i, row in enumerate(BAD_ROWS)]
    other = next(p for p in plan.problems if p.code == "other_vintage")
    assert other.detail == "2013, 2014"  # the old VG Landstuhl
    report = indicator_report(plan, "de")
    assert report.iloc[2]["Problem"].startswith("doppelt: gleiches Gebiet")
    assert "Zeile 2" in report.iloc[2]["Problem"]  # names the row it repeats
    with pytest.raises(indicators.ImportRejected, match="7 fehlerhafte Zeile"):
        indicators.write_indicators(ws, plan, path.name, path.read_bytes())
    pd.testing.assert_frame_equal(store.indicators(), before)
    assert store.data_version() == version
    assert IndicatorLedger(store.db).loads().empty


def test_skip_invalid_writes_exactly_the_good_rows_with_history(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_table(tmp_path / "kinder.csv")
    assert main(["indicators", str(path), "--dry-run"]) == 1
    assert main(["indicators", str(path)]) == 1  # all or nothing
    assert store.indicators()["indicator"].eq("population_under_6").sum() == 0
    assert main(["indicators", str(path), "--skip-invalid"]) == 0
    out = capsys.readouterr().out
    assert "50 Werte geladen." in out
    values = store.indicators()
    loaded = values[values["indicator"] == "population_under_6"].set_index("area_key")
    assert len(loaded) == 50 and set(loaded["area_level"]) == {"gemeinde"}
    assert loaded["value"].to_dict() == {a: good_value(i) for i, a in enumerate(GEMEINDEN)}
    assert set(loaded["reference_date"]) == {"2023-12-31"}
    ledger = IndicatorLedger(store.db)
    loads = ledger.loads()
    assert len(loads) == 1 and loads.iloc[0]["rows_written"] == 50
    assert loads.iloc[0]["file_name"] == "kinder.csv"
    changes = ledger.changes(int(loads.iloc[0]["id"]))
    assert len(changes) == 50 and set(changes["action"]) == {"add"}
    # loading a corrected value again replaces it, recorded with its value before
    fixed = tmp_path / "korrektur.csv"
    fixed.write_text(f"Schlüssel;Wert\n{GEMEINDEN[0]};99\n", encoding="utf-8")
    assert main(["indicators", str(fixed), "--indicator", "population_under_6", "--unit",
                 "persons", "--reference-date", "31.12.2023", "--source", "Korrektur"]) == 0  # fmt: skip
    replaced = ledger.changes(int(ledger.loads().iloc[0]["id"]))
    assert replaced[["action", "value_before", "value_after"]].values.tolist() == [
        ["replace", good_value(0), 99.0]
    ]
    values = store.indicators()
    row = values[
        (values["indicator"] == "population_under_6") & (values["area_key"] == GEMEINDEN[0])
    ]
    assert row["value"].tolist() == [99.0] and row["source"].tolist() == ["Korrektur"]


def test_counts_reaggregate_to_every_vintage_exactly(store: Store, tmp_path: Path) -> None:
    path = write_table(tmp_path / "kinder.csv", bad=False)
    ws = workspace(store)
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    assert plan.n_invalid == 0
    indicators.write_indicators(ws, plan, path.name, path.read_bytes())
    result = indicators.aggregations(ws, ["population_under_6"])[0]
    assert result.kind == "count" and not result.refused
    value_of = {a: good_value(i) for i, a in enumerate(GEMEINDEN)}
    for vintage, n_vgs in ((2013, 9), (2014, 7), (2019, 6)):
        frame = result.by_vintage[vintage].set_index("area_key")
        assert len(frame) == n_vgs
        expected = MEMBERSHIP.groupby(f"vg_rs_{vintage}")["ags"].agg(
            lambda keys: sum(value_of[k] for k in keys)
        )
        assert frame["value"].to_dict() == expected.astype(float).to_dict()
    # Weilerbach 2019 by hand: its eight Gemeinden
    members = MEMBERSHIP[MEMBERSHIP["vg_rs_2019"] == "073355009"]["ags"]
    assert result.by_vintage[2019].set_index("area_key").loc["073355009", "value"] == sum(
        value_of[a] for a in members
    )
    lines = aggregation_lines([result], "de")
    assert lines[0].startswith("Kinder unter 6 Jahren: Anzahl, aus den Gemeinden summiert")
    # the analysis now uses the children as the Kitas' demand
    flags = ws.view().gaps_table("Kita", indicators_thresholds(), level="gemeinde", vintage=2019)
    assert set(flags["demand_indicator"]) == {"population_under_6"}
    assert not flags["demand_fallback"].any()


def indicators_thresholds():  # noqa: ANN201 - dashboard.analysis.gaps.Thresholds
    from dashboard.analysis.gaps import Thresholds

    return Thresholds()


def test_a_share_refuses_to_aggregate_with_a_reason(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "anteil.csv"
    lines = ["Schlüssel;Indikator;Wert;Einheit;Stand;Quelle"]
    lines += [f"{a};migrant_share;12,5;percent;2023;Testquelle" for a in GEMEINDEN]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = workspace(store)
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    assert plan.unknown_kinds == {"migrant_share"}  # the atlas asks what it is
    with pytest.raises(indicators.ImportRejected, match="Anzahl, ein Anteil oder eine Rate"):
        indicators.write_indicators(ws, plan, path.name, path.read_bytes())
    share = indicators.IndicatorDefaults(kind="share")
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name, share)
    assert plan.n_invalid == 0 and plan.valid[0].reference_date == "2023"
    indicators.write_indicators(ws, plan, path.name, path.read_bytes())
    result = reaggregate(store.indicators(), MEMBERSHIP, "migrant_share")
    assert result.kind == "share" and result.refused == "share_without_parts"
    assert result.by_vintage == {}
    line = aggregation_lines([result], "de")[0]
    assert "wird nicht summiert" in line and "Zähler und Nenner" in line
    # the shipped share has a numerator and denominator only per VG: refused as well
    shipped = reaggregate(store.indicators(), MEMBERSHIP, "foreign_population_share")
    assert shipped.refused == "share_without_parts"
    assert shipped.parts == ("foreign_population", "population")
    # a percentage above 100 is a bad row
    bad = tmp_path / "falsch.csv"
    bad.write_text(f"Schlüssel;Indikator;Wert;Einheit;Stand;Quelle\n{GEMEINDEN[0]};x;120;%;2023;Q\n",
                   encoding="utf-8")  # fmt: skip
    plan = indicators.plan_indicator_file(ws, bad.read_bytes(), bad.name, share)
    assert [p.code for p in plan.problems] == ["over_100"]


def test_xlsx_and_geojson_tables_and_rights(store: Store, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {"AGS": GEMEINDEN[:2], "Wert": [5, 6], "Stand": ["2022", "2022"], "Quelle": ["Q", "Q"]}
    )
    xlsx = tmp_path / "t.xlsx"
    frame.to_excel(xlsx, index=False)
    ws = workspace(store)
    defaults = indicators.IndicatorDefaults(indicator="population_6_to_9", unit="persons")
    plan = indicators.plan_indicator_file(ws, xlsx.read_bytes(), xlsx.name, defaults)
    assert [v.value for v in plan.valid] == [5, 6] and plan.n_invalid == 0
    geo = tmp_path / "t.geojson"
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None,
         "properties": {"schluessel": GEMEINDEN[0], "indikator": "population_6_to_9",
                        "wert": 7, "einheit": "persons", "stand": "2022", "quelle": "Q"}}]}),
        encoding="utf-8")  # fmt: skip
    plan = indicators.plan_indicator_file(ws, geo.read_bytes(), geo.name)
    assert [v.value for v in plan.valid] == [7]
    with pytest.raises(PermissionDenied):
        indicators.plan_indicator_file(workspace(store, "vg_editor"), xlsx.read_bytes(), "t.xlsx")
    with pytest.raises(indicators.ReadError, match="Dateityp nicht unterstützt; erwartet: .csv"):
        indicators.plan_indicator_file(ws, b"x", "t.pdf")


def test_a_table_beyond_the_row_bound_is_refused_in_the_users_language(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan's own row bound names the file, the rows found and the limit, in German
    and in English (no English-only detail inside a German message)."""
    from dashboard.data import indicator_table
    from dashboard.data.importer.readers import ReadError

    monkeypatch.setattr(indicator_table, "MAX_ROWS", 10)
    path = write_table(tmp_path / "kinder.csv", bad=False)
    with pytest.raises(ReadError) as caught:
        indicators.plan_indicator_file(workspace(store), path.read_bytes(), path.name)
    german, english = caught.value.message.text("de"), caught.value.message.text("en")
    assert german.startswith("kinder.csv: nicht als Indikatortabelle lesbar")
    assert f"{len(GEMEINDEN)} Datenzeilen, eine Indikatortabelle höchstens 10" in german
    assert "more than" not in german
    assert english.startswith("kinder.csv: not readable as an indicator table"), english
