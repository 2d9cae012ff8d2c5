"""The whole Land as a configuration: Rheinland-Pfalz with synthetic facilities, in a browser.

The setup builds ``districts/07`` (all 2,305 Gemeinden, 192 VGs and verbandsfreie
Gemeinden, 30,000 synthetic facilities and a synthetic population) with the documented
command into a temporary folder, starts the app on it and uses map, analysis (a what-if
placed by a click in Trier: the bounds are the configured district's) and an export like
a planner would. The synthetic data must say so on every page.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.e2e.conftest import Watched, running_app
from tests.e2e.journey import click_map, no_exception, settle
from tests.e2e.test_kusel_browser import MAP, _map_drawn, _package

pytestmark = pytest.mark.e2e

BANNER = "Testkonfiguration Land Rheinland-Pfalz: Die Einrichtungen und die Einwohnerzahlen sind"


@pytest.fixture(scope="module")
def state_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _package()
    out = tmp_path_factory.mktemp("rlp")
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "build-geodata", "--land", "07", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    env = {
        "INTEGRATIONSATLAS_DISTRICT": "07",
        "INTEGRATIONSATLAS_GEODATA": str(out / "geodata"),
        "INTEGRATIONSATLAS_DATASETS": str(out / "datasets"),
    }
    with running_app(out, out / "store.gpkg", out / "users.json", env) as url:
        yield url


def test_state_map_is_labelled_synthetic_and_draws_offline(
    watched: Watched, state_url: str
) -> None:
    page = watched.page
    page.goto(state_url)
    page.get_by_text(BANNER).wait_for(timeout=240_000)
    assert "SYNTHETISCHE TESTDATEN" in page.title()
    _map_drawn(watched, "path.ia-vg", 192)
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "2016 (192 VG, Stand 01.01.2016, Grenzdaten VG250)" in sidebar
    # the public sees every synthetic offer but the sensitive category (about 1 in 9)
    shown = page.get_by_text("Angeboten auf der Karte").first.inner_text()
    n = int(shown.split(" von ")[0].replace(".", ""))
    assert 25_000 < n < 28_000, shown
    note = page.locator(MAP).locator(".ia-legend-overlay .ia-legend-note")
    note.first.wait_for(state="attached", timeout=60_000)
    assert "SYNTHETISCH" in (note.first.text_content() or "")  # the population's source
    assert watched.errors == [] and watched.external == []


def test_state_analysis_and_export(watched: Watched, state_url: str) -> None:
    page = watched.page
    page.goto(f"{state_url}/versorgung")
    page.get_by_text(BANNER).wait_for(timeout=240_000)
    page.locator("h1").first.wait_for(timeout=240_000)
    _map_drawn(watched, "path.ia-vg", 192)
    body = page.locator("body").inner_text()
    assert "Fehlernummer" not in body
    page.goto(f"{state_url}/bestand")
    page.get_by_role("button", name="Herunterladen als CSV").first.wait_for(timeout=300_000)
    with page.expect_download(timeout=300_000) as info:
        page.get_by_role("button", name="Herunterladen als CSV").first.click()
    text = Path(info.value.path()).read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert 25_000 < len(rows) - 1 < 28_000
    names = {r[1] for r in rows[1:]}
    assert all(name.startswith("Synthetische Einrichtung") for name in names)
    assert not any("Unterkunft" in r for r in rows[1:])  # never public, also at state size
    assert watched.errors == [] and watched.external == []


#: The centre of Trier, far west of the Kreis Kaiserslautern's bounds (7.0–8.5 °E).
TRIER = (49.7557, 6.6394)


def test_state_what_if_is_placed_in_trier(watched: Watched, state_url: str) -> None:
    page = watched.page
    page.goto(f"{state_url}/versorgung")
    page.get_by_text(BANNER).wait_for(timeout=240_000)
    _map_drawn(watched, "path.ia-vg", 192)
    settle(watched)
    lat, lng = click_map(watched, *TRIER)
    page.get_by_role("heading", name="Veränderungen durch die geplante Einrichtung").wait_for(
        timeout=300_000
    )
    settle(watched)

    def value(label: str) -> float:
        return float(page.get_by_label(label, exact=True).first.input_value().replace(",", "."))

    # placed where the planner clicked, in Trier: never moved into another district's bounds
    assert abs(value("Breitengrad") - lat) < 0.001 and abs(value("Längengrad") - lng) < 0.001
    assert abs(lat - TRIER[0]) < 0.05 and abs(lng - TRIER[1]) < 0.05
    page.get_by_text("Geplante Einrichtung bei").first.wait_for()
    assert page.get_by_text("liegt außerhalb").count() == 0
    no_exception(watched)
    assert watched.errors == [] and watched.external == []
