"""The one message catalogue: both languages complete, every key the code uses defined.

Keys written as literals in ``t("...")`` / ``tn("...", n)`` calls are found with Babel's
extractor (the same as ``pybabel extract``); keys built at run time are enumerated here
from the tables they are built from.
"""

from __future__ import annotations

import logging
import string
import typing
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.extract import extract, extract_from_dir
from babel.messages.pofile import read_po

from dashboard.analysis.gaps import DECAYS, LEVELS, MEANING_CODES
from dashboard.config import BASEMAPS, CONTEXT_KINDS, DISTRICT_KINDS
from dashboard.data.proposals import KINDS, STATUSES
from dashboard.data.users import ROLES
from dashboard.domain import viewstate
from dashboard.domain.indicators import INDICATORS
from dashboard.domain.model import (
    CATEGORIES,
    FACILITY_FIELDS,
    HANDLUNGSFELDER,
    PRECISIONS,
    ProjectStatus,
    Status,
)
from dashboard.i18n import catalogue
from dashboard.i18n.catalogue import (
    LANGUAGES,
    LOCALES,
    Nn_,
    clear_missing_keys,
    message_ids,
    missing_keys,
    po_path,
    t,
    tn,
)
from dashboard.i18n.keys import RUNTIME_KEYS
from dashboard.i18n.message import LocalizedError, Message
from dashboard.render.gaps_text import COLUMNS, EXPLAINED
from dashboard.render.print.static_map import ORIENTATIONS
from dashboard.ui.editorial import POSITION_MODES
from dashboard.ui.session import PAGES
from tests.conftest import REPO

#: The extraction keywords (as ``pybabel extract -k t -k tn:1,1 -k N_ -k Nn_:1,1 -k say``).
KEYWORDS = {"t": None, "tn": (1, 1), "N_": None, "Nn_": (1, 1), "say": None}
CODE = ("dashboard", "app_pages")


def _catalog(lang: str):  # noqa: ANN202
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=LOCALES[lang])


def _extracted() -> dict[str, list[tuple[str, bool]]]:
    """Key -> [(place, plural?)] of every literal key in the code."""
    found: dict[str, list[tuple[str, bool]]] = {}

    def add(place: str, message: str | tuple[str, ...]) -> None:
        plural = isinstance(message, tuple)
        key = message[0] if plural else message
        found.setdefault(key, []).append((place, plural))

    for folder in CODE:
        for name, line, message, _, _ in extract_from_dir(
            REPO / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()
        ):
            add(f"{folder}/{name}:{line}", message)
    with (REPO / "app.py").open("rb") as fh:
        for line, message, _, _ in extract("python", fh, keywords=KEYWORDS):
            add(f"app.py:{line}", message)
    return found


def _dynamic_families() -> dict[str, set[str]]:
    """Keys built at run time, from the tables they are built from."""
    membership = pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
    units = {s.unit for s in INDICATORS.values() if s.unit}
    units |= set(pd.read_csv(REPO / "datasets" / "indicators.csv", dtype=str)["unit"])
    families = {
        "cat": set(CATEGORIES),
        "hf": set(HANDLUNGSFELDER),
        "gaps.nearest": set(CATEGORIES),
        "gaps.no_offer": set(CATEGORIES),
        "precision": set(PRECISIONS),
        "status": set(typing.get_args(Status)),
        "project.status": set(typing.get_args(ProjectStatus)),
        "district.name": set(DISTRICT_KINDS.values()),
        "district.of": set(DISTRICT_KINDS.values()),
        "district.kind": set(DISTRICT_KINDS.values()),
        "district.kind_of": set(DISTRICT_KINDS.values()),
        "district.context": {*CONTEXT_KINDS, "none"},
        "basemap": set(BASEMAPS),
        "atlas.scheme": set(viewstate.SCHEMES),
        "atlas.layer": set(viewstate.LAYERS),
        "atlas.verified": set(viewstate.VERIFIED),
        "atlas.level": set(viewstate.LEVELS),
        "gaps.level": set(LEVELS),
        "gaps.decay": set(DECAYS),
        "gaps.col": {*COLUMNS, "before", "after"},
        "gaps.meaning": {c for c in MEANING_CODES if c},
        "gaps.explain": set(EXPLAINED),
        "ind": set(INDICATORS),
        "unit": units,
        "role": set(ROLES),
        "kind": set(KINDS) | set(membership["kind"]),
        "pstatus": set(STATUSES),
        # history actions written by the store and the review (dashboard.data.proposals)
        "action": {"add", "change", "close", "proposal", "approve", "reject"},
        # outcomes of an import row shown in the preview (invalid rows are not shown)
        "imp.status": {"add", "change", "unchanged"},
        "edit.pos": set(POSITION_MODES),
        "exp": set(ORIENTATIONS),
        "f": set(FACILITY_FIELDS),
    }
    keys = {family: {f"{family}.{code}" for code in codes} for family, codes in families.items()}
    keys["nav"] = {key for key, _, _ in PAGES.values()}
    return keys


# -- the two catalogues ------------------------------------------------------------------------
def test_both_languages_define_the_same_messages() -> None:
    assert message_ids("de", plural=False) == message_ids("en", plural=False)
    assert message_ids("de", plural=True) == message_ids("en", plural=True)
    assert len(message_ids("de")) > 400


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_has_text_and_no_fuzzy_or_obsolete_entry(lang: str) -> None:
    catalog = _catalog(lang)
    assert not catalog.obsolete
    assert catalog.plural_expr == "(n != 1)"
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), (lang, message.id)
        assert len(strings) == (2 if isinstance(message.id, tuple) else 1), message.id
    assert list(catalog.check()) == []  # Babel's own checks (as in ``pybabel compile``)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_placeholders_agree_between_the_languages() -> None:
    de = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in _catalog("de") if m.id}
    en = {m.id if isinstance(m.id, str) else m.id[0]: m.string for m in _catalog("en") if m.id}
    for key, text in de.items():
        forms = [*(text if isinstance(text, tuple) else (text,))]
        forms += [*(en[key] if isinstance(en[key], tuple) else (en[key],))]
        names = [_placeholders(f) for f in forms]
        assert all(n == names[0] for n in names), (key, forms)


# -- the code and the catalogue --------------------------------------------------------------
def test_every_key_in_the_code_is_in_both_languages() -> None:
    found = _extracted()
    assert len(found) > 300
    for lang in LANGUAGES:
        singular, plural = message_ids(lang, plural=False), message_ids(lang, plural=True)
        for key, places in found.items():
            for place, is_plural in places:
                expected = plural if is_plural else singular
                assert key in expected, f"{place}: {key!r} not a {lang} message"


def test_keys_built_at_run_time_are_in_both_languages() -> None:
    for family, keys in _dynamic_families().items():
        for lang in LANGUAGES:
            missing = keys - message_ids(lang)
            assert not missing, (family, lang, sorted(missing))


def test_extraction_gives_exactly_the_catalogue() -> None:
    # with the run-time keys marked in dashboard/i18n/keys.py, ``pybabel update`` keeps all
    found = set(_extracted())
    assert set(RUNTIME_KEYS) <= found
    assert found == message_ids("de"), (
        sorted(found - message_ids("de")),
        sorted(message_ids("de") - found),
    )
    built = set().union(*_dynamic_families().values())
    assert built <= found, sorted(built - found)  # each is marked in dashboard/i18n/keys.py


# -- looking messages up -----------------------------------------------------------------------
def test_t_fills_placeholders_per_language() -> None:
    assert t("rev.approved", "de", id=3) == "Vorschlag Nr. 3 übernommen."
    assert t("rev.approved", "en", id=3) == "Proposal no. 3 approved."
    assert t("nav.map") == "Karte"  # German by default


def test_tn_chooses_the_plural_form() -> None:
    def few(value: float, text: str, lang: str) -> str:
        return tn("gaps.reason.few", value, lang, value=text, limit="0,5")

    assert few(1, "1", "de") == "1 Angebot je 1.000 Einwohner (Schwelle 0,5)"
    assert few(0, "0", "de") == "0 Angebote je 1.000 Einwohner (Schwelle 0,5)"
    assert few(0.33, "0,33", "de").startswith("0,33 Angebote")  # a fraction: plural
    assert few(1, "1", "en").startswith("1 offer per")
    assert few(2, "2", "en").startswith("2 offers per")
    assert tn("imp.done", 1, "de", n=1) == "1 Datensatz gespeichert."
    assert tn("imp.done", 5, "en", n=5) == "5 records saved."
    assert tn("atlas.count", 1, "de", shown=1, total=1) == "1 von 1 Angebot auf der Karte"
    assert tn("atlas.count", 4, "de", shown=3, total=4) == "3 von 4 Angeboten auf der Karte"


def test_messages_made_elsewhere_choose_the_form_too() -> None:
    one = Message.counted(Nn_("err.import_rejected"), 1, n=1)
    many = Message.counted(Nn_("err.import_rejected"), 1234, n=1234)
    assert one.text("de").startswith("1 fehlerhafte Zeile: nichts importiert")
    assert many.text("de").startswith("1.234 fehlerhafte Zeilen:")
    assert one.text("en").startswith("1 invalid row:") and many.text("en").startswith("1,234 ")
    assert str(LocalizedError(one)).startswith("1 fehlerhafte Zeile:")


def test_a_missing_key_is_logged_and_shown_never_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger=catalogue.__name__):
        assert t("no.such.message", "en") == "no.such.message"
        assert tn("no.such.plural", 2, "de") == "no.such.plural"
        assert t("imp.done", "de") == "imp.done"  # a plural message asked for as singular
    assert ("no.such.message", "en") in missing_keys()
    assert "no.such.message" in caplog.text
    # wrong placeholders: the text without them, logged as well
    assert t("rev.item", "de", id=1) == "Nr. {id} · {kind}: {name} · {vg} · von {author}, {at}"
    assert ("rev.item", "de") in missing_keys()
    clear_missing_keys()  # the autouse check would fail this test otherwise


def test_unknown_language() -> None:
    with pytest.raises(ValueError):
        t("nav.map", "fr")


def test_catalogues_ship_inside_the_package() -> None:
    for lang in LANGUAGES:
        path = Path(str(po_path(lang)))
        assert path.is_file() and path.is_relative_to(REPO / "dashboard" / "i18n" / "locale")
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"dashboard.i18n" = ["locale/*/LC_MESSAGES/*.po"]' in pyproject
