"""Real-browser fixtures: the app on a free local port, Debian's chromium via Playwright.

Every request to a host other than the app is blocked and recorded, so a test can
assert that a page works offline and never tried to leave the machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.data.store import Store
from dashboard.data.users import add_user
from tests.conftest import REPO

#: A Kreis-Redaktion account in the test server's user file (the import page needs it).
EDITOR = ("e2e-kreis", "e2e-kreis-passwort")

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)  # polling interval, not a blind wait
    raise RuntimeError(f"{url}/_stcore/health did not answer ok within {timeout:.0f} s")


@contextmanager
def running_app(
    folder: Path,
    store: Path,
    users: Path,
    env: dict[str, str] | None = None,
    script: str = "app.py",
) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with its own store; the URL.

    Accounts live in the store (``add_user(Store(store, ...).db, ...)`` before the start);
    ``users`` is where a legacy JSON user file would be imported from once. ``env`` adds
    environment variables (e.g. ``INTEGRATIONSATLAS_DISTRICT`` for another district).
    ``script="asgi.py"`` serves the app behind its HTTP guard, as ``make run`` does.
    """
    port = _free_port()
    env = {
        **os.environ,
        "INTEGRATIONSATLAS_BASEMAP": "none",
        "INTEGRATIONSATLAS_STORE": str(store),
        "INTEGRATIONSATLAS_USERS": str(users),
        **(env or {}),
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO / script), "--server.port",
        str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    with (folder / "server.log").open("w") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the shipped data (own store, one Kreis-Redaktion account)."""
    folder = tmp_path_factory.mktemp("streamlit")
    store = folder / "store.gpkg"
    add_user(Store(store, REPO / "datasets").db, *EDITOR, role="district_editor")
    with running_app(folder, store, folder / "users.json") as url:
        yield url


def sign_in(page: object, url: str, name: str = EDITOR[0], password: str = EDITOR[1]) -> None:
    """Sign in through the sidebar form.

    The session lives in the browser tab's connection: a later ``page.goto`` starts a new,
    signed-out session, so move on by clicking the navigation links.
    """
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    submit_sign_in(page, name, password)


def submit_sign_in(page: object, name: str, password: str) -> None:
    """Fill and send the sidebar's sign-in form once the page's first run is over, as a
    person does after the page has loaded; if a rerun of the page replaced the form while
    it was filled (the typed values are then gone), fill it again."""
    from playwright.sync_api import Error as PlaywrightError

    idle = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    for attempt in range(3):
        page.wait_for_selector(idle, timeout=120_000)  # type: ignore[attr-defined]
        field = page.get_by_label("Name", exact=True)  # type: ignore[attr-defined]
        if not field.is_visible():
            page.get_by_text("Anmeldung", exact=True).click()  # type: ignore[attr-defined]
        field.fill(name)
        page.get_by_label("Passwort", exact=True).fill(password)  # type: ignore[attr-defined]
        page.get_by_role("button", name="Anmelden").click()  # type: ignore[attr-defined]
        try:
            page.get_by_text(f"Angemeldet als {name}").wait_for(timeout=45_000)  # type: ignore[attr-defined]
            return
        except PlaywrightError:
            if attempt == 2:
                raise


def chromium_path() -> str:
    """Debian's chromium (``make test`` installs it); Playwright's own download is not used."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "chromium not found: run `make test` (installs Debian's chromium) or set CHROMIUM"
        )
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Watched:
    """A page plus what it tried: external requests (blocked) and page errors."""

    page: object
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


@contextmanager
def watched_page(browser: object, **options: object) -> Iterator[Watched]:
    """A page in a new browser context (``options`` as Playwright's ``new_context``): every
    request to another host is blocked and counted, page errors and dialogs recorded."""
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    page = context.new_page()
    w = Watched(page)

    def route(r: object) -> None:
        url = r.request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()  # type: ignore[attr-defined]
        else:
            w.external.append(url)
            r.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    page.on("pageerror", lambda exc: w.errors.append(str(exc)))
    page.on("dialog", lambda d: (w.errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        yield w
    finally:
        context.close()


@pytest.fixture
def watched(browser: object) -> Iterator[Watched]:
    """A desktop page at 1400 x 1000, watched (:func:`watched_page`)."""
    with watched_page(browser, viewport={"width": 1400, "height": 1000}) as w:
        yield w


#: The interactive map (:mod:`dashboard.ui.mapview`): one element per map, in the page itself
#: (a Streamlit Custom Component v2, no iframe); its Leaflet map is ``element.iaAtlas.map``.
MAP = ".ia-map"
#: Streamlit's element of a Custom Component v2 (in the page as soon as the page has it).
COMPONENT_HOST = '[data-testid="stBidiComponentRegular"]'

_MAP_CONTENTS = """(sel) => [...document.querySelectorAll(sel)].map(m => {
    const a = m.iaAtlas, F = a && a.facilities, out = [];
    if (!a) { return ""; }
    const A = a.areaData || {}, strings = a.codec.strings;
    for (const kind of Object.keys(A)) {  // the areas' tooltips and names
        const cols = [...A[kind].cols, A[kind].names];
        for (const c of cols) { out.push(strings(c, A[kind].n).join("|")); }
    }
    if (!F) { return out.join("\\n"); }
    const cols = ["name", "id", "address", "operator", "source", "date", "languages",
                  "target_groups", "hf", "precision"];
    for (let i = 0; i < F.n; i++) {
        out.push([F.lat[i].toFixed(5), F.lng[i].toFixed(5), ...cols.map(c => F.text(i, c))].join("|"));
    }
    return out.join("\\n");
}).filter(t => t).join("\\n")"""


def map_contents(page: object) -> str:
    """Everything the maps of a page hold, decoded: the areas' tooltip texts and names, then
    every offer (position at 5 decimals, name, id, texts), one line each, whether drawn or
    filtered out. The data travels encoded (front-coded texts, delta-coded positions), so
    checks of what reached the browser look here as well as at the raw bytes."""
    page.wait_for_function(  # type: ignore[attr-defined]
        """([host, sel]) => [...document.querySelectorAll(host)].every(h => {
            const m = h.querySelector(sel); return !!m && m.hasAttribute('data-ia-drawn'); })""",
        arg=[COMPONENT_HOST, MAP],
        timeout=60_000,
    )
    return str(page.evaluate(_MAP_CONTENTS, MAP))  # type: ignore[attr-defined]


def record_map_data(page: object) -> list[bytes]:
    """Record the body of every map data file the page loads from now on."""
    bodies: list[bytes] = []

    def on_response(response: object) -> None:
        if "/app/static/atlas/data/" in response.url and response.url.endswith(".json"):  # type: ignore[attr-defined]
            try:
                bodies.append(response.body())  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - a response the page no longer holds
                return

    page.on("response", on_response)  # type: ignore[attr-defined]
    return bodies


#: Accounts of the journey server: a VG-Redaktion for Weilerbach and a Kreis-Redaktion.
JOURNEY_USERS = {
    "anna": ("anna-passwort-1", "vg_editor", ["073355009"]),
    "bernd": ("bernd-passwort-1", "district_editor", []),
}


@dataclass(frozen=True)
class JourneyServer:
    """The journey server: its URL and its log (where error details go)."""

    url: str
    log: Path


@pytest.fixture(scope="session")
def journey_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JourneyServer]:
    """The app for the users' journeys: the shipped data in its own store, the accounts of
    :data:`JOURNEY_USERS`, and the test hooks on (``?test_error=1`` raises on purpose)."""
    folder = tmp_path_factory.mktemp("journeys")
    store = folder / "store.gpkg"
    db = Store(store, REPO / "datasets").db
    for name, (password, role, vgs) in JOURNEY_USERS.items():
        add_user(db, name, password, role, vgs)
    hooks = {"INTEGRATIONSATLAS_TEST_HOOKS": "1"}
    with running_app(folder, store, folder / "users.json", hooks) as url:
        yield JourneyServer(url, folder / "server.log")


@pytest.fixture(scope="session")
def journey_url(journey_server: JourneyServer) -> str:
    """The URL of :func:`journey_server`."""
    return journey_server.url


@pytest.fixture
def phone(browser: object) -> Iterator[Watched]:
    """A page at 390 x 844 (a phone), watched like :func:`watched`."""
    with watched_page(
        browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ) as w:
        yield w
