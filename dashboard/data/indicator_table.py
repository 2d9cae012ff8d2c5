"""Indicator tables a planner loads: read, validate row by row, plan the write.

A table holds values per Gemeinde (8-digit AGS) or per VG (9-digit key) of a named
boundary vintage, one value per row: indicator, value, unit, reference date and source,
each per row or once for the file (:class:`IndicatorDefaults`). Formats: CSV (``;``,
``,`` or tab, decimal comma), XLSX (first sheet) and GeoJSON (properties; the geometry is
not used: the key places the value).

Every row is checked; a problem is a code (words are made where the report is shown)
with the row as in the file, the field and the value:

``unknown_key``
    not a Gemeinde of the district, nor a VG of any vintage;
``other_vintage``
    a VG key of another vintage than the one named (the VG did not exist then);
``no_vintage``
    a VG key without a named vintage;
``duplicate``
    the same area, indicator and date as an earlier row;
``not_number``, ``negative``, ``not_whole``, ``over_100``
    the value is no number, a negative count, a count that is no whole number, a
    percentage above 100;
``missing_date``, ``bad_date``, ``missing_source``, ``missing_indicator``, ``missing_unit``
    what is missing or unreadable.

Writing is all or nothing (:class:`dashboard.data.indicator_loads.IndicatorLedger`),
or exactly the valid rows when the user chooses so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.data.importer.columns import fold
from dashboard.data.importer.geocode import parse_number
from dashboard.data.importer.readers import RawTable
from dashboard.data.locate import membership_vintages
from dashboard.domain.dates import source_date
from dashboard.domain.indicators import kind_of
from dashboard.domain.model import IndicatorValue

#: Problem codes of a row (see the module docstring).
PROBLEM_CODES: tuple[str, ...] = (
    "unknown_key", "other_vintage", "no_vintage", "duplicate", "not_number", "negative",
    "not_whole", "over_100", "missing_date", "bad_date", "missing_source", "missing_indicator",
    "missing_unit",
)  # fmt: skip

#: Most rows of one table.
MAX_ROWS = 100_000

_ALIASES: dict[str, tuple[str, ...]] = {
    "level": ("ebene", "level", "gebietsebene", "arealevel"),
    "key": (
        "schluessel",
        "schlussel",
        "ags",
        "gemeindeschluessel",
        "gemeindeschlussel",
        "key",
        "regionalschluessel",
        "regionalschlussel",
        "rs",
        "vgschluessel",
        "vgschlussel",
        "areakey",
        "arskey",
    ),
    "name": ("name", "gemeinde", "bezeichnung", "areaname", "gebiet"),
    "indicator": ("indikator", "indicator", "merkmal", "kennzahl"),
    "value": ("wert", "value", "anzahl", "zahl"),
    "unit": ("einheit", "unit"),
    "reference_date": ("stand", "stichtag", "datum", "referencedate", "date"),
    "source": ("quelle", "source", "herkunft", "datenquelle"),
    "vintage": ("gebietsstand", "vintage", "jahrgang"),
    "note": ("bemerkung", "note", "hinweis", "anmerkung"),
}
_LOOKUP = {a: canon for canon, aliases in _ALIASES.items() for a in aliases}
_UNITS = {"personen": "persons", "einwohner": "persons", "persons": "persons", "%": "percent",
          "prozent": "percent", "percent": "percent"}  # fmt: skip


@dataclass(frozen=True)
class IndicatorDefaults:
    """Values for rows that leave a field empty (one indicator, date or source per file)."""

    indicator: str = ""
    unit: str = ""
    reference_date: str = ""
    source: str = ""
    vintage: int | None = None


@dataclass(frozen=True)
class RowProblem:
    """One problem of one row: where (as in the file), which field, what (code), the value,
    and for ``other_vintage`` the vintages the key belongs to."""

    row: str
    field: str
    code: str
    value: str
    detail: str = ""


@dataclass
class IndicatorPlan:
    """What loading a table would write.

    Attributes
    ----------
    rows
        Per row: its label, the value (``None`` if invalid) and its problems.
    mapping
        Header -> canonical field.
    replaces
        Labels of valid rows that replace a stored value (same area, indicator, date).
    """

    rows: list[tuple[str, IndicatorValue | None, list[RowProblem]]]
    mapping: dict[str, str]
    replaces: set[str] = field(default_factory=set)

    @property
    def problems(self) -> list[RowProblem]:
        """Every problem, in row order."""
        return [p for _, _, probs in self.rows for p in probs]

    @property
    def valid(self) -> list[IndicatorValue]:
        """The values of the valid rows."""
        return [v for _, v, probs in self.rows if v is not None and not probs]

    @property
    def n_invalid(self) -> int:
        """Rows with at least one problem."""
        return sum(bool(probs) for _, _, probs in self.rows)


def match_indicator_columns(headers: list[str]) -> dict[str, str]:
    """Header -> canonical field (``""``: ignored); the first header of a field wins."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        canon = _LOOKUP.get(fold(header), "")
        if canon in taken:
            canon = ""
        out[header] = canon
        if canon:
            taken.add(canon)
    return out


def _vg_vintages(membership: pd.DataFrame) -> dict[str, set[int]]:
    found: dict[str, set[int]] = {}
    for vintage in membership_vintages(membership):
        for key in membership[f"vg_rs_{vintage}"].astype(str).unique():
            found.setdefault(key, set()).add(vintage)
    return found


def _key_text(text: str) -> str:
    digits = re.sub(r"\s", "", text)
    if re.fullmatch(r"\d{7}", digits) or re.fullmatch(r"\d{8}", digits):
        return digits.zfill(8)  # Excel drops the leading zero of an AGS
    if re.fullmatch(r"\d{9}", digits):
        return digits
    return digits


def plan_indicators(
    raw: RawTable,
    membership: pd.DataFrame,
    stored: pd.DataFrame,
    defaults: IndicatorDefaults | None = None,
    mapping: Mapping[str, str] | None = None,
    *,
    district_key: str,
) -> IndicatorPlan:
    """Validate every row of an indicator table (writes nothing).

    Parameters
    ----------
    raw
        The file's rows (:func:`dashboard.data.importer.readers.read_table`).
    membership
        Gemeinde -> VG table of all vintages (valid keys).
    stored
        Indicator values in the store (to tell which rows replace a value).
    defaults
        Values for empty fields (indicator, unit, date, source, vintage).
    mapping
        Header -> canonical field; proposed from the headers if ``None``.
    district_key
        The district's key (a row for the whole district).

    Returns
    -------
    IndicatorPlan
    """
    d = defaults or IndicatorDefaults()
    if len(raw.frame) > MAX_ROWS:
        raise ValueError(f"more than {MAX_ROWS} rows")
    cols = (
        dict(mapping) if mapping is not None else match_indicator_columns(list(raw.frame.columns))
    )
    gemeinden = set(membership["ags"].astype(str))
    vg_of = _vg_vintages(membership)
    have = {
        (str(a), str(k), str(i), str(r))
        for a, k, i, r in zip(
            stored["area_level"], stored["area_key"], stored["indicator"], stored["reference_date"],
            strict=True,
        )
    }  # fmt: skip
    seen: dict[tuple[str, str, str, str], str] = {}
    plan = IndicatorPlan([], cols)
    for label, record in zip(
        raw.row_labels, raw.frame.fillna("").astype(str).to_dict("records"), strict=True
    ):
        row = {canon: str(record.get(h, "")).strip() for h, canon in cols.items() if canon}
        problems: list[RowProblem] = []

        def problem(field_: str, code: str, value: str, detail: str = "") -> None:
            problems.append(RowProblem(label, field_, code, value, detail))  # noqa: B023

        key = _key_text(row.get("key", ""))
        vintage_text = row.get("vintage", "") or (str(d.vintage) if d.vintage else "")
        level = ""
        if key in gemeinden:
            level = "gemeinde"
        elif key == district_key:
            level = "landkreis"
        elif key in vg_of:
            if not vintage_text:
                problem("vintage", "no_vintage", key)
            elif not vintage_text.isdigit() or int(vintage_text) not in membership_vintages(
                membership
            ):
                problem("vintage", "no_vintage", vintage_text)
            elif int(vintage_text) not in vg_of[key]:
                detail = ", ".join(str(v) for v in sorted(vg_of[key]))
                problem("key", "other_vintage", key, detail)
            else:
                level = f"vg_{int(vintage_text)}"
        else:
            problem("key", "unknown_key", row.get("key", ""))
        indicator = row.get("indicator", "") or d.indicator
        if not indicator:
            problem("indicator", "missing_indicator", "")
        unit_text = row.get("unit", "") or d.unit
        unit = _UNITS.get(unit_text.casefold(), unit_text)
        if not unit:
            problem("unit", "missing_unit", "")
        kind = kind_of(indicator, unit)
        value: float | None = None
        text = row.get("value", "")
        try:
            value = parse_number(text)
        except ValueError:
            problem("value", "not_number", text)
        if value is not None:
            if value < 0:
                problem("value", "negative", text)
            elif kind == "count" and not float(value).is_integer():
                problem("value", "not_whole", text)
            elif unit == "percent" and value > 100:
                problem("value", "over_100", text)
        date_text = row.get("reference_date", "") or d.reference_date
        date = ""
        if not date_text:
            problem("reference_date", "missing_date", "")
        else:
            try:
                date = source_date(date_text)
            except ValueError:
                problem("reference_date", "bad_date", date_text)
        source = row.get("source", "") or d.source
        if not source:
            problem("source", "missing_source", "")
        identity = (level, key, indicator, date)
        if level and indicator and date and identity in seen:
            problem("key", "duplicate", key, seen[identity])
        found: IndicatorValue | None = None
        if not problems and value is not None:
            found = IndicatorValue(
                area_level=level, area_key=key, area_name=row.get("name", ""),
                indicator=indicator, value=value, unit=unit, reference_date=date, source=source,
                note=row.get("note", ""),
            )  # fmt: skip
            seen[identity] = label
            if identity in have:
                plan.replaces.add(label)
        plan.rows.append((label, found, problems))
    return plan
