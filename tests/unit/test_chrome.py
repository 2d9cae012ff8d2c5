"""Streamlit's own texts in the page's language (dashboard.ui.chrome): the table of texts
stays true to the installed Streamlit, and each has its words in both catalogues."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.i18n.catalogue import t, tn
from dashboard.ui.chrome import (
    CHROME_COUNTS,
    CHROME_PATTERNS,
    CHROME_TEXTS,
    chrome_html,
    chrome_words,
)
from tests.languages import frontend_files, streamlit_text

#: Texts the frontend composes from parts (``Press ${key}+Enter to ${action}``).
_COMPOSED = re.compile(r"Press (Enter|Ctrl\+Enter|⌘\+Enter) to (apply|submit form)")


@pytest.fixture(scope="module")
def frontend() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in frontend_files())


def test_every_text_is_one_streamlit_writes(frontend: str) -> None:
    for text in CHROME_TEXTS:
        composed = _COMPOSED.fullmatch(text)
        if composed:
            key, action = composed.groups()
            assert "Press ${" in frontend and "Enter to ${" in frontend, text
            assert f"`{action}`" in frontend and f"`{key.split('+')[0]}`" in frontend, text
        elif text.endswith(" icon"):  # an icon's label: `${name} icon`
            assert "} icon`" in frontend, text
        else:
            assert f"`{text}`" in frontend, f"{text!r} is no longer a text of Streamlit's frontend"


def test_every_pattern_is_one_streamlit_writes(frontend: str) -> None:
    for pattern in [p for p, _ in CHROME_PATTERNS] + list(CHROME_COUNTS):
        for fixed in re.split(r"\(\.\+\)|\(\\d\+\)|\?", pattern.replace("\\.", ".")):
            assert fixed in frontend, f"{pattern!r}: {fixed!r} not in Streamlit's frontend"


def test_english_is_streamlit_and_german_differs() -> None:
    for text, key in CHROME_TEXTS.items():
        assert t(key, "en") == text, key  # the English page keeps Streamlit's own words
        assert t(key, "de") != text or text in ("Format",), key
    for pattern, key in CHROME_PATTERNS:
        english = t(key, "en", value="{value}")
        assert re.fullmatch(pattern, english.replace("{value}", "7")), key
        assert t(key, "de", value="{value}") != english, key
    assert tn("chrome.options_available", 1, "en", n=1) == "1 option available."
    assert tn("chrome.options_available", 3, "de", n=3) == "3 Einträge verfügbar."


def test_english_page_swaps_nothing_german_page_everything() -> None:
    # the English page swaps only the map frame's title (Streamlit names it after the module)
    english = {"dashboard.ui.mapview.ia_map": "Map"}
    assert chrome_words("en") == {
        "lang": "en",
        "locale": "en-GB",
        "exact": english,
        "patterns": [],
        "counts": [],
    }
    de = chrome_words("de")
    assert de["exact"]["dashboard.ui.mapview.ia_map"] == "Karte"  # type: ignore[index]
    assert de["exact"]["Choose options"] == "Bitte wählen"  # type: ignore[index]
    assert de["exact"]["Skip to main content"] == "Zum Inhalt springen"  # type: ignore[index]
    assert len(de["exact"]) == len(CHROME_TEXTS) + 1  # type: ignore[arg-type]
    assert ["day, (.+)", "Tag, {value}"] in de["patterns"]  # type: ignore[operator]
    assert ["(.+) per file", "höchstens {value} je Datei"] in de["patterns"]  # type: ignore[operator]
    # every swapped text is one the browser test looks for on German pages
    for text in CHROME_TEXTS:
        assert streamlit_text(text), text


@pytest.mark.parametrize("lang", ["de", "en"])
def test_script_is_inline_and_loads_nothing(lang: str) -> None:
    html = chrome_html(lang)
    assert html.count("<script") == 1 and "src=" not in html
    body = html.split("<script data-ia-chrome>", 1)[1].removesuffix("</script>")
    assert "</" not in body  # the texts cannot end the script early
    config = re.search(r"const cfg = (\{.*?\});\n", body, re.S)
    assert config and json.loads(config.group(1))["lang"] == lang
    for forbidden in ("fetch(", "XMLHttpRequest", "import(", "eval(", "http"):
        assert forbidden not in body
