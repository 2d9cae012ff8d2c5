"""The pydantic models of a ``district.toml``: each table and field checked, with one line
naming the field and what is expected (the caller adds the file)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    field_validator,
    model_validator,
)

from dashboard.config.constants import CONTEXT_KINDS, DISTRICT_KINDS


class FileProblem(ValueError):
    """A field of the file is missing or wrong: ``field: expected ...`` (one line)."""


class _Problem(ValueError):
    """What is wrong with one field (the message names the field's expectation)."""


def _problem(text: str) -> _Problem:
    return _Problem(text)


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _problem("expected a non-empty text")
    return value.strip()


def _iso_date(value: object) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, dt.date) else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise _problem(f"expected a date YYYY-MM-DD, got {value!r}")
    return text


#: A text that must not be empty (surrounding blanks dropped).
_NonEmpty = Annotated[str, BeforeValidator(_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Head(_Strict):
    key: str
    name: _NonEmpty
    kind: str

    @field_validator("key", mode="before")
    @classmethod
    def _key(cls, value: object) -> str:
        key = _text(value)
        if not re.fullmatch(r"\d{2}|\d{5}", key):
            raise _problem(f"expected 2 (Land) or 5 (Kreis) digits, got {key!r}")
        return key

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        kind = _text(value)
        if kind not in DISTRICT_KINDS.values():
            raise _problem(f"expected one of {', '.join(DISTRICT_KINDS.values())}")
        return kind


class _Context(_Strict):
    ags: str
    name: _NonEmpty
    kind: str = "stadt"

    @field_validator("ags", mode="before")
    @classmethod
    def _ags(cls, value: object) -> str:
        ags = _text(value)
        if not re.fullmatch(r"\d{8}", ags):
            raise _problem(f"expected an 8-digit key, got {ags!r}")
        return ags

    @field_validator("kind", mode="before")
    @classmethod
    def _kind(cls, value: object) -> str:
        if value not in CONTEXT_KINDS:
            raise _problem(f"expected one of {', '.join(CONTEXT_KINDS)}")
        return str(value)


class _Vintage(_Strict):
    source: str = "membership"
    valid_from: str | None = None
    valid_to: str | None = None
    as_of: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, value: object) -> str:
        if value not in ("membership", "package"):
            raise _problem("expected 'membership' or 'package'")
        return str(value)

    @field_validator("valid_from", "valid_to", "as_of", mode="before")
    @classmethod
    def _date(cls, value: object) -> str | None:
        return _iso_date(value)


class _Vintages(_Strict):
    """``[vintages]``: ``current``, ``membership`` and one table per year."""

    model_config = ConfigDict(extra="allow", frozen=True)
    current: int | None = None
    membership: str = "gemeinden_vg_membership.csv"

    @model_validator(mode="before")
    @classmethod
    def _years(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise _problem("missing; expected at least one vintage table such as [vintages.2019]")
        for name, spec in value.items():
            if isinstance(spec, dict) and not (name.isdigit() and len(name) == 4):
                raise _problem(f"vintages.{name}: expected a year as the table name")
        if not any(isinstance(spec, dict) for spec in value.values()):
            raise _problem("expected at least one vintage table such as [vintages.2019]")
        return value

    def years(self) -> dict[int, _Vintage]:
        """The vintage tables, checked, by year (oldest first)."""
        extra = self.model_extra or {}
        out = {}
        for name in sorted(extra):
            try:
                out[int(name)] = _Vintage.model_validate(extra[name])
            except ValidationError as exc:
                raise _Nested(("vintages", name), exc) from None
        return out


class _Data(_Strict):
    geodata: str | None = None
    datasets: str | None = None
    store: str | None = None
    datasets_build: str = "package"

    @field_validator("datasets_build", mode="before")
    @classmethod
    def _build(cls, value: object) -> str:
        if value not in ("reference", "package"):
            raise _problem("expected 'reference' or 'package'")
        return str(value)


class _Synthetic(_Strict):
    facilities: int = 0
    seed: int = 0
    population: bool = False


class DistrictFile(_Strict):
    """The tables of a ``district.toml`` the atlas reads (further tables are kept raw)."""

    district: _Head
    context: list[_Context] = []
    vintages: _Vintages
    data: _Data = _Data()
    synthetic: _Synthetic = _Synthetic()


class _Nested(Exception):
    """A validation error inside a vintage table (its location is prefixed)."""

    def __init__(self, prefix: tuple[str, ...], error: ValidationError) -> None:
        super().__init__(str(error))
        self.prefix = prefix
        self.error = error


_SECTIONS = {"district", "vintages", "data", "synthetic"}


def _field_name(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    if len(loc) == 1 and out in _SECTIONS:
        return f"[{out}]"
    if len(loc) == 1 and out == "context":
        return "[[context]]"
    return out


def _message(error: ValidationError, prefix: tuple[str, ...] = ()) -> str:
    first = error.errors()[0]
    loc = (*prefix, *first["loc"])
    problem = first.get("ctx", {}).get("error")
    if isinstance(problem, _Problem):
        text = str(problem)
    elif first["type"] == "missing":
        text = "missing"
    elif first["type"] == "model_type" and loc == ("vintages",):
        text = "missing; expected at least one vintage table such as [vintages.2019]"
    elif first["type"] == "list_type":
        text = "expected an array of tables"
    else:
        text = f"expected {first['msg'].lower()}"
    if text.startswith("vintages."):  # a message that names its own field
        return text
    return f"{_field_name(loc)}: {text}"


def check_file(doc: dict[str, Any]) -> tuple[DistrictFile, dict[int, _Vintage]]:
    """Check a parsed ``district.toml``: its tables and its vintages (by year, oldest first).

    Raises
    ------
    FileProblem
        ``field: expected ...`` for the first problem found.
    """
    try:
        spec = DistrictFile.model_validate(doc)
        years = spec.vintages.years()
    except ValidationError as exc:
        raise FileProblem(_message(exc)) from None
    except _Nested as exc:
        raise FileProblem(_message(exc.error, exc.prefix)) from None
    if spec.vintages.current is not None and spec.vintages.current not in years:
        raise FileProblem(f"vintages.current: {spec.vintages.current!r} is not one of the vintages")
    return spec, years
