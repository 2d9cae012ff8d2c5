"""Turn an edit form into a validated facility, with exactly the import's checks.

The form's values go through the importer's row validation (field parsing, categories,
Handlungsfelder, dates, and geocoding with :class:`dashboard.data.importer.geocode.Geocoder`), so
an edited record meets the same rules as an imported one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dashboard.data.importer.geocode import Geocoder
from dashboard.data.importer.labels import FORM
from dashboard.data.importer.plan import Defaults, Problem, _build
from dashboard.domain.model import FACILITY_FIELDS, Facility
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_
from dashboard.i18n.message import LocalizedError, Message

#: Fields that place a facility; changing one of them re-derives the Gemeinde key.
LOCATION_FIELDS = ("lat", "lon", "east", "north", "postcode", "place", "gemeinde")


class InvalidEdit(LocalizedError, ValueError):
    """The edited values are invalid; ``problems`` lists field, problem and value."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(N_("err.invalid_edit"), problems=self._line(DEFAULT_LANGUAGE))

    def _line(self, lang: str) -> str:
        return "; ".join(f"{p.field}: {p.problem_text(lang)} ({p.value!r})" for p in self.problems)

    def text(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The problems in one line, in ``lang``."""
        return Message.of(N_("err.invalid_edit"), problems=self._line(lang)).text(lang)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def facility_from_values(
    values: Mapping[str, object], geocoder: Geocoder, base: Facility | None = None
) -> Facility:
    """Build a facility from form values, validated and geocoded like an import row.

    Parameters
    ----------
    values
        Field -> value (text, numbers, dates or lists) for the fields the form shows; for a
        change only the edited ones are needed. The position comes from ``lat``/``lon``
        (or ``east``/``north``), else ``postcode`` (+ ``place``), else the Gemeinde
        (``gemeinde``/``place``); to re-place by postcode pass empty ``lat``/``lon``.
    geocoder
        The offline geocoder (:func:`dashboard.data.importer.default_geocoder`).
    base
        The stored record being edited (``None`` for a new facility).

    Returns
    -------
    Facility
        Validated; for a change with the id and version of ``base``.

    Raises
    ------
    InvalidEdit
        With one :class:`dashboard.data.importer.plan.Problem` per invalid field.
    """
    row: dict[str, str] = {}
    if base is not None:
        row = {k: _text(getattr(base, k)) for k in FACILITY_FIELDS if k != "version"}
    moved = base is not None and any(
        k in values and _text(values[k]) != row.get(k, "") for k in LOCATION_FIELDS
    )
    for key, value in values.items():
        row[key] = _text(value)
    if base is not None:
        row["id"] = base.id
    if moved:
        if "ags" not in values:
            row.pop("ags", None)
        coords_changed = any(
            k in values and _text(values[k]) != _text(getattr(base, k)) for k in ("lat", "lon")
        )
        if coords_changed and "precision" not in values:
            row.pop("precision", None)  # typed coordinates are exact unless stated
        if not row.get("lat") and not row.get("lon") and "precision" not in values:
            row.pop("precision", None)
    facility, problems = _build(row, FORM, geocoder, Defaults())
    if facility is None:
        raise InvalidEdit(problems)
    if base is not None:
        facility = facility.model_copy(update={"version": base.version})
    return facility
