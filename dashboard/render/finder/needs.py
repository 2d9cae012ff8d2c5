"""What a resident looks for, and the words offers are described with.

A **need** is what the finder asks first ("Deutsch lernen", "Kita und Schule", ...). It
maps onto the inventory's categories and Handlungsfelder: an offer answers a need if its
category is one of the need's categories or one of its Handlungsfelder is one of the
need's Handlungsfelder (:func:`needs_of`). The planners' categories and Handlungsfelder
stay the one classification; this table only groups them in residents' words.

Languages and target groups of an offer are free text in the inventory ("Arabisch",
"ar", "Frauen"). Known ones are recognised here (:func:`language_code`,
:func:`group_code`) and shown in the reader's language from the catalogue
(``finder.lang.<code>``, ``finder.group.<code>``); anything else is shown as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.domain.model import CATEGORIES, HANDLUNGSFELD_CODES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES


@dataclass(frozen=True)
class Need:
    """One of the finder's needs: the categories and Handlungsfelder that answer it."""

    code: str
    categories: frozenset[str]
    handlungsfelder: frozenset[str]


#: The needs in the order the finder offers them (issue #16).
NEEDS: tuple[Need, ...] = (
    Need("sprache", frozenset({"Sprachkurs"}), frozenset({"sprache"})),
    Need("kita_schule", frozenset({"Kita", "Schule"}), frozenset({"kita_schule"})),
    Need("beratung", frozenset({"Beratungsstelle"}), frozenset({"soziales", "asyl"})),
    Need("gesundheit", frozenset({"Gesundheit"}), frozenset({"gesundheit"})),
    Need(
        "verein",
        frozenset({"Verein"}),
        frozenset({"verein_ehrenamt", "interkulturelle_oeffnung"}),
    ),
    Need("religion", frozenset({"Religion"}), frozenset({"religion"})),
)
NEED_CODES: tuple[str, ...] = tuple(n.code for n in NEEDS)

#: Categories the finder may name: every category that is not sensitive.
PUBLIC_CATEGORIES: tuple[str, ...] = tuple(c for c in CATEGORIES if c not in SENSITIVE_CATEGORIES)


def _check_table() -> None:
    for need in NEEDS:
        unknown = (need.categories - set(CATEGORIES)) | (
            need.handlungsfelder - set(HANDLUNGSFELD_CODES)
        )
        if unknown:
            raise ValueError(f"need {need.code!r}: unknown codes {sorted(unknown)}")
        if need.categories & SENSITIVE_CATEGORIES:
            raise ValueError(f"need {need.code!r} names a sensitive category")


_check_table()


def needs_of(category: str, handlungsfelder: list[str] | tuple[str, ...]) -> list[str]:
    """The needs an offer answers (codes, in :data:`NEEDS` order).

    Raises
    ------
    ValueError
        For a sensitive category: such an offer never reaches the finder.
    """
    if category in SENSITIVE_CATEGORIES:
        raise ValueError(f"sensitive category {category!r} in the finder")
    fields = set(handlungsfelder)
    return [n.code for n in NEEDS if category in n.categories or fields & n.handlungsfelder]


def fold(text: str) -> str:
    """Lower case, umlauts written out, everything but letters and digits removed."""
    low = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return re.sub(r"[\W_]+", "", low.replace("ß", "ss"))


#: Language codes the finder names in every language (``finder.lang.<code>``), with the
#: spellings recognised in the inventory (ISO 639-1/-2 codes, German, English and own
#: names).
LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "de": ("de", "deu", "ger", "deutsch", "german"),
    "en": ("en", "eng", "englisch", "english"),
    "fr": ("fr", "fra", "fre", "franzoesisch", "french", "français"),
    "es": ("es", "spa", "spanisch", "spanish", "español"),
    "it": ("it", "ita", "italienisch", "italian", "italiano"),
    "pl": ("pl", "pol", "polnisch", "polish", "polski"),
    "ro": ("ro", "ron", "rum", "rumaenisch", "romanian", "română"),
    "bg": ("bg", "bul", "bulgarisch", "bulgarian", "български"),
    "sq": ("sq", "sqi", "alb", "albanisch", "albanian", "shqip"),
    "sr": ("sr", "srp", "serbisch", "serbian", "српски", "srpski"),
    "hr": ("hr", "hrv", "kroatisch", "croatian", "hrvatski"),
    "tr": ("tr", "tur", "tuerkisch", "turkish", "türkçe"),
    "ku": ("ku", "kur", "kurdisch", "kurdish", "kurdî", "kurmanci", "kurmancî"),
    "ar": ("ar", "ara", "arabisch", "arabic", "العربية"),
    "fa": ("fa", "fas", "per", "persisch", "farsi", "dari", "persian", "فارسی"),
    "ps": ("ps", "pus", "paschtu", "paschto", "pashto", "پښتو"),
    "ti": ("ti", "tir", "tigrinya", "tigrinisch", "ትግርኛ"),
    "so": ("so", "som", "somali", "somalisch", "soomaali"),
    "uk": ("uk", "ukr", "ukrainisch", "ukrainian", "українська"),
    "ru": ("ru", "rus", "russisch", "russian", "русский"),
}
_LANGUAGE_LOOKUP = {fold(a): code for code, names in LANGUAGE_ALIASES.items() for a in names}

#: Target groups the finder names in every language (``finder.group.<code>``).
GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "kinder": ("kinder", "kind", "children", "child"),
    "jugendliche": ("jugendliche", "jugend", "youth", "young people", "teenager"),
    "familien": ("familien", "familie", "families", "family"),
    "eltern": ("eltern", "parents", "mütter und väter"),
    "frauen": ("frauen", "frau", "women", "woman", "mädchen und frauen"),
    "maenner": ("männer", "mann", "men"),
    "erwachsene": ("erwachsene", "adults"),
    "senioren": ("senioren", "seniorinnen und senioren", "ältere", "ältere menschen", "seniors"),
    "gefluechtete": (
        "geflüchtete", "flüchtlinge", "asylsuchende", "asylbewerber", "refugees",
        "schutzsuchende",
    ),
    "zugewanderte": (
        "zugewanderte", "neuzugewanderte", "migranten", "migrantinnen und migranten",
        "menschen mit migrationsgeschichte", "migrants", "newcomers",
    ),
}  # fmt: skip
_GROUP_LOOKUP = {fold(a): code for code, names in GROUP_ALIASES.items() for a in names}


def language_code(text: str) -> str | None:
    """The finder's code of a language as written in the inventory, or ``None``."""
    return _LANGUAGE_LOOKUP.get(fold(text))


def group_code(text: str) -> str | None:
    """The finder's code of a target group as written in the inventory, or ``None``."""
    return _GROUP_LOOKUP.get(fold(text))
