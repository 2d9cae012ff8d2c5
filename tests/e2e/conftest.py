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
    folder: Path, store: Path, users: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """``streamlit run app.py`` on a free port with its own store and user file (and
    ``extra_env``, e.g. the test hooks); the URL."""
    port = _free_port()
    env = {
        **os.environ,
        "INTEGRATIONSATLAS_BASEMAP": "none",
        "INTEGRATIONSATLAS_STORE": str(store),
        "INTEGRATIONSATLAS_USERS": str(users),
        **(extra_env or {}),
    }
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port",
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
    users = folder / "users.json"
    add_user(users, *EDITOR, role="district_editor")
    with running_app(folder, folder / "store.gpkg", users) as url:
        yield url


def sign_in(page: object, url: str, name: str = EDITOR[0], password: str = EDITOR[1]) -> None:
    """Sign in through the sidebar form.

    The session lives in the browser tab's connection: a later ``page.goto`` starts a new,
    signed-out session, so move on by clicking the navigation links.
    """
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=60_000)
    page.get_by_text("Anmeldung", exact=True).click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet als {name}").wait_for(timeout=60_000)


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


@pytest.fixture
def watched(browser: object) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    w = Watched(page)

    def route(r: object) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            w.external.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: w.errors.append(str(exc)))
    page.on("dialog", lambda d: (w.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield w
    context.close()


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
    users = folder / "users.json"
    for name, (password, role, vgs) in JOURNEY_USERS.items():
        add_user(users, name, password, role, vgs)
    hooks = {"INTEGRATIONSATLAS_TEST_HOOKS": "1"}
    with running_app(folder, folder / "store.gpkg", users, hooks) as url:
        yield JourneyServer(url, folder / "server.log")


@pytest.fixture(scope="session")
def journey_url(journey_server: JourneyServer) -> str:
    """The URL of :func:`journey_server`."""
    return journey_server.url


@pytest.fixture
def phone(browser: object) -> Iterator[Watched]:
    """A page at 390 x 844 (a phone), watched like :func:`watched`."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    w = Watched(page)

    def route(r: object) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            w.external.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: w.errors.append(str(exc)))
    page.on("dialog", lambda d: (w.errors.append(f"dialog: {d.message}"), d.dismiss()))
    yield w
    context.close()
