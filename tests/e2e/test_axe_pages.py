"""axe-core on every page of the atlas: signed out and for each role, German and English,
desktop (1400×1000) and phone (390×844), the maps' frames included (WCAG 2.1 A/AA plus the
best-practice rules a screen reader relies on, :mod:`tests.e2e.axe_support`).

One server and one browser; per role × language × size one browser context (the phone as a
touch device) opens the app in that language, signs in once, and opens every page of its
navigation by its link (the presentation in both its modes). All violations of a
combination are collected and reported together, so one run shows every one of them; each
combination prints its time (``pytest -s``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import Error as PlaywrightError

from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO
from tests.e2e.axe_support import Violation, check
from tests.e2e.conftest import Watched, running_app, watched_page
from tests.e2e.journey import TIMEOUT, close_sidebar, open_sidebar

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
#: The accounts of this server: one per role (the public needs none).
ACCOUNTS = {
    "vg_editor": ("axe-vg", "axe-vg-passwort-1", ["073355009"]),
    "district_editor": ("axe-kreis", "axe-kreis-passwort-1", []),
    "admin": ("axe-admin", "axe-admin-passwort-1", []),
}
#: How many pages each role's navigation offers (a role seeing fewer pages than it may
#: open would make this test pass on less than every page).
PAGES_PER_ROLE = {"public": 9, "vg_editor": 10, "district_editor": 14, "admin": 15}
_CLOSED = '[data-testid="stSidebar"][data-collapsed="true"]'
#: Every map of the page drawn: in a frame (``#map``) or in the page itself (``.ia-map``).
_MAP_DRAWN = """() => [...document.querySelectorAll('iframe')].every(f => {
    const d = f.contentDocument; if (!d || !d.getElementById('map')) return true;
    return d.getElementById('map').hasAttribute('data-ia-drawn'); }) &&
    [...document.querySelectorAll('.ia-map')].every(m => m.hasAttribute('data-ia-drawn'))"""


@dataclass(frozen=True)
class Server:
    url: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on the shipped data with one account per role."""
    folder = tmp_path_factory.mktemp("axe")
    store = folder / "store.gpkg"
    db = Store(store, REPO / "datasets").db
    for role, (name, password, vgs) in ACCOUNTS.items():
        add_user(db, name, password, role, vgs)
    with running_app(folder, store, folder / "users.json") as url:
        yield Server(url)


_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _ready(w: Watched) -> None:
    """The page's run is over and every map on it is drawn (axe checks what a person sees)."""
    page = w.page
    page.wait_for_selector(_IDLE, timeout=120_000)  # type: ignore[attr-defined]
    page.wait_for_function(_MAP_DRAWN, timeout=TIMEOUT)  # type: ignore[attr-defined]
    page.wait_for_selector(_IDLE, timeout=120_000)  # type: ignore[attr-defined]


def _links(w: Watched) -> list[str]:
    """The titles of the navigation's links, in order."""
    open_sidebar(w)
    page = w.page
    nav = page.locator('[data-testid="stSidebarNav"] a')  # type: ignore[attr-defined]
    nav.first.wait_for(timeout=TIMEOUT)
    more = page.locator('[data-testid="stSidebarNavViewButton"]')  # type: ignore[attr-defined]
    # "View 3 more" ("3 weitere anzeigen"; "View less" has no count): the rest too
    if more.count() and re.search(r"\d", more.first.inner_text()):
        shown = nav.count()
        more.first.click()
        page.wait_for_function(  # type: ignore[attr-defined]
            "(n) => document.querySelectorAll('[data-testid=stSidebarNav] a').length > n",
            arg=shown,
            timeout=TIMEOUT,
        )
    return [t.strip() for t in nav.all_inner_texts()]


def _open(w: Watched, index: int, phone: bool) -> None:
    """Open the ``index``-th page of the navigation by its link (on a phone the sidebar
    is opened for it and closed again, as a person does)."""
    page = w.page
    link = page.locator('[data-testid="stSidebarNav"] a').nth(index)  # type: ignore[attr-defined]
    href = link.get_attribute("href")
    for attempt in range(3):  # a heavy page closes the sidebar late, once: open it again
        open_sidebar(w)
        try:
            link.click(timeout=10_000)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    page.wait_for_function("(h) => location.href.split('?')[0] === h", arg=href, timeout=TIMEOUT)  # type: ignore[attr-defined]
    _ready(w)
    if phone:  # the sidebar closes by itself after a page is chosen, else a person closes it
        try:
            page.locator(_CLOSED).wait_for(timeout=8_000)  # type: ignore[attr-defined]
        except PlaywrightError:
            if page.locator('[data-testid="stSidebar"]').is_visible():  # type: ignore[attr-defined]
                close_sidebar(w)  # (the presentation's show hides it altogether)
    page.get_by_role("heading", level=1).first.wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]


def _sign_in(w: Watched, role: str, lang: str) -> None:
    """Sign in through the sidebar's form (in English its expander and its button are both
    called "Sign in")."""
    name, password, _ = ACCOUNTS[role]
    page = w.page
    open_sidebar(w)
    sidebar = page.locator('[data-testid="stSidebar"]')  # type: ignore[attr-defined]
    sidebar.locator('[data-testid="stExpander"] summary').first.click()
    sidebar.get_by_label("Name", exact=True).fill(name)
    sidebar.get_by_label("Passwort" if lang == "de" else "Password", exact=True).fill(password)
    sidebar.locator('[data-testid="stFormSubmitButton"] button').first.click()
    signed_in = re.compile(f"(Angemeldet als|Signed in as) {name}")
    page.get_by_text(signed_in).wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    _ready(w)


def _in_presentation(w: Watched) -> bool:
    page = w.page
    return bool(page.locator(".st-key-pres_edit, .st-key-pres_start").count())  # type: ignore[attr-defined]


def _other_mode(w: Watched, view: str) -> list[Violation]:
    """The presentation's other mode checked, ending in the editor (the show hides the
    navigation; the editor shows it again)."""
    page = w.page
    start = page.locator(".st-key-pres_start button")  # type: ignore[attr-defined]
    if not start.count():  # the show was checked: the editor now
        page.locator(".st-key-pres_edit button").first.click()  # type: ignore[attr-defined]
        page.locator(".st-key-pres_start").wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
        _ready(w)
        return check(page, f"{view} (editor)")
    start.first.click()  # the editor was checked: the show now, then back to the editor
    page.locator(".st-key-pres_edit").wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    _ready(w)
    found = check(page, f"{view} (show)")
    page.locator(".st-key-pres_edit button").first.click()  # type: ignore[attr-defined]
    page.locator(".st-key-pres_start").wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
    _ready(w)
    return found


def _walk(w: Watched, view: str, phone: bool) -> tuple[list[Violation], int]:
    """Every page of the navigation; the violations and the number of views checked."""
    found: list[Violation] = []
    views = 0
    titles = _links(w)
    for i, title in enumerate(titles):
        _open(w, i, phone)
        found += check(w.page, f"{view}/{title}")
        views += 1
        if _in_presentation(w):  # its other mode: the show, or the editor
            found += _other_mode(w, f"{view}/{title}")
            views += 1
    return found, views


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_every_page_has_no_axe_violation(
    browser: object, server: Server, role: str, lang: str, size: str
) -> None:
    started = time.perf_counter()
    phone = size == "phone"
    options = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if phone else {}
    with watched_page(browser, **({"viewport": DESKTOP} | options)) as w:
        page = w.page
        page.goto(f"{server.url}/?lang={lang}")  # type: ignore[attr-defined]
        page.locator("h1").first.wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
        _ready(w)
        if role != "public":
            _sign_in(w, role, lang)
        titles = _links(w)
        assert len(titles) == PAGES_PER_ROLE[role], titles
        found, views = _walk(w, f"{role}/{lang}/{size}", phone)
        assert views == PAGES_PER_ROLE[role] + 1  # + the presentation's other mode
        assert w.errors == [] and w.external == []
    print(f"{role}/{lang}/{size}: {views} views in {time.perf_counter() - started:.0f} s")
    assert not found, f"{len(found)} violations:\n" + "\n".join(map(str, found))
