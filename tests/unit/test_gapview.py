"""Display helpers of the Versorgungsanalyse: severity colours, matrix, what-if wiring."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.gaps import Thresholds, coverage_matrix, load_areas
from dashboard.analysis.gapview import SEVERITY_COLORS, analyse, severity_choropleth
from dashboard.config import get_settings
from dashboard.data.locate import located_facilities
from dashboard.data.records import frame_to_facilities
from dashboard.render.gaps_text import matrix_tables
from tests.conftest import REPO


@pytest.fixture(scope="module")
def located():
    df = pd.read_csv(REPO / "datasets" / "facilities.csv", dtype=str, keep_default_na=False)
    return located_facilities(frame_to_facilities(df), get_settings())


def test_severity_classes() -> None:
    flags = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d"],
            "flagged": [False, True, True, True],
            "severity": [0.0, 0.5, 2.0, 9.0],
        }
    )
    ch = severity_choropleth(flags, ["a", "b", "c", "d", "e"], {"a": "2020-01-01"})
    assert [ch.classes[k] for k in "abcde"] == [0, 1, 2, 3, -1]
    assert ch.color("a") == SEVERITY_COLORS[0] and ch.color("d") == SEVERITY_COLORS[3]


def test_what_if_changes_a_flag(located) -> None:
    areas = load_areas()
    th = Thresholds(max_distance_km=5, min_per_1000=0, radius_km=5)
    before, _, none = analyse(
        areas, located, "Kita", th, level="gemeinde", vintage=2019, include_outside=False
    )
    assert none is None
    trippstadt = before.set_index("key").loc["07335047"]
    assert bool(trippstadt["flagged"])  # no documented Kita near Trippstadt
    after, shown, changes = analyse(areas, located, "Kita", th, level="gemeinde", vintage=2019,
                                    include_outside=False, planned=(49.358, 7.773, None),
                                    planned_name="Geplant")  # fmt: skip
    assert not bool(after.set_index("key").loc["07335047", "flagged"])
    assert "07335047" in set(changes["key"]) and "Geplant" in set(shown["name"])


def test_matrix_tables(located) -> None:
    matrix = coverage_matrix(load_areas(), located, (), 2019)
    table, meaning = matrix_tables(matrix, "de")
    assert table.shape == (6, 9)
    assert table.loc["Weilerbach", "Kindertagesstätten und Schulen"] == "13 / 0"
    assert (
        meaning.loc["Weilerbach", "Gesundheit"]
        == "Handlungsfeld Gesundheit: weder Angebot noch Projekt in VG Weilerbach"
    )
    cells = matrix.set_index(["vg", "handlungsfeld"])
    assert cells.loc[("Weilerbach", "gesundheit"), "meaning"] == "none"  # a code, words at the edge
    table_en, meaning_en = matrix_tables(matrix, "en")
    assert table_en.loc["Weilerbach", "Day-care centres and schools"] == "13 / 0"
    assert meaning_en.loc["Weilerbach", "Health"] == (
        "Health: neither offer nor project in VG Weilerbach"
    )
