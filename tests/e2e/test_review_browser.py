"""Reviewing proposals as the Kreis-Redaktion does: in the form's language, and an already
applied proposal closed with one click.

Two proposals of a VG-Redaktion (test accounts; made through the service, as the edit form
does) change the same record in the same way. The reviewer reads the first one's changes
as the form words them (labels, names, local dates, no codes, no ISO timestamps), approves
it, finds the second one already in the record and closes it as done.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.data.users import add_user
from dashboard.domain.roles import User
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app
from tests.e2e.journey import TIMEOUT, nav, no_exception, settle, sign_in

pytestmark = pytest.mark.e2e

WEILERBACH = "073355009"
OFFER = "ref-821a16defc"  # Grundschule Weilerbach
#: What a person must never read in a review: field names, codes, Python values, ISO
#: timestamps, record ids, coordinates with seven decimals.
RAW = re.compile(
    r"\b(languages|handlungsfelder|kita_schule|sprache|last_verified|postcode|active|True|False|None)\b"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}|ref-[0-9a-f]{10}|\d+[.,]\d{6,}"
)


@pytest.fixture(scope="module")
def review_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with a VG-Redaktion's two identical proposals on one offer pending."""
    folder = tmp_path_factory.mktemp("review")
    store = Store(folder / "store.gpkg", REPO / "datasets")
    add_user(store.db, "vera", "vera-passwort-1", "vg_editor", [WEILERBACH])
    add_user(store.db, "kurt", "kurt-passwort-1", "district_editor", [])
    vera = Workspace(
        store, User("vera", "vg_editor", (WEILERBACH,)), load_boundaries(get_settings())
    )
    offer = store.facility(OFFER)
    assert offer is not None
    changed = offer.model_copy(
        update={
            "handlungsfelder": [*offer.handlungsfelder, "sprache"],
            "languages": ["Deutsch", "Türkisch"],
            "last_verified": dt.date(2025, 3, 1),
        }
    )
    vera.propose_change(changed, offer.version, "Sprachangebot ergänzt")
    vera.propose_change(changed, offer.version, "noch einmal, sicher ist sicher")
    with running_app(folder, folder / "store.gpkg", folder / "users.json") as url:
        yield url


def _proposal(w: Watched, number: int) -> object:
    """The bordered box of proposal ``number`` (the innermost block holding its title)."""
    box = w.page.locator('[data-testid="stVerticalBlock"]').filter(has_text=f"Nr. {number} ·")
    box.last.wait_for(timeout=TIMEOUT)
    return box.last


def test_review_in_the_forms_language_and_close_an_applied_one(
    watched: Watched, review_url: str
) -> None:
    page = watched.page
    page.goto(review_url)
    page.locator("h1").first.wait_for(timeout=TIMEOUT)
    settle(watched)
    sign_in(watched, "kurt", "kurt-passwort-1")
    nav(watched, "Vorschläge prüfen")
    page.get_by_role("heading", name="Offene Vorschläge (2)").wait_for(timeout=TIMEOUT)

    first = _proposal(watched, 1)
    changes = first.locator('[data-testid="stTable"]').inner_text()  # type: ignore[attr-defined]
    assert "Handlungsfelder" in changes and "Sprache" in changes, changes
    assert "Kindertagesstätten und Schulen, Sprache" in changes, changes
    assert "Sprachen" in changes and "Deutsch, Türkisch" in changes, changes
    assert "Zuletzt geprüft" in changes and "01.03.2025" in changes, changes
    title = first.inner_text()  # type: ignore[attr-defined]
    assert "Grundschule Weilerbach" in title and "Weilerbach" in title and "vera" in title
    for text in (changes, title, page.locator('[data-testid="stMain"]').inner_text()):
        assert not RAW.search(text), RAW.search(text)

    first.get_by_role("button", name="Übernehmen", exact=True).click()  # type: ignore[attr-defined]
    page.get_by_text("Vorschlag Nr. 1 übernommen.").wait_for(timeout=TIMEOUT)
    settle(watched)

    second = _proposal(watched, 2)
    second.get_by_text("Diese Änderung steht schon im Datensatz").wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    assert second.locator('[data-testid="stTable"]').count() == 0  # type: ignore[attr-defined]
    second.get_by_role("button", name="Als erledigt schließen").click()  # type: ignore[attr-defined]
    page.get_by_text("Vorschlag Nr. 2 als erledigt geschlossen.").wait_for(timeout=TIMEOUT)
    page.get_by_text("Keine offenen Vorschläge.").wait_for(timeout=TIMEOUT)
    settle(watched)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert not RAW.search(main), RAW.search(main)
    no_exception(watched)
    assert watched.errors == [] and watched.external == []
