"""Roles in a real browser: navigation per role, no edit widgets for the public, and no
coordinates of an accommodation (Unterkunft) in anything the public map page receives.

Runs its own server with its own store and user file, so it can seed both.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.data.store import Change, Store
from dashboard.data.users import add_user
from dashboard.domain.model import Facility
from tests.conftest import REPO
from tests.e2e.conftest import (
    MAP,
    Watched,
    map_contents,
    record_map_data,
    running_app,
)

pytestmark = pytest.mark.e2e

_MAIN = REPO / "app.py"
#: The real entry point once it signs users in; until then the same lines from tests/app.
APP = _MAIN if "signin_widget" in _MAIN.read_text() else REPO / "tests/app/signin_app.py"
MAP_HEADING = "Karte: Angebote und Bedarf"

SECRET = Facility(
    id="e2e-unterkunft",
    name="Geheime Testunterkunft Ahornweg",
    category="Unterkunft",
    street="Ahornweg 7",
    postcode="67685",
    place="Weilerbach",
    lat=49.45678,
    lon=7.61234,
    precision="exact",
    capacity=40,
    source="E2E-Testdaten",
    reference_date=dt.date(2025, 1, 1),
)
VISIBLE = Facility(  # control: a public offer whose name and position must arrive
    id="e2e-verein",
    name="Sichtbarer Testverein Lindenweg",
    category="Verein",
    place="Weilerbach",
    lat=49.47123,
    lon=7.63456,
    precision="exact",
    source="E2E-Testdaten",
    reference_date=dt.date(2025, 1, 1),
)
USERS = {
    "anna": ("anna-passwort-1", "vg_editor", ["073355009"]),
    "bernd": ("bernd-passwort-1", "district_editor", []),
}
EDIT, REVIEW, USERS_PAGE, IMPORT = "Angebote bearbeiten", "Vorschläge prüfen", "Benutzer", "Import"
PUBLIC_NAV = [
    "Karte", "Versorgungsanalyse", "Datenbestand", "Maßnahmen", "Seit dem Konzept", "Daten & Quellen",
    "Präsentation", "Angebotsfinder", "Barrierefreiheit",
]  # fmt: skip


@dataclass
class Server:
    url: str
    store: Path


@pytest.fixture(scope="module")
def roles_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``streamlit run`` with its own store (one Unterkunft seeded) and user file."""
    folder = tmp_path_factory.mktemp("e2e-roles")
    store, users = folder / "store.gpkg", folder / "users.json"
    seeded = Store(store, REPO / "datasets")
    seeded.apply([Change(SECRET), Change(VISIBLE)], "e2e-seed")
    for name, (password, role, vgs) in USERS.items():
        add_user(seeded.db, name, password, role, vgs)
    with running_app(folder, store, users, script=str(APP.relative_to(REPO))) as url:
        yield Server(url, store)


def _nav(w: Watched) -> list[str]:
    links = w.page.locator('[data-testid="stSidebarNav"] a')
    links.first.wait_for(timeout=60_000)
    return [t.strip() for t in links.all_inner_texts()]


def sign_in(w: Watched, url: str, name: str, password: str) -> None:
    """Sign in through the sidebar form (usable by other browser tests)."""
    page = w.page
    page.goto(url)
    page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=60_000)
    page.get_by_text("Anmeldung", exact=True).click(timeout=60_000)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(re.compile(f"Angemeldet als {re.escape(name)}")).wait_for(timeout=60_000)
    page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=60_000)


def _no_edit_widgets(w: Watched) -> None:
    page = w.page
    for prefix in ("ed_", "rv_", "usr_"):
        assert page.locator(f'[class*="st-key-{prefix}"]').count() == 0, prefix
    for label in ("Vorschlagen", "Speichern", "Übernehmen", "Ablehnen", "Konto anlegen"):
        assert page.get_by_role("button", name=label).count() == 0, label
    assert page.get_by_label("Straße und Hausnummer").count() == 0


def test_public_sees_no_edit_pages_and_no_edit_widgets(
    watched: Watched, roles_server: Server
) -> None:
    page = watched.page
    page.goto(roles_server.url)
    page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=60_000)
    assert _nav(watched) == PUBLIC_NAV
    _no_edit_widgets(watched)
    for path in ("bearbeiten", "pruefen", "benutzer", "importieren"):
        page.goto(f"{roles_server.url}/{path}")
        page.get_by_role("heading", name=MAP_HEADING).wait_for(timeout=60_000)
        assert _nav(watched) == PUBLIC_NAV
        for heading in (EDIT, REVIEW, "Listen importieren"):
            assert page.get_by_role("heading", name=heading).count() == 0
        _no_edit_widgets(watched)
    assert watched.errors == [] and watched.external == []


def test_vg_editor_navigation(watched: Watched, roles_server: Server) -> None:
    sign_in(watched, roles_server.url, "anna", USERS["anna"][0])
    nav = _nav(watched)
    assert EDIT in nav and not {REVIEW, USERS_PAGE, IMPORT} & set(nav)
    watched.page.get_by_role("link", name=EDIT).click()
    watched.page.get_by_role("heading", name=EDIT).wait_for(timeout=60_000)
    watched.page.get_by_role("button", name="Vorschlagen").wait_for()
    assert watched.page.get_by_role("button", name="Speichern").count() == 0
    assert watched.errors == [] and watched.external == []


def test_district_editor_navigation(watched: Watched, roles_server: Server) -> None:
    sign_in(watched, roles_server.url, "bernd", USERS["bernd"][0])
    nav = _nav(watched)
    assert {EDIT, REVIEW, IMPORT} <= set(nav) and USERS_PAGE not in nav
    watched.page.get_by_role("link", name=REVIEW).click()
    watched.page.get_by_role("heading", name=REVIEW).wait_for(timeout=60_000)
    watched.page.get_by_text("Keine offenen Vorschläge.").wait_for()
    watched.page.get_by_role("button", name="Abmelden").click()
    watched.page.get_by_text("Anmeldung", exact=True).wait_for(timeout=60_000)
    assert _nav(watched) == PUBLIC_NAV
    assert watched.errors == [] and watched.external == []


def test_public_map_never_receives_an_unterkunft(watched: Watched, roles_server: Server) -> None:
    page = watched.page
    frames: list[bytes] = []

    def on_socket(ws: object) -> None:
        ws.on(
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else payload.encode("utf-8")
            ),
        )

    page.on("websocket", on_socket)
    files = record_map_data(page)
    page.goto(roles_server.url)
    page.wait_for_function(
        """([sel, name]) => {
            const m = document.querySelector(sel), a = m && m.iaAtlas;
            const F = a && a.facilities;
            if (!F) { return false; }
            for (let i = 0; i < F.n; i++) { if (F.text(i, "name") === name) { return true; } }
            return false;
        }""",
        arg=[MAP, VISIBLE.name],
        timeout=60_000,
    )
    inner = page.locator(MAP).evaluate("m => m.outerHTML")
    iframe_attrs = page.locator(MAP).evaluate("m => m.parentElement.outerHTML")  # the component
    held = map_contents(page)  # every offer the map holds, decoded
    dom = page.content()
    sent = b"".join(frames) + b"".join(files)
    # the control arrives, with its position: the checks below would see a leak
    assert files and VISIBLE.name in held
    assert "49.47123|7.63456|" in held
    for text in (SECRET.name, "Ahornweg", "49.45678", "7.61234", "e2e-unterkunft"):
        assert text.encode() not in sent, text
        assert text not in held, text
        assert text not in inner, text
        assert text not in iframe_attrs, text
        assert text not in dom, text
    assert watched.errors == [] and watched.external == []
