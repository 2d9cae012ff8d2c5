"""Honest gaps on the hand-computable synthetic district of ``test_gaps`` (test data).

Three 1 km squares A, B, C in a row (populations 1000, 2000, 3000; A and B in VG Nordtal,
C in VG Südhang) and the city of Kaiserslautern as the 3 km x 1 km rectangle north of them,
whose representative point is (X0 + 1500, Y0 + 1500). Kitas K1 at x = X0 + 800 (in A,
supply 1) and K2 at x = X0 + 2700 (in C, capacity 40), both on y = Y0 + 500.

* coverage: a gap only where the list is confirmed complete, elsewhere "unknown";
* demand by target group with a named fallback, and the city's residents as demand;
* distances to offers known only to their Gemeinde as a range, never an exact 0.
"""

from __future__ import annotations

import csv
import io
import math

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis import gaps
from dashboard.analysis.coverage import ListMarks, categories_of
from dashboard.analysis.demand import build_demand
from dashboard.analysis.gaps import Thresholds
from dashboard.export.gaps import csv_text
from dashboard.render import gaps_text
from tests.unit.test_gaps import AGS, POPULATION, VG1, VG2, X0, kita, synthetic_layers


@pytest.fixture(scope="module")
def layers():  # noqa: ANN201 - the synthetic layers of test_gaps
    return synthetic_layers()


@pytest.fixture(scope="module")
def areas(layers) -> gaps.Areas:
    gemeinden, city, membership = layers
    return gaps.make_areas(
        gemeinden, POPULATION, membership, city=city, district_key="07335",
        district_name="Testkreis",
    )  # fmt: skip


def place(layers, records):  # noqa: ANN001, ANN201
    from dashboard.data.locate import locate

    gemeinden, city, membership = layers
    return locate(records, gemeinden, city, membership)


@pytest.fixture(scope="module")
def two_kitas(layers):  # noqa: ANN201
    return place(layers, [kita("k1", X0 + 800), kita("k2", X0 + 2700, capacity=40)])


TH = Thresholds(max_distance_km=0.5, min_per_1000=0.5, radius_km=1.5)
CITY = "07312000"


def marks(*rows: tuple[str, str, bool]) -> ListMarks:
    vg, cat, ok = zip(*rows, strict=True) if rows else ((), (), ())
    return ListMarks.of(
        pd.DataFrame({"vg_key": vg, "category": cat, "complete": ok, "as_of": "2026-11"})
    )


# -- coverage --------------------------------------------------------------------------------
def test_no_confirmed_list_means_unknown_never_a_gap(areas, two_kitas) -> None:
    flags = gaps.gap_flags(
        gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, lists=marks()), TH
    )
    assert set(flags["status"]) == {"unknown"}
    assert not flags["flagged"].any() and flags["rank"].isna().all()
    assert set(flags["reason_codes"]) == {""} and set(flags["coverage"]) == {"unknown"}
    # the measures are there all the same
    assert flags.set_index("key")["distance_km"].to_dict() == pytest.approx(
        {AGS[0]: 0.3, AGS[1]: 0.7, AGS[2]: 0.2}
    )


def test_one_confirmed_vg_gets_gaps_the_others_stay_unknown(areas, two_kitas) -> None:
    lists = marks((VG1, "Kita", True))
    flags = gaps.gap_flags(gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, lists=lists), TH)
    by_key = flags.set_index("key")
    # by hand (test_gaps): B is 0.7 km from K1 (> 0.5) with 0 per 1,000 -> gap;
    # A has K1 at 0.3 km and 1 per 1,000 -> no gap; C (Südhang) would be a gap, but its
    # VG's list is not confirmed -> unknown
    assert by_key["status"].to_dict() == {AGS[0]: "no_gap", AGS[1]: "gap", AGS[2]: "unknown"}
    assert by_key.loc[AGS[1], "reason_codes"] == "far|few"
    assert by_key.loc[AGS[1], "severity"] == pytest.approx(1.4)
    assert by_key.loc[AGS[1], "list_as_of"] == "2026-11"
    assert flags["rank"].dropna().tolist() == [1]
    # a list marked "not complete" is no confirmation
    lists = marks((VG1, "Kita", False), (VG2, "Kita", True))
    flags = gaps.gap_flags(gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, lists=lists), TH)
    assert flags.set_index("key")["status"].to_dict() == {
        AGS[0]: "unknown", AGS[1]: "unknown", AGS[2]: "gap",
    }  # fmt: skip


def test_vg_and_district_rows_need_every_list(areas, two_kitas) -> None:
    lists = marks((VG1, "Kita", True))
    vg = gaps.gap_flags(
        gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, level="vg", lists=lists), TH
    ).set_index("key")
    assert vg.loc[VG1, "coverage"] == "complete" and vg.loc[VG1, "status"] == "gap"
    assert vg.loc[VG2, "coverage"] == "unknown" and vg.loc[VG2, "status"] == "unknown"
    district = gaps.gap_flags(
        gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, level="landkreis", lists=lists), TH
    )
    assert district["coverage"].item() == "partial" and district["status"].item() == "unknown"
    assert district["n_complete"].item() == 2


def test_a_handlungsfeld_needs_the_lists_of_all_its_categories(areas, two_kitas) -> None:
    assert categories_of("kita_schule") == ("Kita", "Schule")
    assert categories_of("arbeit_wirtschaft") == ()  # no list covers it: never complete
    only_kita = marks((VG1, "Kita", True))
    both = marks((VG1, "Kita", True), (VG1, "Schule", True))
    for lists, expected in ((only_kita, "unknown"), (both, "complete")):
        m = gaps.measures(areas, two_kitas, "kita_schule", radius_km=1.5, lists=lists)
        assert m.set_index("key").loc[AGS[0], "coverage"] == expected
    m = gaps.measures(areas, two_kitas, "arbeit_wirtschaft", lists=both)
    assert set(m["coverage"]) == {"unknown"}


def test_coverage_in_words_and_files(areas, two_kitas) -> None:
    lists = marks((VG1, "Kita", True))
    flags = gaps.gap_flags(gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, lists=lists), TH)
    lines = gaps_text.reason_groups(flags, "de")
    assert lines == [
        "1 Gemeinde: Nächste Kita weiter als 0,5 km entfernt und weniger als 0,5 Angebote je "
        "1.000 Einwohner (Testdorf B)",
        "1 Gemeinde: unbekannt – keine bestätigte Liste (Teststadt C)",
    ]
    table = gaps_text.file_table(flags, "de").set_index("Schlüssel")
    assert table["Einstufung"].to_dict() == {
        AGS[1]: "Lücke", AGS[0]: "keine Lücke", AGS[2]: "unbekannt – keine bestätigte Liste",
    }  # fmt: skip
    # "unbekannt" has no verdict and no severity: empty, never "nein" or 0
    assert table.loc[AGS[2], "Versorgungslücke"] is None
    assert pd.isna(table.loc[AGS[2], "Schweregrad"])
    assert table.loc[AGS[0], "Versorgungslücke"] is False and table.loc[AGS[0], "Schweregrad"] == 0
    text = csv_text(table.reset_index(), "de")
    rows = {r["Schlüssel"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    unknown = rows[AGS[2]]
    assert unknown["Versorgungslücke"] == "" and unknown["Schweregrad"] == ""


# -- demand ----------------------------------------------------------------------------------
def _indicators(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"area_level": lvl, "area_key": key, "indicator": ind, "value": value,
             "unit": "persons", "reference_date": date, "source": "Testdaten"}
            for lvl, key, ind, value, date in rows
        ],
        columns=["area_level", "area_key", "indicator", "value", "unit", "reference_date",
                 "source"],
    )  # fmt: skip


def _demand(values: pd.DataFrame, indicator: str = "population", border: bool = True):
    return build_demand(
        values, AGS, [1000, 2000, 3000], ["2023-12-31"] * 3, [CITY] if border else [],
        indicator=indicator, as_of="2024-06-30",
    )  # fmt: skip


def test_2sfca_counts_the_citys_residents_as_demand(areas, two_kitas) -> None:
    values = _indicators([("kreis", "07312", "population", 5000, "2018-12-31")])
    demand = _demand(values)
    assert demand.border.tolist() == [5000] and demand.border_basis == ("value",)
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, demand=demand)
    # The city's residents sit at (X0 + 1500, Y0 + 1500): 1.22 km from K1
    # (dx 0.7, dy 1.0) -> inside K1's 1.5 km catchment; 1.56 km from K2 (dx 1.2, dy 1.0)
    # -> outside. R1 = 1 / (1000 + 2000 + 5000) = 1/8000; R2 = 40 / (2000 + 3000) = 0.008.
    r1, r2 = 1 / 8000, 40 / 5000
    expected = [r1 * 1000, (r1 + r2) * 1000, r2 * 1000]  # 0.125, 8.125, 8.0
    assert m["access_2sfca_per_1000"].tolist() == pytest.approx(expected)
    assert m["border_demand"].tolist() == [5000.0] * 3
    # without it: 1/3000 -> 0.333 (test_gaps.test_classic_2sfca_by_hand)
    plain = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5)
    assert plain["access_2sfca_per_1000"].tolist() == pytest.approx([1 / 3, 1 / 3 + 8, 8])
    assert gaps_text.demand_note(m.assign(demand_date_newest=m["demand_date"]), "de").endswith(
        "ihr Bedarf (5.000 Einwohner) in der Erreichbarkeit (2SFCA) ebenso "
        "(Stand 31.12.2018; Quelle: Testdaten)."  # the city's figure with its date and source
    )
    english = gaps_text.demand_note(m.assign(demand_date_newest=m["demand_date"]), "en")
    assert english.endswith("(5,000 inhabitants) in the accessibility (2SFCA) (as of "
                            "2018-12-31; source: Testdaten)."), english  # fmt: skip
    # the files say the same: how much, found how, as of when, from where
    row = gaps_text.file_table(gaps.gap_flags(m, TH), "de").iloc[0]
    assert row["Bedarf jenseits der Kreisgrenze (2SFCA)"] == 5000
    assert row["Bedarf jenseits der Kreisgrenze ermittelt als"] == "eigener Wert"
    assert row["Stand des Bedarfs jenseits der Kreisgrenze"] == "31.12.2018"
    assert row["Quelle des Bedarfs jenseits der Kreisgrenze"] == "Testdaten"


def test_demand_by_target_group_and_named_fallback(areas, two_kitas) -> None:
    values = _indicators(
        [
            ("gemeinde", AGS[0], "population_under_6", 60, "2023-12-31"),
            ("gemeinde", AGS[1], "population_under_6", 100, "2023-12-31"),
            ("gemeinde", AGS[2], "population_under_6", 200, "2023-12-31"),
            ("gemeinde", AGS[2], "population_under_6", 150, "2015-12-31"),  # older: not used
            ("kreis", "07312", "population", 5000, "2018-12-31"),
        ]
    )
    demand = _demand(values, "population_under_6")
    assert demand.used == "population_under_6" and not demand.fallback
    assert demand.values.tolist() == [60, 100, 200]
    # the city has no such value: its population times the district's ratio 360 / 6000
    assert demand.border.tolist() == pytest.approx([5000 * 360 / 6000])
    assert demand.border_basis == ("estimated",)
    m = gaps.measures(areas, two_kitas, "Kita", demand=demand)
    assert m["per_1000"].tolist() == pytest.approx([1 / 60 * 1000, 0.0, 1 / 200 * 1000])
    assert set(m["demand_indicator"]) == {"population_under_6"}
    note = gaps_text.demand_note(m.assign(demand_date_newest=m["demand_date"]), "de")
    assert note.endswith(  # the estimate names the population it starts from
        "ihr Bedarf (300 Kinder unter 6 Jahren) ist aus ihrer Einwohnerzahl (Stand 31.12.2018; "
        "Quelle: Testdaten) und dem Anteil im Landkreis geschätzt."
    ), note
    flags = gaps.gap_flags(
        gaps.measures(areas, two_kitas, "Kita", demand=demand, radius_km=1.5), TH
    )
    assert "je 1.000 Kinder unter 6 Jahren" in " ".join(gaps_text.reasons(flags, "de"))
    # one Gemeinde without a value: the whole analysis falls back to all inhabitants, and says so
    partial = _demand(values[values["area_key"] != AGS[1]], "population_under_6")
    assert partial.fallback and partial.used == "population" and partial.missing == 1
    assert partial.values.tolist() == [1000, 2000, 3000]
    m = gaps.measures(areas, two_kitas, "Kita", demand=partial)
    note = gaps_text.demand_note(m, "de")
    assert "Für 1 Gemeinde fehlt ein Wert „Kinder unter 6 Jahren“" in note
    assert note.startswith("Bedarf: Einwohner")


def test_no_population_for_the_city_is_said(areas, two_kitas) -> None:
    demand = _demand(_indicators([]))
    assert demand.border.tolist() == [0.0] and demand.border_basis == ("none",)
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, demand=demand)
    assert "keine Einwohnerzahl hinterlegt" in gaps_text.demand_note(m, "de")


# -- positions -------------------------------------------------------------------------------
def test_an_offer_known_only_to_its_gemeinde_is_a_range_never_zero(layers, areas) -> None:
    # a Kita "somewhere in A", drawn at A's representative point (its centre)
    approx = place(layers, [kita("ka", X0 + 500, precision="gemeinde")])
    m = gaps.measures(areas, approx, "Kita").set_index("key")
    # A: point distance 0, but the Kita may be anywhere in the 1 km square: 0 to the
    # farthest corner, sqrt(0.5² + 0.5²) = 0.7071 km
    assert m.loc[AGS[0], "distance_km_low"] == pytest.approx(0.0, abs=1e-9)
    assert m.loc[AGS[0], "distance_km_high"] == pytest.approx(math.hypot(0.5, 0.5))
    assert bool(m.loc[AGS[0], "distance_approx"])
    # B (centre X0 + 1500): the square A is 0.5 km away, its far corners sqrt(1.5² + 0.5²)
    assert m.loc[AGS[1], "distance_km_low"] == pytest.approx(0.5)
    assert m.loc[AGS[1], "distance_km_high"] == pytest.approx(math.hypot(1.5, 0.5))
    text = gaps_text.distance_text(m.loc[AGS[0]], "de")
    assert text == "0–0,7 km (Lage ungefähr)" and text != "0 km"
    # an exact position is a single value
    exact = gaps.measures(areas, place(layers, [kita("kx", X0 + 800)]), "Kita").set_index("key")
    assert not exact["distance_approx"].any()
    assert np.allclose(exact["distance_km_low"], exact["distance_km_high"])
    assert gaps_text.distance_text(exact.loc[AGS[0]], "de") == "0,3 km"


# -- offers still to be confirmed ------------------------------------------------------------
def test_unconfirmed_offers_count_only_when_asked(layers, areas) -> None:
    records = [kita("k1", X0 + 800), kita("k9", X0 + 1500, unconfirmed=True)]
    located = place(layers, records)
    m = gaps.measures(areas, located, "Kita")
    assert m["offers"].tolist() == [1, 0, 0]
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.7, 1.7])
    m = gaps.measures(areas, located, "Kita", include_unconfirmed=True)
    assert m["offers"].tolist() == [1, 1, 0]
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.0, 1.0])
    cm = gaps.coverage_matrix(areas, located, [], 2019).set_index(["vg_rs", "handlungsfeld"])
    assert cm.loc[(VG1, "kita_schule"), "offers"] == 1


def test_shipped_otterbach_language_access_with_the_citys_demand() -> None:
    """The issue's figure: at 10 km, Otterbach's access to language courses is 0.0355 per
    1,000 without the city's 99,845 residents and 0.0078 with them."""
    from dashboard.config import REPO_ROOT, get_settings
    from dashboard.data.locate import located_facilities
    from dashboard.data.records import frame_to_facilities
    from tests.conftest import shipped_areas

    settings = get_settings()
    shipped = shipped_areas()
    facilities = pd.read_csv(REPO_ROOT / "datasets" / "facilities.csv", dtype=str,
                             keep_default_na=False)  # fmt: skip
    located = located_facilities(frame_to_facilities(facilities), settings)
    values = pd.read_csv(REPO_ROOT / "datasets" / "indicators.csv", dtype={"area_key": str},
                         keep_default_na=False)  # fmt: skip
    table = shipped.table
    demand = build_demand(
        values, list(table.index), table["population"].tolist(),
        table["population_date"].tolist(), list(shipped.border.index), indicator="population",
    )  # fmt: skip
    assert demand.border.tolist() == [99845.0]
    otterbach = "07335034"
    assert table.loc[otterbach, "name"] == "Otterbach"
    without = gaps.measures(shipped, located, "sprache", radius_km=10).set_index("key")
    with_city = gaps.measures(shipped, located, "sprache", radius_km=10, demand=demand)
    with_city = with_city.set_index("key")
    assert round(without.loc[otterbach, "access_2sfca_per_1000"], 4) == 0.0355
    assert round(with_city.loc[otterbach, "access_2sfca_per_1000"], 4) == 0.0078


# -- uncertainty: one statement, the same everywhere -------------------------------------------
@pytest.fixture(scope="module")
def shipped_kitas():  # noqa: ANN201 - the shipped areas and offers
    from dashboard.config import REPO_ROOT, get_settings
    from dashboard.data.locate import located_facilities
    from dashboard.data.records import frame_to_facilities
    from tests.conftest import shipped_areas

    facilities = pd.read_csv(REPO_ROOT / "datasets" / "facilities.csv", dtype=str,
                             keep_default_na=False)  # fmt: skip
    return shipped_areas(), located_facilities(frame_to_facilities(facilities), get_settings())


def test_katzweilers_share_within_5_km_is_a_range_and_uncertain(shipped_kitas) -> None:
    """The issue's case: Katzweiler's nearest Kita is 1.7–5.4 km away (placed only in its
    Gemeinde), Kindsbach's 2.0–8.7 km: neither counts fully nor not at all within 5 km."""
    areas, located = shipped_kitas
    th = Thresholds(max_distance_km=5, min_per_1000=0, radius_km=5)  # the distance alone
    flags = gaps.gap_flags(gaps.measures(areas, located, "Kita", radius_km=5), th)
    by_name = flags.set_index("name")
    for name, low, high in (("Katzweiler", 1.7, 5.4), ("Kindsbach", 2.0, 8.7)):
        row = by_name.loc[name]
        assert (round(row["distance_km_low"], 1), round(row["distance_km_high"], 1)) == (low, high)
        assert np.isnan(row["distance_km"])  # no made-up point distance
        assert (row["share_covered_low"], row["share_covered_high"]) == (0.0, 1.0)
        assert np.isnan(row["share_covered"])
        assert row["status"] == "uncertain" and row["reason_codes"] == "far_uncertain"
        assert pd.isna(row["flagged"]) and np.isnan(row["severity"]) and pd.isna(row["rank"])
    # the same statement in the page's table, the file and the what-if's words
    shown = gaps_text.display_table(flags, "de").set_index("Name")
    assert shown.loc["Katzweiler", "Anteil der Einwohner im Radius"] == (
        "0\u00a0% bis 100\u00a0% (unsicher)"
    )
    assert shown.loc["Katzweiler", "Nächstes Angebot"] == "1,7–5,4 km (Lage ungefähr)"
    assert shown.loc["Katzweiler", "Einstufung"] == "unsicher – Angebot nur ungefähr verortet"
    assert shown.loc["Katzweiler", "Schweregrad"] == ""
    file = gaps_text.file_table(flags, "de").set_index("Name")
    assert file.loc["Katzweiler", "Versorgungslücke"] is None  # no verdict: an empty cell
    assert np.isnan(file.loc["Katzweiler", "Anteil der Einwohner im Radius"])
    assert file.loc["Katzweiler", "Anteil im Radius mindestens"] == 0.0
    assert file.loc["Katzweiler", "Anteil im Radius höchstens"] == 1.0
    reason = gaps_text.reasons(flags[flags["name"] == "Katzweiler"], "de")[0]
    assert reason == (
        "Nächste Kita 1,7–5,4 km entfernt: unsicher, ob innerhalb der Schwelle von 5 km "
        "(Lage ungefähr)"
    )
    # how many Gemeinden the 5 km are uncertain for (the count): Kita 9
    assert int(flags["share_covered"].isna().sum()) == 9


@pytest.mark.parametrize(("selector", "n"), [("Schule", 24), ("Sprachkurs", 36)])
def test_uncertain_shares_of_schools_and_courses(shipped_kitas, selector: str, n: int) -> None:
    areas, located = shipped_kitas
    m = gaps.measures(areas, located, selector, radius_km=5)
    uncertain = m["share_covered"].isna()
    assert int(uncertain.sum()) == n
    assert (m.loc[uncertain, "share_covered_low"] < m.loc[uncertain, "share_covered_high"]).all()


def test_no_exact_zero_for_an_approximate_position(shipped_kitas) -> None:
    """An offer placed only in its Gemeinde is somewhere in it: no column says 0 km."""
    areas, located = shipped_kitas
    for level in ("gemeinde", "vg"):
        m = gaps.measures(areas, located, None, level=level)
        approx = m["distance_approx"]
        assert approx.any() and m.loc[approx, "distance_km"].isna().all()
        assert not (m["distance_km"] == 0).any()
        file = gaps_text.file_table(gaps.gap_flags(m, Thresholds()), "de")
        assert not (file["Entfernung genau (km, leer bei ungefährer Lage)"] == 0).any()


def test_no_unknown_row_carries_a_verdict(shipped_kitas) -> None:
    """Without a confirmed list every row is "unbekannt": no verdict, no severity, in the
    flags, the page's table, the files (CSV cells empty) and the what-if table."""
    areas, located = shipped_kitas
    nothing = marks()
    for level in ("gemeinde", "vg", "landkreis"):
        flags = gaps.gap_flags(
            gaps.measures(areas, located, "Kita", level=level, lists=nothing), Thresholds()
        )
        assert set(flags["status"]) == {"unknown"}
        assert flags["flagged"].isna().all() and flags["severity"].isna().all()
        shown = gaps_text.display_table(flags, "de")
        assert set(shown["Schweregrad"]) == {""} and set(shown["Rang"]) == {""}
        text = csv_text(gaps_text.file_table(flags, "de"), "de")
        for row in csv.DictReader(io.StringIO(text), delimiter=";"):
            assert row["Versorgungslücke"] == "" and row["Schweregrad"] == ""
            assert row["Rang"] == "" and row["Begründung"] == ""
