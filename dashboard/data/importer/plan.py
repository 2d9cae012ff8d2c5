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

import pandas as pd
from pydantic import ValidationError

from dashboard.data.importer.columns import MULTI, fold
from dashboard.data.importer.geocode import GeocodeProblem, Geocoder, Located, parse_number
from dashboard.data.importer.readers import RawTable
from dashboard.domain.dates import source_date
from dashboard.domain.formula import unescape_formula
from dashboard.domain.model import CATEGORIES, PRECISIONS, Facility, handlungsfeld_code

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
    """One problem of one row: where, which field, what, and the value found."""

    row: str
    field: str
    problem: str
    value: str


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

    def problems_frame(self) -> pd.DataFrame:
        """The validation report as a table (row, field, problem, value)."""
        return pd.DataFrame(
            [vars(p) for p in self.problems], columns=["row", "field", "problem", "value"]
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
        if record.get("_geometry_problem"):
            row["_geometry_problem"] = record["_geometry_problem"]
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

    def add(self, field_name: str, problem: str, value: str) -> None:
        self.problems.append(Problem(self.label, field_name, problem, value))


def _locate(row: dict[str, str], geo: Geocoder, check: _RowCheck) -> Located | None:
    precision = _PRECISION.get(fold(row.get("precision", "")), "") if row.get("precision") else ""
    if row.get("precision") and not precision:
        check.add(
            "precision",
            "unbekannte Genauigkeit; erlaubt: " + ", ".join(PRECISIONS),
            row["precision"],
        )
    if row.get("_geometry_problem"):
        check.add("geometry", row["_geometry_problem"], "")
        return None
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
            check.add(bad, "keine Zahl", row.get(bad, ""))
            return None
        if kind == "latlon" and (abs(a) > 1000 or abs(b) > 1000):
            kind = "utm"
            a, b = b, a  # lat/lon columns holding UTM: lon column = east
        try:
            stated = precision if precision and precision != "unknown" else "exact"
            return geo.from_coordinates(a, b, kind, stated)
        except GeocodeProblem as exc:
            check.add(exc.field, str(exc), f"{row.get(fa, '')} / {row.get(fb, '')}")
            return None
    postcode = row.get("postcode", "")
    place = row.get("gemeinde") or row.get("place", "")
    if postcode:
        try:
            return geo.from_postcode(postcode, place)
        except GeocodeProblem as exc:
            check.add(exc.field, str(exc), postcode)
            return None
    for fname in ("ags", "gemeinde", "place"):
        if row.get(fname):
            try:
                return geo.from_gemeinde(row[fname], fname)
            except GeocodeProblem as exc:
                check.add(exc.field, str(exc), row[fname])
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
        check.add("name", "Name fehlt", name)
    data["name"] = name
    raw_cat = row.get("category", "")
    category = _CATEGORY_LOOKUP.get(fold(raw_cat)) if raw_cat else None
    if not raw_cat:
        check.add("category", "Kategorie fehlt; erlaubt: " + ", ".join(CATEGORIES), "")
    elif category is None:
        check.add("category", "unbekannte Kategorie; erlaubt: " + ", ".join(CATEGORIES), raw_cat)
    data["category"] = category or "Kita"
    hf_text = row.get("handlungsfelder", "")
    codes = []
    for part in [p for p in _LIST_SPLIT.split(hf_text) if p] if hf_text else []:
        code = handlungsfeld_code(part)
        if code is None:
            check.add("handlungsfelder", "unbekanntes Handlungsfeld", part)
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
        check.add("postcode", "PLZ muss fünfstellig sein", postcode)
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
            check.add("capacity", "Kapazität muss eine ganze Zahl ≥ 0 sein", row["capacity"])
    data["source"] = row.get("source") or defaults.source
    if not str(data["source"]).strip():
        check.add("source", "Quelle fehlt (Spalte Quelle oder Vorgabe für die ganze Datei)", "")
    ref = row.get("reference_date") or defaults.reference_date
    for fname, value, required in (
        ("reference_date", ref, True),
        ("last_verified", row.get("last_verified", ""), False),
    ):
        if not value:
            if required:
                check.add(fname, "Stand fehlt (Spalte Stand oder Vorgabe für die ganze Datei)", "")
            continue
        try:  # the reference date keeps its source's precision (2012, 08.2024, 31.12.2024)
            data[fname] = source_date(value) if fname == "reference_date" else parse_date(value)
        except ValueError:
            expected = (
                "2012, 08.2024 oder 31.12.2024" if fname == "reference_date" else "31.12.2024"
            )
            check.add(fname, f"ungültiges Datum (erwartet z. B. {expected})", value)
    status = _STATUS.get(fold(row.get("status", "")))
    if status is None:
        check.add(
            "status", "unbekannter Status; erlaubt: aktiv, geschlossen", row.get("status", "")
        )
    data["status"] = status or "active"
    flag = _YES_NO.get(fold(row.get("unconfirmed", "")))
    if flag is None:
        check.add("unconfirmed", "erwartet ja oder nein", row.get("unconfirmed", ""))
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
                    f"passt nicht zum Standort (liegt in {geo.gemeinde_name(located.ags)})",
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
            check.add(
                "location",
                "kein Standort: Koordinaten, PLZ oder Gemeinde angeben (oder Genauigkeit 'unbekannt')",
                "",
            )
    if check.problems:
        return None, check.problems
    try:
        return Facility(**data), []  # type: ignore[arg-type]
    except ValidationError as exc:
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else "record"
            check.add(loc, err["msg"], str(data.get(loc, "")))
        return None, check.problems


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
    by_id = {f.id: f for f in existing}
    by_name: dict[str, list[tuple[str, Facility]]] = defaultdict(list)
    for f in existing:
        by_name[fold(f.name)].append((f"Bestand {f.id}", f))
    plans: list[RowPlan] = []
    seen_ids: dict[str, str] = {}
    for label, row in zip(raw.row_labels, _cells(raw, mapping), strict=True):
        facility, problems = _build(row, label, geocoder, defaults)
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
                    why = (
                        "gleicher Name im Umkreis von 150 m"
                        if near
                        else "gleicher Name und Adresse"
                    )
                    plan.problems.append(
                        Problem(label, "name", f"Dublette von {other_label} ({why})", facility.name)
                    )
                    break
            if not plan.problems and facility.id in seen_ids:
                plan.problems.append(
                    Problem(label, "id", f"ID schon in {seen_ids[facility.id]}", facility.id)
                )
        if facility is not None and not plan.problems:
            old = by_id.get(facility.id)
            if old is None:
                plan.status, plan.facility = "add", facility
            else:
                diff = _diff(old, facility)
                plan.status = "change" if diff else "unchanged"
                plan.facility = facility.model_copy(update={"version": old.version})
                plan.expected_version, plan.diff = old.version, diff
            seen_ids[facility.id] = label
            by_name[fold(facility.name)].append((label, facility))
        plans.append(plan)
    return ImportPlan(plans, dict(mapping))
