"""Facility export (CSV, XLSX, GeoJSON, GeoPackage) and filters, on synthetic facilities.

The facilities are fake (names say so); they are placed with the real committed
boundaries so that Gemeinde and VG are derived as in the app.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest

from dashboard.config import REPO_ROOT
from dashboard.data.boundaries import load_layer
from dashboard.data.locate import locate
from dashboard.data.population import load_membership
from dashboard.data.records import facilities_geoframe
from dashboard.domain.formula import FORMULA_PREFIXES, escape_formula, unescape_formula
from dashboard.domain.model import FACILITY_FIELDS, Facility
from dashboard.export import facilities as export
from dashboard.export.facilities import EXPORT_FORMATS, export_columns
from dashboard.export.facilities import export_facilities as _export
from dashboard.export.facilities import filter_facilities as _filter
from dashboard.i18n.message import error_text

GEODATA = REPO_ROOT / "geodata"
DATASETS = REPO_ROOT / "datasets"
SCRIPT = "<script>alert(1)</script>"
#: The district's current vintage (the derived VG columns of an export).
VINTAGE = 2019
EXPORT_COLUMNS = export_columns(VINTAGE)


def export_facilities(located: gpd.GeoDataFrame, fmt: str, out: Path, lang=None) -> int:  # noqa: ANN001
    """The export with the shipped district's current vintage."""
    return _export(located, fmt, out, lang, vintage=VINTAGE)


def filter_facilities(located: gpd.GeoDataFrame, **kwargs: object) -> gpd.GeoDataFrame:
    """The filter with the shipped membership (as the service passes it)."""
    kwargs.setdefault("vintage", VINTAGE)
    return _filter(located, membership=load_membership(DATASETS), **kwargs)  # type: ignore[arg-type]


FORMULA = '=HYPERLINK("http://example.invalid","klick")'


def _facilities() -> list[Facility]:
    """Four fake facilities: Landstuhl, Weilerbach, the city, and one without location."""
    common = {"source": "Testquelle (fiktiv)", "reference_date": dt.date(2024, 12, 31)}
    return [
        Facility(
            id="test-landstuhl",
            name="Testschule Landstuhl (fiktiv)",
            category="Schule",
            handlungsfelder=["kita_schule", "sprache"],
            lat=49.413123456789,
            lon=7.570312345678,
            precision="exact",
            languages=["de", "tr"],
            target_groups=["Kinder", "Eltern"],
            capacity=120,
            last_verified=dt.date(2025, 1, 2),
            **common,
        ),
        Facility(
            id="test-weilerbach",
            name=SCRIPT,
            category="Verein",
            handlungsfelder=["verein_ehrenamt"],
            operator=FORMULA,
            street="-Teststraße 1",
            place="#N/A",
            contact="@fiktiv",
            note="+49 0000 fiktiv",
            lat=49.4785,
            lon=7.6352,
            precision="address",
            source="Zweite Testquelle (fiktiv)",
            reference_date=dt.date(2023, 6, 1),
        ),
        Facility(
            id="test-stadt",
            name='Testberatung Stadt; "Zitat" (fiktiv)',
            category="Beratungsstelle",
            handlungsfelder=["soziales"],
            lat=49.4447,
            lon=7.7690,
            precision="exact",
            **common,
        ),
        Facility(
            id="test-unbekannt",
            name="Testsprachkurs ohne Ort (fiktiv)",
            category="Sprachkurs",
            handlungsfelder=["sprache"],
            precision="unknown",
            **common,
        ),
    ]


@pytest.fixture(scope="module")
def located() -> gpd.GeoDataFrame:
    frame = facilities_geoframe(_facilities())
    assert frame.crs is not None and frame.crs.to_epsg() == 4326
    return locate(
        frame,
        load_layer(GEODATA, "gemeinden"),
        load_layer(GEODATA, "context"),
        load_membership(DATASETS),
    )


def test_located_fixture(located: gpd.GeoDataFrame) -> None:
    by_id = located.set_index("id")
    assert by_id.loc["test-landstuhl", "vg_2019"] == "Landstuhl"
    assert by_id.loc["test-weilerbach", "vg_2019"] == "Weilerbach"
    assert bool(by_id.loc["test-stadt", "outside_district"])
    assert bool(by_id.loc["test-unbekannt", "location_unknown"])


def test_export_columns() -> None:
    assert EXPORT_COLUMNS == [
        *FACILITY_FIELDS,
        "gemeinde_name",
        "vg_2019",
        "vg_rs_2019",
        "outside_district",
    ]
    assert EXPORT_FORMATS == ("csv", "xlsx", "geojson", "gpkg")


# -- formula protection ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["=1+1", "+49", "-x", "@a", "\tx", "'=x", "''-1", "'plain", "'", "", "=", "normal", "a=b"],
)
def test_escape_roundtrip(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text


def test_escape_rules() -> None:
    for prefix in FORMULA_PREFIXES:
        assert escape_formula(prefix + "x") == "'" + prefix + "x"
    assert escape_formula("'=x") == "''=x"
    assert escape_formula("Normaler Text") == "Normaler Text"
    assert escape_formula("'s Gravenhage") == "'s Gravenhage"
    assert unescape_formula("'s Gravenhage") == "'s Gravenhage"


# -- CSV -------------------------------------------------------------------------------------
def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path,
        sep=";",
        encoding="utf-8-sig",
        decimal=",",
        dtype={c: str for c in EXPORT_COLUMNS if c not in ("lat", "lon")},
        keep_default_na=False,
        na_values={"lat": [""], "lon": [""]},
    ).set_index("id", drop=False)


def test_csv(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "einrichtungen.csv"
    assert export_facilities(located, "csv", out) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 5 and raw.count(b"\n") == 5
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].split(";") == EXPORT_COLUMNS
    assert "49,413123456789;7,570312345678" in text

    df = _read_csv(out)
    assert list(df.columns) == EXPORT_COLUMNS
    assert len(df) == 4
    row = df.loc["test-landstuhl"]
    assert row["lat"] == pytest.approx(49.413123456789, abs=1e-12)
    assert row["lon"] == pytest.approx(7.570312345678, abs=1e-12)
    assert row["handlungsfelder"] == "Kindertagesstätten und Schulen, Sprache"
    assert row["languages"] == "de, tr" and row["target_groups"] == "Kinder, Eltern"
    assert row["reference_date"] == "31.12.2024" and row["last_verified"] == "02.01.2025"
    assert row["capacity"] == "120" and row["version"] == "1"
    assert row["gemeinde_name"] == "Landstuhl" and row["vg_2019"] == "Landstuhl"
    assert row["vg_rs_2019"] == "073355011" and row["outside_district"] == "nein"
    assert df.loc["test-stadt", "outside_district"] == "ja"
    assert df.loc["test-stadt", "name"] == 'Testberatung Stadt; "Zitat" (fiktiv)'
    unknown = df.loc["test-unbekannt"]
    assert pd.isna(unknown["lat"]) and unknown["vg_2019"] == "" and unknown["capacity"] == ""


def test_csv_text_unchanged_but_formulas_escaped(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    export_facilities(located, "csv", out)
    row = _read_csv(out).loc["test-weilerbach"]
    assert row["name"] == SCRIPT
    for column, stored in (
        ("operator", FORMULA),
        ("street", "-Teststraße 1"),
        ("contact", "@fiktiv"),
        ("note", "+49 0000 fiktiv"),
    ):
        assert row[column] == "'" + stored
        assert unescape_formula(row[column]) == stored


# -- XLSX ------------------------------------------------------------------------------------
def test_xlsx(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "einrichtungen.xlsx"
    assert export_facilities(located, "xlsx", out) == 4
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Einrichtungen", "Quellen"]
    ws = wb["Einrichtungen"]
    header = [c.value for c in ws[1]]
    assert header == EXPORT_COLUMNS
    rows = {r[0].value: dict(zip(header, r, strict=True)) for r in ws.iter_rows(min_row=2)}
    assert len(rows) == 4
    ls = rows["test-landstuhl"]
    assert ls["lat"].value == pytest.approx(49.413123456789, abs=1e-12)
    assert ls["lat"].data_type == "n" and ls["capacity"].value == 120
    assert ls["reference_date"].is_date
    assert ls["reference_date"].value.date() == dt.date(2024, 12, 31)
    assert ls["reference_date"].number_format == "DD.MM.YYYY"
    assert ls["handlungsfelder"].value == "Kindertagesstätten und Schulen, Sprache"
    assert ls["vg_rs_2019"].value == "073355011" and ls["vg_rs_2019"].data_type == "s"
    assert ls["outside_district"].value == "nein"  # yes/no: one convention in every file
    assert rows["test-stadt"]["outside_district"].value == "ja"
    assert ls["unconfirmed"].value == "nein"
    assert rows["test-unbekannt"]["lat"].value is None

    df = pd.read_excel(out, sheet_name="Einrichtungen", dtype={"vg_rs_2019": str})
    assert len(df) == 4 and list(df.columns) == EXPORT_COLUMNS
    assert set(df["vg_rs_2019"].dropna()) == {"073355011", "073355009"}

    sources = pd.read_excel(out, sheet_name="Quellen")
    assert list(sources.columns) == ["source", "reference_date", "facilities"]
    dates = sources["reference_date"].dt.date
    assert sorted(zip(sources["source"], dates, sources["facilities"], strict=True)) == [
        ("Testquelle (fiktiv)", dt.date(2024, 12, 31), 3),
        ("Zweite Testquelle (fiktiv)", dt.date(2023, 6, 1), 1),
    ]


def test_xlsx_no_formulas(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    export_facilities(located, "xlsx", out)
    ws = openpyxl.load_workbook(out)["Einrichtungen"]
    header = [c.value for c in ws[1]]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "test-weilerbach")
    cells = dict(zip(header, row, strict=True))
    # Stored exactly, as text: no apostrophe needed, never a formula.
    assert cells["name"].value == SCRIPT
    assert cells["operator"].value == FORMULA and cells["operator"].data_type == "s"
    assert cells["street"].value == "-Teststraße 1" and cells["street"].data_type == "s"
    assert cells["place"].value == "#N/A" and cells["place"].data_type == "s"
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in zf.read(name).decode()


def test_xlsx_control_characters_replaced(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    frame = located.copy()
    frame.loc[frame["id"] == "test-stadt", "note"] = "Klingel\x07 (fiktiv)"
    out = tmp_path / "x.xlsx"
    assert export_facilities(frame, "xlsx", out) == 4
    df = pd.read_excel(out, sheet_name="Einrichtungen", keep_default_na=False)
    assert df.loc[df["id"] == "test-stadt", "note"].item() == "Klingel\ufffd (fiktiv)"


# -- GeoJSON ---------------------------------------------------------------------------------
def test_geojson(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "einrichtungen.geojson"
    assert export_facilities(located, "geojson", out) == 4
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 4
    feats = {f["id"]: f for f in data["features"]}
    ls = feats["test-landstuhl"]
    assert ls["geometry"] == {"type": "Point", "coordinates": [7.570312345678, 49.413123456789]}
    props = ls["properties"]
    assert list(props) == EXPORT_COLUMNS
    assert props["handlungsfelder"] == ["kita_schule", "sprache"]
    assert props["languages"] == ["de", "tr"]
    assert props["reference_date"] == "2024-12-31" and props["last_verified"] == "2025-01-02"
    assert props["capacity"] == 120 and props["outside_district"] is False
    assert props["vg_rs_2019"] == "073355011" and props["gemeinde_name"] == "Landstuhl"
    assert feats["test-weilerbach"]["properties"]["name"] == SCRIPT
    assert feats["test-weilerbach"]["properties"]["operator"] == FORMULA
    assert feats["test-stadt"]["properties"]["outside_district"] is True
    unknown = feats["test-unbekannt"]
    assert unknown["geometry"] is None
    assert unknown["properties"]["lat"] is None and unknown["properties"]["vg_2019"] is None
    assert "Kindertagesstätten" not in out.read_text(encoding="utf-8")  # codes, not names

    gdf = gpd.read_file(out)
    assert len(gdf) == 4 and gdf.crs.to_epsg() == 4326

    again = tmp_path / "again.geojson"
    export_facilities(located, "geojson", again)
    assert again.read_bytes() == out.read_bytes()


# -- GeoPackage ------------------------------------------------------------------------------
def test_gpkg(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "einrichtungen.gpkg"
    assert export_facilities(located, "gpkg", out) == 4
    gdf = gpd.read_file(out, layer="einrichtungen").set_index("id", drop=False)
    assert gdf.crs.to_epsg() == 4326
    assert list(gdf.columns) == [*EXPORT_COLUMNS, "geometry"]
    ls = gdf.loc["test-landstuhl"]
    assert ls["handlungsfelder"] == "kita_schule|sprache" and ls["languages"] == "de|tr"
    assert ls["reference_date"] == "2024-12-31"
    assert ls.geometry.x == pytest.approx(7.570312345678, abs=1e-12)
    assert ls.geometry.y == pytest.approx(49.413123456789, abs=1e-12)
    assert ls["vg_rs_2019"] == "073355011" and ls["capacity"] == 120
    assert gdf.loc["test-weilerbach", "name"] == SCRIPT
    assert bool(gdf.loc["test-stadt", "outside_district"])
    assert gdf.loc["test-unbekannt"].geometry is None


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_empty_export(located: gpd.GeoDataFrame, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"leer.{fmt}"
    assert export_facilities(located.iloc[0:0], fmt, out) == 0
    assert out.is_file()


# -- errors and atomic writes ----------------------------------------------------------------
def test_unknown_format(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_facilities(located, "pdf", tmp_path / "x.pdf")
    assert list(tmp_path.iterdir()) == []


def test_unlocated_frame_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="dashboard.data.locate.locate"):
        export_facilities(facilities_geoframe(_facilities()), "csv", tmp_path / "x.csv")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_failed_export_leaves_no_partial_file(
    located: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    def broken(sheet: object, path: Path) -> int:
        path.write_text("halb geschrieben")
        raise OSError("disk full (simulated)")

    monkeypatch.setitem(export._WRITERS, fmt, broken)
    fresh = tmp_path / f"neu.{fmt}"
    with pytest.raises(OSError, match="simulated"):
        export_facilities(located, fmt, fresh)
    assert list(tmp_path.iterdir()) == []

    old = tmp_path / f"alt.{fmt}"
    old.write_text("vorheriger Export")
    with pytest.raises(OSError, match="simulated"):
        export_facilities(located, fmt, old)
    assert old.read_text() == "vorheriger Export"
    assert list(tmp_path.iterdir()) == [old]


def test_failed_gpkg_driver_leaves_nothing(
    located: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: gpd.GeoDataFrame, path: Path, **kwargs: object) -> None:
        Path(path).write_bytes(b"SQLite format 3\x00")
        raise RuntimeError("driver failed (simulated)")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", broken)
    with pytest.raises(RuntimeError, match="simulated"):
        export_facilities(located, "gpkg", tmp_path / "x.gpkg")
    assert list(tmp_path.iterdir()) == []


# -- filters ---------------------------------------------------------------------------------
def _ids(frame: gpd.GeoDataFrame) -> list[str]:
    return sorted(frame["id"])


@pytest.mark.parametrize(
    "vg,vintage,expected",
    [
        ("Landstuhl", 2019, ["test-landstuhl"]),
        ("landstuhl", 2019, ["test-landstuhl"]),
        ("073355011", 2019, ["test-landstuhl"]),
        ("073355005", 2013, ["test-landstuhl"]),
        ("WEILERBACH", 2019, ["test-weilerbach"]),
        ("073355009", 2019, ["test-weilerbach"]),
        ("Otterbach-Otterberg", 2019, []),
    ],
)
def test_filter_by_vg(
    located: gpd.GeoDataFrame, vg: str, vintage: int, expected: list[str]
) -> None:
    assert _ids(filter_facilities(located, vg=vg, vintage=vintage)) == expected


def test_filter_by_category_and_handlungsfeld(located: gpd.GeoDataFrame) -> None:
    assert _ids(filter_facilities(located)) == _ids(located)
    assert _ids(filter_facilities(located, category="Verein")) == ["test-weilerbach"]
    assert _ids(filter_facilities(located, handlungsfeld="sprache")) == [
        "test-landstuhl",
        "test-unbekannt",
    ]
    assert _ids(filter_facilities(located, handlungsfeld="Kindertagesstätten und Schulen")) == [
        "test-landstuhl"
    ]
    assert _ids(filter_facilities(located, handlungsfeld="Social affairs")) == ["test-stadt"]
    combined = filter_facilities(
        located, vg="Landstuhl", category="Schule", handlungsfeld="sprache"
    )
    assert _ids(combined) == ["test-landstuhl"]
    assert filter_facilities(located, vg="Landstuhl", category="Verein").empty
    assert isinstance(combined, gpd.GeoDataFrame) and combined.crs.to_epsg() == 4326


def test_filtered_export(located: gpd.GeoDataFrame, tmp_path: Path) -> None:
    out = tmp_path / "weilerbach.csv"
    assert export_facilities(filter_facilities(located, vg="Weilerbach"), "csv", out) == 1
    assert list(_read_csv(out)["id"]) == ["test-weilerbach"]


@pytest.mark.parametrize(
    "kwargs,message,listed",
    [
        ({"vg": "Atlantis"}, "unknown VG 'Atlantis' for vintage 2019", "Landstuhl (073355011)"),
        ({"vg": "073355005"}, "unknown VG", "Weilerbach (073355009)"),
        ({"vg": "Landstuhl", "vintage": 2000}, "unknown vintage 2000", ""),
        ({"category": "Bibliothek"}, "unknown category 'Bibliothek'", "Beratungsstelle"),
        ({"handlungsfeld": "Sport"}, "unknown Handlungsfeld 'Sport'", "sprache (Sprache)"),
    ],
)
def test_filter_errors(located: gpd.GeoDataFrame, kwargs: dict, message: str, listed: str) -> None:
    with pytest.raises(ValueError) as info:
        filter_facilities(located, **kwargs)
    text = error_text(info.value, "en")  # worded per language (German: "Unbekannte VG ...")
    assert message in text and listed in text and "\n" not in text
