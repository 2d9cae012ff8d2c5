"""Numbers and dates as the user reads them: the one place that formats them.

Built on ``babel.numbers`` and ``babel.dates`` with the locales of
:data:`dashboard.i18n.catalogue.LOCALES` (``de_DE``, ``en_GB``). German output keeps the
conventions of German administrations: ``1.234``, ``3,4``, ``31.12.2024``; English output
uses ``1,234``, ``3.4`` and ISO dates (``2024-12-31``). A missing value (``None``, NaN, an
empty string) is shown as ``–``, never as zero.

Formatting never fails, whatever a store holds: a number too large for a grouped decimal
(``1e308``) is written in scientific notation (``1E308``), an infinite one as ``∞``, a
value that is no number as ``–``, a date that is no date as its text.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.core import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent, format_scientific

from dashboard.i18n.catalogue import LOCALES, check_language

#: Shown for a missing number or date.
MISSING = "–"

#: Date patterns (CLDR syntax) per language.
DATE_PATTERNS: dict[str, str] = {"de": "dd.MM.yyyy", "en": "yyyy-MM-dd"}

#: Patterns of a date that names only its month.
MONTH_PATTERNS: dict[str, str] = {"de": "MM.yyyy", "en": "yyyy-MM"}

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})-(\d{2})")

try:
    #: Time zone of the times shown (the district's).
    LOCAL_TIME: dt.tzinfo = ZoneInfo("Europe/Berlin")
except ZoneInfoNotFoundError:  # pragma: no cover - no time zone database
    LOCAL_TIME = dt.UTC


#: Beyond this magnitude a number is written in scientific notation (Babel's grouped
#: decimals need the decimal context's precision, which 1e308 exceeds).
_SCIENTIFIC_FROM = 1e18

#: What can go wrong inside Babel and ``decimal`` with an extreme value.
_NUMBER_ERRORS = (InvalidOperation, ValueError, OverflowError, ArithmeticError, TypeError)


def _missing(value: object) -> bool:
    try:
        if value is None or value == "" or value != value:  # NaN, NaT
            return True
    except (TypeError, ValueError):  # an object that refuses to be compared
        return False
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False


def _as_float(value: object) -> float | None:
    """The value as a float, ``None`` if it is none."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None


def _scientific(value: float | Decimal, lang: str) -> str:
    locale = LOCALES[check_language(lang)]  # an unknown language is the caller's error
    try:
        return format_scientific(value, format="0.###E0", locale=locale)
    except _NUMBER_ERRORS:
        return MISSING


def _number(value: float | Decimal, lang: str, pattern: str, *, quantize: bool = True) -> str:
    """The one call into Babel's number formatting (never fails: see the module)."""
    locale = LOCALES[check_language(lang)]  # an unknown language is the caller's error
    if math.isfinite(value) and abs(float(value)) >= _SCIENTIFIC_FROM:
        return _scientific(value, lang)
    try:
        return format_decimal(value, format=pattern, locale=locale, decimal_quantization=quantize)
    except _NUMBER_ERRORS:
        return _scientific(value, lang)


def fmt_int(value: float | None, lang: str = "de") -> str:
    """A whole number with the language's thousands separator (``26.205`` / ``26,205``).

    ``value`` is rounded to the nearest whole number (half to even); ``–`` if missing.
    """
    return fmt_float(value, 0, lang)


def fmt_float(
    value: float | None, decimals: int = 1, lang: str = "de", *, trim: bool = False
) -> str:
    """A decimal number (``1.234,5`` / ``1,234.5``).

    Parameters
    ----------
    value
        The number.
    decimals
        Decimals shown (rounded half to even on the decimal value).
    lang
        ``de`` or ``en``.
    trim
        Drop trailing zeros (``0,7`` rather than ``0,70``; ``2`` rather than ``2,00``).

    Returns
    -------
    str
        The number, or ``–`` if missing; never ``-0``.
    """
    number = None if _missing(value) else _as_float(value)
    if number is None:
        return MISSING
    if math.isfinite(number) and round(number, decimals) == 0:
        number = 0.0
    fraction = ("#" if trim else "0") * decimals
    return _number(number, lang, f"#,##0.{fraction}" if decimals > 0 else "#,##0")


def fmt_exact(value: float | None, lang: str = "de") -> str:
    """A number as typed: the shortest text that reads back as the same value, no grouping.

    ``5`` -> ``5``, ``0.5`` -> ``0,5`` (de) / ``0.5`` (en), ``49.4431234`` ->
    ``49,4431234``, missing -> ``–``. Used for thresholds as the user entered them and for
    full-precision numbers in files for German Excel.
    """
    number = None if _missing(value) else _as_float(value)
    if number is None:
        return MISSING
    if not math.isfinite(number):
        return _number(number, lang, "0.#", quantize=False)
    if number.is_integer() and abs(number) < 1e15:
        return _number(Decimal(int(number)), lang, "0.#", quantize=False)
    return _number(Decimal(repr(number)), lang, "0.#", quantize=False)


def fmt_percent(value: float | None, lang: str = "de", decimals: int = 0) -> str:
    """A share (0..1) as a percentage: ``0.256`` -> ``26 %`` (de) / ``26%`` (en).

    Parameters
    ----------
    value
        The share; ``0.256`` is 25.6 %.
    lang
        ``de`` or ``en`` (the locale's percent pattern: ``26 %`` with a no-break space in
        German, ``26%`` in English).
    decimals
        Decimals of the percentage.
    """
    locale = LOCALES[check_language(lang)]
    number = None if _missing(value) else _as_float(value)
    if number is None:
        return MISSING
    pattern = Locale.parse(locale).percent_formats[None].pattern
    if decimals > 0:  # "#,##0 %" -> "#,##0.0 %"
        head, tail = pattern.rsplit("0", 1)
        pattern = f"{head}0.{'0' * decimals}{tail}"
    scaled: float | Decimal = number * 100
    if math.isfinite(number) and abs(number) * 100 >= _SCIENTIFIC_FROM:
        scaled = Decimal(repr(number)) * 100  # exact, also where the float would overflow
        return _scientific(scaled, lang) + " %"
    try:
        return format_percent(number, format=pattern, locale=locale)
    except _NUMBER_ERRORS:
        return _scientific(scaled, lang) + " %"


def fmt_date(value: str | dt.date | None, lang: str = "de") -> str:
    """A date in the precision its source gives; ``–`` if missing.

    ``2012`` stays ``2012`` (a year is never shown as ``01.01.2012``); ``2024-08`` is
    ``08.2024`` (de) or ``2024-08`` (en); a day is ``31.12.2022`` (de) or ``2022-12-31``
    (en). ``value`` is a date or ISO text (:mod:`dashboard.domain.dates`); of longer text
    only the first ten characters are read, so a timestamp ``2024-03-01T10:00:00`` gives its
    date.
    """
    if _missing(value):
        return MISSING
    lang = check_language(lang)
    try:
        if not isinstance(value, dt.date):
            text = str(value).strip()
            if _YEAR.fullmatch(text):
                return text
            month = _MONTH.fullmatch(text)
            if month:
                first = dt.date(int(month[1]), int(month[2]), 1)
                return format_date(first, format=MONTH_PATTERNS[lang], locale=LOCALES[lang])
            value = dt.date.fromisoformat(text[:10])
        date = value.date() if isinstance(value, dt.datetime) else value
        return format_date(date, format=DATE_PATTERNS[lang], locale=LOCALES[lang])
    except (ValueError, TypeError, OverflowError):  # no date: shown as it is
        return str(value)[:40]


def fmt_datetime(value: str | dt.datetime | None, lang: str = "de") -> str:
    """A moment as local time in Germany: ``31.12.2025 14:05`` (de), ``2025-12-31 14:05`` (en).

    Parameters
    ----------
    value
        A datetime or ISO text; with a time zone it is converted to
        :data:`LOCAL_TIME`, without one it is shown as given.
    lang
        ``de`` or ``en``.

    Returns
    -------
    str
        The moment; ``""`` if missing; text that is no ISO timestamp is returned as is.
    """
    if value is None or value == "":
        return ""
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    try:
        if moment.tzinfo is not None:
            moment = moment.astimezone(LOCAL_TIME)
        else:  # shown as given: a wall clock time in a zone Babel leaves alone
            moment = moment.replace(tzinfo=dt.UTC)
        pattern = f"{DATE_PATTERNS[check_language(lang)]} HH:mm"
        return format_datetime(moment, format=pattern, tzinfo=moment.tzinfo, locale=LOCALES[lang])
    except (ValueError, TypeError, OverflowError):
        return str(value)[:40]


def fmt_list(items: Sequence[str], lang: str = "de") -> str:
    """Words joined as the language joins them: ``A, B und C`` (de), ``A, B and C`` (en);
    ``""`` for none."""
    words = [str(i) for i in items]
    if not words:
        return ""
    try:
        return str(format_list(words, locale=LOCALES[check_language(lang)]))
    except (ValueError, TypeError):  # pragma: no cover - Babel's list patterns are complete
        return ", ".join(words)
