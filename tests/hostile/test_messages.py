"""Refusals and importer problems are catalogue messages: German in logs, the user's
language on the page."""

from __future__ import annotations

import re

import pytest

from dashboard.data.importer.plan import Problem
from dashboard.data.store import StaleVersionError, StoreError
from dashboard.i18n.catalogue import LANGUAGES
from dashboard.i18n.message import LocalizedError, Message, error_text
from dashboard.services.importing import ImportRejected
from dashboard.services.workspace import PermissionDenied
from tests.conftest import REPO

#: Files whose refusals and problems a user reads.
SOURCES = [
    "dashboard/services/workspace.py",
    "dashboard/data/store.py",
    *sorted(str(p.relative_to(REPO)) for p in (REPO / "dashboard/data/importer").glob("*.py")),
]
_LITERAL_RAISE = re.compile(
    r"(PermissionDenied|StoreError|StaleVersionError|ImportRejected|ReadError|XlsxRefused)"
    r"\(\s*f?[\"']|GeocodeProblem\(\s*[^,]+,\s*f?[\"']"
)
#: The problem is the second argument of ``check.add(field, problem, value)``.
_LITERAL_PROBLEM = re.compile(r"check\.add\(\s*[^,()]+,\s*f?[\"']")


@pytest.mark.parametrize("source", SOURCES)
def test_no_refusal_or_problem_is_a_literal_text(source: str) -> None:
    text = (REPO / source).read_text(encoding="utf-8")
    assert not _LITERAL_RAISE.search(text), _LITERAL_RAISE.search(text)
    assert not _LITERAL_PROBLEM.search(text), _LITERAL_PROBLEM.search(text)


def test_pages_show_refusals_through_the_one_helper() -> None:
    for page in sorted((REPO / "app_pages").glob("*.py")):
        assert "str(exc)" not in page.read_text(encoding="utf-8"), page.name


@pytest.mark.parametrize(
    ("exc", "german", "english"),
    [
        (PermissionDenied("err.import_role"), "Importieren darf nur", "Only the district editors"),
        (
            PermissionDenied("err.district_only", what=Message.of("err.what.review")),
            "Vorschläge prüfen darf nur",
            "may review proposals",
        ),
        (StoreError("err.gone", id="ref-1"), "ref-1 gibt es nicht", "ref-1 does not exist"),
        (
            StaleVersionError("ref-1", 2, 3, "alice", "2025-03-01T09:00:00"),
            "von alice am 01.03.2025 09:00 geändert (Version 3, geladen war 2)",
            "changed by alice on 2025-03-01 09:00 in the meantime (version 3, you loaded 2)",
        ),
        (ImportRejected("err.import_rejected", n=1234), "1.234 fehlerhafte", "1,234 invalid"),
    ],
)
def test_refusals_in_both_languages(exc: LocalizedError, german: str, english: str) -> None:
    assert german in str(exc) and german in exc.text("de") and german in error_text(exc)
    assert english in exc.text("en") and english in error_text(exc, "en")


def test_a_problem_is_worded_per_language() -> None:
    p = Problem("Zeile 7", "category", Message.of("imp.prob.category_unknown", allowed="Kita"), "X")
    assert p.problem == "unbekannte Kategorie; erlaubt: Kita"
    assert p.problem_text("en") == "unknown category; allowed: Kita"
    assert {lang: Message.of("imp.row.line", n=7).text(lang) for lang in LANGUAGES} == {
        "de": "Zeile 7",
        "en": "line 7",
    }


def test_an_old_literal_text_still_shows() -> None:
    exc = StoreError("Etwas ging schief.")
    assert str(exc) == exc.text("en") == "Etwas ging schief."
    assert error_text(ValueError("plain")) == "plain"
