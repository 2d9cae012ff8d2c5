"""Benchmark: moving to the next view of the presentation, in headless chromium.

Starts the app on the shipped data (its own temporary store), opens the presentation with
the default sequence (the district and each VG) at 1920 x 1080, lets it prepare its views,
then steps forward and back with the arrow keys. A step is timed in the page, from the
key press until the new view's position is shown and its map image is loaded. The plain
alternative is what the links did before: loading the page for the next view.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_update import running_app

#: The view ``j`` (1-based) of ``n`` is shown and its map image is loaded.
_SHOWN = """([j, n, old]) => {
    const pos = document.querySelector('.ia-pres-pos');
    const img = document.querySelector('[data-testid="stImage"] img');
    return !!pos && pos.innerText.includes(`${j} `) && pos.innerText.includes(` ${n}`) &&
        !!img && img.getAttribute('src') !== old && img.complete && img.naturalWidth > 0;
}"""
_IDLE = "() => document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'"


@dataclass(frozen=True)
class StepTimes:
    """Milliseconds: the first view of a fresh server, all views prepared, one step in the
    show (median), one step by loading the page (median), and the number of steps."""

    first_view_ms: float
    prepared_ms: float
    step_ms: float
    reload_ms: float
    steps: int


def measure_steps(rounds: int = 3) -> StepTimes | None:
    """Time the presentation's steps; ``None`` without Playwright or chromium.

    Parameters
    ----------
    rounds
        Passes through the sequence, forward and back.
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    exe = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).exists():
        return None
    with (
        tempfile.TemporaryDirectory(prefix="bench-pres-") as tmp,
        running_app(Path(tmp) / "bench.gpkg") as url,
    ):
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=exe,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.route(
                "http*://**/*",
                lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort(),
            )
            page.goto(f"{url}/praesentation", wait_until="commit")
            page.wait_for_function(_SHOWN, arg=[1, 7, None], polling="raf", timeout=300_000)
            first = float(page.evaluate("performance.now()"))
            page.wait_for_function(_IDLE, polling=100, timeout=300_000)
            prepared = float(page.evaluate("performance.now()"))
            n = 7
            steps: list[float] = []
            order = [*range(2, n + 1), *range(n - 1, 0, -1)] * rounds
            position = 1
            for j in order:
                old = page.locator('[data-testid="stImage"] img').first.get_attribute("src")
                start = float(page.evaluate("performance.now()"))
                page.keyboard.press("ArrowRight" if j > position else "ArrowLeft")
                page.wait_for_function(_SHOWN, arg=[j, n, old], polling="raf", timeout=60_000)
                steps.append(float(page.evaluate("performance.now()")) - start)
                position = j
                page.wait_for_function(_IDLE, polling=50, timeout=60_000)
            link = page.url.split("&i=")[0]
            reloads: list[float] = []
            for j in range(1, n + 1):  # the plain alternative: a page load per view
                page.goto(f"{link}&i={j - 1}", wait_until="commit")
                page.wait_for_function(_SHOWN, arg=[j, n, None], polling="raf", timeout=60_000)
                reloads.append(float(page.evaluate("performance.now()")))
            browser.close()
    return StepTimes(
        first, prepared, statistics.median(steps), statistics.median(reloads), len(steps)
    )


def presentation_rows(rounds: int = 3) -> list[str]:
    """Markdown table rows of :func:`measure_steps` (empty without a browser)."""
    r = measure_steps(rounds)
    if r is None:
        return []
    return [
        "| presentation (default sequence: district + 6 VGs, 1920 x 1080) | ours | plain |",
        "|---|---:|---:|",
        f"| next/previous view, median of {r.steps} steps (ms) | {r.step_ms:,.0f} | "
        f"{r.reload_ms:,.0f} (page load per view) |",
        f"| first view of a fresh server / all views prepared (ms) | {r.first_view_ms:,.0f} / "
        f"{r.prepared_ms:,.0f} | – |",
    ]
