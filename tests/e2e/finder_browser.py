"""Helpers for the finder's browser tests: a plain static web server, a phone, axe-core.

The finder is published as a folder (``python -m dashboard finder --out DIR``) and served
here by the standard library's file server, as any web server would: no application
code answers its requests. The server counts the bytes it sends, so a test can state
what a first visit transfers.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from axe_playwright_python.sync_playwright import Axe

from benchmarks.bench_finder import FileServer
from tests.e2e.conftest import LOCAL_HOSTS

#: The phone of the acceptance criteria (CSS pixels).
PHONE = {"width": 390, "height": 844}
#: WCAG 2.1 levels A and AA (axe-core tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


#: A plain file server that counts the bytes it sends (shared with the benchmark).
StaticServer = FileServer


@contextmanager
def serving(folder: Path) -> Iterator[StaticServer]:
    server = StaticServer(folder)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Phone:
    """A page in a phone-sized browser context, with what it tried and what went wrong."""

    context: object
    page: object
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def open_phone(browser: object, viewport: dict[str, int] | None = None, **options: object) -> Phone:
    """A new browser context sized like a phone; requests to other hosts are blocked."""
    context = browser.new_context(viewport=viewport or PHONE, locale="de-DE", **options)
    page = context.new_page()
    phone = Phone(context, page)

    def route(r: object) -> None:
        url = r.request.url
        phone.requests.append(url)
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            phone.external.append(url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda exc: phone.errors.append(str(exc)))
    page.on("console", lambda m: phone.errors.append(m.text) if m.type == "error" else None)
    return phone


def assert_accessible(page: object, where: str) -> None:
    """axe-core (run in the page, served from the installed package) finds no violation of
    WCAG 2.1 A/AA."""
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{where}: {results.generate_report()}"


def ready(page: object) -> None:
    page.wait_for_selector("html[data-ready]", timeout=30_000)
