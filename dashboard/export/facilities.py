"""Export of facilities: CSV for German Excel, XLSX, GeoJSON and GeoPackage.

The input is the output of :func:`dashboard.data.locate.locate`, optionally narrowed with
:func:`filter_facilities`. Every format has the columns :data:`EXPORT_COLUMNS`: the
stored :class:`~dashboard.domain.model.Facility` fields followed by derived, read-only columns
(Gemeinde and VG of the current boundary vintage, ``outside_district``). The derived
columns are recomputed from the location on every export; an importer ignores them.

By default (the command line) the CSV and XLSX headers are these field names; the
downloads of the pages pass the user's language, and the headers are then the labels of
the catalogue (``PLZ``, ``Zuletzt geprüft`` / ``Postcode``, ``Last verified``, see
:func:`column_labels`), which the importer reads back as well.

Formats
-------
``csv``
    For German Excel: ``;`` separator, UTF-8 with BOM, ``\\r\\n`` line endings, decimal
    comma for ``lat``/``lon`` (full precision), dates ``31.12.2024`` (a reference date
    that its source gives as a year or month stays ``2012`` / ``08.2024``), lists joined with
    ``", "`` (Handlungsfelder as German names), booleans ``ja``/``nein``.
``xlsx``
    Sheet ``Einrichtungen`` with the same columns (real Excel dates for days, a year or
    month as its text, numbers as numbers,
    booleans as booleans) and sheet ``Quellen`` with one row per distinct source and
    reference date.
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
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from shapely.geometry import Point

from dashboard.config import CRS_DISPLAY, CURRENT_VINTAGE, VINTAGES, get_settings
from dashboard.data.population import load_membership
from dashboard.data.records import LIST_SEP
from dashboard.domain.dates import precision, source_date
from dashboard.domain.formula import escape_formula
from dashboard.domain.model import CATEGORIES, FACILITY_FIELDS, HANDLUNGSFELDER, handlungsfeld_code
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_, field_label, t
from dashboard.i18n.format import fmt_date, fmt_exact

#: Supported export formats (also the file extensions).
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson", "gpkg")

#: Derived, read-only columns appended to the stored fields (current boundary vintage).
DERIVED_COLUMNS: tuple[str, ...] = (
    "gemeinde_name",
    f"vg_{CURRENT_VINTAGE}",
    f"vg_rs_{CURRENT_VINTAGE}",
    "outside_district",
)

#: Export columns in order: the Facility fields, then the derived columns.
EXPORT_COLUMNS: list[str] = [*FACILITY_FIELDS, *DERIVED_COLUMNS]

SHEET_FACILITIES = "Einrichtungen"
SHEET_SOURCES = "Quellen"
GPKG_LAYER = "einrichtungen"
CSV_LIST_SEP = ", "
#: The GeoJSON export names its CRS (WGS84 lon/lat, as GDAL writes it; RFC 7946's default).
GEOJSON_CRS = '{"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}'
XLSX_DATE_FORMAT = "DD.MM.YYYY"

#: Catalogue keys of the derived columns' labels (the stored fields use ``f.<field>``).
_DERIVED_LABELS: dict[str, str] = {
    "gemeinde_name": N_("col.gemeinde"),
    f"vg_{CURRENT_VINTAGE}": N_("col.vg"),
    f"vg_rs_{CURRENT_VINTAGE}": N_("col.vg_rs"),
    "outside_district": N_("col.outside"),
}

_LISTS = ("handlungsfelder", "languages", "target_groups")
_DATES = ("reference_date", "last_verified")
_FLOATS = ("lat", "lon")
_INTS = ("capacity", "version")
_BOOLS = ("outside_district",)


def gpkg_column(field: str) -> str:
    """The column of the GeoPackage layer :data:`GPKG_LAYER` that holds a field (styles
    look their fields up here).

    Raises
    ------
    KeyError
        For a field the export does not write.
    """
    if field not in EXPORT_COLUMNS:
        raise KeyError(field)
    return field


# -- filtering -------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _default_membership(datasets_dir: Path) -> pd.DataFrame:
    return load_membership(datasets_dir)


def _vg_choices(membership: pd.DataFrame, vintage: int) -> list[tuple[str, str]]:
    pairs = membership[[f"vg_{vintage}", f"vg_rs_{vintage}"]].drop_duplicates()
    return sorted((str(n), str(k)) for n, k in pairs.itertuples(index=False) if n and k)


def filter_facilities(
    located: gpd.GeoDataFrame,
    vg: str | None = None,
    category: str | None = None,
    handlungsfeld: str | None = None,
    vintage: int = CURRENT_VINTAGE,
    *,
    membership: pd.DataFrame | None = None,
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
        Boundary vintage for ``vg`` (2013, 2014 or 2019).
    membership
        Gemeinde -> VG table listing the valid VGs; defaults to the shipped
        ``datasets/`` (:func:`dashboard.data.population.load_membership`).

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
        if vintage not in VINTAGES:
            raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(VINTAGES)}")
        if membership is None:
            membership = _default_membership(get_settings().datasets_dir)
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


def _records(located: gpd.GeoDataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values; ``None`` for missing values."""
    missing = [c for c in EXPORT_COLUMNS if c not in located.columns]
    if missing:
        raise ValueError(
            f"cannot export: columns {missing} missing; pass the output of "
            "dashboard.data.locate.locate"
        )
    data = located[EXPORT_COLUMNS].to_dict(orient="records")
    return [{c: _normalise(row[c], c) for c in EXPORT_COLUMNS} for row in data]


def _points(located: gpd.GeoDataFrame) -> list[tuple[float, float] | None]:
    """``(lon, lat)`` of each row in EPSG:4326, or ``None`` without a point."""
    if located.crs is None:
        raise ValueError("cannot export: the facilities have no CRS")
    geoms = located.geometry
    if located.crs.to_epsg() != 4326:
        geoms = geoms.to_crs(CRS_DISPLAY)
    return [None if g is None or g.is_empty else (float(g.x), float(g.y)) for g in geoms.to_numpy()]


def column_labels(lang: str | None) -> list[str]:
    """Header of the CSV and XLSX files: :data:`EXPORT_COLUMNS`, or their labels in ``lang``.

    The labels (``PLZ``, ``Zuletzt geprüft``, ``Postcode``, ...) are read back by the
    importer like the field names.
    """
    if lang is None:
        return list(EXPORT_COLUMNS)
    return [
        t(_DERIVED_LABELS[c], lang) if c in _DERIVED_LABELS else field_label(c, lang)
        for c in EXPORT_COLUMNS
    ]


def _hf_names(codes: list[str], lang: str) -> list[str]:
    return [HANDLUNGSFELDER[c][lang] if c in HANDLUNGSFELDER else c for c in codes]


# -- writers ---------------------------------------------------------------------------------
def _csv_cell(value: Any, column: str, lang: str | None) -> str:
    if column == "category" and lang:
        return t(f"cat.{value}", lang)
    words = lang or DEFAULT_LANGUAGE  # the interchange format has German words
    if column in _LISTS:
        items = _hf_names(value, words) if column == "handlungsfelder" else value
        return escape_formula(CSV_LIST_SEP.join(items))
    if value is None:
        return ""
    if column in _DATES:
        return fmt_date(value, "de")
    if column in _FLOATS:
        return fmt_exact(value, "de")  # full precision, decimal comma (German Excel)
    if column in _INTS:
        return str(value)
    if column in _BOOLS:
        return t("yes", words) if value else t("no", words)
    return escape_formula(value)


def _write_csv(located: gpd.GeoDataFrame, path: Path, lang: str | None) -> int:
    records = _records(located)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(column_labels(lang))
        for rec in records:
            writer.writerow([_csv_cell(rec[c], c, lang) for c in EXPORT_COLUMNS])
    return len(records)


def _xlsx_text(value: str) -> str:
    text: str = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return text


def _xlsx_cell(value: Any, column: str, lang: str | None) -> Any:
    if column == "category" and lang:
        return t(f"cat.{value}", lang)
    if column == "reference_date":
        return _excel_date(value)
    if column in _LISTS:
        words = lang or DEFAULT_LANGUAGE
        items = _hf_names(value, words) if column == "handlungsfelder" else value
        return _xlsx_text(CSV_LIST_SEP.join(items)) or None
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


def _write_xlsx(located: gpd.GeoDataFrame, path: Path, lang: str | None) -> int:
    records = _records(located)
    rows = [[_xlsx_cell(rec[c], c, lang) for c in EXPORT_COLUMNS] for rec in records]
    main = pd.DataFrame(rows, columns=column_labels(lang), dtype=object)
    counts: dict[tuple[str, str], int] = {}
    for rec in records:
        key = (rec["source"] or "", rec["reference_date"] or "")
        counts[key] = counts.get(key, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: kv[0])
    sources = pd.DataFrame(
        [[_xlsx_text(s) or None, _excel_date(d or None), n] for (s, d), n in ordered],
        columns=(
            ["source", "reference_date", "facilities"]
            if lang is None
            else [
                field_label("source", lang),
                field_label("reference_date", lang),
                t("col.facilities", lang),
            ]
        ),  # fmt: skip
        dtype=object,
    )
    sheets = (
        (SHEET_FACILITIES, SHEET_SOURCES)
        if lang is None
        else (t("exp.sheet.facilities", lang), t("exp.sheet.sources", lang))
    )
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in zip(sheets, (main, sources), strict=True):
            frame.to_excel(writer, sheet_name=name, index=False, freeze_panes=(1, 0))
            widths = [_width(frame, c) for c in frame.columns]
            _finish_sheet(writer.sheets[name], widths)
        writer.sheets[sheets[0]].auto_filter.ref = writer.sheets[sheets[0]].dimensions
    return len(records)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _write_geojson(located: gpd.GeoDataFrame, path: Path, lang: str | None) -> int:
    records = _records(located)
    features = [
        {
            "type": "Feature",
            "id": rec["id"],
            "geometry": {"type": "Point", "coordinates": list(pt)} if pt else None,
            "properties": {c: _json_value(rec[c]) for c in EXPORT_COLUMNS},
        }
        for rec, pt in zip(records, _points(located), strict=True)
    ]
    lines = [json.dumps(f, ensure_ascii=False, allow_nan=False) for f in features]
    body = ",\n".join(lines)
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(f'{{"type": "FeatureCollection", "crs": {GEOJSON_CRS}, "features": [\n')
        fh.write(body + "\n]}\n")
    return len(records)


def _write_gpkg(located: gpd.GeoDataFrame, path: Path, lang: str | None) -> int:
    records = _records(located)
    columns: dict[str, Any] = {}
    for c in EXPORT_COLUMNS:
        values = [rec[c] for rec in records]
        if c in _LISTS:
            columns[c] = pd.Series([LIST_SEP.join(v) for v in values], dtype=object)
        elif c in _DATES:
            columns[c] = pd.Series([_json_value(v) if v else None for v in values], dtype=object)
        elif c in _FLOATS:
            columns[c] = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
        elif c in _INTS:
            columns[c] = pd.Series(values, dtype="Int64")
        elif c in _BOOLS:
            columns[c] = pd.Series(values, dtype="boolean")
        else:
            columns[c] = pd.Series(values, dtype=object)
    geoms = [Point(*pt) if pt else None for pt in _points(located)]
    gdf = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=geoms, crs=CRS_DISPLAY)
    gdf.to_file(path, driver="GPKG", layer=GPKG_LAYER, engine="pyogrio", geometry_type="Point")
    return len(records)


_WRITERS: dict[str, Callable[[gpd.GeoDataFrame, Path, str | None], int]] = {
    "csv": _write_csv,
    "xlsx": _write_xlsx,
    "geojson": _write_geojson,
    "gpkg": _write_gpkg,
}


def export_facilities(
    located: gpd.GeoDataFrame, fmt: str, out: Path, lang: str | None = None
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
        ``None``: the documented interchange format (field names as headers, German words).
        ``de``/``en``: CSV and XLSX for people, headers and words (yes/no, Handlungsfelder,
        sheet names) in that language; the importer reads them back. GeoJSON and
        GeoPackage always keep the field names.

    Returns
    -------
    int
        Number of facilities written.

    Raises
    ------
    ValueError
        For an unknown format or a frame without the columns of :data:`EXPORT_COLUMNS`.
    """
    fmt = fmt.lower()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    out = Path(out)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / f"export.{fmt}"
        count = _WRITERS[fmt](located, tmp, lang)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return count
