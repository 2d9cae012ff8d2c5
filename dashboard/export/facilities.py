"""Export of facilities: CSV for German Excel, XLSX, GeoJSON and GeoPackage.

The input is the output of :func:`dashboard.data.locate.locate`, optionally narrowed with
:func:`filter_facilities`. Every format has the columns :func:`export_columns`: the
stored :class:`~dashboard.domain.model.Facility` fields followed by derived, read-only columns
(Gemeinde and VG of the current boundary vintage, ``outside_district``). The derived
columns are recomputed from the location on every export; an importer ignores them.

Files for people (the pages' downloads and the command line pass a language): the headers
are the labels of the catalogue (``PLZ``, ``Stand``, ``Zuletzt geprüft`` / ``Postcode``,
``Reference date``, ``Last verified``, see :func:`column_labels`), codes are words
(category, precision, status), yes/no is ``ja``/``nein`` (``yes``/``no``) in every
column, dates are German dates (``31.12.2024``; a year or month as its source gives it:
``2012``, ``08.2024``); the importer reads all of it back. Without a language the file
keeps the field names and codes (the interchange format of tests and tools).

Formats
-------
``csv``
    For German Excel: ``;`` separator, UTF-8 with BOM, ``\\r\\n`` line endings, decimal
    comma for ``lat``/``lon`` (full precision), dates ``31.12.2024`` (a reference date
    that its source gives as a year or month stays ``2012`` / ``08.2024``), lists joined with
    ``", "`` (Handlungsfelder as German names), booleans ``ja``/``nein``.
``xlsx``
    Sheet ``Einrichtungen`` with the same columns (real Excel dates for days, a year or
    month as its text, numbers as numbers, yes/no as words) and sheet ``Quellen`` with one
    row per distinct source and reference date.
``geojson``
    RFC 7946 FeatureCollection in EPSG:4326, point geometry (``null`` for unlocated
    facilities), ISO dates, lists as JSON arrays (Handlungsfelder as codes); UTF-8,
    one feature per line, deterministic for the same input.
``gpkg``
    Layer ``einrichtungen``; lists joined with ``|`` (codes), dates as ISO strings.

Formula injection
-----------------
Text is written exactly as stored (names such as ``<script>`` are not altered; escaping
is the job of whatever renders HTML). Spreadsheet programs however evaluate a CSV cell
that starts with ``=``, ``+``, ``-`` or ``@`` (and tab/carriage return, per OWASP) as a
formula. In CSV such a text cell therefore gets a leading apostrophe ``'`` (see
:func:`escape_formula`); a text that already starts with apostrophes followed by such a
character gets one more, so the escaping is exactly reversible. **An importer of these
CSV files must undo it with** :func:`unescape_formula` **on every text cell** (before
splitting lists). Numbers and dates written by this module are never escaped.

In XLSX no apostrophe is needed: openpyxl turns any string starting with ``=`` into a
formula cell (and ``#N/A`` etc. into error cells), so every such cell is forced back to
the string type; Excel shows the text and never evaluates it. Characters that XLSX cannot
store (ASCII control characters other than tab/newline) are replaced by ``U+FFFD``.

All formats are written to a temporary file next to ``out`` and moved into place with
:func:`os.replace`, so a failed export leaves neither a partial file nor a damaged
earlier export.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import shutil
import tempfile
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
from dashboard.domain.dates import precision, source_date
from dashboard.domain.formula import escape_formula
from dashboard.domain.model import CATEGORIES, FACILITY_FIELDS, HANDLUNGSFELDER, handlungsfeld_code
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_, field_label, t
from dashboard.i18n.format import fmt_date, fmt_exact

#: Supported export formats (also the file extensions).
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson", "gpkg")


def derived_columns(vintage: int) -> tuple[str, ...]:
    """Derived, read-only columns appended to the stored fields (VGs of ``vintage``)."""
    return ("gemeinde_name", f"vg_{vintage}", f"vg_rs_{vintage}", "outside_district")


def export_columns(vintage: int) -> list[str]:
    """Export columns in order: the Facility fields, then :func:`derived_columns`."""
    return [*FACILITY_FIELDS, *derived_columns(vintage)]


SHEET_FACILITIES = "Einrichtungen"
SHEET_SOURCES = "Quellen"
GPKG_LAYER = "einrichtungen"
CSV_LIST_SEP = ", "
XLSX_DATE_FORMAT = "DD.MM.YYYY"

#: Catalogue keys of the derived columns' labels (the stored fields use ``f.<field>``).
_DERIVED_LABELS: dict[str, str] = {
    "gemeinde_name": N_("col.gemeinde"),
    "vg": N_("col.vg"),
    "vg_rs": N_("col.vg_rs"),
    "outside_district": N_("col.outside"),
}

_LISTS = ("handlungsfelder", "languages", "target_groups")
_DATES = ("reference_date", "last_verified")
_FLOATS = ("lat", "lon")
_INTS = ("capacity", "version")
_BOOLS = ("outside_district", "unconfirmed")
#: Code columns written as words in a file for people (the importer reads them back).
_WORDS = {"precision": "exp.precision", "status": "status"}


# -- filtering -------------------------------------------------------------------------------
def _vg_choices(membership: pd.DataFrame, vintage: int) -> list[tuple[str, str]]:
    pairs = membership[[f"vg_{vintage}", f"vg_rs_{vintage}"]].drop_duplicates()
    return sorted((str(n), str(k)) for n, k in pairs.itertuples(index=False) if n and k)


def filter_facilities(
    located: gpd.GeoDataFrame,
    vg: str | None = None,
    category: str | None = None,
    handlungsfeld: str | None = None,
    *,
    vintage: int,
    membership: pd.DataFrame,
) -> gpd.GeoDataFrame:
    """Narrow located facilities by Verbandsgemeinde, category and Handlungsfeld.

    Parameters
    ----------
    located
        Output of :func:`dashboard.data.locate.locate`.
    vg
        Name (case-insensitive) or 9-digit key of a VG of ``vintage``; ``None`` for all.
        Facilities without a known VG (unlocated, outside the district) never match.
    category
        A category of :data:`dashboard.domain.model.CATEGORIES` (key, case-insensitive, or its
        German/English label); ``None`` for all.
    handlungsfeld
        A Handlungsfeld code or its German/English name (see
        :func:`dashboard.domain.model.handlungsfeld_code`); ``None`` for all.
    vintage
        Boundary vintage for ``vg`` (one of the membership's).
    membership
        Gemeinde -> VG table listing the valid VGs (from the service).

    Returns
    -------
    geopandas.GeoDataFrame
        The matching rows (all filters combined with AND), original order and index.

    Raises
    ------
    ValueError
        For an unknown vintage, VG, category or Handlungsfeld; the one-line message lists
        the valid values.
    """
    mask = pd.Series(True, index=located.index)
    if vg is not None:
        if f"vg_rs_{vintage}" not in membership.columns:
            raise ValueError(f"unknown vintage {vintage}")
        choices = _vg_choices(membership, vintage)
        wanted = vg.strip()
        keys = [k for n, k in choices if k == wanted or n.casefold() == wanted.casefold()]
        if not keys:
            valid = ", ".join(f"{n} ({k})" for n, k in choices)
            raise ValueError(f"unknown VG {vg!r} for vintage {vintage}; expected one of: {valid}")
        mask &= located[f"vg_rs_{vintage}"].isin(keys).to_numpy()
    if category is not None:
        wanted = category.strip().casefold()
        matches = [
            key
            for key, info in CATEGORIES.items()
            if wanted in (key.casefold(), str(info["de"]).casefold(), str(info["en"]).casefold())
        ]
        if not matches:
            raise ValueError(
                f"unknown category {category!r}; expected one of: {', '.join(CATEGORIES)}"
            )
        mask &= located["category"].isin(matches).to_numpy()
    if handlungsfeld is not None:
        code = handlungsfeld_code(handlungsfeld)
        if code is None:
            valid = ", ".join(f"{c} ({v['de']})" for c, v in HANDLUNGSFELDER.items())
            raise ValueError(
                f"unknown Handlungsfeld {handlungsfeld!r}; expected a code or name: {valid}"
            )
        has = [code in _as_list(v) for v in located["handlungsfelder"]]
        mask &= np.asarray(has, dtype=bool)
    return located[mask.to_numpy()]


# -- normalising values ----------------------------------------------------------------------
def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if _missing(value) or value == "":
        return []
    return [v for v in str(value).split(LIST_SEP) if v]


def _as_date(value: Any) -> dt.date | None:
    if _missing(value) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_source_date(value: Any) -> str | None:
    """A reference date in its source's precision (``2012``, ``2024-08``, ``2024-08-01``)."""
    if _missing(value) or value == "":
        return None
    return source_date(value)


def _excel_date(value: str | None) -> dt.date | str | None:
    """A day as a real Excel date; a year or month as its text (never a made-up 1 January)."""
    if value is None:
        return None
    return dt.date.fromisoformat(value) if precision(value) == "day" else fmt_date(value, "de")


def _normalise(value: Any, column: str) -> Any:
    if column in _LISTS:
        return _as_list(value)
    if column == "reference_date":
        return _as_source_date(value)
    if column in _DATES:
        return _as_date(value)
    if _missing(value):
        return None
    if column in _FLOATS:
        return float(value)
    if column in _INTS:
        return int(value)
    if column in _BOOLS:
        return bool(value)
    return str(value)


def _records(located: gpd.GeoDataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """Rows as plain Python values; ``None`` for missing values."""
    missing = [c for c in columns if c not in located.columns]
    if missing:
        raise ValueError(
            f"cannot export: columns {missing} missing; pass the output of "
            "dashboard.data.locate.locate"
        )
    data = located[columns].to_dict(orient="records")
    return [{c: _normalise(row[c], c) for c in columns} for row in data]


def _points(located: gpd.GeoDataFrame) -> list[tuple[float, float] | None]:
    """``(lon, lat)`` of each row in EPSG:4326, or ``None`` without a point."""
    if located.crs is None:
        raise ValueError("cannot export: the facilities have no CRS")
    geoms = located.geometry
    if located.crs.to_epsg() != 4326:
        geoms = geoms.to_crs(CRS_DISPLAY)
    return [None if g is None or g.is_empty else (float(g.x), float(g.y)) for g in geoms.to_numpy()]


def _derived_key(column: str) -> str:
    return column.rsplit("_", 1)[0] if column.startswith("vg_") else column


def column_labels(lang: str | None, vintage: int) -> list[str]:
    """Header of the files: :func:`export_columns`, or their labels in ``lang``.

    The labels (``PLZ``, ``Zuletzt geprüft``, ``Postcode``, ...) are read back by the
    importer like the field names.
    """
    columns = export_columns(vintage)
    if lang is None:
        return columns
    labels = []
    for c in columns:
        key = _derived_key(c)
        labels.append(
            t(_DERIVED_LABELS[key], lang, vintage=vintage)
            if key in _DERIVED_LABELS and c not in FACILITY_FIELDS
            else field_label(c, lang)
        )
    return labels


def _hf_names(codes: list[str], lang: str) -> list[str]:
    return [HANDLUNGSFELDER[c][lang] if c in HANDLUNGSFELDER else c for c in codes]


@dataclass(frozen=True)
class _Sheet:
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
    if column in _WORDS and lang:
        return t(f"{_WORDS[column]}.{value}", lang)
    if column in _BOOLS:
        return t("yes", lang or DEFAULT_LANGUAGE) if value else t("no", lang or DEFAULT_LANGUAGE)
    return value


def _list_text(value: list[str], column: str, lang: str | None) -> str:
    words = lang or DEFAULT_LANGUAGE  # the interchange format has German words
    items = _hf_names(value, words) if column == "handlungsfelder" else value
    return CSV_LIST_SEP.join(items)


# -- writers ---------------------------------------------------------------------------------
def _csv_cell(value: Any, column: str, lang: str | None) -> str:
    if column in _LISTS:
        return escape_formula(_list_text(value, column, lang))
    value = _word(value, column, lang)
    if value is None:
        return ""
    if column in _DATES:
        return fmt_date(value, "de")
    if column in _FLOATS:
        return fmt_exact(value, "de")  # full precision, decimal comma (German Excel)
    if column in _INTS:
        return str(value)
    return escape_formula(str(value))


def _write_csv(sheet: _Sheet, path: Path) -> None:
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
        return _excel_date(value)
    if column in _LISTS:
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
    lengths = [len(str(v)) for v in frame[column] if v is not None and not _missing(v)]
    return min(max([len(column), 10, *lengths]) + 2, 60)


def _sources_frame(sheet: _Sheet) -> pd.DataFrame:
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
        [
            [_xlsx_text(s) or None, _excel_date(d or None), n]
            for (s, d), n in sorted(counts.items())
        ],
        columns=columns,
        dtype=object,
    )


def _write_xlsx(sheet: _Sheet, path: Path) -> None:
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
    codes); with a language, category, precision and status as words."""
    if column in _LISTS or column in _BOOLS:
        return value
    return _json_value(_word(value, column, lang) if column in ("category", *_WORDS) else value)


def _write_geojson(sheet: _Sheet, path: Path) -> None:
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
        fh.write('{"type": "FeatureCollection", "features": [\n' + body + "\n]}\n")


def _gpkg_column(values: list[Any], column: str, lang: str | None) -> pd.Series:
    if column in _LISTS:
        return pd.Series([LIST_SEP.join(v) for v in values], dtype=object)
    if column in _DATES:
        return pd.Series([_json_value(v) if v else None for v in values], dtype=object)
    if column in _FLOATS:
        return pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    if column in _INTS:
        return pd.Series(values, dtype="Int64")
    if column in _BOOLS:
        return pd.Series(values, dtype="boolean")
    return pd.Series([_property(v, column, lang) for v in values], dtype=object)


def _write_gpkg(sheet: _Sheet, path: Path) -> None:
    columns = {
        h: _gpkg_column([rec[c] for rec in sheet.records], c, sheet.lang)
        for c, h in zip(sheet.columns, sheet.header, strict=True)
    }
    geoms = [Point(*pt) if pt else None for pt in sheet.points]
    gdf = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geoms, crs=CRS_DISPLAY)
    gdf.to_file(path, driver="GPKG", layer=GPKG_LAYER, engine="pyogrio", geometry_type="Point")


_WRITERS: dict[str, Callable[[_Sheet, Path], None]] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "geojson": _write_geojson,
    "gpkg": _write_gpkg,
}


def export_facilities(
    located: gpd.GeoDataFrame, fmt: str, out: Path, lang: str | None = None, *, vintage: int
) -> int:
    """Write located facilities to a file.

    Parameters
    ----------
    located
        Output of :func:`dashboard.data.locate.locate` (possibly filtered with
        :func:`filter_facilities`); rows are written in their order.
    fmt
        One of :data:`EXPORT_FORMATS` (``csv``, ``xlsx``, ``geojson``, ``gpkg``).
    out
        Target file; its folder must exist. An existing file is replaced only when the
        new one is complete.
    lang
        ``de``/``en``: a file for people, headers and words (codes, yes/no,
        Handlungsfelder, sheet names) in that language, in every format; the importer
        reads them back. ``None``: the interchange format (field names and codes).
    vintage
        The boundary vintage of the derived VG columns (the district's current one).

    Returns
    -------
    int
        Number of facilities written.

    Raises
    ------
    ValueError
        For an unknown format or a frame without the columns of :func:`export_columns`.
    """
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    columns = export_columns(vintage)
    sheet = _Sheet(
        _records(located, columns), columns, column_labels(lang, vintage), lang,
        _points(located) if fmt in ("geojson", "gpkg") else [],
    )  # fmt: skip
    out = Path(out)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / f"export.{fmt}"
        _WRITERS[fmt](sheet, tmp)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return len(sheet.records)
