"""Benchmark of the public offer finder: build time, bytes, first visit in a browser.

``python -m benchmarks.bench_finder [--repeat N] [--no-browser]`` (or ``make bench-finder``)
prints one table: for the district with the shipped data and with 1,000 synthetic
facilities added (:mod:`benchmarks.synthetic`, for measuring only), the time to build the
site (median of warm runs), the bytes of all its files, the same compressed with gzip
(what a web server that compresses sends), and, in headless chromium with the files
served by a plain file server, the bytes a first visit transfers (the service worker's
copy included), the time until the finder is ready and the time from "search" to the
list of "Deutsch lernen near Landstuhl". For reference: the map library the planners'
map loads (Leaflet 1.9.3 from XStatic, JS and CSS), which the finder does not need.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import statistics
import tempfile
import time
from pathlib import Path

from dashboard.config import get_settings
from dashboard.data.store import Change, Store
from dashboard.domain.model import Category, Facility
from dashboard.services import finder
from dashboard.services.context import load_boundaries


def _synthetic_store(path: Path, n: int) -> Path:
    """A store of the shipped data plus ``n`` synthetic facilities (benchmark only)."""
    from benchmarks.synthetic import SYNTHETIC_PREFIX, random_points_in

    settings = get_settings()
    store = Store(path, settings.datasets_dir)
    if n:
        points = random_points_in(load_boundaries(settings).areas.gemeinden, n, seed=1)
        cats: list[Category] = [
            "Sprachkurs", "Kita", "Schule", "Beratungsstelle", "Verein", "Gesundheit", "Religion",
        ]  # fmt: skip
        facilities = [
            Facility(
                id=f"syn-{i:06d}", name=f"{SYNTHETIC_PREFIX} {i:05d}", category=cats[i % len(cats)],
                lat=round(float(row.lat), 7), lon=round(float(row.lon), 7),
                precision="exact" if i % 5 else "gemeinde", languages=["Deutsch", "Arabisch"][: 1 + i % 2],
                street=f"Teststraße {i % 120}", contact=f"Tel. 06371 {100000 + i}",
                source="Synthetische Testliste (Benchmark)", reference_date="2025-03-01",
            )
            for i, row in enumerate(points.itertuples(index=False))
        ]  # fmt: skip
        store.apply([Change(f) for f in facilities], "benchmark", "synthetische Daten")
    return path


class FileServer:
    """A plain file server on a free local port that counts the bytes it sends."""

    def __init__(self, folder: Path) -> None:
        import functools
        import threading
        from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

        sent: list[tuple[str, int]] = []
        self.sent = sent

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

            def send_header(self, keyword: str, value: str) -> None:
                if keyword.lower() == "content-length":
                    sent.append((self.path, int(value)))
                super().send_header(keyword, value)

        self._httpd = ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
        )
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}/"
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Shut down: from now on nothing answers at this address."""
        self._httpd.shutdown()
        self._httpd.server_close()


def _browser_visit(folder: Path) -> tuple[int, float, float]:
    """Bytes a first visit transfers, ms until ready, ms from search to the list."""
    import shutil

    from playwright.sync_api import sync_playwright

    server = FileServer(folder)
    try:
        with sync_playwright() as p:
            exe = shutil.which("chromium") or "/usr/bin/chromium"
            browser = p.chromium.launch(executable_path=exe, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            start = time.perf_counter()
            page.goto(server.url + "index.html?lang=de")
            page.wait_for_selector("html[data-ready]")
            ready_ms = (time.perf_counter() - start) * 1000
            page.wait_for_selector("html[data-offline-ready]")
            sent = sum(n for _, n in server.sent)
            page.locator("#need-sprache").check()
            page.locator("#place").fill("Landstuhl")
            start = time.perf_counter()
            page.locator("button[type=submit]").click()
            page.locator("ol.results > li").first.wait_for()
            answer_ms = (time.perf_counter() - start) * 1000
            browser.close()
    finally:
        server.stop()
    return sent, ready_ms, answer_ms


def _leaflet_bytes() -> int:
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    return sum((base / n).stat().st_size for n in ("leaflet.js", "leaflet.css"))


def run(repeat: int = 5, browser: bool = True) -> str:
    """Measure and return the Markdown table."""
    rows = [
        "| case | build, median (s) | files (bytes) | gzip (bytes) | first visit, plain server (bytes) | ready (ms) | answer (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for label, n in (
            ("district, shipped data", 0),
            ("district + 1,000 synthetic facilities", 1000),
        ):
            store = _synthetic_store(Path(tmp) / f"store{n}.gpkg", n)
            settings = dataclasses.replace(get_settings(), store_path=store)
            folder = Path(tmp) / f"site{n}"
            finder.publish(folder, settings)  # warm
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                info = finder.publish(folder, settings)
                times.append(time.perf_counter() - start)
            zipped = sum(len(gzip.compress((folder / f).read_bytes(), 6)) for f in info.files)
            sent, ready_ms, answer_ms = _browser_visit(folder) if browser else (0, 0.0, 0.0)
            rows.append(
                f"| {label} ({info.meta.get('offers')} offers) | {statistics.median(times):.2f} "
                f"| {info.total_bytes:,} | {zipped:,} | {sent:,} | {ready_ms:.0f} | {answer_ms:.0f} |"
            )
    rows.append(
        f"| reference: Leaflet 1.9.3 JS + CSS alone (XStatic) | | {_leaflet_bytes():,} | | | | |"
    )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    print(run(args.repeat, not args.no_browser))


if __name__ == "__main__":
    main()
