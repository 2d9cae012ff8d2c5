"""Read files as German offices export them into a table of strings with row labels.

CSV (``;``, ``,`` or tab; UTF-8 with or without BOM, or Windows-1252), XLSX, GeoJSON,
GeoPackage and OpenStreetMap (``.osm``, ``.osm.pbf``). Row labels are what the user sees
in the file: the line number of a CSV or the row number in Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.config import CRS_DISPLAY

SUPPORTED = (".csv", ".txt", ".xlsx", ".geojson", ".json", ".gpkg", ".osm", ".pbf")


class ReadError(ValueError):
    """The file cannot be read; the message names the file and what was expected."""


@dataclass
class RawTable:
    """A file's rows as strings.

    Attributes
    ----------
    frame
        One row per data row, every cell a string (``""`` for empty).
    row_labels
        Per row, where the user finds it ("Zeile 7", "Objekt 3", "node/123").
    fmt
        ``csv``, ``xlsx``, ``geojson``, ``gpkg`` or ``osm``.
    info
        Facts about the reading (encoding, separator, sheet, layer).
    canonical
        ``True`` if the columns already carry the canonical names (OSM).
    """

    frame: pd.DataFrame
    row_labels: list[str]
    fmt: str
    info: dict[str, str] = field(default_factory=dict)
    canonical: bool = False


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (BOM)"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _sniff_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ";"


def _read_csv(path: Path) -> RawTable:
    text, encoding = _decode(path.read_bytes())
    first = text.split("\n", 1)[0]
    sep = _sniff_separator(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ReadError(f"{path.name}: empty file; expected a header row and data rows") from exc
    header = [h.strip() for h in header]
    rows: list[list[str]] = []
    labels: list[str] = []
    last_line = reader.line_num
    for record in reader:
        start = last_line + 1
        last_line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        cells = (record + [""] * len(header))[: len(header)]
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            cells.append(sep.join(record[len(header) :]))  # surplus cells kept for the report
        rows.append(cells[: len(header)])
        labels.append(f"Zeile {start}")
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=str)
    sep_name = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}[sep]
    return RawTable(frame, labels, "csv", {"Zeichensatz": encoding, "Trennzeichen": sep_name})


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        name = h or "Spalte"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _cell_text(value: object) -> str:
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, float) and value != value:  # NaN
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def _read_xlsx(path: Path) -> RawTable:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise ReadError(
            f"{path.name}: not a readable XLSX workbook ({exc.__class__.__name__})"
        ) from exc
    ws = wb["Einrichtungen"] if "Einrichtungen" in wb.sheetnames else wb.worksheets[0]
    header: list[str] | None = None
    rows, labels = [], []
    for idx, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if header is None:
            if any(cells):
                header = _unique(cells)
            continue
        if not any(cells):
            continue
        rows.append((cells + [""] * len(header))[: len(header)])
        labels.append(f"Zeile {idx}")
    wb.close()
    if header is None:
        raise ReadError(f"{path.name}: the sheet {ws.title!r} is empty; expected a header row")
    return RawTable(
        pd.DataFrame(rows, columns=header, dtype=str), labels, "xlsx", {"Blatt": ws.title}
    )


def _geo_rows(
    props: list[dict[str, Any]], points: list[tuple[float, float] | None | str]
) -> pd.DataFrame:
    frame = pd.DataFrame(
        [
            {
                k: _cell_text(v) if not isinstance(v, list) else ", ".join(map(str, v))
                for k, v in p.items()
            }
            for p in props
        ]
    )
    lat, lon, err = [], [], []
    for pt in points:
        if isinstance(pt, tuple):
            lon.append(repr(pt[0]))
            lat.append(repr(pt[1]))
            err.append("")
        else:
            lat.append("")
            lon.append("")
            err.append(pt or "")
    if "lat" not in frame.columns or not frame.get("lat", pd.Series(dtype=str)).astype(bool).any():
        frame["lat"] = lat
        frame["lon"] = lon
    frame["_geometry_problem"] = err
    return frame.fillna("").astype(str)


def _read_geojson(path: Path) -> RawTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ReadError(f"{path.name}: not valid GeoJSON ({exc.__class__.__name__})") from exc
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise ReadError(f"{path.name}: expected a GeoJSON FeatureCollection")
    props: list[dict[str, Any]] = []
    points: list[tuple[float, float] | None | str] = []
    for feat in feats:
        props.append(dict(feat.get("properties") or {}))
        geom = feat.get("geometry")
        if geom is None:
            points.append(None)
        elif geom.get("type") == "Point" and len(geom.get("coordinates", [])) >= 2:
            points.append((float(geom["coordinates"][0]), float(geom["coordinates"][1])))
        else:
            points.append(f"Geometrie {geom.get('type')} statt Punkt")
    labels = [f"Objekt {i + 1}" for i in range(len(feats))]
    frame = _geo_rows(props, points) if feats else pd.DataFrame()
    return RawTable(frame, labels, "geojson")


def _read_gpkg(path: Path) -> RawTable:
    import pyogrio

    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:
        raise ReadError(
            f"{path.name}: not a readable GeoPackage ({exc.__class__.__name__})"
        ) from exc
    preferred = [n for n in layers if n.lower() in ("einrichtungen", "facilities")]
    layer = preferred[0] if preferred else layers[0]
    gdf = pyogrio.read_dataframe(path, layer=layer)
    if gdf.crs is not None and hasattr(gdf, "to_crs"):
        gdf = gdf.to_crs(CRS_DISPLAY)
    props: list[dict[str, Any]] = []
    points: list[tuple[float, float] | None | str] = []
    for _, row in gdf.iterrows():
        props.append({k: v for k, v in row.items() if k != gdf.geometry.name})
        geom = row[gdf.geometry.name]
        if geom is None or geom.is_empty:
            points.append(None)
        elif geom.geom_type == "Point":
            points.append((geom.x, geom.y))
        else:
            points.append(f"Geometrie {geom.geom_type} statt Punkt")
    labels = [f"Objekt {i + 1}" for i in range(len(gdf))]
    frame = _geo_rows(props, points) if len(gdf) else pd.DataFrame()
    return RawTable(frame, labels, "gpkg", {"Ebene": layer})


def _read_osm(path: Path) -> RawTable:
    from dashboard.data.importer.osm import read_osm

    try:
        table = read_osm(path)
    except ValueError as exc:
        raise ReadError(str(exc)) from exc
    return RawTable(table.frame, table.row_labels, "osm", canonical=True)


def read_table(path: Path) -> RawTable:
    """Read an import file.

    Parameters
    ----------
    path
        CSV, XLSX, GeoJSON, GeoPackage, ``.osm`` or ``.osm.pbf``.

    Returns
    -------
    RawTable
        The rows as strings with their labels.

    Raises
    ------
    ReadError
        One line naming the file and what was expected.
    """
    if not path.is_file():
        raise ReadError(f"{path}: file not found")
    name = path.name.lower()
    if name.endswith((".csv", ".txt")):
        return _read_csv(path)
    if name.endswith(".xlsx"):
        return _read_xlsx(path)
    if name.endswith((".geojson", ".json")):
        return _read_geojson(path)
    if name.endswith(".gpkg"):
        return _read_gpkg(path)
    if name.endswith((".osm", ".osm.pbf", ".pbf")):
        return _read_osm(path)
    raise ReadError(
        f"{path.name}: unsupported file type; expected CSV, XLSX, GeoJSON, GeoPackage, .osm or .osm.pbf"
    )
