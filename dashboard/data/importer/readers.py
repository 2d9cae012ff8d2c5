"""Read files as German offices export them into a table of strings with row labels.

CSV (``;``, ``,`` or tab; UTF-8 with or without BOM, UTF-16 with BOM, or Windows-1252),
XLSX, GeoJSON, GeoPackage and OpenStreetMap (``.osm``, ``.osm.pbf``). Row labels are what
the user sees in the file: the line number of a CSV or the row number in Excel.

Every reader keeps to the import limits (:mod:`dashboard.data.importer.limits`): the file
size is checked before the file is opened, the rows and columns before or while they are
read (an XLSX workbook is checked part by part before openpyxl reads it:
:mod:`dashboard.data.importer.xlsx`), and a cell over the length limit becomes a problem
of its row in the validation report.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard.config import CRS_DISPLAY
from dashboard.data.importer.labels import feature, line
from dashboard.data.importer.limits import MAX_JSON_DEPTH, Limits, import_limits, json_depth_ok
from dashboard.data.importer.xlsx import XlsxRefused, inspect_xlsx
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError, Message

SUPPORTED = (".csv", ".txt", ".xlsx", ".geojson", ".json", ".gpkg", ".osm", ".pbf")


#: Shown instead of a value too long for the report.
_PREVIEW = 200


class ReadError(LocalizedError, ValueError):
    """The file cannot be read; the message names the file and what was expected, or the
    limit exceeded and the value found."""


def refuse(name: str, key: str | Message, **params: object) -> ReadError:
    """The refusal of a file: ``<file>: <reason>`` (a catalogue key with its values)."""
    detail = key if isinstance(key, Message) else Message.of(key, **params)
    return ReadError(Message.of(N_("imp.err.in_file"), file=name, detail=detail))


@dataclass
class RawTable:
    """A file's rows as strings.

    Attributes
    ----------
    frame
        One row per data row, every cell a string (``""`` for empty).
    row_labels
        Per row, where the user finds it ("Zeile 7", "Objekt 3", "node/123";
        :mod:`dashboard.data.importer.labels`).
    fmt
        ``csv``, ``xlsx``, ``geojson``, ``gpkg`` or ``osm``.
    info
        Facts about the reading: ``encoding``, ``separator`` (``semicolon``, ``comma``,
        ``tab``), ``sheet``, ``layer``.
    canonical
        ``True`` if the columns already carry the canonical names (OSM).
    cell_problems
        Row index -> problems found while reading (a cell over the length limit, a
        geometry that is not a point): ``(column, message, value)``. A problem in a column
        that the mapping ignores does not count; ``geometry`` always does.
    """

    frame: pd.DataFrame
    row_labels: list[str]
    fmt: str
    info: dict[str, str] = field(default_factory=dict)
    canonical: bool = False
    cell_problems: dict[int, list[tuple[str, Message, str]]] = field(default_factory=dict)


def preview(text: str) -> str:
    """A long value shortened for the report (``first 200 characters…``)."""
    return text if len(text) <= _PREVIEW else text[:_PREVIEW] + "…"


class _Cells:
    """Keeps cells within the length limit; over-long ones become problems of their row."""

    def __init__(self, limits: Limits) -> None:
        self.limit = limits.max_cell_chars
        self.problems: dict[int, list[tuple[str, Message, str]]] = {}

    def check(self, row: int, header: list[str], cells: list[str]) -> list[str]:
        for i, cell in enumerate(cells):
            if len(cell) > self.limit:
                column = header[i] if i < len(header) else "?"
                msg = Message.of(N_("imp.prob.cell_too_long"), length=len(cell), limit=self.limit)
                self.problems.setdefault(row, []).append((column, msg, preview(cell)))
                cells[i] = ""
        return cells


# -- CSV ------------------------------------------------------------------------------------
def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and encoding: UTF-8 (with or without BOM), UTF-16 (BOM), else Windows-1252."""
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "UTF-8 (BOM)"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16"), "UTF-16 (BOM)"
    except UnicodeDecodeError as exc:
        raise refuse(name, N_("imp.err.encoding_broken"), detail=str(exc.reason)) from None
    if b"\x00" in data[:4096]:
        even, odd = data[0:4096:2].count(0), data[1:4096:2].count(0)
        guess = "utf-16-le" if odd > even else "utf-16-be"
        try:
            return data.decode(guess), "UTF-16 (ohne BOM)"
        except UnicodeDecodeError:
            raise refuse(name, N_("imp.err.binary")) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _sniff_separator(header: str) -> str:
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    return max(counts, key=lambda s: counts[s]) if any(counts.values()) else ";"


def _read_csv(path: Path, name: str, limits: Limits) -> RawTable:
    text, encoding = _decode(path.read_bytes(), name)
    if "\x00" in text:
        raise refuse(name, N_("imp.err.binary"))
    first = text.split("\n", 1)[0]
    sep = _sniff_separator(first)
    if csv.field_size_limit() < limits.max_bytes:  # the file's size bounds every field
        csv.field_size_limit(limits.max_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise refuse(name, N_("imp.err.empty")) from None
    except csv.Error as exc:
        raise refuse(name, N_("imp.err.csv_syntax"), line=1, detail=str(exc)) from None
    if len(header) > limits.max_columns:
        raise refuse(name, N_("imp.err.columns"), found=len(header), limit=limits.max_columns)
    header = [h.strip()[: limits.max_cell_chars] for h in header]
    cells_ok = _Cells(limits)
    rows: list[list[str]] = []
    labels: list[str] = []
    last_line = reader.line_num
    try:
        for record in reader:
            start = last_line + 1
            last_line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= limits.max_rows:
                found = len(rows) + 1 + sum(1 for r in reader if any(c.strip() for c in r))
                raise refuse(name, N_("imp.err.rows"), found=found, limit=limits.max_rows)
            cells = (record + [""] * len(header))[: len(header)]
            rows.append(cells_ok.check(len(rows), header, cells))
            labels.append(line(start))
    except csv.Error as exc:
        raise refuse(
            name, N_("imp.err.csv_syntax"), line=reader.line_num, detail=str(exc)
        ) from None
    frame = pd.DataFrame(rows, columns=_unique(header), dtype=str)
    sep_code = {";": "semicolon", ",": "comma", "\t": "tab"}[sep]
    return RawTable(
        frame,
        labels,
        "csv",
        {"encoding": encoding, "separator": sep_code},
        cell_problems=cells_ok.problems,
    )


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


def cell_text(value: object) -> str:
    """A cell's value as text: a day as ISO date, a whole float without ``.0``, else ``str``."""
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


def _read_xlsx(path: Path, name: str, limits: Limits) -> RawTable:
    from openpyxl import load_workbook

    try:
        facts = inspect_xlsx(path, limits)  # streams the parts; nothing kept in memory
    except XlsxRefused as exc:
        raise refuse(name, exc.message) from None
    if facts.rows == 0:
        raise refuse(name, N_("imp.err.xlsx_empty"), sheet=facts.title)
    try:
        wb = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises several types for broken files
        raise refuse(name, N_("imp.err.xlsx_not_zip"), detail=exc.__class__.__name__) from None
    try:
        ws = wb[facts.title]
        if getattr(ws, "_worksheet_path", facts.part) != facts.part:  # not the part checked
            raise refuse(name, N_("imp.err.xlsx_broken"), part=facts.part, detail="sheet")
        header: list[str] | None = None
        cells_ok = _Cells(limits)
        rows: list[list[str]] = []
        labels: list[str] = []
        bounded = ws.iter_rows(
            max_row=facts.last_row, max_col=max(facts.last_column, 1), values_only=True
        )
        for idx, values in enumerate(bounded, start=1):
            cells = [cell_text(v) for v in values]
            if header is None:
                if any(cells):
                    header = _unique(cells)
                continue
            if not any(cells):
                continue
            rows.append(
                cells_ok.check(len(rows), header, (cells + [""] * len(header))[: len(header)])
            )
            labels.append(line(idx))
    finally:
        wb.close()
    if header is None:
        raise refuse(name, N_("imp.err.xlsx_empty"), sheet=facts.title)
    return RawTable(
        pd.DataFrame(rows, columns=header, dtype=str),
        labels,
        "xlsx",
        {"sheet": facts.title},
        cell_problems=cells_ok.problems,
    )


Point = tuple[float, float] | None | Message


def _geo_rows(
    props: list[dict[str, Any]], points: list[Point], limits: Limits
) -> tuple[pd.DataFrame, dict[int, list[tuple[str, Message, str]]]]:
    cells_ok = _Cells(limits)
    records: list[dict[str, str]] = []
    for i, p in enumerate(props):
        keys = list(p)
        values = cells_ok.check(i, keys, [_prop_text(p[k]) for k in keys])
        records.append(dict(zip(keys, values, strict=True)))
    frame = pd.DataFrame(records)
    lat, lon = [], []
    problems = cells_ok.problems
    for i, pt in enumerate(points):
        if isinstance(pt, tuple):
            lon.append(repr(pt[0]))
            lat.append(repr(pt[1]))
        else:
            lat.append("")
            lon.append("")
            if isinstance(pt, Message):
                problems.setdefault(i, []).append(("geometry", pt, ""))
    if "lat" not in frame.columns or not frame.get("lat", pd.Series(dtype=str)).astype(bool).any():
        frame["lat"] = lat
        frame["lon"] = lon
    return frame.fillna("").astype(str), problems


def _prop_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(_prop_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return cell_text(value)


def _point(feat: object) -> Point:
    """The point of one feature, ``None`` without geometry, or the problem."""
    if not isinstance(feat, dict):
        return Message.of(N_("imp.prob.feature_not_object"))
    geom = feat.get("geometry")
    if geom is None:
        return None
    if not isinstance(geom, dict):
        return Message.of(N_("imp.prob.geometry_not_object"))
    kind = geom.get("type")
    if kind != "Point":
        return Message.of(N_("imp.prob.geometry_type"), type=preview(str(kind)))
    coords = geom.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return Message.of(N_("imp.prob.coordinates"))
    x, y = float(coords[0]), float(coords[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        return Message.of(N_("imp.prob.coordinates_not_finite"))
    return (x, y)


def _read_geojson(path: Path, name: str, limits: Limits) -> RawTable:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise refuse(name, N_("imp.err.json_encoding")) from None
    if not json_depth_ok(text):
        raise refuse(name, N_("imp.err.json_depth"), limit=MAX_JSON_DEPTH)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise refuse(
            name, N_("imp.err.json_invalid"), line=exc.lineno, column=exc.colno, detail=exc.msg
        ) from None
    except RecursionError:
        raise refuse(name, N_("imp.err.json_depth"), limit=MAX_JSON_DEPTH) from None
    feats = data.get("features") if isinstance(data, dict) else None
    if not isinstance(feats, list):
        raise refuse(name, N_("imp.err.not_feature_collection"))
    if len(feats) > limits.max_rows:
        raise refuse(name, N_("imp.err.rows"), found=len(feats), limit=limits.max_rows)
    props: list[dict[str, Any]] = []
    points: list[Point] = []
    columns: set[str] = set()
    for feat in feats:
        raw_props = feat.get("properties") if isinstance(feat, dict) else None
        props.append(dict(raw_props) if isinstance(raw_props, dict) else {})
        columns.update(props[-1])
        if len(columns) > limits.max_columns:
            raise refuse(name, N_("imp.err.columns"), found=len(columns), limit=limits.max_columns)
        points.append(_point(feat))
    labels = [feature(i + 1) for i in range(len(feats))]
    if not feats:
        return RawTable(pd.DataFrame(), labels, "geojson")
    frame, problems = _geo_rows(props, points, limits)
    return RawTable(frame, labels, "geojson", cell_problems=problems)


def _read_gpkg(path: Path, name: str, limits: Limits) -> RawTable:
    import pyogrio

    try:
        layers = [str(layer) for layer, _ in pyogrio.list_layers(path)]
        preferred = [n for n in layers if n.lower() in ("einrichtungen", "facilities")]
        layer = preferred[0] if preferred else layers[0]
        meta = pyogrio.read_info(path, layer=layer)
    except Exception as exc:
        raise refuse(name, N_("imp.err.gpkg_unreadable"), detail=exc.__class__.__name__) from None
    if int(meta.get("features") or 0) > limits.max_rows:
        raise refuse(name, N_("imp.err.rows"), found=int(meta["features"]), limit=limits.max_rows)
    if len(meta.get("fields", ())) > limits.max_columns:
        raise refuse(
            name, N_("imp.err.columns"), found=len(meta["fields"]), limit=limits.max_columns
        )
    try:
        gdf = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise refuse(name, N_("imp.err.gpkg_unreadable"), detail=exc.__class__.__name__) from None
    if gdf.crs is not None and hasattr(gdf, "to_crs"):
        gdf = gdf.to_crs(CRS_DISPLAY)
    props: list[dict[str, Any]] = []
    points: list[Point] = []
    for _, row in gdf.iterrows():
        props.append({k: v for k, v in row.items() if k != gdf.geometry.name})
        geom = row[gdf.geometry.name]
        if geom is None or geom.is_empty:
            points.append(None)
        elif geom.geom_type == "Point" and math.isfinite(geom.x) and math.isfinite(geom.y):
            points.append((geom.x, geom.y))
        elif geom.geom_type == "Point":
            points.append(Message.of(N_("imp.prob.coordinates_not_finite")))
        else:
            points.append(Message.of(N_("imp.prob.geometry_type"), type=geom.geom_type))
    labels = [feature(i + 1) for i in range(len(gdf))]
    if not len(gdf):
        return RawTable(pd.DataFrame(), labels, "gpkg", {"layer": layer})
    frame, problems = _geo_rows(props, points, limits)
    return RawTable(frame, labels, "gpkg", {"layer": layer}, cell_problems=problems)


def _read_osm(path: Path, name: str, limits: Limits) -> RawTable:
    from dashboard.data.importer.osm import OsmTooLarge, OsmUnreadable, read_osm

    try:
        table = read_osm(path, max_rows=limits.max_rows)
    except OsmTooLarge as exc:
        raise refuse(name, N_("imp.err.rows"), found=exc.found, limit=limits.max_rows) from None
    except OsmUnreadable as exc:  # the reader's reason, without the folder
        detail = exc.detail.replace(str(path.parent), "").replace(path.name, name)
        raise refuse(name, N_("imp.err.osm_unreadable"), detail=detail) from None
    cells_ok = _Cells(limits)
    frame = table.frame
    header = list(frame.columns)
    if len(frame):
        checked = [
            cells_ok.check(i, header, list(r)) for i, r in enumerate(frame.itertuples(index=False))
        ]
        frame = pd.DataFrame(checked, columns=header, dtype=str)
    return RawTable(frame, table.row_labels, "osm", canonical=True, cell_problems=cells_ok.problems)


_READERS = {
    (".csv", ".txt"): _read_csv,
    (".xlsx",): _read_xlsx,
    (".geojson", ".json"): _read_geojson,
    (".gpkg",): _read_gpkg,
    (".osm", ".osm.pbf", ".pbf"): _read_osm,
}


def read_table(path: Path, limits: Limits | None = None, name: str | None = None) -> RawTable:
    """Read an import file within the import limits.

    Parameters
    ----------
    path
        CSV, XLSX, GeoJSON, GeoPackage, ``.osm`` or ``.osm.pbf``.
    limits
        The bounds; default :func:`dashboard.data.importer.limits.import_limits`.
    name
        The file's name as the user knows it (for messages); default ``path.name``. No
        message names the folder the file is in.

    Returns
    -------
    RawTable
        The rows as strings with their labels.

    Raises
    ------
    ReadError
        One line naming the file and what was expected, or the limit exceeded and the
        value found (the file size is checked before the file is opened).
    """
    limits = limits or import_limits()
    shown = name or path.name
    if not path.is_file():
        raise refuse(shown, N_("imp.err.not_found"))
    lower = path.name.lower()
    reader = next((r for ends, r in _READERS.items() if lower.endswith(ends)), None)
    if reader is None:
        raise refuse(shown, N_("imp.err.unsupported"))
    check_size(path.stat().st_size, shown, limits)
    return reader(path, shown, limits)


def check_size(size: int, name: str, limits: Limits | None = None) -> None:
    """Refuse a file larger than the import limit (before it is written or opened).

    Raises
    ------
    ReadError
        Naming the file, its size and the limit (MB, one decimal).
    """
    limits = limits or import_limits()
    if size > limits.max_bytes:
        raise refuse(
            name,
            N_("imp.err.file_size"),
            found=math.ceil(size / (1024 * 1024) * 10) / 10,
            limit=limits.max_mb,
        )
