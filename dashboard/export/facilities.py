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
    RFC 7946 FeatureCollection in EPSG:4326 (the CRS named), point geometry (``null`` for
    unlocated facilities), properties named by the headers, ISO dates, yes/no as booleans,
    lists as JSON arrays (Handlungsfelder as codes), the category as its code; UTF-8, one
    feature per line, deterministic for the same input.
``gpkg``
    Layer ``einrichtungen`` with the headers as column names; lists joined with ``|``
    (codes), dates as ISO strings, the category as its code (the file's QGIS style keys on
    it, :mod:`dashboard.services.geopackage`).

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

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.config import CRS_DISPLAY
from dashboard.data.records import LIST_SEP
from dashboard.domain.dates import source_date
from dashboard.domain.model import CATEGORIES, FACILITY_FIELDS, HANDLUNGSFELDER, handlungsfeld_code
from dashboard.export.offer_files import (
    BOOLS,
    DATES,
    FLOATS,
    GEOJSON_CRS,
    GPKG_LAYER,
    INTS,
    LISTS,
    WRITERS,
    Sheet,
    missing,
)
from dashboard.i18n.catalogue import N_, field_label, t
from dashboard.i18n.message import Refused

#: Supported export formats (also the file extensions).
EXPORT_FORMATS: tuple[str, ...] = ("csv", "xlsx", "geojson", "gpkg")


def derived_columns(vintage: int) -> tuple[str, ...]:
    """Derived, read-only columns appended to the stored fields (VGs of ``vintage``)."""
    return ("gemeinde_name", f"vg_{vintage}", f"vg_rs_{vintage}", "outside_district")


def export_columns(vintage: int) -> list[str]:
    """Export columns in order: the Facility fields, then :func:`derived_columns`."""
    return [*FACILITY_FIELDS, *derived_columns(vintage)]


#: Writers by format (tests replace one to simulate a failure).
_WRITERS = WRITERS

#: Catalogue keys of the derived columns' labels (the stored fields use ``f.<field>``).
_DERIVED_LABELS: dict[str, str] = {
    "gemeinde_name": N_("col.gemeinde"),
    "vg": N_("col.vg"),
    "vg_rs": N_("col.vg_rs"),
    "outside_district": N_("col.outside"),
}


def gpkg_column(field: str, lang: str | None = None) -> str:
    """The column of the GeoPackage layer :data:`GPKG_LAYER` that holds a stored field in a
    file written in ``lang`` (styles look their fields up here): its label, or its name.

    Raises
    ------
    KeyError
        For a field the export does not write.
    """
    if field not in FACILITY_FIELDS:
        raise KeyError(field)
    return field_label(field, lang) if lang else field


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
            raise Refused(N_("err.unknown_vintage_only"), vintage=str(vintage))
        choices = _vg_choices(membership, vintage)
        wanted = vg.strip()
        keys = [k for n, k in choices if k == wanted or n.casefold() == wanted.casefold()]
        if not keys:
            valid = ", ".join(f"{n} ({k})" for n, k in choices)
            raise Refused(N_("err.unknown_vg_in"), vg=vg, vintage=str(vintage), valid=valid)
        mask &= located[f"vg_rs_{vintage}"].isin(keys).to_numpy()
    if category is not None:
        wanted = category.strip().casefold()
        matches = [
            key
            for key, info in CATEGORIES.items()
            if wanted in (key.casefold(), str(info["de"]).casefold(), str(info["en"]).casefold())
        ]
        if not matches:
            raise Refused(
                N_("err.unknown_category"), category=category, expected=", ".join(CATEGORIES)
            )
        mask &= located["category"].isin(matches).to_numpy()
    if handlungsfeld is not None:
        code = handlungsfeld_code(handlungsfeld)
        if code is None:
            valid = ", ".join(f"{c} ({v['de']})" for c, v in HANDLUNGSFELDER.items())
            raise Refused(N_("err.unknown_handlungsfeld"), handlungsfeld=handlungsfeld, valid=valid)
        has = [code in _as_list(v) for v in located["handlungsfelder"]]
        mask &= np.asarray(has, dtype=bool)
    return located[mask.to_numpy()]


# -- normalising values ----------------------------------------------------------------------
def _as_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value]
    if missing(value) or value == "":
        return []
    return [v for v in str(value).split(LIST_SEP) if v]


def _as_date(value: Any) -> dt.date | None:
    if missing(value) or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_source_date(value: Any) -> str | None:
    """A reference date in its source's precision (``2012``, ``2024-08``, ``2024-08-01``)."""
    if missing(value) or value == "":
        return None
    return source_date(value)


def _normalise(value: Any, column: str) -> Any:
    if column in LISTS:
        return _as_list(value)
    if column == "reference_date":
        return _as_source_date(value)
    if column in DATES:
        return _as_date(value)
    if missing(value):
        return None
    if column in FLOATS:
        return float(value)
    if column in INTS:
        return int(value)
    if column in BOOLS:
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
    sheet = Sheet(
        _records(located, columns), columns, column_labels(lang, vintage), lang,
        _points(located) if fmt in ("geojson", "gpkg") else [],
    )  # fmt: skip
    out = Path(out)
    tmpdir = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    try:
        tmp = tmpdir / f"export.{fmt}"
        WRITERS[fmt](sheet, tmp)
        os.replace(tmp, out)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    return len(sheet.records)


__all__ = [
    "EXPORT_FORMATS", "GEOJSON_CRS", "GPKG_LAYER", "column_labels", "derived_columns",
    "export_columns", "export_facilities", "filter_facilities", "gpkg_column",
]  # fmt: skip
