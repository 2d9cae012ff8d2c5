"""Display helpers of the Versorgungsanalyse: map classes, matrix, what-if wiring."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.gaps import Thresholds, coverage_matrix
from dashboard.analysis.gapview import STATUS_COLORS, analyse, status_map
from dashboard.config import get_settings
from dashboard.data.locate import located_facilities
from dashboard.data.records import frame_to_facilities
from dashboard.render.gaps_text import matrix_tables
from dashboard.render.web.gapmap import legend_html
from tests.conftest import REPO, shipped_areas

WEILERBACH = "073355009"


@pytest.fixture(scope="module")
def located():
    df = pd.read_csv(REPO / "datasets" / "facilities.csv", dtype=str, keep_default_na=False)
    return located_facilities(frame_to_facilities(df), get_settings())


def test_status_classes_and_legend_fit_the_data() -> None:
    flags = pd.DataFrame(
        {
            "key": ["a", "b", "c", "d", "e"],
            "status": ["no_gap", "gap", "gap", "gap", "unknown"],
            "flagged": [False, True, True, True, False],
            "severity": [0.0, 0.5, 2.0, 3.3, 0.0],
            "per_1000": [1.0, 0.2, 0.0, 0.0, 0.0],
            "distance_km": [1.0, 2.0, 9.0, 12.0, 3.0],
        }
    )
    status = status_map(flags, ["a", "b", "c", "d", "e", "f"])
    assert [status.classes[k] for k in "abcdef"] == [
        "no_gap", "gap_low", "gap_high", "gap_high", "unknown", "no_data",
    ]  # fmt: skip
    # the legend's bounds are those found in the data: 2–3,3, never "3 – 11"
    assert status.ranges == {"gap_low": (0.5, 0.5), "gap_high": (2.0, 3.3)}
    html = legend_html(status, "de", planned=True, title="Kita")
    assert "Lücke: deutlich (Schweregrad 2–3,3) (2)" in html
    assert "unbekannt – keine bestätigte Liste (1)" in html
    assert "geplant, nicht gespeichert" in html and "11" not in html
    assert STATUS_COLORS["unknown"] not in {STATUS_COLORS[c] for c in ("gap_high", "gap_low")}


def test_what_if_changes_a_flag(located) -> None:
    areas = shipped_areas()
    th = Thresholds(max_distance_km=5, min_per_1000=0, radius_km=5)
    result = analyse(
        areas, located, "Kita", th, level="gemeinde", vintage=2019, include_outside=False
    )
    assert result.whatif is None and result.planned is None
    trippstadt = result.flags.set_index("key").loc["07335047"]
    assert bool(trippstadt["flagged"])  # no documented Kita near Trippstadt (all lists complete)
    planned = analyse(areas, located, "Kita", th, level="gemeinde", vintage=2019,
                      include_outside=False, planned=(49.358, 7.773, None))  # fmt: skip
    assert planned.whatif is not None and len(planned.planned) == 1
    assert not bool(planned.shown.set_index("key").loc["07335047", "flagged"])
    assert bool(planned.flags.set_index("key").loc["07335047", "flagged"])  # as it is
    changed = planned.whatif.flag_changes
    assert "07335047" in set(changed["key"])
    assert set(changed["status_before"]) == {"gap"} and set(changed["status_after"]) == {"no_gap"}
    # the planned facility is not an offer: it is not among the offers drawn
    assert "was-waere-wenn" not in set(planned.offers["id"])


def test_what_if_leaves_unknown_areas_unknown(located) -> None:
    areas = shipped_areas()
    th = Thresholds(max_distance_km=5, min_per_1000=0, radius_km=5)
    nothing = ListMarks.of(pd.DataFrame({"vg_key": [], "category": [], "complete": []}))
    planned = analyse(areas, located, "Kita", th, level="gemeinde", vintage=2019,
                      include_outside=False, planned=(49.358, 7.773, None), lists=nothing)  # fmt: skip
    assert planned.whatif is not None
    assert planned.whatif.flag_changes.empty  # no list is confirmed: nothing becomes a gap
    assert set(planned.shown["status"]) == {"unknown"}
    assert not planned.whatif.changes.empty  # the measures change all the same


def test_matrix_tables(located) -> None:
    matrix = coverage_matrix(shipped_areas(), located, (), 2019)
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


def test_matrix_says_unknown_where_no_list_is_confirmed(located) -> None:
    marks = ListMarks.of(
        pd.DataFrame({"vg_key": [WEILERBACH], "category": ["Gesundheit"], "complete": [True]})
    )
    matrix = coverage_matrix(shipped_areas(), located, (), 2019, lists=marks)
    cells = matrix.set_index(["vg", "handlungsfeld"])
    # Weilerbach's list of health offers is confirmed: an empty cell there means none
    assert cells.loc[("Weilerbach", "gesundheit"), "meaning"] == "none"
    # elsewhere no list is confirmed: an empty cell is unknown, shown as "?"
    assert cells.loc[("Landstuhl", "gesundheit"), "meaning"] == "unknown"
    table, meaning = matrix_tables(matrix, "de")
    assert table.loc["Landstuhl", "Gesundheit"] == "? / 0"
    assert table.loc["Weilerbach", "Gesundheit"] == "0 / 0"
    assert "nicht bestätigt (unbekannt)" in meaning.loc["Landstuhl", "Gesundheit"]
    # a cell with offers is never unknown
    assert table.loc["Weilerbach", "Kindertagesstätten und Schulen"] == "13 / 0"
