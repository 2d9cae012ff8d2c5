"""Development over time, hand-computed on a fixture (test data, generated here): a count
and a share per VG at two dates, a VG lacking one date shown as "keine Daten", shares
recomputed from numerator and denominator and never summed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis.change import change, dates_of, series
from dashboard.render.change_text import change_choropleth, change_table
from tests.conftest import REPO

WEILERBACH, LANDSTUHL = "073355009", "073355011"
MEMBERSHIP = pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
IN_WEILERBACH = sorted(MEMBERSHIP.loc[MEMBERSHIP["vg_rs_2019"] == WEILERBACH, "ags"])
IN_LANDSTUHL = sorted(MEMBERSHIP.loc[MEMBERSHIP["vg_rs_2019"] == LANDSTUHL, "ags"])
VGS = sorted(set(MEMBERSHIP["vg_rs_2019"]))
OLD, NEW = "2019-12-31", "2023-12-31"


def _row(ags: str, indicator: str, value: float, date: str, unit: str = "persons") -> dict:
    return {"area_level": "gemeinde", "area_key": ags, "area_name": "", "indicator": indicator,
            "value": value, "unit": unit, "reference_date": date, "source": "Testdaten", "note": ""}  # fmt: skip


def _values() -> pd.DataFrame:
    """Weilerbach: every Gemeinde at both dates (population 1,000 each; at the newer date
    07335049 has 1,400; foreign population 100 each, at the newer date 300 there).
    Landstuhl: the older date only."""
    rows = []
    for ags in IN_WEILERBACH:
        rows.append(_row(ags, "population", 1000, OLD))
        rows.append(_row(ags, "population", 1400 if ags == "07335049" else 1000, NEW))
        rows.append(_row(ags, "foreign_population", 100, OLD))
        rows.append(_row(ags, "foreign_population", 300 if ags == "07335049" else 100, NEW))
    for ags in IN_LANDSTUHL:
        rows.append(_row(ags, "population", 2000, OLD))
        rows.append(_row(ags, "foreign_population", 50, OLD))
    return pd.DataFrame(rows)


def test_count_change_between_two_dates() -> None:
    assert len(IN_WEILERBACH) == 8 and len(IN_LANDSTUHL) == 12
    found = change(_values(), MEMBERSHIP, "population", "vg", 2019, VGS, OLD, NEW).set_index(
        "area_key"
    )
    w = found.loc[WEILERBACH]
    assert (w["value_from"], w["value_to"], w["absolute"]) == (8000.0, 8400.0, 400.0)
    assert w["relative"] == pytest.approx(0.05)
    assert found.loc[LANDSTUHL, "value_from"] == 24000.0  # summed: every Gemeinde has it
    assert math.isnan(found.loc[LANDSTUHL, "value_to"])  # no value of the newer date
    assert math.isnan(found.loc[LANDSTUHL, "absolute"])  # keine Daten, never 0
    assert found["absolute"].notna().sum() == 1


def test_share_change_is_recomputed_never_summed() -> None:
    found = change(
        _values(), MEMBERSHIP, "foreign_population_share", "vg", 2019, VGS, OLD, NEW
    ).set_index("area_key")
    w = found.loc[WEILERBACH]
    assert w["value_from"] == pytest.approx(10.0)  # 800 / 8,000
    assert w["value_to"] == pytest.approx(100 * 1000 / 8400)  # 11.905 %
    assert w["absolute"] == pytest.approx(100 * 1000 / 8400 - 10.0)  # percentage points
    assert math.isnan(found.loc[LANDSTUHL, "absolute"])
    # a share given per Gemeinde without numerator and denominator is never summed to a VG
    shares = pd.DataFrame(
        [_row(a, "foreign_population_share", 10.0, d, "percent") for a in IN_WEILERBACH for d in (OLD, NEW)]
    )  # fmt: skip
    refused = change(shares, MEMBERSHIP, "foreign_population_share", "vg", 2019, VGS, OLD, NEW)
    assert refused["absolute"].isna().all()


def test_change_map_and_table_name_both_dates_and_keine_daten() -> None:
    frame = change(_values(), MEMBERSHIP, "population", "vg", 2019, VGS, OLD, NEW)
    ch = change_choropleth(frame, "population", "count", OLD, NEW, ["Testdaten"], "de")
    assert ch.title == "Einwohner: Veränderung 31.12.2019 → 31.12.2023"
    assert ch.classes[LANDSTUHL] == -1 and ch.value_texts[LANDSTUHL] == "keine Daten"
    assert ch.classes[WEILERBACH] >= 0 and ch.value_texts[WEILERBACH] == "+400 (+5,0\u00a0%)"
    names = dict(zip(MEMBERSHIP["vg_rs_2019"], MEMBERSHIP["vg_2019"], strict=True))
    table = change_table(frame, names, "count", OLD, NEW, "de").set_index("Gebiet")
    assert list(table.columns) == [
        "Wert 31.12.2019", "Wert 31.12.2023", "Veränderung absolut", "Veränderung relativ",
    ]  # fmt: skip
    assert table.loc["Weilerbach"].tolist() == ["8.000", "8.400", "+400", "+5,0\u00a0%"]
    assert table.loc["Landstuhl"].tolist() == [
        "24.000",
        "keine Daten",
        "keine Daten",
        "keine Daten",
    ]
    share = change(_values(), MEMBERSHIP, "foreign_population_share", "vg", 2019, VGS, OLD, NEW)
    shown = change_table(share, names, "share", OLD, NEW, "en").set_index("Area")
    assert shown.loc["Weilerbach"].tolist() == [
        "10.0%",
        "11.9%",
        "+1.9 percentage points",
        "+19.0%",
    ]


def test_series_per_area_and_dates() -> None:
    values = _values()
    assert dates_of(values, "population") == [OLD, NEW]
    found = series(values, MEMBERSHIP, "population", "vg", 2019)
    assert found.loc[found["area_key"] == WEILERBACH, "value"].tolist() == [8000.0, 8400.0]
    assert found.loc[found["area_key"] == LANDSTUHL, "date"].tolist() == [OLD]
    gemeinde = series(values, MEMBERSHIP, "population", "gemeinde", 2019)
    assert len(gemeinde) == 8 * 2 + 12
