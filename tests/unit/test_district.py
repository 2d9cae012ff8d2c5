"""The district is configuration: its file, its words, and no district named in the code."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from dashboard.build import BuildError
from dashboard.build.district import resolve_target
from dashboard.build.geodata import build_geodata
from dashboard.config import (
    DISTRICTS_DIR,
    DistrictConfigError,
    district_config_path,
    get_settings,
    parse_district,
)
from dashboard.i18n.catalogue import district_values, t, tn
from dashboard.i18n.district import package_only_note, validity_text, vintage_label
from tests.conftest import REPO

#: Code that must not name a district (its configuration and data may).
CODE = [REPO / "app.py", *sorted((REPO / "dashboard").rglob("*.py"))]
CODE += sorted((REPO / "app_pages").rglob("*.py"))
FORBIDDEN = re.compile(r"kaiserslautern|07335|07312|landstuhl|weilerbach|otterbach", re.I)


def test_no_district_is_named_in_the_code() -> None:
    hits = [
        f"{path.relative_to(REPO)}:{n}: {line.strip()}"
        for path in CODE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert hits == []
    assert len(CODE) > 80  # the scan saw the package


def test_no_district_is_named_in_the_catalogue_texts() -> None:
    for lang in ("de", "en"):
        po = (REPO / "dashboard/i18n/locale" / lang / "LC_MESSAGES/messages.po").read_text()
        assert not FORBIDDEN.search(po), lang


def test_the_shipped_district_is_configured() -> None:
    district = get_settings().district
    assert district.key == "07335" and district.name == "Kaiserslautern"
    assert district.config_path == (DISTRICTS_DIR / "07335" / "district.toml").resolve()
    assert [c.ags for c in district.context] == ["07312000"]
    assert district.vintage_years == (2013, 2014, 2019) and district.current_vintage == 2019
    assert district.geodata_dir == REPO / "geodata" and district.datasets_dir == REPO / "datasets"
    assert not district.synthetic and not district.package_only


def test_words_for_the_district_come_from_the_catalogue() -> None:
    de, en = district_values("de"), district_values("en")
    assert de["district"] == "Landkreis Kaiserslautern"
    assert de["district_of"] == "des Landkreises Kaiserslautern"
    assert de["context"] == "Stadt Kaiserslautern" and en["context"] == "City of Kaiserslautern"
    assert de["synthetic"] == ""
    assert t("app.title", "de") == "Integrationsatlas Landkreis Kaiserslautern"
    assert t("pres.overview_title", "en") == "District of Kaiserslautern: offers and needs"
    assert tn("report.handout_intro", 6, "de", vintage=2019, validity="x", n=6).startswith(
        "Landkreis Kaiserslautern, Gebietsstand 2019"
    )


def test_vintage_labels() -> None:
    assert vintage_label(2013, "de", 9) == "2013 (9 VG, bis 30.06.2014)"
    assert vintage_label(2019, "de", 6) == "2019 (6 VG, seit 01.07.2019, aktuell)"
    assert vintage_label(2014, "en", 7).startswith("2014 (7 VGs, ")
    assert validity_text(2014, "de") == "01.07.2014 bis 30.06.2019"
    assert package_only_note("de") is None  # vintages from the membership table
    with pytest.raises(ValueError, match="unknown vintage 2016"):
        vintage_label(2016, "de")


def test_the_state_is_a_synthetic_test_configuration() -> None:
    state = parse_district(DISTRICTS_DIR / "07" / "district.toml")
    assert state.level == "land" and state.name == "Rheinland-Pfalz" and state.kind == "land"
    assert state.synthetic and state.synthetic_facilities == 30_000 and state.synthetic_population
    assert state.package_only and state.vintage_years == (2016,)
    assert state.geodata_dir == REPO / "var" / "districts" / "07" / "geodata"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "district.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[district]\nkey = '7335'\nname = 'X'\nkind = 'landkreis'\n", "district.key: expected 2"),
        ("[district]\nkey = '07336'\nname = 'X'\nkind = 'bezirk'\n", "district.kind: expected one"),
        ("[district]\nkey = '07336'\nname = 'X'\nkind = 'landkreis'\n", r"\[vintages\]: missing"),
        (
            "[district]\nkey = '07336'\nname = 'X'\nkind = 'landkreis'\n"
            "[vintages.2016]\nvalid_from = '1.1.2016'\n",
            "vintages.2016.valid_from: expected a date",
        ),
        (
            "[district]\nkey = '07336'\nname = 'X'\nkind = 'landkreis'\n"
            "[vintages]\ncurrent = 2019\n[vintages.2016]\nsource = 'package'\n",
            "vintages.current: 2019 is not one of the vintages",
        ),
        (
            "[district]\nkey = '07336'\nname = 'X'\nkind = 'landkreis'\n"
            "[[context]]\nags = '0731'\nname = 'Y'\n[vintages.2016]\nsource = 'package'\n",
            r"context\[0\].ags: expected an 8-digit key",
        ),
        ("[district\n", "not a readable TOML file"),
    ],
)
def test_a_bad_configuration_names_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DistrictConfigError, match=message) as exc:
        parse_district(path)
    assert str(path) in str(exc.value) and "\n" not in str(exc.value)


def test_an_unconfigured_key_says_how_to_build_it() -> None:
    with pytest.raises(DistrictConfigError, match="build-geodata --kreis 09999"):
        district_config_path("09999")
    with pytest.raises(DistrictConfigError, match="build-geodata --land 99"):
        district_config_path("99")


# -- any district of the package, on a tiny synthetic VG250 (test data, not real) -----------
def _synthetic_package(folder: Path, x0: int = 400_000, y0: int = 5_500_000) -> Path:
    """Gemeinden, Verwaltungsgemeinschaften and Kreise of a made-up Kreis 07999, as shapefiles
    (four 1 km squares in a row from ``x0, y0`` in EPSG:25832)."""
    folder.mkdir()
    squares = [box(x0 + i * 1000, y0, x0 + (i + 1) * 1000, y0 + 1000) for i in range(4)]
    gem = gpd.GeoDataFrame(
        {
            "RS": ["079995001001", "079995001002", "079995002003", "079990004004"],
            "AGS": ["07999001", "07999002", "07999003", "07999004"],
            "GEN": ["Testdorf A", "Testdorf B", "Teststadt C", "Testheim D"],
            "BEZ": ["Gemeinde", "Gemeinde", "Stadt", "Stadt"],
        },
        geometry=squares,
        crs="EPSG:25832",
    )
    gem.to_file(folder / "VG250_GEM.shp")
    vwg = gpd.GeoDataFrame(
        {
            "RS": ["079995001", "079995002", "079990004"],
            "AGS": ["--------"] * 3,
            "GEN": ["Testland", "Teststadt C", "Teststadt C"],
            "BEZ": ["Verbandsgemeinde", "Verbandsgemeinde", "Verbandsfreie Gemeinde"],
        },
        geometry=[squares[0].union(squares[1]), squares[2], squares[3]],
        crs="EPSG:25832",
    )
    vwg.to_file(folder / "VG250_VWG.shp")
    krs = gpd.GeoDataFrame(
        {"RS": ["07999"], "AGS": ["07999"], "GEN": ["Testkreis"], "BEZ": ["Landkreis"]},
        geometry=[squares[0].union(squares[3])],
        crs="EPSG:25832",
    )
    krs.to_file(folder / "VG250_KRS.shp")
    return folder


def test_any_kreis_is_built_from_the_package_alone(tmp_path: Path) -> None:
    source = _synthetic_package(tmp_path / "vg250")
    out = tmp_path / "kreis"
    target = resolve_target("07999", source, tmp_path / "cache", out)
    assert not (out / "district.toml").exists()  # written only after the data
    counts = build_geodata(source, target.geodata_dir, target.datasets_dir, tmp_path / "cache",
                           district=target.district)  # fmt: skip
    target.commit()
    district = parse_district(out / "district.toml")
    assert (district.key, district.name, district.kind) == ("07999", "Testkreis", "landkreis")
    assert district.context == () and district.vintage_years == (2016,)
    assert counts["gemeinden.geojson"] == 4 and counts["vg_2016.geojson"] == 3
    assert counts["context.geojson"] == 0 and counts["datasets/population_gemeinden.csv"] == 0
    mem = pd.read_csv(out / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
    assert list(mem.columns) == ["ags", "name", "kind", "vg_2016", "vg_rs_2016"]
    # the same VG name twice is told apart by its kind
    assert set(mem["vg_2016"]) == {
        "Testland", "Teststadt C (Verbandsgemeinde)", "Teststadt C (Verbandsfreie Gemeinde)",
    }  # fmt: skip
    facilities = pd.read_csv(out / "datasets" / "facilities.csv")
    assert len(facilities) == 0  # nothing invented
    from dashboard.data.boundaries import load_layer

    context = load_layer(out / "geodata", "context", web=True)
    assert context.empty and {"ags", "name", "kind"} <= set(context.columns)


def test_an_unknown_kreis_is_a_one_line_error(tmp_path: Path) -> None:
    source = _synthetic_package(tmp_path / "vg250")
    with pytest.raises(BuildError, match="no Kreis with key 07998 in layer kreise") as exc:
        resolve_target("07998", source, tmp_path / "cache", tmp_path / "out")
    assert "\n" not in str(exc.value)
    assert not (tmp_path / "out" / "district.toml").exists()
