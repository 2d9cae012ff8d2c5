"""Numbers and dates per language, in exactly one place (dashboard.i18n.format)."""

import datetime as dt

import pandas as pd
import pytest

from dashboard.i18n.format import fmt_date, fmt_exact, fmt_float, fmt_int, fmt_percent


def test_formatting() -> None:
    assert fmt_int(26205, "de") == "26.205" and fmt_int(26205, "en") == "26,205"
    assert fmt_float(640.33, 1, "de") == "640,3" and fmt_float(1234.5, 1, "de") == "1.234,5"
    assert fmt_float(1234.5, 1, "en") == "1,234.5"
    assert (
        fmt_date("2018-05-30", "de") == "30.05.2018"
        and fmt_date("2018-05-30", "en") == "2018-05-30"
    )
    assert fmt_date(dt.date(2024, 12, 31), "de") == "31.12.2024"
    assert fmt_date(pd.Timestamp("2024-03-01 10:00"), "de") == "01.03.2024"
    assert fmt_date("2024-03-01T10:00:00+00:00", "en") == "2024-03-01"
    assert fmt_int(None) == "–" and fmt_date(None) == "–" and fmt_float(float("nan")) == "–"
    assert fmt_date(pd.NaT) == "–" and fmt_exact(None) == "–"


def test_trimmed_and_exact_numbers() -> None:
    assert fmt_float(0.7, 2, "de", trim=True) == "0,7"
    assert fmt_float(2.0, 2, "de", trim=True) == "2"
    assert fmt_float(-0.0001, 1, "de") == "0,0"  # never "-0,0"
    assert fmt_exact(5.0, "de") == "5" and fmt_exact(0.5, "de") == "0,5"
    assert fmt_exact(0.5, "en") == "0.5"
    assert fmt_exact(49.4431234, "de") == "49,4431234"  # full precision, no grouping
    assert fmt_exact(2000, "de") == "2000"
    assert fmt_percent(0.256, "en") == "26%"
    assert fmt_percent(0.256, "de").replace("\xa0", " ") == "26 %"


def test_unknown_language() -> None:
    with pytest.raises(ValueError):
        fmt_int(1, "fr")
