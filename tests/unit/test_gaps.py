"""Versorgungsanalyse (dashboard.analysis.gaps) on a hand-computable synthetic district.

Test data (not real): three adjacent 1 km x 1 km Gemeinden in a row, built in
EPSG:25832 and converted to EPSG:4326, and the city of Kaiserslautern as a square north
of them. Gemeinde centres (representative points) lie on the line y = Y0 + 500::

    A 07335001  x 410000-411000  centre x = 410500  population 1000  VG Nordtal (2019)
    B 07335002  x 411000-412000  centre x = 411500  population 2000  VG Nordtal (2019)
    C 07335003  x 412000-413000  centre x = 412500  population 3000  VG Südhang (2019)

Two Kitas on the same line: K1 at x = 410800 (in A, capacity unknown -> supply 1) and
K2 at x = 412700 (in C, capacity 40). Distances in km::

          A     B     C
    K1   0.3   0.7   1.7
    K2   2.2   1.2   0.2

In 2013 all three Gemeinden belong to one VG (Altkreis).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
from pyproj import Transformer
from shapely.geometry import box

from dashboard.analysis import gaps
from dashboard.analysis.gaps import Thresholds
from dashboard.config import REPO_ROOT, get_settings
from dashboard.data.locate import locate, located_facilities
from dashboard.data.records import frame_to_facilities
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, Facility, Project
from dashboard.export.gaps import write_gaps
from dashboard.render import gaps_text
from tests.conftest import shipped_areas, shipped_populations

X0, Y0 = 410_000.0, 5_480_000.0
YC = Y0 + 500
AGS = ["07335001", "07335002", "07335003"]
NAMES = ["Testdorf A", "Testdorf B", "Teststadt C"]
POPULATION = pd.Series([1000, 2000, 3000], index=AGS)
VG1, VG2 = "073355001", "073355002"

_TO_WGS84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


def latlon(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS84.transform(x, y)
    return lat, lon


def kita(fid: str, x: float, y: float = YC, **kwargs: object) -> Facility:
    lat, lon = latlon(x, y)
    data = {
        "id": fid,
        "name": f"Test-Kita {fid}",
        "category": "Kita",
        "handlungsfelder": ["kita_schule"],
        "lat": lat,
        "lon": lon,
        "precision": "exact",
        "source": "Testdaten",
        "reference_date": dt.date(2024, 1, 1),
    }
    data.update(kwargs)
    return Facility(**data)


@pytest.fixture(scope="module")
def layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    return synthetic_layers()


def synthetic_layers() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame, pd.DataFrame]:
    """The three Gemeinden, the city and their membership (see the module docstring)."""
    squares = [box(X0 + i * 1000, Y0, X0 + (i + 1) * 1000, Y0 + 1000) for i in range(3)]
    gemeinden = gpd.GeoDataFrame(
        {"ags": AGS, "name": NAMES}, geometry=squares, crs="EPSG:25832"
    ).to_crs("EPSG:4326")
    city = gpd.GeoDataFrame(
        {"ags": ["07312000"], "name": ["Kaiserslautern"]},
        geometry=[box(X0, Y0 + 1000, X0 + 3000, Y0 + 2000)],
        crs="EPSG:25832",
    ).to_crs("EPSG:4326")
    membership = pd.DataFrame(
        {
            "ags": AGS,
            "name": NAMES,
            "vg_2013": ["Altkreis"] * 3,
            "vg_rs_2013": ["073355000"] * 3,
            "vg_2014": ["Nordtal", "Nordtal", "Südhang"],
            "vg_rs_2014": [VG1, VG1, VG2],
            "vg_2019": ["Nordtal", "Nordtal", "Südhang"],
            "vg_rs_2019": [VG1, VG1, VG2],
        }
    )
    return gemeinden, city, membership


@pytest.fixture(scope="module")
def areas(layers) -> gaps.Areas:
    gemeinden, city, membership = layers
    return gaps.make_areas(
        gemeinden, POPULATION, membership, city=city, district_key="07335",
        district_name="Testkreis",
    )  # fmt: skip


def place(layers, records: list[Facility]) -> gpd.GeoDataFrame:
    gemeinden, city, membership = layers
    return locate(records, gemeinden, city, membership)


@pytest.fixture(scope="module")
def two_kitas(layers) -> gpd.GeoDataFrame:
    return place(layers, [kita("k1", X0 + 800), kita("k2", X0 + 2700, capacity=40)])


def by_key(frame: pd.DataFrame, column: str) -> dict[str, float]:
    return dict(zip(frame["key"], frame[column], strict=True))


# -- the measures ----------------------------------------------------------------------------
def test_fixture_centres_are_the_square_centres(areas) -> None:
    assert areas.table.index.tolist() == AGS
    assert areas.table["x"].tolist() == pytest.approx([X0 + 500, X0 + 1500, X0 + 2500])
    assert areas.table["y"].tolist() == pytest.approx([YC] * 3)


def test_counts_and_per_1000(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita")
    assert by_key(m, "offers") == {AGS[0]: 1, AGS[1]: 0, AGS[2]: 1}
    # 1 / 1000, 0 / 2000, 1 / 3000 inhabitants, times 1,000
    assert m["per_1000"].tolist() == pytest.approx([1.0, 0.0, 1 / 3])
    # the Handlungsfeld of both Kitas gives the same counts; another category none
    assert gaps.measures(areas, two_kitas, "kita_schule")["offers"].tolist() == [1, 0, 1]
    assert gaps.measures(areas, two_kitas, "Schule")["offers"].tolist() == [0, 0, 0]


def test_nearest_distance_km(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita")
    # A: K1 0.3; B: K1 0.7 (K2 1.2); C: K2 0.2
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.7, 0.2])


def test_population_share_within_radius(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=0.5)
    # A (0.3) and C (0.2) are within 0.5 km, B (0.7) is not
    assert m["population_covered_low"].tolist() == [1000, 0, 3000]  # exact positions:
    assert m["population_covered_high"].tolist() == [1000, 0, 3000]  # both bounds agree
    assert m["share_covered"].tolist() == [1.0, 0.0, 1.0]
    district = gaps.measures(areas, two_kitas, "Kita", radius_km=0.5, level="landkreis")
    assert district["share_covered"].item() == pytest.approx(4000 / 6000)
    wide = gaps.measures(areas, two_kitas, "Kita", radius_km=0.75, level="landkreis")
    assert wide["share_covered"].item() == 1.0


def test_classic_2sfca_by_hand(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5)
    # Catchment 1.5 km. K1 reaches A (0.3) and B (0.7): R1 = 1 / (1000 + 2000) = 1/3000.
    # K2 reaches B (1.2) and C (0.2): R2 = 40 / (2000 + 3000) = 0.008.
    # A_A = R1, A_B = R1 + R2, A_C = R2; reported per 1,000 inhabitants.
    r1, r2 = 1 / 3000, 40 / 5000
    expected = [r1 * 1000, (r1 + r2) * 1000, r2 * 1000]  # 0.333, 8.333, 8.0
    assert m["access_2sfca_per_1000"].tolist() == pytest.approx(expected)


def test_enhanced_2sfca_step_weights_by_hand(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, decay="step")
    # Zones of a 1.5 km catchment: (0, 0.5] -> 1, (0.5, 1.0] -> 0.68, (1.0, 1.5] -> 0.22.
    # K1: A 0.3 -> 1, B 0.7 -> 0.68: R1 = 1 / (1 * 1000 + 0.68 * 2000) = 1 / 2360
    # K2: B 1.2 -> 0.22, C 0.2 -> 1:  R2 = 40 / (0.22 * 2000 + 1 * 3000) = 40 / 3440
    # A_A = 1 * R1; A_B = 0.68 * R1 + 0.22 * R2; A_C = 1 * R2
    r1, r2 = 1 / 2360, 40 / 3440
    expected = [r1 * 1000, (0.68 * r1 + 0.22 * r2) * 1000, r2 * 1000]
    assert m["access_e2sfca_per_1000"].tolist() == pytest.approx(expected)
    # the classic values do not depend on the decay
    assert m["access_2sfca_per_1000"].tolist() == pytest.approx([1000 / 3000, 1000 / 3000 + 8, 8])


def test_enhanced_2sfca_gaussian_by_hand(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, decay="gaussian")

    # sigma = 1.5 / 2 = 0.75 km: W(d) = exp(-d^2 / (2 * 0.75^2))
    def w(d: float) -> float:
        return math.exp(-(d**2) / (2 * 0.75**2))

    r1 = 1 / (w(0.3) * 1000 + w(0.7) * 2000)
    r2 = 40 / (w(1.2) * 2000 + w(0.2) * 3000)
    expected = [w(0.3) * r1, w(0.7) * r1 + w(1.2) * r2, w(0.2) * r2]
    assert m["access_e2sfca_per_1000"].tolist() == pytest.approx([v * 1000 for v in expected])


def test_two_step_fca_function() -> None:
    # demand points 0 km, 1 km, 10 km on a line; one offer of supply 3 at 0 km
    demand_xy = [[0, 0], [1000, 0], [10_000, 0]]
    out = gaps.two_step_fca(demand_xy, [100, 200, 50], [[0, 0]], [3], 2.0, decay="step")
    # classic: R = 3 / (100 + 200) = 0.01 for the two within 2 km; the third gets nothing
    assert out["2sfca"].tolist() == pytest.approx([0.01, 0.01, 0.0])
    # step zones of 2 km: (0, 2/3] -> 1, (2/3, 4/3] -> 0.68: R = 3 / (100 + 0.68 * 200)
    r = 3 / (100 + 0.68 * 200)
    assert out["e2sfca"].tolist() == pytest.approx([r, 0.68 * r, 0.0])
    empty = gaps.two_step_fca(demand_xy, [1, 1, 1], [], [], 2.0)
    assert empty["2sfca"].tolist() == [0.0, 0.0, 0.0]


def test_decay_weights_documented_zones() -> None:
    step = gaps.decay_weight(3.0, "step")
    assert [step(d) for d in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5)] == [
        1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0,
    ]  # fmt: skip
    gauss = gaps.decay_weight(3.0, "gaussian")
    assert gauss(0) == 1.0
    assert gauss(1.5) == pytest.approx(math.exp(-0.5))


# -- aggregation -----------------------------------------------------------------------------
def test_vg_aggregation_reconciles_with_gemeinden(areas, two_kitas) -> None:
    gem = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5)
    vg = gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, level="vg").set_index("key")
    assert vg.index.tolist() == [VG1, VG2]
    assert vg["name"].tolist() == ["Nordtal", "Südhang"]
    assert vg["n_gemeinden"].tolist() == [2, 1]
    # sums
    for col in ("offers", "population", "population_covered_low", "population_covered_high"):
        assert vg[col].tolist() == gem.groupby("vg_rs")[col].sum().tolist()
    assert vg.loc[VG1, "per_1000"] == pytest.approx(1 / 3000 * 1000)
    # population-weighted means: VG Nordtal = (1000 * A + 2000 * B) / 3000
    a, b = gem.iloc[0], gem.iloc[1]
    for col in ("distance_km", "access_2sfca_per_1000", "access_e2sfca_per_1000"):
        expected = (1000 * a[col] + 2000 * b[col]) / 3000
        assert vg.loc[VG1, col] == pytest.approx(expected)
        assert vg.loc[VG2, col] == pytest.approx(gem.iloc[2][col])
    assert vg.loc[VG1, "distance_km"] == pytest.approx((1000 * 0.3 + 2000 * 0.7) / 3000)
    assert vg.loc[VG1, "distance_km_max"] == pytest.approx(0.7)
    assert vg.loc[VG1, "access_2sfca_per_1000"] == pytest.approx(
        (1000 * (1 / 3) + 2000 * (1 / 3 + 8)) / 3000
    )


def test_vintage_chooses_the_vgs(areas, two_kitas) -> None:
    old = gaps.measures(areas, two_kitas, "Kita", level="vg", vintage=2013)
    assert old["key"].tolist() == ["073355000"]
    assert old["offers"].tolist() == [2]
    assert old["population"].tolist() == [6000]
    district = gaps.measures(areas, two_kitas, "Kita", level="landkreis")
    assert district[["key", "offers", "population"]].values.tolist() == [["07335", 2, 6000]]


def test_all_selectors_in_one_call(areas, two_kitas) -> None:
    m = gaps.measures(areas, two_kitas)
    assert m["selector"].unique().tolist() == list(gaps.SELECTORS)
    assert len(m) == len(gaps.SELECTORS) * 3
    nothing = m[m["selector"] == "Sprachkurs"]
    assert nothing["offers"].tolist() == [0, 0, 0]
    assert nothing["distance_km"].isna().all()
    assert nothing["access_2sfca_per_1000"].tolist() == [0.0, 0.0, 0.0]


def test_built_up_centres_replace_representative_points(layers, two_kitas) -> None:
    gemeinden, city, membership = layers
    # B's built-up centre 200 m east of its square's centre: 0.9 km from K1, 1.0 km from K2
    centred = gaps.make_areas(
        gemeinden, POPULATION, membership, centres={AGS[1]: latlon(X0 + 1700, YC)}
    )
    m = gaps.measures(centred, two_kitas, "Kita")
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.9, 0.2])


def test_which_facilities_count(layers, areas) -> None:
    records = [
        kita("k1", X0 + 800),
        kita("k2", X0 + 2700, capacity=40),
        kita("closed", X0 + 1500, status="closed"),  # at B's centre, but closed
        # no point, but the Gemeinde key of B: counted in B, no distance
        Facility(
            id="nopoint",
            name="Test-Kita ohne Punkt",
            category="Kita",
            ags=AGS[1],
            precision="unknown",
            source="Testdaten",
            reference_date=dt.date(2024, 1, 1),
        ),
        # neither point nor Gemeinde: counts nowhere
        Facility(
            id="nowhere",
            name="Test-Kita unbekannt",
            category="Kita",
            precision="unknown",
            source="Testdaten",
            reference_date=dt.date(2024, 1, 1),
        ),
    ]
    m = gaps.measures(areas, place(layers, records), "Kita")
    assert m["offers"].tolist() == [1, 1, 1]
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.7, 0.2])


def test_city_always_and_elsewhere_only_when_asked(layers, areas) -> None:
    base = [kita("k1", X0 + 800), kita("k2", X0 + 2700, capacity=40)]
    # in the city, 550 m north of B's centre
    with_city = place(layers, [*base, kita("city", X0 + 1500, YC + 550)])
    assert with_city["in_city"].tolist() == [False, False, True]
    m = gaps.measures(areas, with_city, "Kita")
    assert m["distance_km"].tolist() == pytest.approx([0.3, 0.55, 0.2])
    assert m["offers"].tolist() == [1, 0, 1]  # the city's offer counts in no Gemeinde
    # elsewhere outside the district (neighbouring district key), 550 m south of B's centre
    elsewhere = place(layers, [*base, kita("out", X0 + 1500, YC - 550, ags="07332001")])
    assert elsewhere["outside_district"].tolist() == [False, False, True]
    assert not elsewhere["in_city"].any()
    near = gaps.measures(areas, elsewhere, "Kita")["distance_km"].tolist()
    assert near == pytest.approx([0.3, 0.7, 0.2])
    outside = gaps.measures(areas, elsewhere, "Kita", include_outside=True)
    assert outside["distance_km"].tolist() == pytest.approx([0.3, 0.55, 0.2])


# -- gap flags -------------------------------------------------------------------------------
def test_gap_flags_reasons_and_ranking(areas, two_kitas) -> None:
    th = Thresholds(max_distance_km=0.5, min_per_1000=0.5, radius_km=1.5)
    flags = gaps.gap_flags(gaps.measures(areas, two_kitas, "Kita", radius_km=1.5), th)
    assert flags["key"].tolist() == [AGS[1], AGS[2], AGS[0]]  # ranked by severity
    assert flags["rank"].tolist() == [1, 2, pd.NA]
    assert flags["flagged"].tolist() == [True, True, False]
    # B: distance term 0.7 / 0.5 - 1 = 0.4, shortfall 1 - 0 / 0.5 = 1
    # C: distance term 0, shortfall 1 - (1/3) / 0.5 = 1/3
    assert flags["severity"].tolist() == pytest.approx([1.4, 1 / 3, 0.0])
    assert flags["status"].tolist() == ["gap", "gap", "no_gap"]
    # the analysis gives codes and the thresholds; the words are made at the edge
    assert flags["reason_codes"].tolist() == ["far|few", "few", ""]
    assert set(flags["max_distance_km"]) == {0.5} and set(flags["min_per_1000"]) == {0.5}
    assert gaps_text.reasons(flags, "de") == [
        "Nächste Kita 0,7 km entfernt (Schwelle 0,5 km); 0 Angebote je 1.000 Einwohner (Schwelle 0,5)",
        "0,33 Angebote je 1.000 Einwohner (Schwelle 0,5)",
        "",
    ]
    assert gaps_text.reasons(flags, "en")[1] == (
        "0.33 offers per 1,000 inhabitants (threshold 0.5)"
    )
    assert gaps_text.thresholds_text(th, "de") == (
        "max. Entfernung 0,5 km; min. 0,5 Angebote je 1.000 Einwohner; Radius 1,5 km; liegt "
        "die Entfernung als Spanne um die Schwelle, heißt es „unsicher“"
    )


def test_gap_flags_vg_level_and_no_offer(areas, two_kitas) -> None:
    th = Thresholds(max_distance_km=0.5, min_per_1000=0.5, radius_km=1.5)
    vg = gaps.gap_flags(gaps.measures(areas, two_kitas, "Kita", radius_km=1.5, level="vg"), th)
    nordtal = vg.set_index("key").loc[[VG1]].reset_index()
    # (1000 * 0.3 + 2000 * 0.7) / 3000 = 0.567 km; 1 / 3000 inhabitants = 0.33 per 1,000
    assert gaps_text.reasons(nordtal, "de") == [
        "Nächste Kita im nach Bedarf gewichteten Mittel 0,6 km entfernt (Schwelle 0,5 km); "
        "0,33 Angebote je 1.000 Einwohner (Schwelle 0,5)"
    ]
    none = gaps.gap_flags(gaps.measures(areas, two_kitas, "sprache", radius_km=1.5), th)
    assert none["flagged"].all()
    assert none["severity"].tolist() == pytest.approx([11.0, 11.0, 11.0])  # 10 + 1
    assert none["key"].tolist() == [AGS[2], AGS[1], AGS[0]]  # equal severity: by population
    assert none["reason_codes"].iloc[0] == "none|few"
    assert gaps_text.reasons(none, "de")[0] == (
        "Kein Angebot im Handlungsfeld Sprache im berücksichtigten Gebiet erfasst "
        "(Schwelle 0,5 km); 0 Angebote je 1.000 Einwohner (Schwelle 0,5)"
    )


def test_gap_flags_reason_never_looks_like_the_threshold(areas, layers) -> None:
    # C's centre 2.01 km from the only Kita: "2,0 km (Schwelle 2 km)" would read as no gap
    one = place(layers, [kita("west", X0 + 490)])
    th = Thresholds(max_distance_km=2, min_per_1000=0)
    flags = gaps.gap_flags(gaps.measures(areas, one, "Kita"), th)
    assert flags["key"].tolist()[0] == AGS[2]
    assert gaps_text.reasons(flags, "de") == [
        "Nächste Kita 2,01 km entfernt (Schwelle 2 km)",
        "",
        "",
    ]


def test_gap_flags_refuses_other_radius(areas, two_kitas) -> None:
    frame = gaps.measures(areas, two_kitas, "Kita", radius_km=2.0)
    with pytest.raises(ValueError, match=r"radius_km=\[2.0\] but thresholds.radius_km=5.0"):
        gaps.gap_flags(frame, Thresholds())
    with pytest.raises(ValueError, match="lacks column"):
        gaps.gap_flags(frame.drop(columns="distance_km_low"), Thresholds(radius_km=2.0))


# -- coverage matrix -------------------------------------------------------------------------
def _project(pid: str, hfs: list[str], **kwargs: object) -> Project:
    return Project(
        id=pid,
        title=f"Testprojekt {pid}",
        handlungsfelder=hfs,
        status="laufend",
        source="Testdaten",
        reference_date=dt.date(2024, 1, 1),
        **kwargs,
    )


def test_coverage_matrix(areas, two_kitas) -> None:
    projects = [
        _project("p-sprache", ["sprache"], location_ags=[AGS[0], AGS[1]]),  # Nordtal, once
        _project("p-gesundheit", ["gesundheit"], facility_ids=["k2"]),  # via K2: Südhang
        _project("p-nirgends", ["sprache"]),  # no place: counted nowhere
    ]
    cm = gaps.coverage_matrix(areas, two_kitas, projects, vintage=2019)
    assert len(cm) == 2 * len(HANDLUNGSFELDER)
    cells = cm.set_index(["vg_rs", "handlungsfeld"])
    assert cells.loc[(VG1, "kita_schule"), ["offers", "projects"]].tolist() == [1, 0]
    assert cells.loc[(VG1, "sprache"), ["offers", "projects"]].tolist() == [0, 1]
    assert cells.loc[(VG2, "gesundheit"), ["offers", "projects"]].tolist() == [0, 1]
    assert cells.loc[(VG2, "sprache"), "projects"] == 0
    assert cells.loc[(VG2, "gesundheit"), "meaning"] == "no_offer"
    assert cells.loc[(VG1, "kita_schule"), "meaning"] == "no_project"
    assert cells.loc[(VG1, "religion"), "meaning"] == "none"
    keys = zip(cm["vg_rs"], cm["handlungsfeld"], strict=True)
    texts = dict(zip(keys, gaps_text.meanings(cm, "de"), strict=True))
    assert texts[(VG2, "gesundheit")] == "Handlungsfeld Gesundheit: kein Angebot in VG Südhang"
    assert texts[(VG1, "kita_schule")] == (
        "Handlungsfeld Kindertagesstätten und Schulen: kein Projekt in VG Nordtal"
    )
    assert texts[(VG1, "religion")] == (
        "Handlungsfeld Religion: weder Angebot noch Projekt in VG Nordtal"
    )
    assert cm["empty"].all()  # no cell has both an offer and a project
    old = gaps.coverage_matrix(areas, two_kitas, projects, vintage=2013)
    assert old.set_index("handlungsfeld").loc["kita_schule", "offers"] == 2


# -- what-if ---------------------------------------------------------------------------------
def test_what_if_changes_a_flag(areas, two_kitas) -> None:
    th = Thresholds(max_distance_km=0.5, min_per_1000=0.5, radius_km=1.5)
    before_rows = len(two_kitas)
    lat, lon = latlon(X0 + 1500, YC)  # a new Kita at B's centre
    result = gaps.what_if(areas, two_kitas, "Kita", lat, lon, capacity=10, thresholds=th)
    assert len(two_kitas) == before_rows  # the input is untouched
    assert result.facility["located_ags"].tolist() == [AGS[1]]
    b_before = result.before.set_index(["selector", "key"]).loc[("Kita", AGS[1])]
    b_after = result.after.set_index(["selector", "key"]).loc[("Kita", AGS[1])]
    assert b_before["flagged"] and not b_after["flagged"]  # 1 per 2,000 = 0.5: enough
    assert b_after["distance_km"] == pytest.approx(0.0)
    changed = result.changes.set_index(["selector", "key"])
    assert set(changed.index) == {("Kita", AGS[1]), ("kita_schule", AGS[1])}
    assert changed.loc[("Kita", AGS[1]), ["offers_before", "offers_after"]].tolist() == [0, 1]
    # C keeps its flag (0.33 per 1,000)
    assert result.after.set_index(["selector", "key"]).loc[("Kita", AGS[2]), "flagged"]


def test_what_if_rejects_bad_input(areas, two_kitas) -> None:
    with pytest.raises(ValueError, match="unknown category 'Kindergarten'; expected one of Kita"):
        gaps.what_if(areas, two_kitas, "Kindergarten", 49.4, 7.6)
    with pytest.raises(gaps.OutsideDistrict, match="outside the district"):
        gaps.what_if(areas, two_kitas, "Kita", 123.0, 7.6)  # refused, never clamped
    far = latlon(X0 + 9000, YC)  # 9 km east of the three Gemeinden
    with pytest.raises(gaps.OutsideDistrict, match="outside the district"):
        gaps.what_if(areas, two_kitas, "Kita", *far)
    with pytest.raises(gaps.OutsideDistrict, match="position must be finite"):
        gaps.what_if(areas, two_kitas, "Kita", float("nan"), 7.6)
    with pytest.raises(ValueError, match="capacity must be a whole number"):
        gaps.what_if(areas, two_kitas, "Kita", *latlon(X0 + 1500, YC), capacity=-1)


# -- thresholds ------------------------------------------------------------------------------
def test_thresholds_params_round_trip() -> None:
    th = Thresholds(max_distance_km=7.5, min_per_1000=0.25, radius_km=3)
    params = th.to_params()
    assert params == {"max_distance_km": "7.5", "min_per_1000": "0.25", "radius_km": "3"}
    assert all(isinstance(v, str) for v in params.values())
    assert gaps.from_params(params) == (th, [])
    assert gaps.from_params({}) == (Thresholds(), [])
    assert Thresholds().to_params() == {
        "max_distance_km": "5",
        "min_per_1000": "0.5",
        "radius_km": "5",
    }
    # other URL parameters are ignored; a decimal comma is accepted
    assert gaps.from_params({"page": "gaps", "min_per_1000": "0,75"}) == (
        Thresholds(min_per_1000=0.75),
        [],
    )
    # a value that is not a number is ignored, one beyond the inputs' range clamped: both said
    assert gaps.from_params({"radius_km": "fünf"}) == (Thresholds(), ["radius_km=fünf"])
    assert gaps.from_params({"radius_km": "nan"}) == (Thresholds(), ["radius_km=nan"])
    assert gaps.from_params({"min_per_1000": "-1", "max_distance_km": "500"}) == (
        Thresholds(max_distance_km=50, min_per_1000=0),
        ["max_distance_km=500", "min_per_1000=-1"],
    )
    with pytest.raises(ValueError, match="max_distance_km must be a finite number > 0"):
        Thresholds(max_distance_km=0)
    with pytest.raises(ValueError, match="min_per_1000 must be a finite number >= 0"):
        Thresholds(min_per_1000=-1)


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_is_rejected_precisely(layers, areas, two_kitas) -> None:
    with pytest.raises(ValueError) as err:
        gaps.measures(areas, two_kitas, "Kindergarten")
    message = str(err.value)
    assert message.startswith("unknown selector 'Kindergarten'; expected a category (Kita, ")
    assert all(c in message for c in CATEGORIES) and all(h in message for h in HANDLUNGSFELDER)
    with pytest.raises(
        ValueError, match=r"unknown vintage 2020; expected one of \[2013, 2014, 2019\]"
    ):
        gaps.measures(areas, two_kitas, "Kita", vintage=2020)
    with pytest.raises(ValueError, match="unknown level 'kreis'"):
        gaps.measures(areas, two_kitas, "Kita", level="kreis")
    with pytest.raises(ValueError, match="unknown decay 'linear'"):
        gaps.measures(areas, two_kitas, "Kita", decay="linear")
    with pytest.raises(ValueError, match="radius_km must be a finite number > 0"):
        gaps.measures(areas, two_kitas, "Kita", radius_km=-1)
    with pytest.raises(ValueError, match="no selector given"):
        gaps.measures(areas, two_kitas, [])
    with pytest.raises(ValueError, match=r"facilities lack column\(s\) \['located_ags'"):
        gaps.measures(areas, two_kitas.drop(columns=["located_ags"]), "Kita")
    with pytest.raises(ValueError, match="unknown vintage 1999"):
        gaps.coverage_matrix(areas, two_kitas, [], vintage=1999)
    gemeinden, city, membership = layers
    unknown = gaps.make_areas(  # no population for the third: unknown
        gemeinden, POPULATION.iloc[:2], membership, district_key="07335"
    )
    assert np.isnan(unknown.table.loc["07335003", "population"])  # "keine Daten", never 0
    vg = gaps.measures(unknown, two_kitas, "Kita", level="landkreis")
    assert vg["population"].isna().all() and vg["per_1000"].isna().all()  # not a partial sum
    with pytest.raises(ValueError, match=r"membership has no row for Gemeinde\(n\) \['07335001'\]"):
        gaps.make_areas(gemeinden, POPULATION, membership.iloc[1:])
    with pytest.raises(ValueError, match=r"centres given for unknown Gemeinde\(n\) \['07335999'\]"):
        gaps.make_areas(gemeinden, POPULATION, membership, centres={"07335999": (49.4, 7.6)})
    with pytest.raises(ValueError, match="gemeinden has no CRS"):
        gaps.make_areas(gemeinden.set_crs(None, allow_override=True), POPULATION, membership)
    with pytest.raises(ValueError, match="unknown selector"):
        gaps.gaps_table(areas, two_kitas, "Kindergarten", Thresholds())
    with pytest.raises(ValueError, match="the areas name no district"):
        gaps.measures(gaps.make_areas(gemeinden, POPULATION, membership), two_kitas, "Kita",
                      level="landkreis")  # fmt: skip


# -- table and files -------------------------------------------------------------------------
def test_gaps_table_and_files(tmp_path: Path, areas, two_kitas) -> None:
    th = Thresholds(max_distance_km=0.5, min_per_1000=0.5, radius_km=1.5)
    flags = gaps.gaps_table(areas, two_kitas, "Kita", th, vintage=2019, level="gemeinde")
    table = gaps_text.file_table(flags, "de")
    # a clerk's file: German headers, words for codes, the sources and dates in every row
    assert list(table.columns[:5]) == ["Rang", "Ebene", "Gebietsstand", "Schlüssel", "Name"]
    assert table["Schlüssel"].tolist() == [AGS[1], AGS[2], AGS[0]]
    assert table["Radius (km)"].tolist() == [1.5] * 3
    assert table["Entfernung genau (km, leer bei ungefährer Lage)"].tolist() == pytest.approx(
        [0.7, 0.2, 0.3]
    )
    assert set(table["Ebene"]) == {"Gemeinde"}
    assert set(table["Einstufung"]) == {"Lücke", "keine Lücke"}

    n = write_gaps(table, "csv", tmp_path / "gaps.csv")
    assert n == 3
    raw = (tmp_path / "gaps.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.count("\r\n") == 4
    header, *lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header == list(table.columns)
    first = dict(zip(header, lines[0], strict=True))
    assert first["Schlüssel"] == AGS[1]
    assert first["Entfernung mindestens (km)"] == "0,7"
    assert first["Versorgungslücke"] == "ja"  # one convention for yes/no
    assert first["Lage des nächsten Angebots ungefähr"] == "nein"
    assert first["Einwohner"] == "2000"
    assert first["Begründung"].startswith("Nächste Kita 0,7 km entfernt")
    last = dict(zip(header, lines[2], strict=True))
    assert last["Rang"] == "" and last["Begründung"] == "" and last["Versorgungslücke"] == "nein"

    write_gaps(table, "xlsx", tmp_path / "gaps.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "gaps.xlsx").active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == list(table.columns)
    assert rows[1][list(table.columns).index("Entfernung mindestens (km)")] == 0.7
    assert rows[1][list(table.columns).index("Versorgungslücke")] == "ja"

    write_gaps(table, "json", tmp_path / "gaps.json")
    records = json.loads((tmp_path / "gaps.json").read_text(encoding="utf-8"))
    assert records[0]["Schlüssel"] == AGS[1] and records[0]["Versorgungslücke"] is True
    assert records[2]["Rang"] is None

    english = gaps_text.file_table(flags, "en")  # English headers where the language is
    assert list(english.columns[:4]) == ["Rank", "Level", "Boundary vintage", "Key"]

    with pytest.raises(ValueError, match="unknown format 'pdf'; expected one of csv, xlsx, json"):
        write_gaps(table, "pdf", tmp_path / "gaps.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gaps.csv", "gaps.json", "gaps.xlsx"]


# -- the shipped data ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> tuple[gaps.Areas, gpd.GeoDataFrame]:
    settings = get_settings()
    frame = pd.read_csv(REPO_ROOT / "datasets" / "facilities.csv", dtype=str, keep_default_na=False)
    return shipped_areas(), located_facilities(frame_to_facilities(frame), settings)


def test_shipped_population_is_the_headline_population(shipped) -> None:
    areas, _ = shipped
    heads = shipped_populations().at("gemeinde", 2019)["population"]
    assert len(areas.table) == 50
    assert areas.table["population"].to_dict() == heads.reindex(areas.table.index).to_dict()


@pytest.mark.parametrize("vintage", [2013, 2014, 2019])
def test_shipped_vg_counts_equal_their_gemeinden(shipped, vintage: int) -> None:
    areas, located = shipped
    gem = gaps.measures(areas, located, vintage=vintage)
    vg = gaps.measures(areas, located, vintage=vintage, level="vg")
    summed = gem.groupby(["selector", "vg_rs"], sort=False)["offers"].sum()
    assert vg.set_index(["selector", "key"])["offers"].to_dict() == summed.to_dict()
    # and with the VG that locate() derived for each facility from its point
    active = located[
        (located["status"] == "active") & ~located["location_unknown"] & ~located["unconfirmed"]
    ]
    for selector in ("Kita", "Schule", "kita_schule", "Sprachkurs"):
        chosen = (
            active[active["category"] == selector]
            if selector in CATEGORIES
            else active[active["handlungsfelder"].map(lambda h, s=selector: s in h)]
        )
        direct = chosen[f"vg_rs_{vintage}"].dropna().value_counts()
        rows = vg[vg["selector"] == selector].set_index("key")["offers"]
        assert rows[rows > 0].to_dict() == direct.to_dict()
    district = gaps.measures(areas, located, vintage=vintage, level="landkreis")
    assert district.set_index("selector")["offers"].to_dict() == (
        gem.groupby("selector", sort=False)["offers"].sum().to_dict()
    )


# -- the district's area: where a planned facility may stand ---------------------------------
def test_areas_know_the_district_and_its_places(areas) -> None:
    assert areas.vintages == (2013, 2014, 2019) and areas.current_vintage == 2019
    inside = latlon(X0 + 1500, YC)
    assert areas.contains(*inside)
    assert not areas.contains(*latlon(X0 + 9000, YC))  # beside the Gemeinden
    assert areas.contains(*areas.centre())
    lat, lon = areas.place_of(AGS[1])  # B's representative point, in B
    assert areas.contains(lat, lon)
    south, west, north, east = areas.bounds()
    assert south < lat < north and west < lon < east
    with pytest.raises(ValueError, match="unknown Gemeinde '07335999'"):
        areas.place_of("07335999")
    with pytest.raises(ValueError, match=r"unknown vintage 2020; expected one of \[2013"):
        gaps.check_vintage(areas, 2020)
