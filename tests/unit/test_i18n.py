"""Every message exists in German and English; numbers and dates per language."""

import pytest

from dashboard.i18n.catalogue import LANGUAGES, MESSAGES, fmt_date, fmt_float, fmt_int, t


def test_every_message_in_every_language() -> None:
    for key, texts in MESSAGES.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key


def test_formatting() -> None:
    assert fmt_int(26205, "de") == "26.205" and fmt_int(26205, "en") == "26,205"
    assert fmt_float(640.33, 1, "de") == "640,3" and fmt_float(1234.5, 1, "de") == "1.234,5"
    assert (
        fmt_date("2018-05-30", "de") == "30.05.2018"
        and fmt_date("2018-05-30", "en") == "2018-05-30"
    )
    assert fmt_int(None) == "–" and fmt_date(None) == "–"


def test_unknown_language() -> None:
    with pytest.raises(ValueError):
        t("nav.map", "fr")
