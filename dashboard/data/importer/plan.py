"""Validate every row of an import and plan what would be added and changed.

Nothing is written here. Each problem names the row as the user sees it, the field, the
problem and the value. Duplicates (same name within 150 m, or same name and address, in
the file or against the store) are reported, never merged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pydantic import ValidationError

from dashboard.data.importer.columns import MULTI, fold
from dashboard.data.importer.geocode import GeocodeProblem, Geocoder, Located, parse_number
from dashboard.data.importer.labels import label_message, stored
from dashboard.data.importer.readers import RawTable, preview
from dashboard.domain.dates import source_date, span
from dashboard.domain.formula import unescape_formula
from dashboard.domain.model import CATEGORIES, PRECISIONS, Facility, handlungsfeld_code
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_
from dashboard.i18n.message import Message

DUPLICATE_DISTANCE_M = 150.0

#: Category spellings beyond the category names and their English labels.
CATEGORY_ALIASES: dict[str, str] = {
    "kindertagesstatte": "Kita",
    "kindertagesstaette": "Kita",
    "kindergarten": "Kita",
    "kiga": "Kita",
    "krippe": "Kita",
    "grundschule": "Schule",
    "realschule": "Schule",
    "realschuleplus": "Schule",
    "gymnasium": "Schule",
    "igs": "Schule",
    "forderschule": "Schule",
    "berufsschule": "Schule",
    "beratung": "Beratungsstelle",
    "migrationsberatung": "Beratungsstelle",
    "integrationskurs": "Sprachkurs",
    "deutschkurs": "Sprachkurs",
    "sprachforderung": "Sprachkurs",
    "sportverein": "Verein",
    "kirche": "Religion",
    "moschee": "Religion",
    "gemeinde religios": "Religion",
    "arzt": "Gesundheit",
    "arztpraxis": "Gesundheit",
    "projekt": "Projektstandort",
    "gemeinschaftsunterkunft": "Unterkunft",
}
_CATEGORY_LOOKUP = (
    {fold(c): c for c in CATEGORIES}
    | {fold(str(v["en"])): c for c, v in CATEGORIES.items()}
    | {fold(k): v for k, v in CATEGORY_ALIASES.items()}
)

_STATUS = {"": "active", "aktiv": "active", "active": "active", "offen": "active",
           "geschlossen": "closed", "closed": "closed", "inaktiv": "closed", "aufgelost": "closed",
           "aufgeloest": "closed", "eingestellt": "closed"}  # fmt: skip
_YES_NO = {"": False, "nein": False, "no": False, "false": False, "0": False, "falsch": False,
           "ja": True, "yes": True, "true": True, "1": True, "wahr": True, "x": True}  # fmt: skip
_PRECISION = {fold(p): p for p in PRECISIONS} | {
    "genau": "exact", "adresse": "address", "plz": "postcode", "postleitzahl": "postcode",
    "gemeinde": "gemeinde", "unbekannt": "unknown",
}  # fmt: skip
_LIST_SPLIT = re.compile(r"\s*[,;|/]\s*")


@dataclass(frozen=True)
class Problem:
    """One problem of one row: where, which field, what, and the value found.

    Attributes
    ----------
    row
        The row's label (:mod:`dashboard.data.importer.labels`).
    field
        The canonical field, or the file's column for a problem found while reading.
    message
        What is wrong, worded for a language with :meth:`Message.text`.
    value
        The value found (long values shortened).
    """

    row: str
    field: str
    message: Message
    value: str

    @property
    def problem(self) -> str:
        """What is wrong, in German (command line, logs)."""
        return self.message.text(DEFAULT_LANGUAGE)

    def problem_text(self, lang: str) -> str:
        """What is wrong, in ``lang``."""
        return self.message.text(lang)


@dataclass
class RowPlan:
    """The outcome for one row: ``add``, ``change``, ``unchanged`` or ``invalid``."""

    row: str
    status: str
    facility: Facility | None = None
    expected_version: int | None = None
    problems: list[Problem] = field(default_factory=list)
    diff: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What an import would do."""

    rows: list[RowPlan]
    mapping: dict[str, str]

    @property
    def problems(self) -> list[Problem]:
        """All problems, in row order."""
        return [p for r in self.rows for p in r.problems]

    def count(self, status: str) -> int:
        """Number of rows with a status."""
        return sum(r.status == status for r in self.rows)

    @property
    def valid(self) -> list[RowPlan]:
        """Rows that would be written (added or changed)."""
        return [r for r in self.rows if r.status in ("add", "change")]

    def problems_frame(self, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """The validation report as a table (row, field, problem, value) in ``lang``."""
        return pd.DataFrame(
            [
                (label_message(p.row).text(lang), p.field, p.problem_text(lang), p.value)
                for p in self.problems
            ],
            columns=["row", "field", "problem", "value"],
        )


@dataclass(frozen=True)
class Defaults:
    """Values applied to rows that leave a field empty (e.g. one source for a whole list)."""

    source: str = ""
    reference_date: str = ""


def parse_date(text: str) -> dt.date:
    """Parse ``31.12.2024``, ``31.12.24``, ``2024-12-31`` (or with a time); strict.

    Raises
    ------
    ValueError
        For an impossible or unknown date (``31.02.2025``).
    """
    t = text.strip()
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", t)
    if m:
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        if len(m[3]) == 2:
            year += 2000 if year < 70 else 1900
        return dt.date(year, month, day)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?", t)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    raise ValueError(f"unknown date format: {text}")


def _read_problems(raw: RawTable, mapping: dict[str, str], index: int, label: str) -> list[Problem]:
    """Problems found while reading a row, in the columns the mapping takes."""
    out = []
    for column, message, value in raw.cell_problems.get(index, ()):
        if column == "geometry":
            out.append(Problem(label, "geometry", message, value))
        elif raw.canonical or mapping.get(column):
            field_name = column if raw.canonical else mapping[column]
            out.append(Problem(label, field_name, message, value))
    return out


def _cells(raw: RawTable, mapping: dict[str, str]) -> list[dict[str, str]]:
    if raw.canonical:
        records: list[dict[str, str]] = raw.frame.fillna("").astype(str).to_dict(orient="records")
        return records
    out = []
    for record in raw.frame.fillna("").astype(str).to_dict(orient="records"):
        if raw.fmt == "csv":  # exported CSV protects formula-like text with an apostrophe
            record = {k: unescape_formula(v) for k, v in record.items()}
        row: dict[str, str] = {}
        for header, canon in mapping.items():
            value = record.get(header, "").strip()
            if not canon or not value:
                continue
            if canon in MULTI and row.get(canon):
                row[canon] += "; " + value
            else:
                row.setdefault(canon, value)
        for k in ("lat", "lon"):  # geometry of GeoJSON / GeoPackage
            if not row.get(k) and record.get(k) and "lat" not in mapping.values():
                row[k] = record[k]
        out.append(row)
    return out


def _new_id(row: dict[str, str]) -> str:
    parts = [
        row.get(k, "")
        for k in ("name", "category", "street", "postcode", "place", "lat", "lon", "osm_id")
    ]
    return "imp-" + hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]


class _RowCheck:
    def __init__(self, label: str) -> None:
        self.label = label
        self.problems: list[Problem] = []

    def add(self, field_name: str, problem: Message, value: str) -> None:
        self.problems.append(Problem(self.label, field_name, problem, preview(value)))


def _allowed(values: object) -> str:
    return ", ".join(str(v) for v in values)  # type: ignore[attr-defined]


def _locate(row: dict[str, str], geo: Geocoder, check: _RowCheck) -> Located | None:
    precision = _PRECISION.get(fold(row.get("precision", "")), "") if row.get("precision") else ""
    if row.get("precision") and not precision:
        check.add(
            "precision",
            Message.of(N_("imp.prob.precision_unknown"), allowed=_allowed(PRECISIONS)),
            row["precision"],
        )
    coords = None
    if row.get("lat") or row.get("lon"):
        coords = ("latlon", "lat", "lon")
    elif row.get("east") or row.get("north"):
        coords = ("utm", "east", "north")
    if coords:
        kind, fa, fb = coords
        try:
            a, b = parse_number(row.get(fa, "")), parse_number(row.get(fb, ""))
        except ValueError:
            bad = fa if not _is_number(row.get(fa, "")) else fb
            check.add(bad, Message.of(N_("imp.prob.not_number")), row.get(bad, ""))
            return None
        if kind == "latlon" and (abs(a) > 1000 or abs(b) > 1000):
            kind = "utm"
            a, b = b, a  # lat/lon columns holding UTM: lon column = east
        try:
            stated = precision if precision and precision != "unknown" else "exact"
            return geo.from_coordinates(a, b, kind, stated)
        except GeocodeProblem as exc:
            check.add(exc.field, exc.message, f"{row.get(fa, '')} / {row.get(fb, '')}")
            return None
    postcode = row.get("postcode", "")
    place = row.get("gemeinde") or row.get("place", "")
    if postcode:
        try:
            return geo.from_postcode(postcode, place)
        except GeocodeProblem as exc:
            check.add(exc.field, exc.message, postcode)
            return None
    for fname in ("ags", "gemeinde", "place"):
        if row.get(fname):
            try:
                return geo.from_gemeinde(row[fname], fname)
            except GeocodeProblem as exc:
                check.add(exc.field, exc.message, row[fname])
                return None
    return None


def _is_number(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _build(
    row: dict[str, str], label: str, geo: Geocoder, defaults: Defaults
) -> tuple[Facility | None, list[Problem]]:
    check = _RowCheck(label)
    data: dict[str, object] = {}
    name = row.get("name", "")
    if not name.strip():
        check.add("name", Message.of(N_("imp.prob.name_missing")), name)
    data["name"] = name
    raw_cat = row.get("category", "")
    category = _CATEGORY_LOOKUP.get(fold(raw_cat)) if raw_cat else None
    allowed = tuple(Message.of(f"cat.{c}") for c in CATEGORIES)  # in the reader's language
    if not raw_cat:
        check.add("category", Message.of(N_("imp.prob.category_missing"), allowed=allowed), "")
    elif category is None:
        check.add("category", Message.of(N_("imp.prob.category_unknown"), allowed=allowed), raw_cat)
    data["category"] = category or "Kita"
    hf_text = row.get("handlungsfelder", "")
    codes = []
    for part in [p for p in _LIST_SPLIT.split(hf_text) if p] if hf_text else []:
        code = handlungsfeld_code(part)
        if code is None:
            check.add("handlungsfelder", Message.of(N_("imp.prob.hf_unknown")), part)
        else:
            codes.append(code)
    if not hf_text and category:
        codes = list(CATEGORIES[category]["default_hf"])  # type: ignore[call-overload]
    data["handlungsfelder"] = codes
    for fname in ("operator", "contact", "note"):
        data[fname] = row.get(fname, "")
    street = row.get("street", "")
    if row.get("housenumber"):
        street = f"{street} {row['housenumber']}".strip()
    data["street"] = street
    postcode = row.get("postcode", "")
    if re.fullmatch(r"\d{4}", postcode):
        postcode = "0" + postcode  # Excel drops the leading zero
        row["postcode"] = postcode
    if postcode and not re.fullmatch(r"\d{5}", postcode):
        check.add("postcode", Message.of(N_("imp.prob.postcode_digits")), postcode)
        row["postcode"] = ""
        postcode = ""
    data["postcode"] = postcode
    data["place"] = row.get("place", "") or row.get("gemeinde", "")
    for fname in ("languages", "target_groups"):
        data[fname] = [p for p in _LIST_SPLIT.split(row.get(fname, "")) if p]
    if row.get("capacity"):
        try:
            cap = parse_number(row["capacity"])
            if cap < 0 or not float(cap).is_integer():
                raise ValueError
            data["capacity"] = int(cap)
        except ValueError:
            check.add("capacity", Message.of(N_("imp.prob.capacity")), row["capacity"])
    data["source"] = row.get("source") or defaults.source
    if not str(data["source"]).strip():
        check.add("source", Message.of(N_("imp.prob.source_missing")), "")
    ref = row.get("reference_date") or defaults.reference_date
    for fname, value, required in (
        ("reference_date", ref, True),
        ("last_verified", row.get("last_verified", ""), False),
    ):
        if not value:
            if required:
                check.add(fname, Message.of(N_("imp.prob.date_missing")), "")
            continue
        try:  # the reference date keeps its source's precision (2012, 08.2024, 31.12.2024)
            data[fname] = source_date(value) if fname == "reference_date" else parse_date(value)
        except ValueError:
            source = fname == "reference_date"  # a year or a month is a valid source date
            key = N_("imp.prob.source_date_invalid") if source else N_("imp.prob.date_invalid")
            check.add(fname, Message.of(key), value)
    status = _STATUS.get(fold(row.get("status", "")))
    if status is None:
        check.add("status", Message.of(N_("imp.prob.status_unknown")), row.get("status", ""))
    data["status"] = status or "active"
    flag = _YES_NO.get(fold(row.get("unconfirmed", "")))
    if flag is None:
        check.add("unconfirmed", Message.of(N_("imp.prob.yes_no")), row.get("unconfirmed", ""))
    data["unconfirmed"] = bool(flag)
    rid = row.get("id", "")
    data["id"] = rid or _new_id(row)
    located = _locate(row, geo, check)
    if located is not None:
        data.update(lat=located.lat, lon=located.lon, precision=located.precision, ags=located.ags)
        if row.get("ags") and row["ags"] != located.ags and not row.get("ags", "").isalpha():
            if geo.find_gemeinde(row["ags"]) != located.ags:
                check.add(
                    "ags",
                    Message.of(
                        N_("imp.prob.ags_mismatch"), gemeinde=geo.gemeinde_name(located.ags)
                    ),
                    row["ags"],
                )
        if not data["place"]:
            data["place"] = geo.gemeinde_name(located.ags)
    elif not check.problems and not any(
        row.get(k) for k in ("lat", "lon", "east", "north", "postcode", "gemeinde", "place", "ags")
    ):
        if _PRECISION.get(fold(row.get("precision", ""))) == "unknown":
            data.update(precision="unknown", ags="")  # documented offer without a known place
        else:
            check.add("location", Message.of(N_("imp.prob.no_location")), "")
    if check.problems:
        return None, check.problems
    try:
        return Facility(**data), []  # type: ignore[arg-type]
    except ValidationError as exc:
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else "record"
            check.add(loc, _model_problem(err), str(data.get(loc, "")))
        return None, check.problems


def _model_problem(err: Any) -> Message:
    """A pydantic error in the user's words (lengths and patterns; else its own text)."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind in ("string_too_long", "too_long"):
        given = err.get("input")
        length = len(given) if isinstance(given, str | list) else 0
        key = N_("imp.prob.too_long") if kind == "string_too_long" else N_("imp.prob.too_many")
        return Message.of(key, length=length, limit=int(ctx.get("max_length", 0)))
    if kind == "string_pattern_mismatch":
        return Message.of(N_("imp.prob.pattern"))
    return Message.of(N_("imp.prob.invalid"), detail=str(err.get("msg", "")))


def _same_address(a: Facility, b: Facility) -> bool:
    return bool(a.street) and fold(a.street) == fold(b.street) and a.postcode == b.postcode


def _diff(old: Facility, new: Facility) -> dict[str, tuple[str, str]]:
    o, n = old.model_dump(mode="json"), new.model_dump(mode="json")
    out = {}
    for key in o:
        if key == "version":
            continue
        if key in ("lat", "lon") and o[key] is not None and n[key] is not None:
            if abs(o[key] - n[key]) < 5e-6:  # well under 1 m
                continue
        if o[key] != n[key]:
            out[key] = (str(o[key]), str(n[key]))
    return out


def _verified(facility: Facility, old: Facility | None, dated: bool) -> Facility:
    """A written row of a list without a "zuletzt geprüft" column counts as verified at its
    reference date (never earlier than the stored date). A list with that column (e.g. an
    export of this app) states it per row, an empty cell included."""
    if dated or facility.last_verified is not None:
        return facility
    when = span(facility.reference_date)[0]  # a year or month: its first day (never later)
    if old is not None and old.last_verified is not None and old.last_verified > when:
        when = old.last_verified
    return facility.model_copy(update={"last_verified": when})


def plan_import(
    raw: RawTable,
    mapping: dict[str, str],
    geocoder: Geocoder,
    existing: list[Facility],
    defaults: Defaults | None = None,
) -> ImportPlan:
    """Validate every row and decide what would be added and changed.

    Parameters
    ----------
    raw
        The file's rows (:func:`dashboard.data.importer.readers.read_table`).
    mapping
        Header -> canonical field (:func:`dashboard.data.importer.columns.match_columns`,
        possibly corrected by the user); ignored for canonical tables (OSM).
    geocoder
        Offline geocoder over the district's boundaries.
    existing
        Facilities in the store (for ids and duplicates).
    defaults
        Source and reference date for rows that leave them empty.

    Returns
    -------
    ImportPlan
        One :class:`RowPlan` per row, in file order.
    """
    defaults = defaults or Defaults()
    dated = "last_verified" in (raw.frame.columns if raw.canonical else mapping.values())
    by_id = {f.id: f for f in existing}
    by_name: dict[str, list[tuple[str, Facility]]] = defaultdict(list)
    for f in existing:
        by_name[fold(f.name)].append((stored(f.id), f))
    plans: list[RowPlan] = []
    seen_ids: dict[str, str] = {}
    for index, (label, row) in enumerate(zip(raw.row_labels, _cells(raw, mapping), strict=True)):
        read = _read_problems(raw, mapping, index, label)
        facility, problems = _build(row, label, geocoder, defaults)
        if read:  # the over-long cell was emptied: no second problem for the same field
            fields_read = {p.field for p in read}
            facility = None
            problems = read + [p for p in problems if p.field not in fields_read]
        plan = RowPlan(label, "invalid", problems=problems)
        if facility is not None:
            key = fold(facility.name)
            for other_label, other in by_name.get(key, []):
                if other.id == facility.id:
                    continue
                near = (
                    facility.lat is not None
                    and facility.lon is not None
                    and other.lat is not None
                    and other.lon is not None
                    and geocoder.distance_m((facility.lat, facility.lon), (other.lat, other.lon))
                    <= DUPLICATE_DISTANCE_M
                )
                if near or _same_address(facility, other):
                    key = (
                        N_("imp.prob.duplicate_near") if near else N_("imp.prob.duplicate_address")
                    )
                    msg = Message.of(key, other=label_message(other_label))
                    plan.problems.append(Problem(label, "name", msg, preview(facility.name)))
                    break
            if not plan.problems and facility.id in seen_ids:
                msg = Message.of(
                    N_("imp.prob.id_twice"), other=label_message(seen_ids[facility.id])
                )
                plan.problems.append(Problem(label, "id", msg, facility.id))
        if facility is not None and not plan.problems:
            old = by_id.get(facility.id)
            if old is None:
                plan.status, plan.facility = "add", _verified(facility, None, dated)
            else:
                diff = _diff(old, facility)
                if diff:  # a row that changes a record was checked at its reference date
                    facility = _verified(facility, old, dated)
                    diff = _diff(old, facility)
                plan.status = "change" if diff else "unchanged"
                plan.facility = facility.model_copy(update={"version": old.version})
                plan.expected_version, plan.diff = old.version, diff
            seen_ids[facility.id] = label
            by_name[fold(facility.name)].append((label, facility))
        plans.append(plan)
    return ImportPlan(plans, dict(mapping))
