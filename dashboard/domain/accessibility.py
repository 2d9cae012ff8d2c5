"""The district's values of the accessibility statement (Erklärung zur Barrierefreiheit).

They live in the ``[accessibility]`` table of ``districts/<key>/district.toml``: the feedback
contact, the date of the statement and the enforcement body, each as the Kreis states it,
with the source of the values. Nothing here is invented: a value the file leaves empty (or
a file without the table) is :data:`None`, and the page shows it as not yet filled in by the
Kreis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dashboard.config import District, DistrictConfigError

#: The fields of the table, in the order the page shows them.
CONTACT_FIELDS = ("contact_office", "contact_email", "contact_phone", "contact_address")
ENFORCEMENT_FIELDS = (
    "enforcement_body",
    "enforcement_address",
    "enforcement_email",
    "enforcement_url",
)
_FIELDS = frozenset({"statement_date", "source", *CONTACT_FIELDS, *ENFORCEMENT_FIELDS})
_MAX_CHARS = 500


@dataclass(frozen=True)
class StatementValues:
    """The district's part of the accessibility statement (``None``: not filled in).

    Attributes
    ----------
    values
        Field name (:data:`CONTACT_FIELDS`, :data:`ENFORCEMENT_FIELDS`) -> text or ``None``.
    statement_date
        When the Kreis made or last reviewed the statement.
    source
        Where the values come from (a decision, a web page of the Kreis, the Land's template).
    """

    values: dict[str, str | None]
    statement_date: dt.date | None
    source: str | None

    def get(self, name: str) -> str | None:
        """One field's text, or ``None`` if the Kreis has not filled it in."""
        return self.values.get(name)


def statement_values(district: District) -> StatementValues:
    """The ``[accessibility]`` table of the district file, checked.

    Parameters
    ----------
    district
        The configured district.

    Returns
    -------
    StatementValues
        Empty strings and missing fields are ``None``.

    Raises
    ------
    DistrictConfigError
        Naming the file and the field: an unknown field, a value that is not text, an
        overlong text, or a date that is not ISO (``YYYY-MM-DD``).
    """
    path = district.config_path
    table: Any = district.raw.get("accessibility", {})
    if not isinstance(table, dict):
        raise DistrictConfigError(f"{path}: [accessibility] must be a table")
    unknown = sorted(set(table) - _FIELDS)
    if unknown:
        raise DistrictConfigError(f"{path}: accessibility.{unknown[0]}: unknown field")
    texts: dict[str, str | None] = {}
    for name in sorted(_FIELDS):
        value = table.get(name, "")
        if not isinstance(value, str):
            raise DistrictConfigError(f"{path}: accessibility.{name}: expected text")
        if len(value) > _MAX_CHARS:
            raise DistrictConfigError(
                f"{path}: accessibility.{name}: longer than {_MAX_CHARS} characters"
            )
        texts[name] = value.strip() or None
    date = texts.pop("statement_date")
    try:
        when = dt.date.fromisoformat(date) if date else None
    except ValueError:
        raise DistrictConfigError(
            f"{path}: accessibility.statement_date: expected YYYY-MM-DD, got {date!r}"
        ) from None
    source = texts.pop("source")
    return StatementValues(texts, when, source)
