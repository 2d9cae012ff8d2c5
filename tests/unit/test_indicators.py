"""Aggregation rules: counts summed, rates recomputed, oldest date kept, gaps stay gaps."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard.analysis.indicators import aggregate_to_vg, values_for
from dashboard.data.population import load_membership
from dashboard.data.store import Store
from tests.conftest import REPO

MEMBERSHIP = pd.DataFrame(
    {
        "ags": ["07335001", "07335002", "07335003"],
        "vg_rs_2019": ["073355011", "073355011", "073355012"],
        "vg_rs_2014": ["073355001", "073355002", "073355002"],
        "vg_rs_2013": ["073355001", "073355002", "073355003"],
    }
)


def _v(key: str, indicator: str, value: float, date: str) -> dict:
    return {"area_level": "gemeinde", "area_key": key, "area_name": "", "indicator": indicator,
            "value": value, "unit": "persons", "reference_date": date, "source": "Test", "note": ""}  # fmt: skip


def test_counts_sum_and_oldest_date() -> None:
    values = pd.DataFrame(
        [
            _v("07335001", "population", 100, "2020-12-31"),
            _v("07335002", "population", 300, "2018-12-31"),
            _v("07335003", "population", 50, "2020-12-31"),
        ]  # fmt: skip
    )
    agg = aggregate_to_vg(values, MEMBERSHIP, 2019, "population").set_index("area_key")
    assert agg.loc["073355011", "value"] == 400
    assert agg.loc["073355011", "reference_date"] == "2018-12-31"
    assert agg.loc["073355011", "dates_mixed"] and "älteste" in agg.loc["073355011", "note"]
    assert agg.loc["073355012", "value"] == 50 and not agg.loc["073355012", "dates_mixed"]


def test_rates_are_recomputed_not_averaged() -> None:
    values = pd.DataFrame(
        [
            _v("07335001", "population", 100, "2020-12-31"),
            _v("07335002", "population", 900, "2020-12-31"),
            _v("07335001", "foreign_population", 50, "2020-12-31"),
            _v("07335002", "foreign_population", 90, "2020-12-31"),
        ]  # fmt: skip
    )
    agg = aggregate_to_vg(values, MEMBERSHIP.iloc[:2], 2019, "foreign_population_share")
    # (50 + 90) / (100 + 900) = 14 %, not the mean of 50 % and 10 % (30 %)
    assert agg.set_index("area_key").loc["073355011", "value"] == pytest.approx(14.0)


def test_a_recomputed_share_names_both_dates_and_both_sources() -> None:
    """A share recomputed from numerator and denominator of different dates and sources says
    both: the oldest and the newest date, the sources of the numerator and the denominator."""
    values = pd.DataFrame(
        [
            _v("07335001", "population", 100, "2018-12-31") | {"source": "Einwohnerquelle"},
            _v("07335002", "population", 900, "2018-12-31") | {"source": "Einwohnerquelle"},
            _v("07335001", "foreign_population", 50, "2022-12-31") | {"source": "Zählerquelle"},
            _v("07335002", "foreign_population", 90, "2022-12-31") | {"source": "Zählerquelle"},
        ]  # fmt: skip
    )
    row = aggregate_to_vg(values, MEMBERSHIP.iloc[:2], 2019, "foreign_population_share")
    row = row.set_index("area_key").loc["073355011"]
    assert (row["reference_date"], row["date_newest"]) == ("2018-12-31", "2022-12-31")
    assert row["dates_mixed"]
    assert row["sources"] == "Einwohnerquelle; Zählerquelle"


def test_missing_part_is_no_data_not_zero() -> None:
    values = pd.DataFrame([_v("07335001", "population", 100, "2020-12-31")])
    agg = aggregate_to_vg(values, MEMBERSHIP, 2019, "population").set_index("area_key")
    assert (
        math.isnan(agg.loc["073355011", "value"]) and "keine Daten" in agg.loc["073355011", "note"]
    )


def test_shipped_values(tmp_path) -> None:
    store = Store(tmp_path / "s.gpkg", REPO / "datasets")
    values = store.indicators()
    membership = load_membership(REPO / "datasets")
    direct = values_for(values, membership, "refugees_ukraine", "vg", 2019)
    assert len(direct) == 6 and not direct["derived"].any()
    assert set(direct["reference_date"]) == {"2022-12-12"}
    derived = values_for(values, membership, "population", "vg", 2013)
    assert len(derived) == 9 and derived["derived"].all()
    assert (
        derived["value"].sum()
        == values[(values["area_level"] == "gemeinde") & (values["indicator"] == "population")][
            "value"
        ].sum()
    )
    assert values_for(values, membership, "refugees_ukraine", "vg", 2013).empty
