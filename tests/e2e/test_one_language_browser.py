"""One language per screen: every page, in German and in English, for every role.

A person walks through every page the role may open, opens what can be opened (expanders,
every select box and multiselect, the table toolbar's buttons, a text field, the file
uploader with a file) and reads everything the screen shows and says to a screen reader
(texts, labels, placeholders, tooltips, the cells of tables). On a German screen no text may be one of
Streamlit's English texts ("Choose options", "Upload", "Skip to main content") or hold
words only the English catalogue uses; on an English screen no text may hold words only
the German catalogue uses ("Angebote", "Zeile", "Rücklauf"). Somebody's words (an offer's
name, a source, a project's note from the paper) stay as written: they are cut out before
judging, as is text marked with another ``lang``. No table may be empty (Streamlit paints
an English "empty" into it). The word lists: :mod:`tests.languages`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.data.users import add_user
from dashboard.domain.roles import User
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from dashboard.ui.session import PAGES, pages_for
from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app
from tests.e2e.journey import TIMEOUT, no_exception, settle
from tests.languages import foreign_words

pytestmark = pytest.mark.e2e

WEILERBACH = "073355009"
GRUNDSCHULE_WEILERBACH = "ref-821a16defc"
#: The accounts of the walk (test accounts), by role.
ACCOUNTS: dict[str, tuple[str, str, list[str]]] = {
    "vg_editor": ("vera", "vera-passwort-1", [WEILERBACH]),
    "district_editor": ("kurt", "kurt-passwort-1", []),
    "admin": ("ada", "ada-passwort-123", []),
}
#: What the VG-Redaktion wrote with its proposal: somebody's words, German on every page.
PROPOSAL_COMMENT = "Sprachen ergänzt"
#: The languages the VG-Redaktion typed in for the offer (its words too).
LANGUAGES = ("Deutsch", "Türkisch")
#: A facility list with one valid and one invalid row (test data), for the import page; its
#: column names are the file's words (the page shows them as the file has them).
HEADERS = ("name", "category", "place", "source", "reference_date")
IMPORT_CSV = "\r\n".join(
    [
        ";".join(HEADERS),
        "Test-Sprachtreff;Sprachkurs;Weilerbach;Testliste;01.01.2025",
        "Test-Falsch;Zirkus;Weilerbach;Testliste;31.02.2025",
    ]
)

#: Everything a screen shows and says: visible texts, and the labels, titles, placeholders
#: of visible elements, in the page and in every frame; not icon ligatures
#: ("keyboard_arrow_down"), scripts, code (a command to type), or text marked with another
#: language than the page's.
_READ = """(lang) => {
  const out = [];
  const skip = (el) => !el || !!el.closest('script, style, noscript, code, [data-testid="stIconMaterial"]');
  const foreign = (el) => { const l = el.closest('[lang]');
      return !!l && l !== document.documentElement && l.lang.split('-')[0] !== lang; };
  // a table's cells live in a grid drawn on a canvas; its hidden twin for screen readers
  // holds their text
  const seen = (el) => !!el.closest('[data-testid="stDataFrame"] table') ||
      (el.checkVisibility ? el.checkVisibility() : true);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.nodeType === 3 ? n.parentElement : n;
    if (skip(el) || foreign(el) || !seen(el)) continue;
    if (n.nodeType === 3) { const s = n.nodeValue.trim(); if (s) out.push(s); continue; }
    for (const a of ['aria-label', 'title', 'placeholder', 'alt']) {
      const v = n.getAttribute(a); if (v && v.trim()) out.push(v.trim());
    }
  }
  return out;
}"""


#: Tables without a row: Streamlit paints "empty" into them (on the canvas, in English).
_EMPTY_TABLES = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] table[role="grid"]')]
    .filter(t => Number(t.getAttribute('aria-rowcount')) <= 1).length"""


@dataclass
class Screen:
    """What one walk read, by page, and the pages it saw."""

    lang: str
    texts: dict[str, list[str]] = field(default_factory=dict)
    empty_tables: list[str] = field(default_factory=list)

    def read(self, w: Watched, where: str) -> None:
        texts = self.texts.setdefault(where, [])
        empty = w.page.evaluate(_EMPTY_TABLES)  # type: ignore[attr-defined]
        if empty and where not in self.empty_tables:
            self.empty_tables.append(where)
        for frame in w.page.frames:  # type: ignore[attr-defined]
            try:
                texts += frame.evaluate(_READ, self.lang)
            except PlaywrightError:  # a frame navigating away
                continue

    def foreign(self) -> dict[str, dict[str, str]]:
        # what the test typed in as a user, and the file's column names, also as Streamlit
        # reads a label out to a screen reader ("reference\\_date")
        typed = (PROPOSAL_COMMENT, ", ".join(LANGUAGES), "Zirkus", *HEADERS)
        theirs = (*typed, *(h.replace("_", "\\_") for h in HEADERS))
        found = {w: foreign_words(texts, self.lang, theirs) for w, texts in self.texts.items()}
        return {where: words for where, words in found.items() if words}


@pytest.fixture(scope="module")
def walk_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the shipped data with one account per role and a pending proposal."""
    folder = tmp_path_factory.mktemp("languages")
    store = Store(folder / "store.gpkg", REPO / "datasets")
    for role, (name, password, vgs) in ACCOUNTS.items():
        add_user(store.db, name, password, role, vgs)
    vera = Workspace(
        store, User("vera", "vg_editor", (WEILERBACH,)), load_boundaries(get_settings())
    )
    current = store.facility(GRUNDSCHULE_WEILERBACH)
    assert current is not None
    changed = current.model_copy(
        update={"languages": list(LANGUAGES), "last_verified": dt.date(2025, 3, 1)}
    )
    vera.propose_change(changed, current.version, PROPOSAL_COMMENT)
    with running_app(folder, folder / "store.gpkg", folder / "users.json") as url:
        yield url


def _sign_in(w: Watched, role: str, lang: str) -> None:
    name, password, _ = ACCOUNTS[role]
    page = w.page
    heading = "Anmeldung" if lang == "de" else "Sign in"
    page.locator('[data-testid="stExpander"] summary').filter(has_text=heading).first.click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Passwort" if lang == "de" else "Password", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden" if lang == "de" else "Sign in").click()
    signed_in = "Angemeldet als" if lang == "de" else "Signed in as"
    page.get_by_text(f"{signed_in} {name}").first.wait_for(timeout=TIMEOUT)
    settle(w)


def _open_expanders(w: Watched) -> None:
    page = w.page
    closed = page.locator("details:not([open]) > summary")
    for _ in range(closed.count()):
        target = closed.first
        if not target.is_visible():
            break
        details = target.evaluate_handle("(summary) => summary.parentElement")
        target.click()
        page.wait_for_function("(d) => d.open", arg=details, timeout=10_000)
    settle(w)


def _open_lists(w: Watched, screen: Screen, where: str, limit: int = 8) -> None:
    """Open every select box and multiselect (up to ``limit``), read the open list."""
    page = w.page
    boxes = page.locator('[data-testid="stSelectbox"] input, [data-testid="stMultiSelect"] input')
    for i in range(min(boxes.count(), limit)):
        box = boxes.nth(i)
        if not box.is_visible() or not box.is_enabled():
            continue
        box.click()
        try:
            page.locator('[role="listbox"], [role="option"]').first.wait_for(timeout=5_000)
        except PlaywrightError:
            pass
        screen.read(w, where)
        page.keyboard.press("Escape")
    settle(w)


def _hover_toolbars(w: Watched, screen: Screen, where: str, limit: int = 2) -> None:
    """Point at the first tables and at each button of their toolbar (tooltips)."""
    page = w.page
    tables = page.locator('[data-testid="stDataFrame"]')
    for i in range(min(tables.count(), limit)):
        table = tables.nth(i)
        if not table.is_visible():
            continue
        table.scroll_into_view_if_needed()
        table.hover()
        buttons = table.locator('[data-testid="stElementToolbar"] button')
        for j in range(buttons.count()):
            try:
                buttons.nth(j).hover(timeout=5_000)
                page.locator('[data-testid="stTooltipContent"], [role="tooltip"]').first.wait_for(
                    timeout=3_000
                )
            except PlaywrightError:
                continue
            screen.read(w, where)


def _type_into_field(w: Watched, screen: Screen, where: str) -> None:
    """Type into the first text field of the page (its hint: "Press Enter to apply")."""
    page = w.page
    fields = page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input[type="text"]')
    if not fields.count() or not fields.first.is_visible():
        return
    field_ = fields.first
    before = field_.input_value()
    field_.click()
    page.keyboard.type("x")
    page.locator('[data-testid="InputInstructions"]').first.wait_for(timeout=10_000)  # the hint
    screen.read(w, where)
    field_.fill(before)
    page.keyboard.press("Tab")
    settle(w)


def _upload(w: Watched, screen: Screen, where: str, tmp: Path) -> None:
    """On the import page: upload a list and read the preview and its report."""
    page = w.page
    path = tmp / "walk-liste.csv"
    path.write_text(IMPORT_CSV, encoding="utf-8")
    tables = '[data-testid="stMain"] [data-testid="stTable"], [data-testid="stMain"] [data-testid="stDataFrame"]'
    before = page.locator(tables).count()
    page.locator('[data-testid="stMain"] input[type="file"]').first.set_input_files(str(path))
    page.wait_for_function(  # the preview and the problem report of the list
        "([sel, n]) => document.querySelectorAll(sel).length > n",
        arg=[tables, before],
        timeout=TIMEOUT,
    )
    settle(w)
    _open_expanders(w)
    screen.read(w, where)
    calendar = page.locator('[data-testid="stDateInputCalendarButton"]')
    assert calendar.count(), "the import form has a date field"
    calendar.first.scroll_into_view_if_needed()
    calendar.first.click()
    page.locator('[data-testid="stDateInputCalendar"]').first.wait_for(timeout=10_000)
    screen.read(w, where)  # the calendar: month and day names
    page.keyboard.press("Escape")
    _open_lists(w, screen, where)


def _walk(w: Watched, url: str, role: str, lang: str, tmp: Path) -> Screen:
    page = w.page
    screen = Screen(lang)
    page.goto(f"{url}/?lang={lang}")
    page.locator("h1").first.wait_for(timeout=TIMEOUT)
    settle(w)
    if role != "public":
        _sign_in(w, role, lang)
    name, _, vgs = ACCOUNTS.get(role, ("", "", []))
    expected = [PAGES[p][0] for p in pages_for(User(name, role, tuple(vgs)))]
    links = page.locator('[data-testid="stSidebarNav"] a')
    titles = [links.nth(i).inner_text() for i in range(links.count())]
    assert len(titles) == len(expected), (titles, expected)
    # the presentation page shows the slides alone: it comes last
    titles.sort(key=lambda title: title in ("Präsentation", "Presentation"))
    for title in titles:
        more = page.locator('[data-testid="stSidebarNavViewButton"]')
        link = page.locator('[data-testid="stSidebarNav"] a', has_text=title).first
        if more.count() and not link.is_visible():
            more.first.click()
        link.click()
        settle(w)
        page.locator('[data-testid="stMain"] h1').first.wait_for(timeout=TIMEOUT)
        no_exception(w)
        _open_expanders(w)
        screen.read(w, title)
        _open_lists(w, screen, title)
        _hover_toolbars(w, screen, title)
        _type_into_field(w, screen, title)
        if page.locator('[data-testid="stMain"] [data-testid="stFileUploader"]').count() and (
            title in ("Import",)
        ):
            _upload(w, screen, title, tmp)
        no_exception(w)
    assert set(screen.texts) == set(titles)
    assert all(len(texts) > 20 for texts in screen.texts.values()), {
        k: len(v) for k, v in screen.texts.items()
    }
    return screen


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("role", ["public", "vg_editor", "district_editor", "admin"])
def test_every_screen_speaks_one_language(
    watched: Watched, walk_url: str, role: str, lang: str, tmp_path: Path
) -> None:
    screen = _walk(watched, walk_url, role, lang, tmp_path)
    foreign = screen.foreign()
    report = "\n".join(
        f"{where}: {text!r} ({why})"
        for where, found in foreign.items()
        for text, why in found.items()
    )
    assert not foreign, f"{role}, {lang}: words of the other language:\n{report}"
    assert not screen.empty_tables, (
        f"{role}, {lang}: an empty table says 'empty' on {screen.empty_tables}"
    )
    assert watched.errors == [] and watched.external == []
