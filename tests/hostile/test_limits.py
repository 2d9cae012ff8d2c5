"""Each import limit: configurable, and its message names the limit and the value found."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from dashboard.data.importer.limits import Limits, import_limits
from dashboard.data.importer.readers import ReadError, read_table
from tests.hostile import corpus

SMALL = Limits(max_mb=1, max_rows=10, max_columns=5, max_cell_chars=100)


def _refusal(path: Path, limits: Limits = SMALL) -> tuple[str, dict[str, object], str]:
    with pytest.raises(ReadError) as info:
        read_table(path, limits)
    detail = info.value.message.values["detail"]
    return detail.key, dict(detail.values), info.value.text("en")  # type: ignore[attr-defined]


def _csv(path: Path, rows: int, columns: int = 3) -> Path:
    header = ";".join(f"Spalte {i}" for i in range(columns))
    lines = [header] + [";".join(f"w{r}" for _ in range(columns)) for r in range(rows)]
    path.write_text("\r\n".join(lines), encoding="utf-8")
    return path


def test_defaults_fit_a_landkreis_and_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert import_limits() == Limits(
        max_mb=20, max_rows=50_000, max_columns=200, max_cell_chars=10_000
    )
    monkeypatch.setenv("INTEGRATIONSATLAS_IMPORT_MAX_MB", "5")
    monkeypatch.setenv("INTEGRATIONSATLAS_IMPORT_MAX_ROWS", "1_000")
    assert import_limits() == Limits(max_mb=5, max_rows=1000)
    monkeypatch.setenv("INTEGRATIONSATLAS_IMPORT_MAX_ROWS", "viele")
    with pytest.raises(ValueError, match="INTEGRATIONSATLAS_IMPORT_MAX_ROWS='viele'"):
        import_limits()
    monkeypatch.setenv("INTEGRATIONSATLAS_IMPORT_MAX_ROWS", "0")
    with pytest.raises(ValueError, match="whole number >= 1"):
        import_limits()


def test_file_size_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "gross.csv"
    path.write_bytes(b"Name;Kategorie\r\n" + b"x;Kita\r\n" * 200_000)  # 1.6 MB
    key, values, english = _refusal(path)
    assert key == "imp.err.file_size" and values == {"found": 1.6, "limit": 1}
    assert english == (
        "gross.csv: the file is 1.6 MB, at most 1 MB are allowed "
        "(setting INTEGRATIONSATLAS_IMPORT_MAX_MB)"
    )


def test_rows_columns_and_cells(tmp_path: Path) -> None:
    key, values, _ = _refusal(_csv(tmp_path / "zeilen.csv", 25))
    assert key == "imp.err.rows" and values == {"found": 25, "limit": 10}
    key, values, _ = _refusal(_csv(tmp_path / "spalten.csv", 2, columns=8))
    assert key == "imp.err.columns" and values == {"found": 8, "limit": 5}
    path = tmp_path / "zelle.csv"
    path.write_text("Name;Kategorie\r\n" + "x" * 101 + ";Kita\r\n", encoding="utf-8")
    raw = read_table(path, SMALL)
    ((column, message, value),) = raw.cell_problems[0]
    assert column == "Name" and message.key == "imp.prob.cell_too_long"
    assert dict(message.values) == {"length": 101, "limit": 100} and raw.frame.iloc[0, 0] == ""


def test_xlsx_rows_are_counted_while_streaming(tmp_path: Path) -> None:
    rows = [corpus._inline_row(n, ("x", "Kita")) for n in range(1, 30)]
    path = corpus.write_xlsx(tmp_path / "zeilen.xlsx", rows)  # no dimension: counted
    key, values, _ = _refusal(path)
    assert key == "imp.err.rows" and values == {"found": 28, "limit": 10}
    path = corpus.write_xlsx(tmp_path / "dim.xlsx", rows, dimension="A1:B29")
    key, values, _ = _refusal(path)
    assert key == "imp.err.xlsx_dimension" and values["rows"] == 29


def test_geojson_and_geopackage_features(tmp_path: Path) -> None:
    feats = [
        {"type": "Feature", "properties": {"Name": f"x{i}"}, "geometry": None} for i in range(12)
    ]
    path = tmp_path / "viele.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    key, values, _ = _refusal(path)
    assert key == "imp.err.rows" and values == {"found": 12, "limit": 10}
    gpkg = tmp_path / "viele.gpkg"
    gpd.GeoDataFrame(
        {"Name": [f"x{i}" for i in range(12)]},
        geometry=[Point(7.5, 49.4)] * 12,
        crs="EPSG:4326",
    ).to_file(gpkg, layer="einrichtungen", driver="GPKG")
    key, values, _ = _refusal(gpkg)
    assert key == "imp.err.rows" and values == {"found": 12, "limit": 10}


def test_osm_elements(tmp_path: Path) -> None:
    nodes = "".join(
        f'<node id="{i}" lat="49.4" lon="7.5" version="1"><tag k="name" v="x{i}"/>'
        '<tag k="amenity" v="kindergarten"/></node>'
        for i in range(1, 13)
    )
    path = tmp_path / "viele.osm"
    path.write_text(f'<?xml version="1.0"?><osm version="0.6">{nodes}</osm>')
    key, values, _ = _refusal(path)
    assert key == "imp.err.rows" and values == {"found": 12, "limit": 10}


def test_xlsx_texts_together_are_bounded(tmp_path: Path) -> None:
    """A long string that no cell uses is still read into memory by openpyxl: refused."""
    shared = [b"<si><t>kurz</t></si><si><t>", b"L" * (3 * 1024 * 1024), b"</t></si>"]
    rows = [
        corpus._inline_row(1, ("Name", "Kategorie")),
        b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
    ]
    path = corpus.write_xlsx(tmp_path / "texte.xlsx", rows, shared=shared)
    key, values, english = _refusal(path)
    assert key == "imp.err.xlsx_text" and values == {"limit": 2 * 1024 * 1024}
    assert "more than 2,097,152 characters" in english
    rows[1] = b'<row r="2"><c r="A2" t="s"><v>1</v></c></row>'  # a cell uses the long one
    path = corpus.write_xlsx(tmp_path / "zelle.xlsx", rows, shared=shared)
    key, values, _ = _refusal(path)
    assert key == "imp.err.xlsx_cell" and values["cell"] == "A2"
