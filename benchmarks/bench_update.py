"""Filter change → map drawn, in the running app, in headless chromium.

Starts ``streamlit run app.py`` on a free local port with its own store, opens the map
page, zooms the map away from its start view, then adds and removes a category filter
``repeat`` times, each time once the page has finished its previous run. Each change is
timed from the key press in the page to the moment the map component reports the new
view painted (``data-ia-drawn-at``, a frame after every layer is in the page), and zoom
and centre are compared with those before the change.
"""

from __future__ import annotations

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

from dashboard.config import REPO_ROOT

#: The map's element (a Streamlit Custom Component v2, in the page itself).
FRAME = ".ia-map"


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
def running_app(store: Path) -> Iterator[str]:
    """The app on a free port with its own store (stopped on exit); its URL."""
    port = _free_port()
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(store), "INTEGRATIONSATLAS_BASEMAP": "none"}
    env["INTEGRATIONSATLAS_USERS"] = str(store.parent / "users.json")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "app.py"), "--server.port",
        str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    log = (store.parent / "server.log").open("w")
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
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
                raise RuntimeError("the app did not answer its health check within 120 s")
            time.sleep(0.2)  # polling interval, not a blind wait
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


_DRAWN = """([sel, seq, n]) => {
    const m = document.querySelector(sel);
    return !!m && Number(m.getAttribute("data-ia-painted") || 0) > seq &&
        m.getAttribute("data-ia-points") === String(n);
}"""

_STATE = """(sel) => {
    const m = document.querySelector(sel), w = {iaAtlas: m.iaAtlas};
    const c = w.iaAtlas.map.getCenter();
    return {seq: Number(m.getAttribute("data-ia-painted") || 0), at: Number(m.getAttribute("data-ia-drawn-at")),
            received: Number(m.getAttribute("data-ia-received-at")),
            points: Number(m.getAttribute("data-ia-points")), zoom: w.iaAtlas.map.getZoom(),
            lat: c.lat, lng: c.lng};
}"""


def filter_change_ms(repeat: int = 10, store: Path | None = None) -> UpdateTiming | None:
    """Median milliseconds from a filter change to the map drawn, with zoom kept.

    Parameters
    ----------
    repeat
        Changes timed (half add the category filter, half remove it).
    store
        The app's store (default: a new one from the shipped data).

    Returns
    -------
    UpdateTiming or None
        ``None`` without Playwright or chromium.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        return None
    with tempfile.TemporaryDirectory() as tmp:
        store_path = store or Path(tmp) / "store.gpkg"
        with running_app(store_path) as url, sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=exe,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route(
                "**/*",
                lambda r: (
                    r.continue_()
                    if r.request.url.startswith((url, "data:", "blob:"))
                    else r.abort()
                ),
            )
            page.goto(url)
            page.wait_for_function(
                _DRAWN.replace("m.getAttribute(\"data-ia-points\") === String(n)", "true"),
                arg=[FRAME, 0, 0], timeout=120_000,
            )  # fmt: skip
            page.locator(FRAME).evaluate(
                "m => { const a = m.iaAtlas.map; a.setView(a.getCenter(), a.getZoom() + 1,"
                " {animate: false}); a.panBy([60, -40], {animate: false}); }"
            )
            all_points = page.evaluate(_STATE, FRAME)["points"]
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
                before = page.evaluate(_STATE, FRAME)
                adding = i % 2 == 0
                if adding:
                    page.keyboard.type("Kita")
                    page.get_by_role("option", name="Kita", exact=True).first.wait_for(
                        timeout=30_000
                    )  # the choice is offered: Enter takes it
                start = page.evaluate("() => performance.timeOrigin + performance.now()")
                page.keyboard.press("Enter" if adding else "Backspace")
                expected = kita if adding and kita is not None else all_points
                if adding and kita is None:
                    page.wait_for_function(
                        """([sel, seq, n]) => { const m = document.querySelector(sel);
                        return !!m && Number(m.getAttribute("data-ia-painted")) > seq &&
                            m.getAttribute("data-ia-points") !== String(n); }""",
                        arg=[FRAME, before["seq"], all_points], timeout=60_000,
                    )  # fmt: skip
                    kita = page.evaluate(_STATE, FRAME)["points"]
                    expected = kita
                else:
                    page.wait_for_function(
                        _DRAWN, arg=[FRAME, before["seq"], expected], timeout=60_000
                    )
                after = page.evaluate(_STATE, FRAME)
                samples.append(after["at"] - start)
                in_map.append(after["at"] - after["received"])
                kept = kept and (
                    after["zoom"] == before["zoom"]
                    and abs(after["lat"] - before["lat"]) < 1e-9
                    and abs(after["lng"] - before["lng"]) < 1e-9
                )
            page.unroute_all(behavior="ignoreErrors")
            browser.close()
    return UpdateTiming(
        statistics.median(samples),
        samples,
        statistics.median(in_map),
        kept,
        (all_points, kita or 0),
    )
