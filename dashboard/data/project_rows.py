"""A project from the values of one row: a form, a line of an imported list, all checked.

The form on the Maßnahmen page and every row of an imported project list (XLSX or CSV,
read by the bounded readers of :mod:`dashboard.data.importer`) go through
:func:`record_from_row`, so a record meets the same rules however it came in. Each
problem names its field and the value found (:class:`dashboard.data.importer.plan.Problem`),
for the row-by-row report.

Values are text as a clerk writes them: lists separated by ``;`` (Handlungsfelder also by
``,``), Gemeinden and Verbandsgemeinden by name or key, dates as ``2025``, ``03.2025`` or
``01.03.2025``, amounts with a decimal comma, ``ja``/``nein``; codes or their German or
English names for Handlungsfeld, Arbeitskreis and status.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from dashboard.data.importer.columns import fold
from dashboard.data.importer.geocode import parse_number
from dashboard.data.importer.plan import Problem, _model_problem
from dashboard.domain.dates import source_date
from dashboard.domain.model import handlungsfeld_code
from dashboard.domain.projects import (
    ARBEITSKREISE,
    PROJECT_STATUSES,
    ProjectRecord,
    check_transition,
)
from dashboard.i18n.catalogue import LANGUAGES, N_, t
from dashboard.i18n.message import Message

#: The fields of a row (form or file), in the order of a written list. ``status_on`` and
#: ``status_note`` date and explain the status; the place fields become ``places``; the
#: figure fields one target/achieved figure.
ROW_FIELDS: tuple[str, ...] = (
    "id", "title", "handlungsfelder", "arbeitskreis", "leitziel", "lead_organisation",
    "partners", "target_groups", "languages", "gemeinden", "vgs", "offers", "lat", "lon",
    "place_label", "planned_start", "planned_end", "actual_start", "actual_end", "status",
    "status_on", "status_note", "funding_programme", "funding_amount", "figure", "target",
    "achieved", "figure_as_of", "contact", "open_to_residents", "note", "internal_note",
    "source", "reference_date",
)  # fmt: skip
_LISTS = ("partners", "target_groups", "languages")
_DATES = ("planned_start", "planned_end", "actual_start", "actual_end")
_YES = {"ja", "yes", "true", "wahr", "1", "x"}
_NO = {"", "nein", "no", "false", "falsch", "0"}
_SPLIT = re.compile(r"\s*[;\n]\s*")
_SPLIT_CODES = re.compile(r"\s*[;,\n|]\s*")


def header(name: str, lang: str) -> str:
    """The column header of a field in a written list (message ``pcol.<field>``)."""
    return t(f"pcol.{name}", lang)


def _key(text: str) -> str:
    return fold(unicodedata.normalize("NFKC", str(text)))


#: Folded header (German or English) -> field.
HEADERS: dict[str, str] = {
    _key(header(name, lang)): name for name in ROW_FIELDS for lang in LANGUAGES
} | {_key(name): name for name in ROW_FIELDS}


def match_headers(columns: list[str]) -> dict[str, str]:
    """File column -> field, for the columns whose header names a field (either language,
    or the field's own name)."""
    return {c: HEADERS[_key(c)] for c in columns if _key(c) in HEADERS}


def _lookup(family: str, codes: tuple[str, ...]) -> dict[str, str]:
    out = {_key(c): c for c in codes}
    for c in codes:
        for lang in LANGUAGES:
            out[_key(t(f"{family}.{c}", lang))] = c
    return out


_STATUS_LOOKUP = _lookup("project.status", PROJECT_STATUSES)
_AK_LOOKUP = _lookup("ak", ARBEITSKREISE)


@dataclass(frozen=True)
class PlaceBook:
    """What a row's places are checked against.

    Attributes
    ----------
    find_gemeinde
        Name or key -> AGS of a Gemeinde of the district (``None``: unknown).
    vg_names
        Current VG key -> name.
    offer_ids
        Ids of the offers a project may be linked to.
    ags_at
        The Gemeinde at a WGS84 point (``None``: outside the district).
    """

    find_gemeinde: Callable[[str], str | None]
    vg_names: Mapping[str, str]
    offer_ids: frozenset[str]
    ags_at: Callable[[float, float], str | None]

    def find_vg(self, text: str) -> str | None:
        """A VG key by key or name."""
        if text in self.vg_names:
            return text
        wanted = _key(text)
        found = [k for k, n in self.vg_names.items() if _key(n) == wanted]
        return found[0] if len(found) == 1 else None


@dataclass
class _Check:
    label: str
    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, message: Message, value: object) -> None:
        self.problems.append(Problem(self.label, name, message, str(value)[:200]))


def _items(text: str, codes: bool = False) -> list[str]:
    return [x for x in (_SPLIT_CODES if codes else _SPLIT).split(text.strip()) if x]


def _date(row: Mapping[str, str], name: str, check: _Check) -> str | None:
    text = row.get(name, "").strip()
    if not text:
        return None
    try:
        return source_date(text)
    except ValueError:
        check.add(name, Message.of(N_("imp.prob.date_invalid")), text)
        return None


def _places(row: Mapping[str, str], book: PlaceBook, check: _Check) -> list[dict[str, Any]]:
    places: list[dict[str, Any]] = []
    finders: tuple[tuple[str, str, Callable[[str], str | None], str], ...] = (
        ("gemeinden", "gemeinde", book.find_gemeinde, N_("imp.prob.not_gemeinde")),
        ("vgs", "vg", book.find_vg, N_("proj.prob.vg_unknown")),
        ("offers", "offer", lambda i: i if i in book.offer_ids else None, N_("proj.prob.offer_unknown")),
    )  # fmt: skip
    for field_name, kind, find, problem in finders:
        for text in _items(row.get(field_name, ""), codes=True):
            ref = find(text)
            if ref is None:
                check.add(field_name, Message.of(problem, name=text), text)
            else:
                places.append({"kind": kind, "ref": ref})
    lat_text, lon_text = row.get("lat", "").strip(), row.get("lon", "").strip()
    if lat_text or lon_text:
        try:
            lat, lon = parse_number(lat_text), parse_number(lon_text)
        except ValueError:
            check.add("lat", Message.of(N_("imp.prob.coordinates")), f"{lat_text} {lon_text}")
        else:
            if book.ags_at(lat, lon) is None:
                check.add("lat", Message.of(N_("imp.prob.outside")), f"{lat_text} {lon_text}")
            else:
                label = row.get("place_label", "").strip()
                places.append({"kind": "point", "lat": lat, "lon": lon, "label": label})
    unique = {(p["kind"], p.get("ref", ""), p.get("lat"), p.get("lon")): p for p in places}
    return list(unique.values())


def _codes(
    row: Mapping[str, str], name: str, lookup: Callable[[str], str | None], check: _Check
) -> list[str]:
    out = []
    for text in _items(row.get(name, ""), codes=True):
        code = lookup(text)
        if code is None:
            check.add(name, Message.of(N_("proj.prob.unknown_code"), value=text), text)
        else:
            out.append(code)
    return out


def _number(row: Mapping[str, str], name: str, check: _Check) -> float | None:
    text = row.get(name, "").strip().replace("€", "").replace("EUR", "").strip()
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError:
        check.add(name, Message.of(N_("imp.prob.not_number")), text)
        return None
    if value < 0:
        check.add(name, Message.of(N_("proj.prob.negative")), text)
        return None
    return value


def _figures(row: Mapping[str, str], check: _Check) -> list[dict[str, Any]]:
    label = row.get("figure", "").strip()
    target, achieved = _number(row, "target", check), _number(row, "achieved", check)
    as_of = _date(row, "figure_as_of", check)
    if not label:
        if target is not None or achieved is not None:
            check.add("figure", Message.of(N_("proj.prob.figure_label")), "")
        return []
    if target is None and achieved is None:
        check.add("target", Message.of(N_("proj.prob.figure_value")), label)
        return []
    return [{"label": label, "target": target, "achieved": achieved, "as_of": as_of}]


def _yes_no(row: Mapping[str, str], name: str, check: _Check) -> bool:
    text = row.get(name, "").strip().casefold()
    if text in _YES:
        return True
    if text not in _NO:
        check.add(name, Message.of(N_("imp.prob.yes_no")), text)
    return False


def _status(
    row: Mapping[str, str], base: ProjectRecord | None, author: str, at: str, check: _Check
) -> tuple[str | None, list[dict[str, Any]]]:
    """The status and its history: a new record starts with the row's status; a stored
    one keeps its history and gains one change when the row's status differs."""
    text = row.get("status", "").strip()
    status = _STATUS_LOOKUP.get(_key(text)) if text else (base.status if base else None)
    if status is None:
        key = N_("proj.prob.status_unknown") if text else N_("proj.prob.status_missing")
        check.add("status", Message.of(key), text)
        return None, []
    on = _date(row, "status_on", check) or row.get("reference_date", "").strip()
    note = row.get("status_note", "").strip()
    history = [c.model_dump() for c in base.statuses] if base else []
    if base is not None and status == base.status:
        return status, history
    try:
        if base is not None:
            check_transition(base.status, status)
        on = source_date(on) if on else ""
    except ValueError as exc:
        check.add("status", Message.of(N_("proj.prob.transition"), detail=str(exc)), text)
        return None, []
    if not on:
        check.add("status_on", Message.of(N_("imp.prob.date_missing")), "")
        return None, []
    change = {"status": status, "on": on, "by": author, "note": note, "recorded_at": at}
    return status, [*history, change]


def _required(given: Mapping[str, str], check: _Check) -> tuple[str | None, str]:
    """Check title, source and date (required) and the Arbeitskreis; the date and the
    Arbeitskreis code."""
    if not given.get("title", "").strip():
        check.add("title", Message.of(N_("proj.prob.title_missing")), "")
    if not given.get("source", "").strip():
        check.add("source", Message.of(N_("imp.prob.source_missing")), "")
    reference = _date(given, "reference_date", check)
    if reference is None and not given.get("reference_date", "").strip():
        check.add("reference_date", Message.of(N_("imp.prob.date_missing")), "")
    ak = given.get("arbeitskreis", "").strip()
    arbeitskreis = _AK_LOOKUP.get(_key(ak), None) if ak else ""
    if arbeitskreis is None:
        check.add("arbeitskreis", Message.of(N_("proj.prob.unknown_code"), value=ak), ak)
    return reference, arbeitskreis or ""


def record_from_row(
    row: Mapping[str, str],
    book: PlaceBook,
    *,
    label: str,
    base: ProjectRecord | None,
    new_id: str,
    author: str,
    at: str,
) -> tuple[ProjectRecord | None, list[Problem]]:
    """A validated project from one row, or the row's problems.

    Parameters
    ----------
    row
        Field (:data:`ROW_FIELDS`) -> text; for a stored record only the fields given
        change it (the others keep the stored values).
    book
        What places are checked against.
    label
        Where the row is ("Zeile 7", or the form's label), for the report.
    base
        The stored record the row changes (``None``: a new project).
    new_id
        The id of a new project.
    author, at
        Who records a status change, and when (ISO time).

    Returns
    -------
    tuple
        The record (``None`` if any problem) and the problems.
    """
    check = _Check(label)
    given = {k: str(v) for k, v in row.items() if k in ROW_FIELDS}
    if base is not None:  # the status date and note belong to a change, not to the record
        stored = {k: v for k, v in row_of(base).items() if k not in ("status_on", "status_note")}
        given = {**stored, **given}
    reference, arbeitskreis = _required(given, check)
    status, statuses = _status(given, base, author, at, check)
    data: dict[str, Any] = {
        "id": base.id if base is not None else new_id,
        "title": given.get("title", "").strip(),
        "handlungsfelder": _codes(given, "handlungsfelder", handlungsfeld_code, check),
        "arbeitskreis": arbeitskreis,
        "places": _places(given, book, check),
        "status": status,
        "statuses": statuses,
        "funding_amount": _number(given, "funding_amount", check),
        "figures": _figures(given, check),
        "open_to_residents": _yes_no(given, "open_to_residents", check),
        "source": given.get("source", "").strip(),
        "reference_date": reference,
        "version": base.version if base is not None else 1,
    }
    for name in _LISTS:
        data[name] = _items(given.get(name, ""))
    for name in _DATES:
        data[name] = _date(given, name, check)
    for name in ("leitziel", "lead_organisation", "funding_programme", "contact", "note",
                 "internal_note"):  # fmt: skip
        data[name] = given.get(name, "").strip()
    if base is not None:
        data["handlungsfeld_basis"] = base.handlungsfeld_basis
    if check.problems:
        return None, check.problems
    try:
        return ProjectRecord.model_validate(data), []
    except ValidationError as exc:
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else "title"
            check.add(loc, _model_problem(err), str(data.get(loc, ""))[:200])
        return None, check.problems


def row_of(record: ProjectRecord) -> dict[str, str]:
    """A stored record as the text of a row: what a form starts with, what a written list
    holds and :func:`record_from_row` reads back."""
    figure = record.figures[0] if record.figures else None
    point = record.points[0] if record.points else None
    return {
        "id": record.id,
        "title": record.title,
        "handlungsfelder": "; ".join(record.handlungsfelder),
        "arbeitskreis": record.arbeitskreis,
        "leitziel": record.leitziel,
        "lead_organisation": record.lead_organisation,
        "partners": "; ".join(record.partners),
        "target_groups": "; ".join(record.target_groups),
        "languages": "; ".join(record.languages),
        "gemeinden": "; ".join(p.ref for p in record.places if p.kind == "gemeinde"),
        "vgs": "; ".join(record.vg_keys),
        "offers": "; ".join(record.facility_ids),
        "lat": "" if point is None else repr(point.lat),
        "lon": "" if point is None else repr(point.lon),
        "place_label": "" if point is None else point.label,
        **{name: getattr(record, name) or "" for name in _DATES},
        "status": record.status,
        "status_on": record.since(),
        "status_note": record.statuses[-1].note,
        "funding_programme": record.funding_programme,
        "funding_amount": "" if record.funding_amount is None else repr(record.funding_amount),
        "figure": figure.label if figure else "",
        "target": "" if figure is None or figure.target is None else repr(figure.target),
        "achieved": "" if figure is None or figure.achieved is None else repr(figure.achieved),
        "figure_as_of": (figure.as_of or "") if figure else "",
        "contact": record.contact,
        "open_to_residents": "ja" if record.open_to_residents else "nein",
        "note": record.note,
        "internal_note": record.internal_note,
        "source": record.source,
        "reference_date": record.reference_date,
    }
