"""One way in, one truth, walked in a real browser.

* Offers of the sensitive category "Unterkunft" carry a marker string in their name, note,
  languages and target groups, and in the comment of their history entry. Signed out, the
  marker reaches nothing: no page (map, search, inventory, analysis, sources,
  presentation), no websocket frame, no download, no PDF made through the pages. Signed
  in as the Kreis-Redaktion, the same checks find it (so the checks can fail).
* An offer imported with the command line while the server runs is in the next Steckbrief.
* Landstuhl's population is one number in the map tooltip, the VG view, the Steckbrief and
  the presentation.
* Text from the URL stays text: no image is fetched, the literal text is shown.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pypdf import PdfReader

from dashboard.data.projects import ProjectLedger
from dashboard.data.store import Change, Store
from dashboard.data.users import add_user
from dashboard.domain.model import Facility
from dashboard.domain.projects import ProjectRecord
from tests.conftest import REPO
from tests.e2e.conftest import Watched, map_contents, record_map_data, running_app

pytestmark = pytest.mark.e2e

MARKER = "Zq7Marker"
WEILERBACH, LANDSTUHL = "073355009", "073355011"
BERND = ("bernd", "bernd-passwort-1")
MAP_HEADING = "Karte: Angebote und Bedarf"


def _shelter(i: int, place: str, lat: float, lon: float) -> Facility:
    return Facility(
        id=f"e2e-uk-{i}",
        name=f"Gemeinschaftsunterkunft {MARKER} {i}",
        category="Unterkunft",
        street=f"{MARKER}weg {i}",
        place=place,
        lat=lat,
        lon=lon,
        precision="exact",
        capacity=40,
        languages=[f"{MARKER}-Sprache"],
        target_groups=[f"{MARKER}-Gruppe"],
        note=f"40 Plätze {MARKER}",
        source="E2E-Testdaten",
        reference_date=dt.date(2025, 1, 1),
    )


SHELTERS = [
    _shelter(1, "Weilerbach", 49.4786, 7.6336),
    _shelter(2, "Weilerbach", 49.4801, 7.6412),
    _shelter(3, "Landstuhl", 49.4128, 7.5705),
]
#: A running project open to residents, placed in Weilerbach, at a point and (never for
#: the public) at a shelter; its internal note and the account in its status history carry
#: the marker.
PROJECT_TITLE = "Begegnungscafé E2E-Projekt"
PROJECT = ProjectRecord(
    id="e2e-projekt",
    title=PROJECT_TITLE,
    handlungsfelder=["sprache"],
    places=[
        {"kind": "gemeinde", "ref": "07335049"},
        {"kind": "offer", "ref": "e2e-uk-1"},
        {"kind": "point", "lat": 49.4790, "lon": 7.6350, "label": "Bürgerhaus"},
    ],
    status="laufend",
    statuses=[
        {"status": "beschlossen", "on": "2024-03", "by": f"{MARKER}-konto"},
        {"status": "laufend", "on": "2025-02-01", "by": f"{MARKER}-konto", "note": "Auftakt"},
    ],
    contact="Telefon 0631 7105-0",
    open_to_residents=True,
    internal_note=f"{MARKER} interne Projektnotiz",
    source="E2E-Testdaten",
    reference_date="2025-02-01",
)


@dataclass
class Server:
    url: str
    store: Path
    folder: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("e2e-truth")
    store, users = folder / "store.gpkg", folder / "users.json"
    seeded = Store(store, REPO / "datasets")
    seeded.apply(
        [Change(f) for f in SHELTERS], "e2e-seed", f"Neue Gemeinschaftsunterkunft {MARKER}"
    )
    ProjectLedger(seeded.db).save([(PROJECT, None)], "e2e-seed", "2025-02-01T10:00:00", "")
    add_user(seeded.db, BERND[0], BERND[1], "district_editor")
    with running_app(folder, store, users) as url:
        yield Server(url, store, folder)


def _frames(w: Watched) -> list[bytes]:
    """Record every websocket frame and map data file the browser receives from now on."""
    frames = record_map_data(w.page)

    def on_socket(ws: object) -> None:
        ws.on(  # type: ignore[attr-defined]
            "framereceived",
            lambda payload: frames.append(
                payload if isinstance(payload, bytes) else str(payload).encode()
            ),
        )

    w.page.on("websocket", on_socket)
    return frames


def _all_text(w: Watched) -> str:
    """The page's HTML and the HTML of every frame (the maps live in iframes), and every
    offer the maps hold, decoded."""
    parts = []
    for frame in w.page.frames:
        try:
            parts.append(frame.content())
        except Exception:  # noqa: BLE001 - a frame navigating away
            continue
    parts.append(map_contents(w.page))
    return "\n".join(parts)


def _settle(w: Watched, text: str) -> None:
    w.page.get_by_text(text).first.wait_for(timeout=60_000)
    w.page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _download(w: Watched, label: str) -> bytes:
    with w.page.expect_download(timeout=120_000) as info:
        w.page.get_by_role("button", name=label).first.click()
    return Path(info.value.path()).read_bytes()


def _make_and_download(w: Watched, make: str, label: str) -> bytes:
    w.page.get_by_role("button", name=make).first.click()
    w.page.get_by_role("button", name=label).first.wait_for(timeout=120_000)
    return _download(w, label)


def _text_of(data: bytes) -> str:
    """Searchable text of a downloaded file (PDF text, XLSX/zip members, or raw bytes)."""
    if data[:4] == b"%PDF":
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return data.decode("utf-8", "replace")


def _walk(w: Watched, url: str) -> tuple[str, list[str]]:
    """Every page as the user meets it; returns all HTML seen and the downloaded texts."""
    page = w.page
    seen, files = [], []
    page.goto(f"{url}/?vg={WEILERBACH}")
    _settle(w, MAP_HEADING)
    page.get_by_text("Herunterladen und Drucken").first.click()
    seen.append(_all_text(w))
    files.append(
        _text_of(
            _make_and_download(
                w,
                "Steckbrief Weilerbach (PDF) erstellen",
                "Steckbrief Weilerbach herunterladen (PDF)",
            )
        )
    )
    for fmt in ("CSV", "XLSX", "GEOJSON", "GPKG"):
        files.append(_text_of(_download(w, f"Herunterladen als {fmt}")))
    for path, heading in (
        ("bestand", "Datenbestand"),
        ("versorgung", "Versorgungsanalyse"),
        ("daten", "Daten & Quellen"),
        ("praesentation?seq=vg:073355009&i=0", "Weilerbach"),
    ):
        page.goto(f"{url}/{path}")
        _settle(w, heading)
        seen.append(_all_text(w))
    page.goto(f"{url}/bestand")
    _settle(w, "Datenbestand")
    for fmt in ("CSV", "XLSX", "GEOJSON", "GPKG"):
        files.append(_text_of(_download(w, f"Herunterladen als {fmt}")))
    page.goto(f"{url}/massnahmen")  # the projects: list, one project, report, list file
    _settle(w, "Maßnahmen des Integrationskonzepts")
    seen.append(_all_text(w))
    w.page.locator('[data-testid="stRadio"]').get_by_text("Einzelne Maßnahme", exact=True).click()
    _settle(w, "laufend seit 01.02.2025")  # the first project: the one placed at a shelter
    seen.append(_all_text(w))
    w.page.locator('[data-testid="stRadio"]').get_by_text("Sachstandsbericht", exact=True).click()
    files.append(
        _text_of(_make_and_download(w, "Sachstandsbericht (PDF) erstellen", "Sachstandsbericht (PDF) herunterladen"))
    )  # fmt: skip
    files.append(_text_of(_download(w, "Maßnahmenliste (XLSX) herunterladen")))
    page.goto(f"{url}/?vg={WEILERBACH}")  # the map with its project sites, and the VG view
    _settle(w, MAP_HEADING)
    seen.append(_all_text(w))
    page.goto(f"{url}/praesentation?edit=1")
    _settle(w, "Ablauf zusammenstellen")
    files.append(
        _text_of(
            _make_and_download(
                w,
                "Handout aller Verbandsgemeinden (PDF) erstellen",
                "Handout aller Verbandsgemeinden herunterladen (PDF)",
            )
        )
    )
    return "\n".join(seen), files


def test_public_search_finds_no_sensitive_offer(server: Server, watched: Watched) -> None:
    """``/?q=<part of a name>``: no hit, no count, no Gemeinde, no record id; only the
    query itself is echoed."""
    frames = _frames(watched)
    watched.page.goto(f"{server.url}/?q={MARKER}")
    _settle(watched, MAP_HEADING)
    watched.page.get_by_text(f"Kein Angebot mit „{MARKER}“").first.wait_for(timeout=30_000)
    html = _all_text(watched)
    for secret in (f"Gemeinschaftsunterkunft {MARKER}", "e2e-uk-", f"{MARKER}weg", "40 Plätze"):
        assert secret not in html
        assert not [f for f in frames if secret.encode() in f]


def _finder_files(server: Server) -> str:
    """Every file of the public offer finder built from the server's store."""
    out = server.folder / "finder-site"
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(server.store)}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "finder", "--out", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout
    return "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file()
    )


def test_public_never_receives_a_sensitive_offer(server: Server, watched: Watched) -> None:
    frames = _frames(watched)
    html, files = _walk(watched, server.url)
    finder = _finder_files(server)
    assert PROJECT_TITLE in finder  # the running project is listed for residents ...
    assert MARKER not in finder and "e2e-uk-" not in finder  # ... never its note or a shelter
    assert PROJECT_TITLE in html and any(PROJECT_TITLE in f for f in files)
    assert frames, "no websocket frame recorded"
    assert any(b"Grundschule Weilerbach" in f for f in frames)  # public data did arrive
    assert MARKER not in html
    for text in files:
        assert text.strip(), "an empty download proves nothing"
        assert MARKER not in text
    assert not [f for f in frames if MARKER.encode() in f]
    assert "Neue Gemeinschaftsunterkunft" not in html  # the history comment
    assert str(server.store) not in html  # no server path
    assert watched.external == [] and watched.errors == []


def test_the_checks_find_the_marker_for_the_kreis_redaktion(
    server: Server, watched: Watched
) -> None:
    """The same walk, signed in as the Kreis-Redaktion: the marker is found (the checks work)."""
    page = watched.page
    frames = _frames(watched)
    page.goto(server.url)
    _settle(watched, MAP_HEADING)
    page.get_by_text("Anmeldung", exact=True).click()
    page.get_by_label("Name", exact=True).fill(BERND[0])
    page.get_by_label("Passwort", exact=True).fill(BERND[1])
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_text(f"Angemeldet als {BERND[0]}").wait_for(timeout=60_000)
    page.locator('[data-testid="stSidebarNav"] a', has_text="Datenbestand").click()
    _settle(watched, "Datenbestand: Einrichtungen")
    assert any(MARKER.encode() in f for f in frames)  # the list (a canvas grid) got it
    text = _text_of(_download(watched, "Herunterladen als CSV"))
    assert MARKER in text
    page.locator('[data-testid="stSidebarNav"] a', has_text="Maßnahmen").click()
    _settle(watched, "Maßnahmen des Integrationskonzepts")
    page.locator('[data-testid="stRadio"]').get_by_text("Einzelne Maßnahme", exact=True).click()
    _settle(watched, f"{MARKER} interne Projektnotiz")  # the project's internal note


def test_cli_import_reaches_the_next_steckbrief(server: Server, watched: Watched) -> None:
    name = "Nachbarschaftstreff Neuimport"
    watched.page.goto(f"{server.url}/?vg={WEILERBACH}")
    _settle(watched, MAP_HEADING)
    watched.page.get_by_text("Herunterladen und Drucken").first.click()
    before = _text_of(
        _make_and_download(
            watched,
            "Steckbrief Weilerbach (PDF) erstellen",
            "Steckbrief Weilerbach herunterladen (PDF)",
        )
    )
    assert "Steckbrief" in before and name not in before

    csv = server.folder / "neu.csv"
    csv.write_text(f"Name;Kategorie;Ort\n{name};Verein;Weilerbach\n", encoding="utf-8")
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(server.store)}
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "import", str(csv), "--source", "E2E-Liste",
         "--reference-date", "01.11.2026", "--author", "e2e"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr + done.stdout

    watched.page.goto(f"{server.url}/?vg={WEILERBACH}")  # a new session
    _settle(watched, MAP_HEADING)
    watched.page.get_by_text("Herunterladen und Drucken").first.click()
    after = _text_of(
        _make_and_download(
            watched,
            "Steckbrief Weilerbach (PDF) erstellen",
            "Steckbrief Weilerbach herunterladen (PDF)",
        )
    )
    assert name in " ".join(after.split())


def test_landstuhl_has_one_population_everywhere(server: Server, watched: Watched) -> None:
    page = watched.page
    frames = _frames(watched)
    page.goto(f"{server.url}/?vg={LANDSTUHL}")
    _settle(watched, "Verbandsgemeinde Landstuhl")
    key_figures = page.locator('[data-testid="stTable"]').filter(has_text="Kennzahl").first
    key_figures.wait_for(timeout=60_000)
    figures = key_figures.inner_text()
    assert "26.205" in figures and "31.12.2022" in figures  # the VG view
    held = map_contents(page)  # the map's tooltips and offers, decoded
    assert "26.205" in held
    assert "26.781" not in held and not any(b"26.781" in f for f in frames)
    page.get_by_text("Herunterladen und Drucken").first.click()
    pdf = _text_of(
        _make_and_download(
            watched,
            "Steckbrief Landstuhl (PDF) erstellen",
            "Steckbrief Landstuhl herunterladen (PDF)",
        )
    )
    assert "26.205" in pdf and "26.781" not in pdf
    page.goto(f"{server.url}/praesentation?seq=vg:{LANDSTUHL}&i=0")
    _settle(watched, "Landstuhl")
    slide = page.locator('[data-testid="stTable"]').first.inner_text()
    assert "26.205" in slide and "26.781" not in slide


def _shows(page: object, text: str) -> None:
    """``text`` appears literally in the page (word joiners that keep a URL from turning
    into a link are invisible and ignored here)."""
    page.get_by_text("im Namen").first.wait_for(timeout=30_000)  # type: ignore[attr-defined]
    body = page.locator("section.main, [data-testid='stMain']").first.inner_text()  # type: ignore[attr-defined]
    assert text in body.replace("\u2060", "")


def test_url_text_stays_text(server: Server, watched: Watched) -> None:
    page = watched.page
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if urlparse(r.url).port == 9 else None)
    query = "![x](http://127.0.0.1:9/x)"
    page.goto(f"{server.url}/?q={query}")
    _settle(watched, MAP_HEADING)
    _shows(page, query)
    assert asked == []
    assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
    link = "[Sitzung abgelaufen – hier neu anmelden](http://127.0.0.1:9/login)"
    page.goto(f"{server.url}/?q={link}")
    _settle(watched, MAP_HEADING)
    _shows(page, link)
    assert page.locator('a[href*="127.0.0.1:9"]').count() == 0
