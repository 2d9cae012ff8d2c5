"""Word lists for "one language per screen": German words, English words, Streamlit's texts.

* **German words** (:func:`german_words`): the words of the German catalogue that no
  English message uses ("Angebote", "Zeile", "Rücklauf", "nicht"). A word that is the
  same in both (a name such as "Verbandsgemeinde", "Kita", "Status") says nothing about
  the language and is not listed.
* **English words** (:func:`english_words`): the same the other way round ("offers",
  "the", "column").
* **Streamlit's texts** (:func:`streamlit_texts`, :func:`streamlit_patterns`): the English
  phrases that Streamlit's own frontend writes ("Choose options", "Upload",
  "``{size}`` per file"), read from the JavaScript of the installed Streamlit.
* **Somebody's words** (:func:`data_values`, :func:`name_words`): the free text of the
  shipped data (an offer's name, a source, a project's note) stays as written in both
  languages; a whole text equal to such a value, and the words of names (places, offers,
  operators), are allowed.

:func:`foreign_words` applies the lists to the texts a screen shows.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import streamlit
from babel.messages.pofile import read_po

from dashboard.config import REPO_ROOT
from dashboard.i18n.catalogue import LOCALES, po_path
from dashboard.ui.chrome import CHROME_COUNTS, CHROME_PATTERNS, CHROME_TEXTS

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: Words shorter than this are not judged (articles and abbreviations are too ambiguous).
MIN_WORD = 3


def _messages(lang: str) -> list[str]:
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[lang])
    out: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out += [_PLACEHOLDER.sub(" ", s) for s in strings if s]
    return out


def words(text: str) -> list[str]:
    """The words of a text (letters, inner hyphens and apostrophes), in their case."""
    return [w for w in _WORD.findall(text) if len(w) >= MIN_WORD]


def _counts(lang: str) -> Counter[str]:
    return Counter(w.lower() for text in _messages(lang) for w in words(text))


def _only_in(lang: str, other: str) -> frozenset[str]:
    """Words of ``lang``'s messages that ``other``'s messages use rarely: a word counts for
    a language if it occurs there at least three times as often (the English messages
    quote a few German names of sheets and columns: "Angebote", "Stand")."""
    mine, theirs = _counts(lang), _counts(other)
    return frozenset(w for w, n in mine.items() if n >= 3 * theirs[w] + 1)


#: Free-text columns of the shipped data: somebody's words (names, sources, notes).
DATA_COLUMNS: dict[str, tuple[str, ...]] = {
    "facilities.csv": ("name", "operator", "street", "place", "contact", "source", "note"),
    "projects.csv": ("title", "handlungsfeld_basis", "lead_organisation", "source", "note"),
    "indicators.csv": ("area_name", "source", "note"),
    "population_gemeinden.csv": ("name", "population_source"),
    "gemeinden_vg_membership.csv": ("name", "vg_2013", "vg_2014", "vg_2019"),
}
#: Columns that hold the names of places (their words are names in any sentence).
NAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "facilities.csv": ("place",),
    "indicators.csv": ("area_name",),
    "population_gemeinden.csv": ("name",),
    "gemeinden_vg_membership.csv": ("name", "vg_2013", "vg_2014", "vg_2019"),
}


def _column_values(columns: dict[str, tuple[str, ...]], folder: Path) -> list[str]:
    out: list[str] = []
    for name, cols in columns.items():
        path = folder / name
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        out += [str(v) for c in cols if c in frame for v in frame[c] if str(v).strip()]
    return out


def normalise(text: str) -> str:
    """Whitespace folded (also no-break spaces)."""
    return " ".join(text.split())


@lru_cache(maxsize=1)
def data_values() -> frozenset[str]:
    """Every free-text value of the shipped data, whitespace folded."""
    shipped = _column_values(DATA_COLUMNS, REPO_ROOT / "datasets") + _district_texts()
    return frozenset(normalise(v) for v in shipped)


def _district_texts() -> list[str]:
    """The free texts of the districts' configuration files (the names of bodies and the
    sources the Kreis states, e.g. for the accessibility statement): data, in German."""
    out: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str) and " " in value.strip():
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for path in sorted((REPO_ROOT / "districts").glob("*/district.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return out


@lru_cache(maxsize=1)
def name_words() -> frozenset[str]:
    """The words of the names of places in the shipped data, the district's names, and
    the languages' own names ("Deutsch")."""
    names = _column_values(NAME_COLUMNS, REPO_ROOT / "datasets")
    names += ["Deutsch", "English", "Kaiserslautern", "Kusel", "Zweibrücken", "Pfalz"]
    return frozenset(w.lower() for n in names for w in words(n))


#: German names of the domain that stay German in English (the project's language rule).
DOMAIN_TERMS: frozenset[str] = frozenset(
    {
        "gemeinde", "gemeinden", "handlungsfeld", "handlungsfelder", "kita", "kitas", "kreis",
        "kreise", "kreistag", "kreisverwaltung", "landkreis", "landtag", "steckbrief", "verbandsgemeinde",
        "verbandsgemeinden",
    }
)  # fmt: skip


@lru_cache(maxsize=1)
def german_words() -> frozenset[str]:
    """Words of the German catalogue that English messages use rarely (lower case), without
    the domain's German names (:data:`DOMAIN_TERMS`)."""
    return _only_in("de", "en") - name_words() - DOMAIN_TERMS


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Words of the English catalogue that German messages use rarely (lower case)."""
    return _only_in("en", "de") - name_words()


# -- Streamlit's own texts ------------------------------------------------------------------
_JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
#: A phrase written as a template literal of the minified frontend (found by the backticks
#: right around it, so that nested templates elsewhere do not matter).
_PHRASE = re.compile(r"(?<=`)(?:[A-Z][a-z]+(?:[ /][A-Za-z]+)*[.!?]*|[a-z]+(?: [a-z]+)+)(?=`)")
#: A template literal with simple ``${...}`` parts ("${size} per file").
_TEMPLATE = re.compile(r"(?<=`)([^`$]*(?:\$\{[^{}`]*\}[^`$]*)+)(?=`)")
_PART = re.compile(r"\$\{[^{}`]*\}")
_WORDS = re.compile(r"[A-Za-z]+(?: [A-Za-z]+)+")


def frontend_files() -> list[Path]:
    """The modules of Streamlit's frontend (the app shell, its elements, the libraries it
    bundles)."""
    return sorted(_JS.glob("*.js"))


@lru_cache(maxsize=1)
def _literals() -> tuple[frozenset[str], tuple[re.Pattern[str], ...]]:
    texts: set[str] = set()
    patterns: set[str] = set()
    for path in frontend_files():
        source = path.read_text(encoding="utf-8")
        texts.update(_PHRASE.findall(source))
        for literal in _TEMPLATE.findall(source):
            fixed = _PART.split(literal)
            if any(_WORDS.search(f) for f in fixed):  # words around the variable parts
                patterns.add("(.+)".join(re.escape(f) for f in fixed))
    texts.update(CHROME_TEXTS)  # checked against the frontend by tests/unit/test_chrome.py
    patterns.update(p for p, _ in CHROME_PATTERNS)
    patterns.update(CHROME_COUNTS)
    return frozenset(texts), tuple(re.compile(p) for p in sorted(patterns))


def streamlit_texts() -> frozenset[str]:
    """The English phrases of Streamlit's frontend ("Choose options", "Upload")."""
    return _literals()[0]


def streamlit_patterns() -> tuple[re.Pattern[str], ...]:
    """Streamlit's texts with a variable part ("``(.+)`` per file"), as expressions."""
    return _literals()[1]


@lru_cache(maxsize=1)
def _catalogue_texts(lang: str) -> frozenset[str]:
    return frozenset(normalise(s) for s in _messages(lang))


def streamlit_text(text: str) -> bool:
    """Whether a whole text on a German screen is one of Streamlit's English texts (and
    no German message, no data: "Format" and "Status" are German words too)."""
    text = normalise(text)
    if not text or text in _catalogue_texts("de") or text in data_values():
        return False
    if all(w.lower() in _german_vocabulary() for w in words(text)):
        return False  # German: the frontend carries German texts too ("Monat", "Weiter")
    if text in streamlit_texts():
        return True
    return any(p.fullmatch(text) for p in streamlit_patterns())


@lru_cache(maxsize=1)
def _german_vocabulary() -> frozenset[str]:
    return frozenset(_counts("de"))


# -- judging a screen ----------------------------------------------------------------------
#: Names that keep their language in the other one: a language variant, an office, a method,
#: a tool named in a source citation ("über npm landkreise-deutschland@3.0.0").
PROPER_NAMES: tuple[str, ...] = (
    "Leichte Sprache",
    "Statistisches Bundesamt",
    "Two-Step Floating Catchment Area",
    "Wikipedia",
    "npm",
)


@lru_cache(maxsize=1)
def _data_by_length() -> tuple[str, ...]:
    values = [v for v in data_values() if len(v) >= 4] + list(PROPER_NAMES)
    return tuple(sorted(values, key=len, reverse=True))


def without_data(text: str) -> str:
    """``text`` with every free-text value of the shipped data and every name of
    :data:`PROPER_NAMES` cut out (somebody's words inside a sentence of ours: "Kita
    Mackenbach (Mackenbach)")."""
    for value in _data_by_length():
        if value in text:
            text = text.replace(value, " ")
    return text


def foreign_words(texts: Iterable[str], lang: str, theirs: Iterable[str] = ()) -> dict[str, str]:
    """The words of the other language in the texts of a screen in ``lang``.

    Parameters
    ----------
    texts
        Every text and label the screen shows, one element's text each.
    lang
        The screen's language.
    theirs
        Further words of somebody (what a test typed in as a user): a text that is one of
        them as a whole is left alone.

    Returns
    -------
    dict
        Offending text (shortened) -> why: the foreign words, or "Streamlit".
    """
    other = german_words() if lang == "en" else english_words()
    mine = {normalise(v) for v in theirs}
    found: dict[str, str] = {}
    for raw in texts:
        text = normalise(raw)
        if not text or text in data_values():
            continue
        if lang == "de" and streamlit_text(text):
            found[text[:160]] = "Streamlit"
            continue
        if text in mine:
            continue
        bad = sorted({w for w in words(without_data(text)) if w.lower() in other})
        if bad:
            found[text[:160]] = ", ".join(bad)
    return found
