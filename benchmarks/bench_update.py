"""The map in the running app, in headless chromium: a filter change, and the first view.

**Filter change → map drawn.** Starts the app on a free local port with its own store,
opens the map page, zooms the map away from its start view, then adds and removes a
category filter ``repeat`` times, each time once the page has finished its previous run.
Each change is timed from the key press in the page to the moment the map reports the new
view painted (``data-ia-drawn-at``, a frame after every layer is in the page), and zoom and
centre are compared with those before the change.

**First view.** Starts a fresh app process, waits for its health check (as a proxy or a
person would reach it only then) and times the start page from navigation to the map
painted.

Both work for this app (the map as a Custom Component v2, in the page) and for an earlier
revision (:mod:`benchmarks.reference`, whose map was an iframe), so today's map and the
new one are measured side by side in one run::

    python -m benchmarks.bench_update [--repeat 10] [--first-views 3] [--reference REV]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.reference import REFERENCE_REVISION, reference_tree
from dashboard.config import REPO_ROOT

#: The map's element: in the page (v2 component), else in the v1 component's iframe.
_FIND = """const find = () => { const m = document.querySelector(".ia-map"); if (m) { return m; }
    const f = document.querySelector('iframe[title="dashboard.ui.mapview.ia_map"]');
    return f && f.contentDocument && f.contentDocument.getElementById("map"); };
    const atlas = (m) => m.iaAtlas || m.ownerDocument.defaultView.iaAtlas;"""


@dataclass(frozen=True)
class UpdateTiming:
    """Filter change → drawn: median and all samples (ms), the median share of the map
    itself (from the update's arrival in the map to painted); whether every change kept
    the view; facilities on the map before and after the filter."""

    median_ms: float
    samples: list[float]
    map_ms: float
    view_kept: bool
    counts: tuple[int, int]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(
    store: Path, entry: str = "app.py", source: Path = REPO_ROOT, timeout: float = 300.0
) -> Iterator[str]:
    """The app on a free port with its own store (stopped on exit); its URL.

    Parameters
    ----------
    store
        The store file (created from the shipped data if missing).
    entry
        ``app.py`` (the script) or ``asgi.py`` (the shipped entry: the HTTP guard, the
        first view prepared at start).
    source
        The project folder to run (this one, or a reference revision's).
    timeout
        Seconds to wait for the health check.
    """
    port = _free_port()
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(store), "INTEGRATIONSATLAS_BASEMAP": "none"}
    env["INTEGRATIONSATLAS_USERS"] = str(store.parent / "users.json")
    if source != REPO_ROOT:
        env["PYTHONPATH"] = str(source)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(source / entry), "--server.port",
        str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = (store.parent / f"server-{port}.log").open("w")
    proc = subprocess.Popen(cmd, cwd=source, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer its health check within {timeout} s")
            time.sleep(0.2)  # polling interval, not a blind wait
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


_PAINTED = (
    "([seq, n]) => { "
    + _FIND
    + """ const m = find();
    return !!m && Number(m.getAttribute("data-ia-painted") || 0) > seq &&
        (n === null || m.getAttribute("data-ia-points") === String(n)); }"""
)

_CHANGED = (
    "([seq, n]) => { "
    + _FIND
    + """ const m = find();
    return !!m && Number(m.getAttribute("data-ia-painted") || 0) > seq &&
        m.getAttribute("data-ia-points") !== String(n); }"""
)

_STATE = (
    "() => { "
    + _FIND
    + """ const m = find(), a = atlas(m), c = a.map.getCenter();
    return {seq: Number(m.getAttribute("data-ia-painted") || 0),
            at: Number(m.getAttribute("data-ia-drawn-at")),
            received: Number(m.getAttribute("data-ia-received-at")),
            points: Number(m.getAttribute("data-ia-points")), zoom: a.map.getZoom(),
            lat: c.lat, lng: c.lng}; }"""
)

_ZOOM_AWAY = (
    "() => { "
    + _FIND
    + """ const a = atlas(find()).map;
    a.setView(a.getCenter(), a.getZoom() + 1, {animate: false}); a.panBy([60, -40], {animate: false}); }"""
)


def _browser(p: object) -> object:
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    return p.chromium.launch(  # type: ignore[attr-defined]
        executable_path=exe,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    )


def _offline(page: object, url: str) -> None:
    page.route(  # type: ignore[attr-defined]
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith((url, "data:", "blob:")) else r.abort(),
    )


def _chromium() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return Path(shutil.which("chromium") or "/usr/bin/chromium").exists()


def filter_change_ms(
    repeat: int = 10, store: Path | None = None, source: Path = REPO_ROOT
) -> UpdateTiming | None:
    """Median milliseconds from a filter change to the map drawn, with zoom kept.

    Parameters
    ----------
    repeat
        Changes timed (half add the category filter, half remove it).
    store
        The app's store (default: a new one from the shipped data).
    source
        The project folder to run (this one, or a reference revision's).

    Returns
    -------
    UpdateTiming or None
        ``None`` without Playwright or chromium.
    """
    if not _chromium():
        return None
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        store_path = store or Path(tmp) / "store.gpkg"
        with running_app(store_path, source=source) as url, sync_playwright() as p:
            browser = _browser(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
            _offline(page, url)
            page.goto(url)
            page.wait_for_function(_PAINTED, arg=[0, None], timeout=120_000)
            page.evaluate(_ZOOM_AWAY)
            all_points = page.evaluate(_STATE)["points"]
            page.get_by_text("Filter", exact=True).click()
            box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Kategorie").first
            box.locator("input").click()
            samples: list[float] = []
            in_map: list[float] = []
            kept = True
            kita = None
            for i in range(repeat):
                # a person changes a filter on a page that has finished its last run
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                    timeout=60_000,
                )
                before = page.evaluate(_STATE)
                adding = i % 2 == 0
                if adding:
                    page.keyboard.type("Kita")
                    page.get_by_role("option", name="Kita", exact=True).first.wait_for(
                        timeout=30_000
                    )  # the choice is offered: Enter takes it
                start = page.evaluate("() => performance.timeOrigin + performance.now()")
                page.keyboard.press("Enter" if adding else "Backspace")
                if adding and kita is None:
                    page.wait_for_function(
                        _CHANGED, arg=[before["seq"], all_points], timeout=60_000
                    )
                    kita = page.evaluate(_STATE)["points"]
                else:
                    expected = kita if adding else all_points
                    page.wait_for_function(_PAINTED, arg=[before["seq"], expected], timeout=60_000)
                after = page.evaluate(_STATE)
                samples.append(after["at"] - start)
                in_map.append(after["at"] - after["received"])
                kept = kept and (
                    after["zoom"] == before["zoom"]
                    and abs(after["lat"] - before["lat"]) < 1e-9
                    and abs(after["lng"] - before["lng"]) < 1e-9
                )
            page.unroute_all(behavior="ignoreErrors")
            browser.close()  # type: ignore[attr-defined]
    return UpdateTiming(
        statistics.median(samples),
        samples,
        statistics.median(in_map),
        kept,
        (all_points, kita or 0),
    )


def first_view_ms(
    repeat: int = 3, entry: str = "asgi.py", source: Path = REPO_ROOT
) -> list[float] | None:
    """Milliseconds from opening the start page of a fresh app process to its map painted,
    once per fresh process (each on a new store from the shipped data).

    Parameters
    ----------
    repeat
        Fresh processes started.
    entry
        ``asgi.py`` (the shipped entry, which prepares the first view at start) or
        ``app.py`` (the script alone: the first request prepares it).
    source
        The project folder to run.

    Returns
    -------
    list of float or None
        One time per process; ``None`` without Playwright or chromium.
    """
    if not _chromium():
        return None
    from playwright.sync_api import sync_playwright

    out = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            with running_app(Path(tmp) / "store.gpkg", entry, source) as url:
                with sync_playwright() as p:
                    browser = _browser(p)
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
                    _offline(page, url)
                    page.goto(url, wait_until="commit")
                    page.wait_for_function(_PAINTED, arg=[0, None], timeout=180_000)
                    drawn = page.evaluate(_STATE)["at"]
                    opened = page.evaluate("() => performance.timeOrigin")
                    out.append(drawn - opened)
                    browser.close()  # type: ignore[attr-defined]
    return out


def update_rows(repeat: int = 10, first_views: int = 3, reference: str | None = None) -> list[str]:
    """Markdown rows: filter change and first view, this app and (``reference``: a git
    revision) the earlier one, in this run."""
    runs: list[tuple[str, Path]] = [("this revision (Custom Component v2)", REPO_ROOT)]
    rows = [
        "| map page in the running app (chromium) | filter change → drawn, median (ms) "
        "| min – max (ms) | of which in the map (ms) | zoom and centre kept "
        "| first view of a fresh process, median (ms) | first views (ms) |",
        "|---|---:|---:|---:|---|---:|---|",
    ]
    with reference_tree(reference) if reference else _nothing() as tree:
        if tree is not None:
            runs.append((f"reference {reference} (today's component, iframe)", tree))
        for label, source in runs:
            timing = filter_change_ms(repeat, source=source)
            first = first_view_ms(first_views, "asgi.py", source)
            if timing is None or first is None:
                return ["map in the running app: skipped (no chromium or Playwright)"]
            rows.append(
                f"| {label} | {timing.median_ms:,.0f} | {min(timing.samples):,.0f} – "
                f"{max(timing.samples):,.0f} | {timing.map_ms:,.0f} "
                f"| {'yes' if timing.view_kept else 'NO'} | {statistics.median(first):,.0f} "
                f"| {', '.join(f'{x:,.0f}' for x in first)} |"
            )
        unprepared = first_view_ms(first_views, "app.py", REPO_ROOT) or []
        if unprepared:
            rows.append(
                f"| this revision, `app.py` alone (nothing prepared at start) | | | | "
                f"| {statistics.median(unprepared):,.0f} | "
                f"{', '.join(f'{x:,.0f}' for x in unprepared)} |"
            )
    return rows


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def main(argv: list[str] | None = None) -> None:
    """``python -m benchmarks.bench_update``: print the Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="filter changes timed")
    parser.add_argument("--first-views", type=int, default=3, help="fresh processes timed")
    parser.add_argument(
        "--reference", default=REFERENCE_REVISION, help="git revision measured beside (today's map)"
    )
    parser.add_argument("--no-reference", action="store_true", help="this revision only")
    args = parser.parse_args(argv)
    reference = None if args.no_reference else args.reference
    print("\n".join(update_rows(args.repeat, args.first_views, reference)))


if __name__ == "__main__":
    main()
