"""Rates with matching dates: a per-1,000 figure divides by the population nearest in date
to its count and names both dates (legend and table)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.classify import build_choropleth
from dashboard.render.rates import rate_dates
from dashboard.render.web.atlas import choropleth_table

AGS = ["07335001", "07335002"]
MEMBERSHIP = pd.DataFrame(
    {
        "ags": AGS,
        **{f"vg_{v}": ["VG Test"] * 2 for v in (2013, 2014, 2019)},
        **{f"vg_rs_{v}": ["073355001"] * 2 for v in (2013, 2014, 2019)},
    }
)


def values() -> pd.DataFrame:
    """Test data: populations of three dates, a count of 12.12.2022."""
    rows = []
    for key, pops in zip(AGS, ([900, 1000, 1500], [1800, 2000, 3000]), strict=True):
        for date, pop in zip(("2021-12-31", "2022-12-31", "2024-06-30"), pops, strict=True):
            rows.append(("gemeinde", key, "population", pop, date))
        rows.append(("gemeinde", key, "refugees_ukraine", 10, "2022-12-12"))
    return pd.DataFrame(
        [{"area_level": a, "area_key": k, "indicator": i, "value": v, "unit": "persons",
          "reference_date": d, "source": "Testdaten", "note": ""} for a, k, i, v, d in rows]
    )  # fmt: skip


def test_the_population_nearest_in_date_divides_and_both_dates_are_named() -> None:
    ch = build_choropleth(values(), MEMBERSHIP, AGS, "refugees_ukraine", "gemeinde", 2019,
                          per_1000=True)  # fmt: skip
    # 10 refugees (12.12.2022) per 1,000 of the population of 31.12.2022 (19 days apart),
    # not of the newest (30.06.2024) nor the one a year before
    assert ch.values == pytest.approx({AGS[0]: 10 / 1000 * 1000, AGS[1]: 10 / 2000 * 1000})
    assert ch.numerator_date == "2022-12-12" and ch.denominator_date == "2022-12-31"
    assert set(ch.denominator_dates.values()) == {"2022-12-31"}
    assert rate_dates(ch, "de") == (
        "Zähler: Stand 12.12.2022; Einwohner (Nenner, dem Datum nächstgelegen): Stand 31.12.2022"
    )
    table = choropleth_table(ch, AGS, ["A", "B"], "de")
    assert table["Einwohner: Stand"].tolist() == ["31.12.2022", "31.12.2022"]
    # a count alone names no denominator
    plain = build_choropleth(values(), MEMBERSHIP, AGS, "refugees_ukraine", "gemeinde", 2019)
    assert rate_dates(plain, "de") == "" and "Einwohner: Stand" not in choropleth_table(
        plain, AGS, ["A", "B"], "de"
    )


def test_a_vg_rate_sums_the_gemeinden_nearest_in_date() -> None:
    ch = build_choropleth(values(), MEMBERSHIP, ["073355001"], "refugees_ukraine", "vg", 2019,
                          per_1000=True)  # fmt: skip
    assert ch.values["073355001"] == pytest.approx(20 / 3000 * 1000)
    assert ch.denominator_date == "2022-12-31"
