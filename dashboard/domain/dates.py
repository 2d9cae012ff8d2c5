"""Dates as their source gives them: a year, a month or a day.

A source that says "(2012)" gives a year, not the 1st of January 2012. Such dates are
kept as ISO 8601 text of reduced precision from the source to the screen:

==========  ==============  ====================================
precision   stored          shown (:func:`dashboard.i18n.format.fmt_date`)
==========  ==============  ====================================
year        ``2012``        ``2012``
month       ``2024-08``     ``08.2024`` (de), ``2024-08`` (en)
day         ``2024-08-01``  ``01.08.2024`` (de), ``2024-08-01`` (en)
==========  ==============  ====================================

ISO text of any precision sorts by time (``"2012" < "2012-03" < "2012-03-05" < "2013"``).
Comparisons that need days use :func:`span` (first and last day of the period) and
:func:`distance_days` (0 when two periods overlap).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator

#: Precisions of a source date, coarsest first.
DatePrecision = Literal["year", "month", "day"]
PRECISIONS: tuple[str, ...] = ("year", "month", "day")

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ][\d:.+\-Z]*)?)?)?")
_GERMAN_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_GERMAN_MONTH = re.compile(r"(\d{1,2})[./](\d{4})")
_FIRST_YEAR, _LAST_YEAR = 1900, 2199


def _year(text: str) -> int:
    year = int(text)
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"year {year} out of range {_FIRST_YEAR}-{_LAST_YEAR}")
    return year


def _month(year: int, month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} out of range 1-12")
    return f"{year:04d}-{month:02d}"


def source_date(value: object) -> str:
    """The date as ISO text of its own precision (``2012``, ``2024-08``, ``2024-08-01``).

    Parameters
    ----------
    value
        A :class:`datetime.date` (a day), a year as a whole number, or text: ``2012``,
        ``2024-08``, ``08.2024``, ``8/2024``, ``2024-08-01`` (a time is ignored),
        ``01.08.2024`` or ``01.08.24``.

    Returns
    -------
    str
        ISO 8601 text of reduced precision.

    Raises
    ------
    ValueError
        For an empty, impossible (``31.02.2025``) or unknown date, naming the value.
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int):
        return f"{_year(str(value)):04d}"
    if isinstance(value, float) and value.is_integer():
        return f"{_year(str(int(value))):04d}"
    text = str(value).strip() if value is not None else ""
    if not text:
        raise ValueError("no date given")
    try:
        m = _ISO.fullmatch(text)
        if m:
            year = _year(m[1])
            if m[2] is None:
                return f"{year:04d}"
            if m[3] is None:
                return _month(year, int(m[2]))
            return dt.date(year, int(m[2]), int(m[3])).isoformat()
        m = _GERMAN_DAY.fullmatch(text)
        if m:
            year = int(m[3])
            if len(m[3]) == 2:
                year += 2000 if year < 70 else 1900
            return dt.date(_year(str(year)), int(m[2]), int(m[1])).isoformat()
        m = _GERMAN_MONTH.fullmatch(text)
        if m:
            return _month(_year(m[2]), int(m[1]))
    except ValueError as exc:
        raise ValueError(f"impossible date {text!r} ({exc})") from None
    raise ValueError(f"unknown date format {text!r} (expected e.g. 2012, 08.2024 or 31.12.2024)")


def precision(value: str) -> DatePrecision:
    """``year``, ``month`` or ``day`` of ISO text made by :func:`source_date`."""
    text = source_date(value)
    return "year" if len(text) == 4 else "month" if len(text) == 7 else "day"


def span(value: object) -> tuple[dt.date, dt.date]:
    """First and last day of the period a source date stands for.

    ``2012`` -> (2012-01-01, 2012-12-31); ``2024-02`` -> (2024-02-01, 2024-02-29);
    a day -> (that day, that day).
    """
    text = source_date(value)
    year = int(text[:4])
    if len(text) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if len(text) == 7:
        month = int(text[5:7])
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return first, following - dt.timedelta(days=1)
    day = dt.date.fromisoformat(text)
    return day, day


def distance_days(a: object, b: object) -> int:
    """Days between two source dates: 0 when their periods overlap (``2022`` and
    ``2022-12-12``), else the gap between the nearer ends."""
    a0, a1 = span(a)
    b0, b1 = span(b)
    if a1 < b0:
        return (b0 - a1).days
    if b1 < a0:
        return (a0 - b1).days
    return 0


#: A date field of the model that keeps its source's precision (pydantic type).
SourceDate = Annotated[str, BeforeValidator(source_date)]
