"""The four writers of offer lists (CSV, XLSX, GeoJSON, GeoPackage), cell by cell.

:func:`dashboard.export.facilities.export_facilities` prepares the rows (plain values) and
the header; the writers here turn each value into its cell: words for codes and yes/no in a
file for people, German dates, formula-safe text (see :mod:`dashboard.export.facilities`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from shapely.geometry import Point

from dashboard.config import CRS_DISPLAY
from dashboard.data.records import LIST_SEP
from dashboard.domain.dates import precision
from dashboard.domain.formula import escape_formula
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, field_label, t
from dashboard.i18n.format import fmt_date, fmt_exact

SHEET_FACILITIES = "Einrichtungen"
SHEET_SOURCES = "Quellen"
GPKG_LAYER = "einrichtungen"
CSV_LIST_SEP = ", "
#: The GeoJSON export names its CRS (WGS84 lon/lat, as GDAL writes it; RFC 7946's default).
GEOJSON_CRS = '{"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}'
XLSX_DATE_FORMAT = "DD.MM.YYYY"

#: Columns by kind (how a value is normalised and written).
LISTS = ("handlungsfelder", "languages", "target_groups")
DATES = ("reference_date", "last_verified")
FLOATS = ("lat", "lon")
INTS = ("capacity", "version")
BOOLS = ("outside_district", "unconfirmed")
#: Code columns written as words in a file for people (the importer reads them back).
WORDS = {"precision": "exp.precision", "status": "status"}


def missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def excel_date(value: str | None) -> dt.date | str | None:
    """A day as a real Excel date; a year or month as its text (never a made-up 1 January)."""
    if value is None:
        return None
    return dt.date.fromisoformat(value) if precision(value) == "day" else fmt_date(value, "de")


def _hf_names(codes: list[str], lang: str) -> list[str]:
    return [HANDLUNGSFELDER[c][lang] if c in HANDLUNGSFELDER else c for c in codes]


@dataclass(frozen=True)
class Sheet:
    """What a writer needs: the rows, the columns and their header, the language."""

    records: list[dict[str, Any]]
    columns: list[str]
    header: list[str]
    lang: str | None
    points: list[tuple[float, float] | None]


def _word(value: Any, column: str, lang: str | None) -> Any:
    """A code or yes/no as a word in a file for people (``None`` stays ``None``)."""
    if value is None:
        return None
    if column == "category" and lang:
        return t(f"cat.{value}", lang)
    if column in WORDS and lang:
        return t(f"{WORDS[column]}.{value}", lang)
    if column in BOOLS:
        return t("yes", lang or DEFAULT_LANGUAGE) if value else t("no", lang or DEFAULT_LANGUAGE)
    return value


def _list_text(value: list[str], column: str, lang: str | None) -> str:
    words = lang or DEFAULT_LANGUAGE  # the interchange format has German words
    items = _hf_names(value, words) if column == "handlungsfelder" else value
    return CSV_LIST_SEP.join(items)


# -- writers ---------------------------------------------------------------------------------
def _csv_cell(value: Any, column: str, lang: str | None) -> str:
    if column in LISTS:
        return escape_formula(_list_text(value, column, lang))
    value = _word(value, column, lang)
    if value is None:
        return ""
    if column in DATES:
        return fmt_date(value, "de")
    if column in FLOATS:
        return fmt_exact(value, "de")  # full precision, decimal comma (German Excel)
    if column in INTS:
        return str(value)
    return escape_formula(str(value))


def _write_csv(sheet: Sheet, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(sheet.header)
        for rec in sheet.records:
            writer.writerow([_csv_cell(rec[c], c, sheet.lang) for c in sheet.columns])


def _xlsx_text(value: str) -> str:
    text: str = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return text


def _xlsx_cell(value: Any, column: str, lang: str | None) -> Any:
    if column == "reference_date":
        return excel_date(value)
    if column in LISTS:
        return _xlsx_text(_list_text(value, column, lang)) or None
    value = _word(value, column, lang)
    if isinstance(value, str):
        return _xlsx_text(value) or None
    return value


def _finish_sheet(ws: Any, widths: list[int]) -> None:
    """Force text cells to stay text (no formulas/error values), format dates, size columns."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == "":
                cell.value = None
            elif cell.data_type in ("f", "e"):
                cell.data_type = "s"
            elif cell.data_type == "d":
                cell.number_format = XLSX_DATE_FORMAT
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _width(frame: pd.DataFrame, column: str) -> int:
    lengths = [len(str(v)) for v in frame[column] if v is not None and not missing(v)]
    return min(max([len(column), 10, *lengths]) + 2, 60)


def _sources_frame(sheet: Sheet) -> pd.DataFrame:
    """One row per distinct source and reference date, with the number of offers."""
    counts: dict[tuple[str, str], int] = {}
    for rec in sheet.records:
        key = (rec["source"] or "", rec["reference_date"] or "")
        counts[key] = counts.get(key, 0) + 1
    lang = sheet.lang
    columns = (
        ["source", "reference_date", "facilities"]
        if lang is None
        else [field_label("source", lang), field_label("reference_date", lang),
              t("col.facilities", lang)]
    )  # fmt: skip
    return pd.DataFrame(
        [[_xlsx_text(s) or None, excel_date(d or None), n] for (s, d), n in sorted(counts.items())],
        columns=columns,
        dtype=object,
    )


def _write_xlsx(sheet: Sheet, path: Path) -> None:
    rows = [[_xlsx_cell(rec[c], c, sheet.lang) for c in sheet.columns] for rec in sheet.records]
    main = pd.DataFrame(rows, columns=sheet.header, dtype=object)
    names = (
        (SHEET_FACILITIES, SHEET_SOURCES)
        if sheet.lang is None
        else (t("exp.sheet.facilities", sheet.lang), t("exp.sheet.sources", sheet.lang))
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in zip(names, (main, _sources_frame(sheet)), strict=True):
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            widths = [_width(frame, c) for c in frame.columns]
            _finish_sheet(writer.sheets[name], widths)
        writer.sheets[names[0]].auto_filter.ref = writer.sheets[names[0]].dimensions


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _property(value: Any, column: str, lang: str | None) -> Any:
    """A GeoJSON/GeoPackage value: typed (numbers, yes/no as booleans, ISO dates, lists of
    codes, the category as its code: the styles of a GIS key on it); with a language,
    precision and status as words."""
    if column in LISTS or column in BOOLS:
        return value
    return _json_value(_word(value, column, lang) if column in WORDS else value)


def _write_geojson(sheet: Sheet, path: Path) -> None:
    features = [
        {
            "type": "Feature",
            "id": rec["id"],
            "geometry": {"type": "Point", "coordinates": list(pt)} if pt else None,
            "properties": {
                h: _property(rec[c], c, sheet.lang)
                for c, h in zip(sheet.columns, sheet.header, strict=True)
            },
        }
        for rec, pt in zip(sheet.records, sheet.points, strict=True)
    ]
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features]
    body = ",\n".join(lines)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f'{{"type": "FeatureCollection", "crs": {GEOJSON_CRS}, "features": [\n')
        fh.write(body + "\n]}\n")


def _gpkg_column(values: list[Any], column: str, lang: str | None) -> pd.Series:
    if column in LISTS:
        return pd.Series([LIST_SEP.join(v) for v in values], dtype=object)
    if column in DATES:
        return pd.Series([_json_value(v) if v else None for v in values], dtype=object)
    if column in FLOATS:
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if column in INTS:
        return pd.Series(values, dtype="Int64")
    if column in BOOLS:
        return pd.Series(values, dtype="boolean")
    return pd.Series([_property(v, column, lang) for v in values], dtype=object)


def _write_gpkg(sheet: Sheet, path: Path) -> None:
    columns = {
        h: _gpkg_column([rec[c] for rec in sheet.records], c, sheet.lang)
        for c, h in zip(sheet.columns, sheet.header, strict=True)
    }
    geoms = [Point(*pt) if pt else None for pt in sheet.points]
    gdf = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geoms, crs=CRS_DISPLAY)
    gdf.to_file(path, driver="GPKG", layer=GPKG_LAYER, engine="pyogrio", geometry_type="Point")


WRITERS: dict[str, Callable[[Sheet, Path], None]] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "geojson": _write_geojson,
    "gpkg": _write_gpkg,
}
