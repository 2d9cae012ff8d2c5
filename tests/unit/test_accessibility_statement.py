"""The district's values of the accessibility statement: read from ``[accessibility]``,
nothing invented (empty is "not filled in"), bad values refused with file and field."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from dashboard.config import DistrictConfigError, load_district
from dashboard.domain.accessibility import statement_values

DISTRICT = load_district("07335")  # the shipped district


def _with(table: Any) -> Any:
    return dataclasses.replace(DISTRICT, raw={**DISTRICT.raw, "accessibility": table})


def test_shipped_district_names_the_enforcement_body_and_leaves_the_contact_open() -> None:
    values = statement_values(DISTRICT)
    assert "Landesbeauftragten" in (values.get("enforcement_body") or "")
    assert values.get("contact_email") is None and values.get("contact_office") is None
    assert values.statement_date is None
    assert values.source and "Rheinland-Pfalz" in values.source


def test_a_district_without_the_table_has_nothing_filled_in() -> None:
    raw = {k: v for k, v in DISTRICT.raw.items() if k != "accessibility"}
    values = statement_values(dataclasses.replace(DISTRICT, raw=raw))
    assert values.values and all(v is None for v in values.values.values())
    assert values.source is None and values.statement_date is None


def test_values_and_date_are_read() -> None:
    values = statement_values(
        _with({"contact_email": " barrierefrei@example.org ", "statement_date": "2026-11-30"})
    )
    assert values.get("contact_email") == "barrierefrei@example.org"
    assert values.statement_date == dt.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ({"contact_mail": "x"}, "accessibility.contact_mail: unknown field"),
        ({"contact_phone": 6301}, "accessibility.contact_phone: expected text"),
        ({"statement_date": "30.11.2026"}, "accessibility.statement_date: expected YYYY-MM-DD"),
        ({"contact_address": "x" * 501}, "accessibility.contact_address: longer than 500"),
        ("barrierefrei", "[accessibility] must be a table"),
    ],
)
def test_bad_values_name_file_and_field(table: Any, field: str) -> None:
    with pytest.raises(DistrictConfigError, match="district.toml") as err:
        statement_values(_with(table))
    assert field in str(err.value)
