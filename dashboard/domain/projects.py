"""The projects (Maßnahmen) of the integration concept: records with a dated status history.

The council paper 0285/2013 proposes projects in nine Handlungsfelder, worked out by four
Arbeitskreise under a Steuerungsgruppe that sets Leitziele. A project record holds what
the paper and later decisions say about one of them: title, Handlungsfelder, Arbeitskreis,
Leitziel, who leads it and with whom, for whom and in which languages, where it takes
place, when it was planned and when it really ran, its status with every dated change,
funding, target and achieved figures, its source and date, and an internal note for the
Kreisverwaltung (who may read it: :mod:`dashboard.domain.privacy`).

Status
------
A project moves forward through :data:`STATUS_ORDER` (vorgeschlagen → beschlossen →
in Vorbereitung → laufend → abgeschlossen; steps may be skipped) or is stopped
(``eingestellt``) at any point before it ends. Every change is one :class:`StatusChange`
with its date (in its source's precision), who recorded it and a note; the record's
``status`` is always the last change's (:func:`check_transition`, :func:`status_on`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dashboard.domain.dates import SourceDate, span
from dashboard.domain.model import LIST_LIMIT, TEXT_LIMITS, HandlungsfeldCode

#: Status codes in their forward order; ``eingestellt`` ends a project early.
STATUS_ORDER: tuple[str, ...] = (
    "vorgeschlagen", "beschlossen", "in_vorbereitung", "laufend", "abgeschlossen",
)  # fmt: skip
STOPPED = "eingestellt"
PROJECT_STATUSES: tuple[str, ...] = (*STATUS_ORDER, STOPPED)
#: Statuses after which nothing changes any more.
FINAL_STATUSES: frozenset[str] = frozenset({"abgeschlossen", STOPPED})
#: Statuses of a project that is taking place (listed for residents when open to them).
RUNNING: frozenset[str] = frozenset({"laufend"})
ProjectStatusCode = Literal[
    "vorgeschlagen", "beschlossen", "in_vorbereitung", "laufend", "abgeschlossen", "eingestellt"
]
#: Legacy status of the first release's records (``geplant``) and what it became.
LEGACY_STATUS: dict[str, str] = {"geplant": "beschlossen"}

#: The four Arbeitskreise of the concept (names: messages ``ak.<code>``).
ARBEITSKREISE: tuple[str, ...] = (
    "bildung_erziehung", "gesundheit_soziales", "arbeit_wirtschaft", "kultur_sport",
)  # fmt: skip
ArbeitskreisCode = Literal[
    "", "bildung_erziehung", "gesundheit_soziales", "arbeit_wirtschaft", "kultur_sport"
]

#: How a place of a project is given.
PLACE_KINDS: tuple[str, ...] = ("gemeinde", "vg", "offer", "point")
PlaceKind = Literal["gemeinde", "vg", "offer", "point"]

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"
#: Longest texts of the project fields not already in :data:`TEXT_LIMITS`.
PROJECT_TEXT_LIMITS: dict[str, int] = {
    "leitziel": 1000, "partner": 200, "funding_programme": 300, "figure": 200,
    "place_label": 200, "status_note": 2000, "internal_note": 4000, "author": 200,
}  # fmt: skip
#: Largest amount of funding (EUR) a record takes (beyond it: a typing error).
MAX_AMOUNT = 1_000_000_000.0
#: Largest target or achieved figure a record takes.
MAX_FIGURE = 10_000_000.0


def _text(limit: int, *, required: bool = False) -> object:
    return Field(min_length=1 if required else 0, max_length=limit)


Label = Annotated[str, _text(PROJECT_TEXT_LIMITS["place_label"])]


class Place(BaseModel):
    """Where a project takes place: a Gemeinde (AGS), a VG (9-digit key of the current
    vintage), a linked offer (its id) or a point (WGS84) with a label."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: PlaceKind
    ref: Annotated[str, Field(max_length=64)] = ""
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    label: Label = ""

    @model_validator(mode="after")
    def _fits_kind(self) -> Place:
        patterns = {"gemeinde": r"\d{8}", "vg": r"\d{9}"}
        if self.kind in patterns and not re.fullmatch(patterns[self.kind], self.ref):
            raise ValueError(f"a {self.kind} place needs its key, got {self.ref!r}")
        if self.kind == "offer" and not re.fullmatch(_ID, self.ref):
            raise ValueError(f"an offer place needs the offer's id, got {self.ref!r}")
        if self.kind == "point":
            if self.lat is None or self.lon is None:
                raise ValueError("a point place needs lat and lon")
        elif self.lat is not None or self.lon is not None:
            raise ValueError(f"a {self.kind} place has no coordinates")
        return self


class StatusChange(BaseModel):
    """One dated change of a project's status: when (in its source's precision), who
    recorded it, why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    status: ProjectStatusCode
    on: SourceDate
    by: Annotated[str, _text(PROJECT_TEXT_LIMITS["author"])] = ""
    note: Annotated[str, _text(PROJECT_TEXT_LIMITS["status_note"])] = ""
    recorded_at: str = ""


class Figure(BaseModel):
    """A target and/or achieved figure (e.g. participants) with its date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: Annotated[str, _text(PROJECT_TEXT_LIMITS["figure"], required=True)]
    target: Annotated[float, Field(ge=0, le=MAX_FIGURE)] | None = None
    achieved: Annotated[float, Field(ge=0, le=MAX_FIGURE)] | None = None
    as_of: SourceDate | None = None

    @model_validator(mode="after")
    def _has_a_number(self) -> Figure:
        if self.target is None and self.achieved is None:
            raise ValueError("a figure needs a target or an achieved value")
        return self


class ProjectRecord(BaseModel):
    """A project of the integration concept, as stored.

    ``status`` is the last entry of ``statuses`` (checked). ``location_ags`` is never
    stored: the service fills it on reading with every Gemeinde the project's places touch
    (a Gemeinde place, the Gemeinden of a VG place, the Gemeinde of a point or of a linked
    offer), so that every output counts a project in the same areas.
    """

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, _text(TEXT_LIMITS["title"], required=True)]
    handlungsfelder: list[HandlungsfeldCode] = Field(default_factory=list)
    handlungsfeld_basis: Annotated[str, _text(TEXT_LIMITS["handlungsfeld_basis"])] = ""
    arbeitskreis: ArbeitskreisCode = ""
    leitziel: Annotated[str, _text(PROJECT_TEXT_LIMITS["leitziel"])] = ""
    lead_organisation: Annotated[str, _text(TEXT_LIMITS["lead_organisation"])] = ""
    partners: list[Annotated[str, _text(PROJECT_TEXT_LIMITS["partner"])]] = Field(
        default_factory=list, max_length=LIST_LIMIT
    )
    target_groups: list[Annotated[str, _text(TEXT_LIMITS["target_group"])]] = Field(
        default_factory=list, max_length=LIST_LIMIT
    )
    languages: list[Annotated[str, _text(TEXT_LIMITS["language"])]] = Field(
        default_factory=list, max_length=LIST_LIMIT
    )
    places: list[Place] = Field(default_factory=list, max_length=LIST_LIMIT)
    planned_start: SourceDate | None = None
    planned_end: SourceDate | None = None
    actual_start: SourceDate | None = None
    actual_end: SourceDate | None = None
    status: ProjectStatusCode
    statuses: list[StatusChange] = Field(min_length=1, max_length=200)
    funding_programme: Annotated[str, _text(PROJECT_TEXT_LIMITS["funding_programme"])] = ""
    funding_amount: Annotated[float, Field(ge=0, le=MAX_AMOUNT)] | None = None
    figures: list[Figure] = Field(default_factory=list, max_length=LIST_LIMIT)
    contact: Annotated[str, _text(TEXT_LIMITS["contact"])] = ""
    open_to_residents: bool = False
    note: Annotated[str, _text(TEXT_LIMITS["note"])] = ""
    internal_note: Annotated[str, _text(PROJECT_TEXT_LIMITS["internal_note"])] = ""
    source: Annotated[str, _text(TEXT_LIMITS["source"], required=True)]
    reference_date: SourceDate
    version: Annotated[int, Field(ge=1)] = 1
    location_ags: list[str] = Field(default_factory=list, exclude=True)

    @field_validator("title", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()

    @field_validator("handlungsfelder", "partners", "target_groups", "languages")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))

    @model_validator(mode="after")
    def _consistent(self) -> ProjectRecord:
        for before, after in zip(self.statuses, self.statuses[1:], strict=False):
            check_transition(before.status, after.status)
            if span(after.on)[1] < span(before.on)[0]:
                raise ValueError("a status change dated before the one it follows")
        for first, last in (
            (self.planned_start, self.planned_end),
            (self.actual_start, self.actual_end),
        ):
            if first and last and span(last)[1] < span(first)[0]:
                raise ValueError("end before start")
        if self.status != self.statuses[-1].status:
            raise ValueError("status must be the last status change's")
        return self

    # -- what other outputs read ----------------------------------------------------------
    @property
    def facility_ids(self) -> list[str]:
        """Ids of the offers the project is linked to."""
        return [p.ref for p in self.places if p.kind == "offer"]

    @property
    def vg_keys(self) -> list[str]:
        """VG keys (current vintage) named as places."""
        return [p.ref for p in self.places if p.kind == "vg"]

    @property
    def points(self) -> list[Place]:
        """The places given as points."""
        return [p for p in self.places if p.kind == "point"]

    def since(self) -> str:
        """The date of the current status."""
        return self.statuses[-1].on


#: Record fields in display/export order (the status history and places are their own
#: tables in files).
PROJECT_FIELDS: tuple[str, ...] = tuple(
    f for f in ProjectRecord.model_fields if f not in ("location_ags",)
)


def check_transition(before: str, after: str) -> None:
    """Refuse a status change that is not allowed.

    Forward along :data:`STATUS_ORDER` (steps may be skipped) or to ``eingestellt``; a
    finished or stopped project does not change any more.

    Raises
    ------
    ValueError
        Naming both statuses.
    """
    if before in FINAL_STATUSES:
        raise ValueError(f"status {before!r} is final (no change to {after!r})")
    if after == STOPPED:
        return
    if after not in STATUS_ORDER or STATUS_ORDER.index(after) <= STATUS_ORDER.index(before):
        raise ValueError(f"status {before!r} cannot change to {after!r}")


def allowed_next(status: str) -> list[str]:
    """The statuses a project of ``status`` may move to (for a form's choices)."""
    if status in FINAL_STATUSES:
        return []
    later = list(STATUS_ORDER[STATUS_ORDER.index(status) + 1 :])
    return [*later, STOPPED]


def status_on(record: ProjectRecord, day: dt.date) -> str | None:
    """The status a project had on ``day`` (``None``: not yet recorded then).

    A change counts from the first day of its date's period (a change dated ``2013``
    counts from 1 January 2013).
    """
    current: str | None = None
    for change in record.statuses:
        if span(change.on)[0] <= day:
            current = change.status
    return current


def with_status(
    record: ProjectRecord, status: str, on: str, by: str, note: str, recorded_at: str
) -> ProjectRecord:
    """A copy of ``record`` moved to ``status`` (one more :class:`StatusChange`).

    The actual start is set when a project starts running and the actual end when it
    ends or is stopped, unless they are recorded already.

    Raises
    ------
    ValueError, pydantic.ValidationError
        A change that is not allowed, or dated before the current status.
    """
    check_transition(record.status, status)
    change = StatusChange(status=status, on=on, by=by, note=note, recorded_at=recorded_at)  # type: ignore[arg-type]
    data = record.model_dump()
    data["statuses"] = [*data["statuses"], change.model_dump()]
    data["status"] = status
    if status == "laufend" and not record.actual_start:
        data["actual_start"] = change.on
    if status in FINAL_STATUSES and not record.actual_end and record.status == "laufend":
        data["actual_end"] = change.on
    return ProjectRecord.model_validate(data)


def without_internal(record: ProjectRecord) -> ProjectRecord:
    """The record as whoever may not read internal notes gets it (see
    :func:`dashboard.domain.privacy.project_for`): no internal note, no account names."""
    statuses = [c.model_copy(update={"by": "", "recorded_at": ""}) for c in record.statuses]
    return record.model_copy(update={"internal_note": "", "statuses": statuses})
