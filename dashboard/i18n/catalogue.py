"""User-facing text: German by default, English on request, from one gettext catalogue.

Every label, legend, message and column heading the user sees is a message of
``dashboard/i18n/locale/<lang>/LC_MESSAGES/messages.po``. The message id is a key such as
``atlas.count``; the text may hold ``{name}`` placeholders, filled with
:meth:`str.format`. :func:`t` translates a key, :func:`tn` a key whose text depends on a
count (``msgid_plural``). Numbers and dates are formatted by :mod:`dashboard.i18n.format`.

The ``.po`` files are read with Babel and compiled in memory once per process (no ``.mo``
files to keep in step). See ``docs/i18n.md`` for extraction (``pybabel extract``) and
updates (``pybabel update``).

Every message may name the district with the placeholders of :func:`district_values`
(``{district}``, ``{district_of}``, ``{district_kind}``, ``{district_kind_of}``,
``{context}``, ``{synthetic}``); they are filled in without being passed. The district
they name is the one the service bound for this session or command (:func:`speak_for`,
called by :class:`dashboard.services.workspace.Workspace`); where nothing was bound
(a tool, a test), the configured one (:func:`dashboard.config.get_settings`).

An unknown key never breaks a page: it is logged, recorded in :func:`missing_keys` and
shown as the key itself. The tests fail on any (``tests/unit/test_catalogue.py`` and a
check after every test).
"""

from __future__ import annotations

import io
import logging
import math
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the configuration is read when a message names the district
    from babel.support import Translations

    from dashboard.config import District

LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"

#: Babel locale of each language (number and date conventions, plural rules).
LOCALES: dict[str, str] = {"de": "de_DE", "en": "en_GB"}

DOMAIN = "messages"

_log = logging.getLogger(__name__)
_missing: set[tuple[str, str]] = set()
#: The district whose names fill the placeholders (per thread and task; see speak_for).
_speaking_for: ContextVar[District | None] = ContextVar("speaking_for", default=None)


def speak_for(district: District | None) -> None:
    """Bind the district the messages of this session or command name (``None``: the
    configured one). Bound per thread and task, so sessions never mix districts."""
    _speaking_for.set(district)


def spoken_district() -> District:
    """The district the messages name now (:func:`speak_for`, else the configured one)."""
    from dashboard.config import get_settings

    return _speaking_for.get() or get_settings().district


@dataclass(frozen=True, eq=False)
class _Catalogue:
    """One language's compiled messages and the ids it defines."""

    translations: Translations
    singular: frozenset[str]
    plural: frozenset[str]


def po_path(lang: str) -> resources.abc.Traversable:
    """The ``.po`` file of a language (inside the installed package)."""
    return resources.files("dashboard.i18n") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def check_language(lang: str) -> str:
    """Return ``lang`` if it is one of :data:`LANGUAGES`, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    return lang


@lru_cache(maxsize=len(LANGUAGES))
def _catalogue(lang: str) -> _Catalogue:
    """Read a language's ``.po`` with Babel and compile it in memory (once per process)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[lang], domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    singular: set[str] = set()
    plural: set[str] = set()
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, (tuple, list)):
            if message.string is not None and all(message.string):
                plural.add(message.id[0])
        elif message.string:
            singular.add(message.id)
    return _Catalogue(
        translations=Translations(fp=buffer, domain=DOMAIN),
        singular=frozenset(singular),
        plural=frozenset(plural),
    )


def message_ids(lang: str, *, plural: bool | None = None) -> frozenset[str]:
    """The message keys a language defines (``plural``: only those with/without plural forms)."""
    cat = _catalogue(check_language(lang))
    if plural is None:
        return cat.singular | cat.plural
    return cat.plural if plural else cat.singular


def has_message(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether ``key`` is a (singular) message of the catalogue."""
    return key in _catalogue(check_language(lang)).singular


def missing_keys() -> set[tuple[str, str]]:
    """``(key, lang)`` pairs asked for but not in the catalogue since the process started."""
    return set(_missing)


def clear_missing_keys() -> None:
    """Forget the recorded missing keys (tests)."""
    _missing.clear()


def district_values(lang: str, district: District | None = None) -> dict[str, str]:
    """The placeholders naming ``district`` (default :func:`spoken_district`), in ``lang``.

    Returns
    -------
    dict
        ``district`` ("Landkreis Kusel"), ``district_of`` ("des Landkreises Kusel"),
        ``district_kind`` ("Landkreis"), ``district_kind_of`` ("des Landkreises"),
        ``context`` ("Stadt Zweibrücken"; a word for "none" without context areas) and ``synthetic`` (a marker for synthetic test data, else empty).
    """
    return _district_values(check_language(lang), district or spoken_district())


@lru_cache(maxsize=16)
def _district_values(lang: str, district: District) -> dict[str, str]:
    cat = _catalogue(lang)

    def raw(key: str, **kw: str) -> str:
        if key not in cat.singular:
            return _unknown(key, lang)
        return cat.translations.gettext(key).format(**kw)

    kind, name = district.kind, district.name
    context = [raw(f"district.context.{c.kind}", name=c.name) for c in district.context]
    return {
        "district": raw(f"district.name.{kind}", name=name),
        "district_of": raw(f"district.of.{kind}", name=name),
        "district_kind": raw(f"district.kind.{kind}"),
        "district_kind_of": raw(f"district.kind_of.{kind}"),
        "context": ", ".join(context) if context else raw("district.context.none"),
        "synthetic": raw("district.synthetic_suffix") if district.synthetic else "",
    }


def _district_words(lang: str) -> dict[str, str]:
    """:func:`district_values`, or none if the district cannot be read (the message is
    then shown without its name; the error is logged, and stops the command or page)."""
    try:
        return district_values(lang)
    except ValueError as exc:  # DistrictConfigError, SettingsError
        _log.error("messages without the district's name: %s", exc)
        return {}


def _fill(key: str, lang: str, text: str, kwargs: dict[str, object]) -> str:
    if "{" not in text:
        return text
    if not kwargs:
        for name, value in _district_words(lang).items():
            text = text.replace("{" + name + "}", value)
        return text
    try:
        return text.format(**{**_district_words(lang), **kwargs})
    except (KeyError, IndexError, ValueError) as exc:
        _missing.add((key, lang))
        _log.error("message %r (%s): cannot fill placeholders: %s", key, lang, exc)
        return text


def _unknown(key: str, lang: str) -> str:
    if (key, lang) not in _missing:
        _log.error("message %r missing in the %s catalogue", key, lang)
    _missing.add((key, lang))
    return key


def t(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    """Translate a message key and fill its ``{placeholders}``.

    Parameters
    ----------
    key
        Message id of the catalogue, e.g. ``atlas.count``.
    lang
        ``de`` or ``en``.
    **kwargs
        Values for the ``{placeholders}`` (already formatted text for numbers and dates).

    Returns
    -------
    str
        The message; the key itself (logged) if the catalogue lacks it.

    Raises
    ------
    ValueError
        For an unknown language.
    """
    cat = _catalogue(check_language(lang))
    if key not in cat.singular:
        return _unknown(key, lang)
    return _fill(key, lang, cat.translations.gettext(key), kwargs)


def _plural_count(n: float) -> int:
    """The count gettext chooses the form by: a whole number as such, a fraction as many.

    In German and English (CLDR) a number with visible decimals always takes the plural
    form ("0,5 Angebote", "1.5 offers").
    """
    value = float(n)
    if math.isfinite(value) and value.is_integer():
        return abs(int(value))
    return 2 if math.isfinite(value) else 0


def tn(key: str, n: float, lang: str = DEFAULT_LANGUAGE, /, **kwargs: object) -> str:
    """Translate a message whose words depend on a count (``1 Angebot``, ``2 Angebote``).

    Parameters
    ----------
    key
        Message id with plural forms (``msgid_plural`` in the catalogue).
    n
        The count choosing the form; a fraction takes the plural form.
    lang
        ``de`` or ``en``.
    **kwargs
        Values for the ``{placeholders}``; pass the formatted count yourself (e.g.
        ``n=fmt_int(n, lang)``; ``key``, ``n`` and ``lang`` are positional only, so a
        placeholder may be called ``{n}``).

    Returns
    -------
    str
        The message in the form for ``n``; the key itself (logged) if the catalogue lacks it.
    """
    cat = _catalogue(check_language(lang))
    if key not in cat.plural:
        return _unknown(key, lang)
    return _fill(key, lang, cat.translations.ngettext(key, key, _plural_count(n)), kwargs)


def template(key: str, lang: str = DEFAULT_LANGUAGE, n: float | None = None) -> str:
    """The text of a key with its placeholders left as written, for a library that fills
    them itself (Click's own messages, :mod:`dashboard.cli.texts`).

    Parameters
    ----------
    key
        Message id; with ``n``, a message with plural forms.
    lang
        ``de`` or ``en``.
    n
        The count choosing the plural form (``None``: a singular message).

    Returns
    -------
    str
        The unfilled text; the key itself (logged) if the catalogue lacks it.
    """
    cat = _catalogue(check_language(lang))
    if n is None:
        return cat.translations.gettext(key) if key in cat.singular else _unknown(key, lang)
    if key not in cat.plural:
        return _unknown(key, lang)
    return cat.translations.ngettext(key, key, _plural_count(n))


def N_(key: str) -> str:  # noqa: N802 - the gettext convention for "mark, do not translate"
    """Mark a key that is looked up later (``pybabel extract -k N_`` finds it); returns it."""
    return key


def Nn_(key: str) -> str:  # noqa: N802 - as N_, for a message with plural forms
    """Mark a key with plural forms that is looked up later with :func:`tn` (``pybabel
    extract -k Nn_:1,1`` finds it as a plural message); returns it."""
    return key


def label(family: str, code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The word for a code: message ``<family>.<code>``, or the code itself if there is none.

    For codes that may come from outside the model (a unit or field name in imported data);
    codes of the model itself use :func:`t` so a missing message is caught.
    """
    key = f"{family}.{code}"
    return t(key, lang) if has_message(key, lang) else str(code)


def field_label(name: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """Label of a facility field (message ``f.<name>``; the field name itself if none)."""
    return label("f", name, lang)
