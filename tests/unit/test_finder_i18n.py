"""The finder's seven languages: every finder message in all of them, nothing else forced
into the extra languages, and the texts really translated."""

from __future__ import annotations

import re
import string

import pytest
from babel.messages.pofile import read_po

from dashboard.i18n.catalogue import LANGUAGES, message_ids, t
from dashboard.i18n.finder import (
    DIRECTIONS,
    EXTRA_LANGUAGES,
    FINDER_LANGUAGES,
    FINDER_LOCALES,
    LANGUAGE_TAGS,
    conventions,
    finder_date,
    finder_keys,
    finder_messages,
    finder_number,
    finder_po_path,
)
from dashboard.render.finder.keys import FINDER_KEYS
from dashboard.render.finder.needs import (
    GROUP_ALIASES,
    LANGUAGE_ALIASES,
    NEED_CODES,
    PUBLIC_CATEGORIES,
    group_code,
    language_code,
    needs_of,
)
from tests.conftest import REPO

JS = REPO / "dashboard" / "render" / "finder" / "assets" / "finder.js"
SITE = REPO / "dashboard" / "render" / "finder" / "site.py"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_seven_languages_arabic_right_to_left() -> None:
    assert FINDER_LANGUAGES == ("de", "ls", "en", "uk", "ar", "tr", "ru")
    assert set(EXTRA_LANGUAGES) == {"ls", "uk", "ar", "tr", "ru"}
    assert DIRECTIONS["ar"] == "rtl" and {DIRECTIONS[x] for x in FINDER_LANGUAGES} == {"ltr", "rtl"}
    assert LANGUAGE_TAGS["ls"] == "de-x-ls"  # read with a German voice


@pytest.mark.parametrize("lang", FINDER_LANGUAGES)
def test_every_finder_message_in_every_language(lang: str) -> None:
    keys = finder_keys()
    assert len(keys) > 100
    texts = finder_messages(lang)
    assert set(texts) == keys, sorted(keys - set(texts))
    german = finder_messages("de")
    for key, text in texts.items():
        assert text.strip(), (lang, key)
        assert _fields(text) == _fields(german[key]), (lang, key, text)


@pytest.mark.parametrize("lang", EXTRA_LANGUAGES)
def test_extra_catalogues_hold_only_the_finders_messages(lang: str) -> None:
    with finder_po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=FINDER_LOCALES[lang])
    ids = {m.id for m in catalog if m.id}
    assert ids == finder_keys()  # no planners' message forced into the language
    assert not catalog.obsolete
    assert all(isinstance(m.id, str) and not m.fuzzy for m in catalog if m.id)  # no plurals
    assert list(catalog.check()) == []
    # pybabel update -D messages never touches them: no messages.po in their folders
    assert not (finder_po_path(lang).parent / "messages.po").exists()


def test_planners_interface_stays_german_and_english() -> None:
    assert LANGUAGES == ("de", "en")
    with pytest.raises(ValueError):
        t("finder.app.name", "uk")
    with pytest.raises(ValueError):
        finder_messages("fr")
    assert "nav.map" not in finder_messages("de")


_SCRIPT = {
    "uk": re.compile(r"[\u0400-\u04ff]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
    "ar": re.compile(r"[\u0600-\u06ff]"),
}


@pytest.mark.parametrize("lang", ["uk", "ru", "ar", "tr"])
def test_texts_are_translated_not_copied(lang: str) -> None:
    english, texts = finder_messages("en"), finder_messages(lang)
    same = {k for k, v in texts.items() if v == english[k]}
    names = {k for k in same if k.startswith("finder.cat.") or "{" in english[k]}
    assert len(same - names) <= 1, sorted(same)  # at most a word shared by both languages
    if lang in _SCRIPT:
        without_script = [
            k
            for k, v in texts.items()
            if not _SCRIPT[lang].search(v) and not re.fullmatch(r"[{}\w\s:.]*", v)
        ]
        assert not without_script, without_script


def test_leichte_sprache_short_sentences_no_abbreviations() -> None:
    for key, text in finder_messages("ls").items():
        plain = re.sub(r"\{\w+\}", "X", text)
        assert not re.search(r"\b(z\. ?B\.|bzw\.|usw\.|ggf\.|d\. ?h\.|ca\.)", plain), key
        assert ";" not in plain, key
        for sentence in re.split(r"[.?!:]\s+", plain):
            assert len(sentence.split()) <= 12, (key, sentence)
    assert (
        finder_messages("ls")["finder.place.label"] != finder_messages("de")["finder.place.label"]
    )


def test_conventions_follow_babel() -> None:
    assert conventions("de") == {"decimal": ",", "date": "dd.MM.yyyy"}
    assert conventions("en") == {"decimal": ".", "date": "yyyy-MM-dd"}
    assert conventions("uk")["decimal"] == "," and conventions("ar")["decimal"] == "."
    import datetime as dt

    assert finder_number(2.345, 1, "de") == "2,3" and finder_number(2.345, 1, "tr") == "2,3"
    assert finder_number(12.5, 0, "ru") == "12"  # half to even, as the page rounds .toFixed
    assert finder_date(dt.date(2024, 8, 1), "de") == "01.08.2024"
    assert finder_date(dt.date(2024, 8, 1), "en") == "2024-08-01"
    assert finder_date(dt.date(2024, 8, 1), "ar") == "01/08/2024"


def test_marked_keys_are_the_catalogues_and_the_page_uses_them() -> None:
    assert set(FINDER_KEYS) == finder_keys() <= message_ids("de")
    calls = r'(?:\btr\(|\bt\(|\bde\[)"(finder\.[a-z_.]+[a-z]\.?)"'
    literal = set(re.findall(calls, JS.read_text("utf-8") + SITE.read_text("utf-8")))
    families = (
        {f"finder.need.{c}" for c in NEED_CODES}
        | {f"finder.need.{c}.hint" for c in NEED_CODES}
        | {f"finder.cat.{c}" for c in PUBLIC_CATEGORIES}
        | {f"finder.lang.{c}" for c in LANGUAGE_ALIASES}
        | {f"finder.group.{c}" for c in GROUP_ALIASES}
    )
    prefixes = {"finder.need.", "finder.cat.", "finder.lang.", "finder.group."}
    literal = {k for k in literal if k not in prefixes}
    assert literal <= finder_keys(), sorted(literal - finder_keys())
    assert families <= finder_keys(), sorted(families - finder_keys())
    assert finder_keys() == literal | families, sorted(finder_keys() - literal - families)
    assert "finder.cat.Unterkunft" not in finder_keys()


def test_needs_and_recognised_words() -> None:
    assert NEED_CODES == ("sprache", "kita_schule", "beratung", "gesundheit", "verein", "religion")
    assert needs_of("Sprachkurs", []) == ["sprache"]
    assert needs_of("Kita", ["kita_schule", "sprache"]) == ["sprache", "kita_schule"]
    assert needs_of("Projektstandort", []) == []
    with pytest.raises(ValueError):
        needs_of("Unterkunft", ["asyl"])
    assert language_code("Arabisch") == "ar" == language_code("العربية") == language_code(" AR ")
    assert language_code("Українська") == "uk" and language_code("Klingonisch") is None
    assert group_code("Frauen") == "frauen" and group_code("Geflüchtete") == "gefluechtete"
