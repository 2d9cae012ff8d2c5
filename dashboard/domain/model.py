"""The data model: Handlungsfelder, categories, facilities, projects, indicator values.

Validated with pydantic. Names and other free text are stored as given, without
bidirectional control characters (:func:`dashboard.domain.cleantext.strip_bidi`, for every
record however it comes in); they are escaped wherever they become HTML. An indicator value
is a finite number within :data:`MAX_INDICATOR_VALUE` (the bounds of its kind are checked
where a table is loaded: :func:`dashboard.domain.indicators.value_problem`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dashboard.domain.cleantext import strip_bidi_values
from dashboard.domain.dates import SourceDate
from dashboard.i18n.catalogue import LANGUAGES, t

#: The nine Handlungsfelder of the integration concept (council paper 0285/2013), by code.
HANDLUNGSFELD_CODES: tuple[str, ...] = (
    "kita_schule", "sprache", "soziales", "verein_ehrenamt", "interkulturelle_oeffnung",
    "arbeit_wirtschaft", "gesundheit", "asyl", "religion",
)  # fmt: skip

#: Their names per language (messages ``hf.<code>`` of the catalogue).
HANDLUNGSFELDER: dict[str, dict[str, str]] = {
    code: {lang: t(f"hf.{code}", lang) for lang in LANGUAGES} for code in HANDLUNGSFELD_CODES
}

#: Facility categories: sensitivity (what it means: :mod:`dashboard.domain.privacy`) and the default Handlungsfeld used when an import names
#: none (documented derivation, shown as such); labels per language are the messages
#: ``cat.<category>`` of the catalogue, repeated here under the language codes.
_CATEGORY_RULES: dict[str, dict[str, object]] = {
    "Kita": {"default_hf": ["kita_schule"]},
    "Schule": {"default_hf": ["kita_schule"]},
    "Verein": {"default_hf": ["verein_ehrenamt"]},
    "Beratungsstelle": {"default_hf": ["soziales"]},
    "Sprachkurs": {"default_hf": ["sprache"]},
    "Gesundheit": {"default_hf": ["gesundheit"]},
    "Religion": {"default_hf": ["religion"]},
    "Projektstandort": {"default_hf": []},
    "Unterkunft": {"default_hf": ["asyl"], "sensitive": True},
}
CATEGORIES: dict[str, dict[str, object]] = {
    c: {**{lang: t(f"cat.{c}", lang) for lang in LANGUAGES}, **rules}
    for c, rules in _CATEGORY_RULES.items()
}

Category = Literal[
    "Kita", "Schule", "Verein", "Beratungsstelle", "Sprachkurs", "Gesundheit", "Religion",
    "Projektstandort", "Unterkunft",
]  # fmt: skip
HandlungsfeldCode = Literal[
    "kita_schule", "sprache", "soziales", "verein_ehrenamt", "interkulturelle_oeffnung",
    "arbeit_wirtschaft", "gesundheit", "asyl", "religion",
]  # fmt: skip
Precision = Literal["exact", "address", "postcode", "gemeinde", "unknown"]
PRECISIONS: tuple[str, ...] = ("exact", "address", "postcode", "gemeinde", "unknown")
Status = Literal["active", "closed"]
ProjectStatus = Literal["vorgeschlagen", "geplant", "laufend", "abgeschlossen"]
#: Level of an indicator value: Gemeinde, the VGs of one vintage (``vg_<year>``), district;
#: ``kreis`` is another Kreis or kreisfreie Stadt (5-digit key), such as a context city,
#: whose residents count as demand across the border.
AreaLevel = Annotated[str, Field(pattern=r"^(gemeinde|landkreis|kreis|vg_\d{4})$")]

_ID = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"

#: Longest text per field (characters): a name fits a map label and a printed list, a note
#: a paragraph. An import row or a form with a longer value is refused with the field named.
TEXT_LIMITS: dict[str, int] = {
    "name": 200, "title": 300, "operator": 200, "lead_organisation": 200, "street": 200,
    "place": 100, "area_name": 100, "contact": 500, "source": 500, "note": 2000,
    "handlungsfeld_basis": 500, "indicator": 64, "unit": 32, "language": 50,
    "target_group": 100,
}  # fmt: skip
#: Most entries of a list field (languages, target groups, linked facilities).
LIST_LIMIT = 30

#: Largest magnitude of any stored indicator value (a hard bound beyond every kind's).
MAX_INDICATOR_VALUE = 1e15


class _Clean(BaseModel):
    """A record whose texts never hold bidirectional controls (see the module)."""

    @model_validator(mode="before")
    @classmethod
    def _strip_bidi(cls, data: object) -> object:
        return strip_bidi_values(data)


def _text(limit: str, *, required: bool = False) -> object:
    return Field(min_length=1 if required else 0, max_length=TEXT_LIMITS[limit])


NonEmpty = Annotated[str, Field(min_length=1)]
Name = Annotated[str, _text("name", required=True)]
Source = Annotated[str, _text("source", required=True)]
Note = Annotated[str, _text("note")]


def _fold(text: str) -> str:
    return re.sub(
        r"[^a-z0-9]",
        "",
        text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss"),
    )


_HF_LOOKUP = {_fold(code): code for code in HANDLUNGSFELDER} | {
    _fold(v[lang]): code for code, v in HANDLUNGSFELDER.items() for lang in LANGUAGES
}


def handlungsfeld_code(text: str) -> str | None:
    """Map a Handlungsfeld code or German/English name (any case/spelling of umlauts) to its code."""
    return _HF_LOOKUP.get(_fold(text))


class Facility(_Clean):
    """An offer or place: Kita, school, association, counselling office, ...

    The VG is never stored: it is derived from the location for any boundary vintage.
    ``lat``/``lon`` are WGS84; they are missing only with precision ``unknown``.
    ``reference_date`` keeps the precision its source gives (``2012``, ``2024-08`` or
    ``2024-08-01``, :mod:`dashboard.domain.dates`). ``unconfirmed`` marks an offer whose
    only source says it is still to be confirmed: it is shown so and left out of the
    supply analysis unless the user includes unconfirmed offers.
    """

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    id: Annotated[str, Field(pattern=_ID)]
    name: Name
    category: Category
    handlungsfelder: list[HandlungsfeldCode] = Field(default_factory=list)
    operator: Annotated[str, _text("operator")] = ""
    street: Annotated[str, _text("street")] = ""
    postcode: Annotated[str, Field(pattern=r"^(\d{5})?$")] = ""
    place: Annotated[str, _text("place")] = ""
    ags: Annotated[str, Field(pattern=r"^(\d{8})?$")] = ""
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    precision: Precision
    languages: list[Annotated[str, _text("language")]] = Field(
        default_factory=list, max_length=LIST_LIMIT
    )
    target_groups: list[Annotated[str, _text("target_group")]] = Field(
        default_factory=list, max_length=LIST_LIMIT
    )
    contact: Annotated[str, _text("contact")] = ""
    capacity: Annotated[int, Field(ge=0, le=1_000_000)] | None = None
    source: Source
    reference_date: SourceDate
    last_verified: dt.date | None = None
    status: Status = "active"
    unconfirmed: bool = False
    note: Note = ""
    version: Annotated[int, Field(ge=1)] = 1

    @field_validator("name", "source")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("handlungsfelder", "languages", "target_groups")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _location_matches_precision(self) -> Facility:
        has_point = self.lat is not None and self.lon is not None
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        if has_point and self.precision == "unknown":
            raise ValueError("a located facility needs a precision other than 'unknown'")
        if not has_point and self.precision != "unknown":
            raise ValueError(f"precision {self.precision!r} needs a location (lat, lon)")
        return self


#: Facility fields in display/export order.
FACILITY_FIELDS: tuple[str, ...] = tuple(Facility.model_fields)


class Project(_Clean):
    """A project of the integration concept."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(pattern=_ID)]
    title: Annotated[str, _text("title", required=True)]
    handlungsfelder: list[HandlungsfeldCode] = Field(default_factory=list)
    handlungsfeld_basis: Annotated[str, _text("handlungsfeld_basis")] = ""
    status: ProjectStatus
    lead_organisation: Annotated[str, _text("lead_organisation")] = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    facility_ids: list[Annotated[str, Field(pattern=_ID)]] = Field(default_factory=list)
    location_ags: list[Annotated[str, Field(pattern=r"^\d{8}$")]] = Field(default_factory=list)
    source: Source
    reference_date: SourceDate
    note: Note = ""

    @model_validator(mode="after")
    def _dates_ordered(self) -> Project:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValueError("end_date before start_date")
        return self


class IndicatorValue(_Clean):
    """One value in long format: area, indicator, value, unit, date, source."""

    model_config = ConfigDict(extra="forbid")

    area_level: AreaLevel
    area_key: Annotated[str, Field(pattern=r"^\d{5,9}$")]
    area_name: Annotated[str, _text("area_name")] = ""
    indicator: Annotated[str, _text("indicator", required=True)]
    value: Annotated[
        float, Field(allow_inf_nan=False, ge=-MAX_INDICATOR_VALUE, le=MAX_INDICATOR_VALUE)
    ]
    unit: Annotated[str, _text("unit", required=True)]
    reference_date: SourceDate
    source: Source
    note: Note = ""
