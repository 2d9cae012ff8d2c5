"""The languages of the public offer finder: seven, of which two are the planners' own.

The planners' dashboard speaks German and English (:data:`dashboard.i18n.catalogue.LANGUAGES`,
one catalogue ``messages.po`` each, complete). The finder for residents speaks
:data:`FINDER_LANGUAGES`: German, Leichte Sprache (easy German), English, Ukrainian,
Arabic (right to left), Turkish and Russian. Its messages are the keys starting with
:data:`FINDER_PREFIX`:

* in German and English they are messages of the one catalogue (``messages.po``), like
  every other text;
* the five further languages have a catalogue of their own, domain ``finder``
  (``locale/<code>/LC_MESSAGES/finder.po``) holding exactly the finder's keys, so the
  planners' messages are never forced into them (``pybabel update -D messages`` does
  not touch these files).

:func:`finder_messages` gives one language's finder texts; a test checks that every
finder key exists in all seven, with the same placeholders, and nothing else in the extra
catalogues. The finder shows no count-dependent wording (no plural forms), so the texts
read the same in every language's plural rules ("Gefundene Angebote: 3").

Numbers and dates are formatted in the browser after the conventions given here
(:func:`conventions`), taken from Babel like :mod:`dashboard.i18n.format`; German and
English follow :data:`dashboard.i18n.format.DATE_PATTERNS`.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources

from babel.core import Locale
from babel.dates import format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from dashboard.i18n.catalogue import LANGUAGES, district_values, message_ids, t
from dashboard.i18n.format import DATE_PATTERNS

#: Every message of the finder starts with this.
FINDER_PREFIX = "finder."
#: Domain of the extra languages' catalogues (``locale/<code>/LC_MESSAGES/finder.po``).
FINDER_DOMAIN = "finder"

#: The finder's languages in the order offered on its first screen. ``ls`` is Leichte
#: Sprache (easy German, rules of the Netzwerk Leichte Sprache).
FINDER_LANGUAGES: tuple[str, ...] = ("de", "ls", "en", "uk", "ar", "tr", "ru")
#: Languages with a finder catalogue of their own (the others use ``messages.po``).
EXTRA_LANGUAGES: tuple[str, ...] = tuple(x for x in FINDER_LANGUAGES if x not in LANGUAGES)

#: BCP 47 tag of each language for ``lang`` attributes (Leichte Sprache: German, private
#: use subtag ``ls``, so screen readers read it with a German voice).
LANGUAGE_TAGS: dict[str, str] = {
    "de": "de", "ls": "de-x-ls", "en": "en", "uk": "uk", "ar": "ar", "tr": "tr", "ru": "ru",
}  # fmt: skip
#: Writing direction.
DIRECTIONS: dict[str, str] = {code: "ltr" for code in FINDER_LANGUAGES} | {"ar": "rtl"}
#: Each language's name in itself (the language buttons; never translated).
NATIVE_NAMES: dict[str, str] = {
    "de": "Deutsch",
    "ls": "Leichte Sprache",
    "en": "English",
    "uk": "Українська",
    "ar": "العربية",
    "tr": "Türkçe",
    "ru": "Русский",
}
#: Babel locale of each language (number symbols; Leichte Sprache writes as German).
FINDER_LOCALES: dict[str, str] = {
    "de": "de_DE", "ls": "de_DE", "en": "en_GB", "uk": "uk_UA", "ar": "ar", "tr": "tr_TR",
    "ru": "ru_RU",
}  # fmt: skip
#: Date pattern (CLDR syntax, only ``dd``, ``MM``, ``yyyy``) of each language.
FINDER_DATE_PATTERNS: dict[str, str] = {
    "de": DATE_PATTERNS["de"],
    "ls": DATE_PATTERNS["de"],
    "en": DATE_PATTERNS["en"],
    "uk": "dd.MM.yyyy",
    "ar": "dd/MM/yyyy",
    "tr": "dd.MM.yyyy",
    "ru": "dd.MM.yyyy",
}


def check_finder_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`FINDER_LANGUAGES`, else raise ``ValueError``."""
    if lang not in FINDER_LANGUAGES:
        raise ValueError(f"unknown finder language {lang!r}; expected one of {FINDER_LANGUAGES}")
    return lang


def finder_po_path(lang: str) -> resources.abc.Traversable:
    """The finder catalogue of an extra language (inside the installed package)."""
    if lang not in EXTRA_LANGUAGES:
        raise ValueError(f"{lang!r} has no finder catalogue of its own; use messages.po")
    return resources.files("dashboard.i18n") / "locale" / lang / "LC_MESSAGES" / "finder.po"


def finder_keys() -> frozenset[str]:
    """The finder's message keys: those of the German catalogue with :data:`FINDER_PREFIX`."""
    return frozenset(k for k in message_ids("de") if k.startswith(FINDER_PREFIX))


@lru_cache(maxsize=len(EXTRA_LANGUAGES))
def _extra(lang: str) -> dict[str, str]:
    with finder_po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=FINDER_LOCALES[lang], domain=FINDER_DOMAIN)
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
    }


def finder_messages(lang: str) -> dict[str, str]:
    """Every finder text of one language, key -> text with ``{placeholders}``.

    Parameters
    ----------
    lang
        One of :data:`FINDER_LANGUAGES`.

    Returns
    -------
    dict
        Exactly the keys of :func:`finder_keys` that the language's catalogue defines (a
        complete catalogue defines all; the tests check it).

    Raises
    ------
    ValueError
        For a language the finder does not speak.
    """
    check_finder_language(lang)
    keys = finder_keys()
    if lang in LANGUAGES:
        return {k: t(k, lang) for k in sorted(keys)}
    texts = _extra(lang)
    # the district's name is a proper name: it stays as in German (like offer names)
    names = district_values("de")
    filled = {}
    for k in sorted(keys):
        if k in texts:
            text = texts[k]
            for name, value in names.items():
                text = text.replace("{" + name + "}", value)
            filled[k] = text
    return filled


def conventions(lang: str) -> dict[str, str]:
    """How the finder writes numbers and dates in a language (sent to the browser).

    Returns
    -------
    dict
        ``decimal`` (the decimal sign, Latin digits) and ``date`` (a pattern of ``dd``,
        ``MM``, ``yyyy``).
    """
    check_finder_language(lang)
    symbols = Locale.parse(FINDER_LOCALES[lang]).number_symbols["latn"]
    return {"decimal": str(symbols["decimal"]), "date": FINDER_DATE_PATTERNS[lang]}


def finder_number(value: float, decimals: int, lang: str) -> str:
    """A distance as the finder shows it (no grouping; the reference for the browser's
    formatting, checked by the tests)."""
    check_finder_language(lang)
    pattern = "0." + "0" * decimals if decimals > 0 else "0"
    return format_decimal(
        value, format=pattern, locale=FINDER_LOCALES[lang], numbering_system="latn"
    )


def finder_date(value: dt.date, lang: str) -> str:
    """A date as the finder shows it (the reference for the browser's formatting)."""
    check_finder_language(lang)
    return format_date(value, format=FINDER_DATE_PATTERNS[lang], locale=FINDER_LOCALES[lang])
