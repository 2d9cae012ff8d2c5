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
``not_number``, ``negative``, ``not_whole``, ``over_count``, ``over_100``, ``over_1``,
``too_large``
    the value is no number, negative, a count that is no whole number or beyond
    :data:`dashboard.domain.indicators.MAX_COUNT`, a share above 100 % (or above 1 as a
    fraction), or beyond the configured maximum (:func:`indicator_maximum`);
``count_percent``
    a value stated to be a count whose unit is a percentage;
``missing_date``, ``bad_date``, ``missing_source``, ``missing_indicator``, ``missing_unit``
    what is missing or unreadable.

An indicator is named by its key (``population_under_6``) or its label in German or English
(``Kinder unter 6 Jahren``: :func:`dashboard.domain.indicators.indicator_key`). For an
indicator the atlas does not know, the planner states its kind (count, share or rate;
a share's numerator and denominator if known): until then the plan lists it in
:attr:`IndicatorPlan.unknown_kinds` and nothing is written.

Writing is all or nothing (:class:`dashboard.data.indicator_loads.IndicatorLedger`),
or exactly the valid rows when the user chooses so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard.config import environment
from dashboard.data.importer.columns import fold
from dashboard.data.importer.geocode import parse_number
from dashboard.data.importer.readers import RawTable, ReadError
from dashboard.data.locate import membership_vintages
from dashboard.domain.dates import source_date
from dashboard.domain.indicators import KINDS, indicator_key, is_known, kind_of, value_problem
from dashboard.domain.model import IndicatorValue
from dashboard.i18n.catalogue import N_

#: Problem codes of a row (see the module docstring).
PROBLEM_CODES: tuple[str, ...] = (
    "unknown_key", "other_vintage", "no_vintage", "duplicate", "not_number", "negative",
    "not_whole", "over_count", "over_100", "over_1", "too_large", "count_percent",
    "missing_date", "bad_date", "missing_source", "missing_indicator", "missing_unit",
)  # fmt: skip

#: Default largest value of any indicator (``INTEGRATIONSATLAS_INDICATOR_MAX`` sets it).
DEFAULT_MAXIMUM = 1e9

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


def indicator_maximum() -> float:
    """The largest value an indicator may have (``INTEGRATIONSATLAS_INDICATOR_MAX``, default
    :data:`DEFAULT_MAXIMUM`).

    Raises
    ------
    ValueError
        A variable that is set but no positive finite number (the message names it).
    """
    maximum = environment().indicator_max
    return DEFAULT_MAXIMUM if maximum is None else maximum


@dataclass(frozen=True)
class StatedKind:
    """The kind a planner states for an indicator the atlas does not know.

    Attributes
    ----------
    kind
        ``count``, ``share`` or ``rate``.
    numerator, denominator
        For a share or rate, the indicators it is a ratio of (if known).
    """

    kind: str
    numerator: str = ""
    denominator: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; expected one of {KINDS}")


@dataclass(frozen=True)
class IndicatorDefaults:
    """Values for rows that leave a field empty (one indicator, date or source per file),
    and the kind of the file's indicators the atlas does not know (``kind``, with the
    share's ``numerator`` and ``denominator`` if known)."""

    indicator: str = ""
    unit: str = ""
    reference_date: str = ""
    source: str = ""
    vintage: int | None = None
    kind: str = ""
    numerator: str = ""
    denominator: str = ""

    def stated(self) -> StatedKind | None:
        """The kind stated for unknown indicators, if any."""
        if not self.kind:
            return None
        return StatedKind(self.kind, indicator_key(self.numerator), indicator_key(self.denominator))


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
    unknown_kinds
        Indicators the atlas does not know and whose kind nobody stated yet (nothing is
        written until it is).
    kinds
        The kinds stated now for indicators the atlas does not know (written with them).
    renamed
        Names in the file -> the known indicator they mean (``Kinder unter 6 Jahren`` ->
        ``population_under_6``).
    """

    rows: list[tuple[str, IndicatorValue | None, list[RowProblem]]]
    mapping: dict[str, str]
    replaces: set[str] = field(default_factory=set)
    unknown_kinds: set[str] = field(default_factory=set)
    kinds: dict[str, StatedKind] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)

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


class _Keys:
    """The valid keys: Gemeinden of the district, the district, VGs of every vintage."""

    def __init__(self, membership: pd.DataFrame, district_key: str) -> None:
        self.gemeinden = set(membership["ags"].astype(str))
        self.vg_of = _vg_vintages(membership)
        self.vintages = set(membership_vintages(membership))
        self.district_key = district_key

    def level(self, row: dict[str, str], vintage: int | None, problem: _Report) -> str:
        key = _key_text(row.get("key", ""))
        vintage_text = row.get("vintage", "") or (str(vintage) if vintage else "")
        if key in self.gemeinden:
            return "gemeinde"
        if key == self.district_key:
            return "landkreis"
        if key not in self.vg_of:
            problem("key", "unknown_key", row.get("key", ""))
        elif not vintage_text:
            problem("vintage", "no_vintage", key)
        elif not vintage_text.isdigit() or int(vintage_text) not in self.vintages:
            problem("vintage", "no_vintage", vintage_text)
        elif int(vintage_text) not in self.vg_of[key]:
            problem("key", "other_vintage", key, ", ".join(str(v) for v in sorted(self.vg_of[key])))
        else:
            return f"vg_{int(vintage_text)}"
        return ""


class _Report:
    """Collects the problems of one row."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[RowProblem] = []

    def __call__(self, field_: str, code: str, value: str, detail: str = "") -> None:
        self.problems.append(RowProblem(self.label, field_, code, value, detail))


def _value(
    row: dict[str, str], kind: str, unit: str, stated: bool, maximum: float, problem: _Report
) -> float | None:
    """The row's value, checked against the bounds of its kind (``None`` if invalid)."""
    text = row.get("value", "")
    try:
        value = parse_number(text)
    except ValueError:
        problem("value", "not_number", text)
        return None
    if stated and kind == "count" and unit == "percent":
        problem("unit", "count_percent", unit)
        return None
    code = value_problem(kind, unit, value, maximum)
    if code:
        detail = f"{maximum:g}" if code == "too_large" else ""
        problem("value", code, text, detail)
        return None
    return value


def _date(row: dict[str, str], default: str, problem: _Report) -> str:
    text = row.get("reference_date", "") or default
    if not text:
        problem("reference_date", "missing_date", "")
        return ""
    try:
        return source_date(text)
    except ValueError:
        problem("reference_date", "bad_date", text)
        return ""


def plan_indicators(
    raw: RawTable,
    membership: pd.DataFrame,
    stored: pd.DataFrame,
    defaults: IndicatorDefaults | None = None,
    mapping: Mapping[str, str] | None = None,
    kinds: Mapping[str, StatedKind] | None = None,
    maximum: float | None = None,
    *,
    district_key: str,
) -> IndicatorPlan:
    """Validate every row of an indicator table (writes nothing).

    Parameters
    ----------
    raw
        The file's rows (:func:`dashboard.data.importer.upload.read_upload_table`).
    membership
        Gemeinde -> VG table of all vintages (valid keys).
    stored
        Indicator values in the store (to tell which rows replace a value).
    defaults
        Values for empty fields (indicator, unit, date, source, vintage) and the kind of
        unknown indicators.
    mapping
        Header -> canonical field; proposed from the headers if ``None``.
    kinds
        Kinds known for indicators the atlas does not know (stored with earlier loads).
    maximum
        The largest value allowed; default :func:`indicator_maximum`.
    district_key
        The district's key (a row for the whole district).

    Returns
    -------
    IndicatorPlan
    """
    d = defaults or IndicatorDefaults()
    if len(raw.frame) > MAX_ROWS:
        raise ReadError(N_("indload.err.rows"), found=len(raw.frame), limit=MAX_ROWS)
    limit = maximum if maximum is not None else indicator_maximum()
    cols = (
        dict(mapping) if mapping is not None else match_indicator_columns(list(raw.frame.columns))
    )
    keys = _Keys(membership, district_key)
    have = {
        (str(a), str(k), str(i), str(r))
        for a, k, i, r in zip(
            stored["area_level"], stored["area_key"], stored["indicator"], stored["reference_date"],
            strict=True,
        )
    }  # fmt: skip
    known_kinds, given = dict(kinds or {}), d.stated()
    seen: dict[tuple[str, str, str, str], str] = {}
    plan = IndicatorPlan([], cols)
    for label, record in zip(
        raw.row_labels, raw.frame.fillna("").astype(str).to_dict("records"), strict=True
    ):
        row = {canon: str(record.get(h, "")).strip() for h, canon in cols.items() if canon}
        problem = _Report(label)
        level = keys.level(row, d.vintage, problem)
        named = row.get("indicator", "") or d.indicator
        indicator = indicator_key(named)
        if named and indicator != named.strip():
            plan.renamed[named.strip()] = indicator
        if not indicator:
            problem("indicator", "missing_indicator", "")
        unit_text = row.get("unit", "") or d.unit
        unit = _UNITS.get(unit_text.casefold(), unit_text)
        if not unit:
            problem("unit", "missing_unit", "")
        stated = known_kinds.get(indicator) or given
        if indicator and not is_known(indicator):
            if stated is None:
                plan.unknown_kinds.add(indicator)
            elif indicator not in known_kinds:
                plan.kinds[indicator] = stated
        kind = kind_of(indicator, unit, stated.kind if stated else "")
        value = _value(row, kind, unit, stated is not None, limit, problem)
        date = _date(row, d.reference_date, problem)
        source = row.get("source", "") or d.source
        if not source:
            problem("source", "missing_source", "")
        identity = (level, _key_text(row.get("key", "")), indicator, date)
        if level and indicator and date and identity in seen:
            problem("key", "duplicate", identity[1], seen[identity])
        found: IndicatorValue | None = None
        if not problem.problems and value is not None:
            found = IndicatorValue(
                area_level=level, area_key=identity[1], area_name=row.get("name", ""),
                indicator=indicator, value=value, unit=unit, reference_date=date, source=source,
                note=row.get("note", ""),
            )  # fmt: skip
            seen[identity] = label
            if identity in have:
                plan.replaces.add(label)
        plan.rows.append((label, found, problem.problems))
    return plan
