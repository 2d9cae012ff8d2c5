"""Hostile input in a real browser: what an editor and a visitor see.

* an XLSX dimension bomb is refused on the import page with a message in the user's
  language naming the limit and the value found (no traceback, no server path);
* formula, Markdown and HTML payloads come back in the validation report as text;
* a crafted link (``/?k=8``) shows the map with a note instead of an error;
* nothing the app sends to a browser (the websocket messages of every public page) holds
  a path of the server's disk (the store, the accounts, the repository, temporary files).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import Watched, sign_in
from tests.hostile import corpus

pytestmark = pytest.mark.e2e


def _idle(page: object) -> None:
    """Wait until the script run has finished (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _no_error_shown(page: object) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.locator("body").inner_text()


def test_editor_sees_limits_and_payloads_as_text(
    watched: Watched, app_url: str, tmp_path: Path
) -> None:
    page = watched.page
    sign_in(page, app_url)
    page.get_by_role("link", name="Import").click()
    page.get_by_role("heading", name="Listen importieren").first.wait_for(timeout=60_000)
    page.get_by_text("English", exact=True).click()  # the same session, now in English
    page.get_by_role("heading", name="Import lists").first.wait_for(timeout=60_000)
    _idle(page)  # the uploader of the English run is drawn (a file set before could be lost)

    bomb = corpus.dimension_bomb(tmp_path / "bombe.xlsx")
    page.locator('input[type="file"]').set_input_files(str(bomb))
    alert = page.get_by_text(re.compile(r"bombe\.xlsx: sheet .Einrichtungen. declares the range"))
    alert.wait_for(timeout=120_000)
    text = alert.inner_text()
    assert "A1:XFD1048576" in text and "16,384 columns" in text and "at most 50,000" in text
    assert tempfile.gettempdir() not in text and "upload" not in text
    _no_error_shown(page)
    _idle(page)

    payloads = corpus.payload_csv(tmp_path / "payloads.csv")
    page.locator('input[type="file"]').set_input_files(str(payloads))
    page.get_by_text("Validation report", exact=True).wait_for(timeout=120_000)
    report = page.locator('[data-testid="stTable"]').first
    # a word joiner (invisible) keeps "http://" from becoming a link: not part of the text
    shown = report.inner_text(timeout=30_000).replace("\u2060", "")
    for value in (corpus.FORMULA, corpus.MARKDOWN, corpus.HTML):
        assert value in shown, (value, shown)  # literally, as text
    assert "unknown category" in shown and "line 3" in shown  # the report in English
    assert report.locator("img, script, a, strong").count() == 0
    assert page.locator('img[src="x"]').count() == 0
    _no_error_shown(page)
    assert watched.errors == [] and watched.external == []


def test_a_crafted_link_shows_the_map_with_a_note(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/?k=8&cls=natural_breaks&br=1~nan~inf&q=%3Cscript%3E")
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=60_000)
    note = page.get_by_text(re.compile(r"Aus dem Link nicht übernommen.*k=8"))
    note.wait_for(timeout=60_000)
    assert "br=nan" in note.inner_text()
    _no_error_shown(page)
    assert watched.errors == [] and watched.external == []


def test_no_server_path_reaches_the_browser(watched: Watched, app_url: str) -> None:
    page = watched.page
    frames: list[str] = []

    def on_socket(ws: object) -> None:
        ws.on("framereceived", lambda payload: frames.append(_text(payload)))

    page.on("websocket", on_socket)
    paths = {str(REPO), tempfile.gettempdir() + "/", str(Path.home()) + "/"}
    for slug, heading in (
        ("", "Karte: Angebote und Bedarf"),
        ("bestand", "Datenbestand"),
        ("daten", "Daten & Quellen"),
        ("versorgung", "Versorgungsanalyse"),
    ):
        page.goto(f"{app_url}/{slug}")
        page.get_by_role("heading", name=re.compile(re.escape(heading))).first.wait_for(
            timeout=60_000
        )
        page.wait_for_load_state("networkidle")
    assert len(frames) > 10 and sum(len(f) for f in frames) > 100_000  # the pages were sent
    # Streamlit's own session message names the entry script (``main_script_path``); it is
    # the framework's protocol, not shown on any page (README: "Files and paths").
    script = str(REPO / "app.py")
    for frame in frames:
        frame = frame.replace(script, "")
        for path in paths:
            assert path not in frame, (path, frame[max(0, frame.find(path) - 80) :][:200])
    assert watched.errors == [] and watched.external == []


def _text(payload: object) -> str:
    if isinstance(payload, bytes):
        return payload.decode("utf-8", errors="replace")
    return str(payload)
