"""The public offer finder in a real browser, at 390×844, with every other host blocked.

The site is written by the service (as ``python -m dashboard finder --out DIR`` does) and
published by a plain file server. Data: the shipped offers plus four synthetic language
courses at known distances from Landstuhl (:mod:`tests.finder_support`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyproj import Transformer

from dashboard.config import CRS_DISPLAY, CRS_METRIC, get_settings
from dashboard.i18n.finder import (
    DIRECTIONS,
    FINDER_LANGUAGES,
    LANGUAGE_TAGS,
    NATIVE_NAMES,
    finder_messages,
    finder_number,
)
from dashboard.render.finder.needs import needs_of
from dashboard.services import finder
from dashboard.services.app import workspace_for
from tests.e2e.finder_browser import (
    Phone,
    StaticServer,
    assert_accessible,
    open_phone,
    ready,
    serving,
)
from tests.finder_support import SECRET, expected_order, landstuhl, synthetic_store

pytestmark = pytest.mark.e2e

LANDSTUHL_AGS = "07335022"
_TO_METRIC = Transformer.from_crs(CRS_DISPLAY, CRS_METRIC, always_xy=True)


@dataclasses.dataclass
class Site:
    url: str
    server: StaticServer
    offers: list[dict[str, object]]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The finder on the shipped data plus the synthetic courses, on a plain file server."""
    folder = tmp_path_factory.mktemp("finder")
    settings = synthetic_store(folder / "store.gpkg")
    finder.publish(folder / "site", settings)
    active = workspace_for(None, settings).view().active()
    offers = [
        {k: r[k] for k in ("name", "lat", "lon", "precision", "located_ags")}
        for r in active.to_dict("records")
        if "sprache" in needs_of(r["category"], list(r["handlungsfelder"]))
    ]
    with serving(folder / "site") as server:
        yield Site(server.url + "index.html", server, offers)


@pytest.fixture
def phone(browser: object) -> Iterator[Phone]:
    p = open_phone(browser)
    yield p
    p.context.close()


def _search(page: object, lang: str, need: str, place: str) -> dict[str, str]:
    texts = finder_messages(lang)
    page.get_by_label(texts[f"finder.need.{need}"], exact=True).check()
    page.get_by_label(texts["finder.place.label"], exact=True).fill(place)
    page.get_by_role("button", name=texts["finder.search"], exact=True).click()
    return texts


def _names(page: object) -> list[str]:
    page.locator("ol.results > li").first.wait_for()
    return page.locator("ol.results > li h2 span[lang]").all_inner_texts()


def _km(offer: dict[str, object], place: tuple[float, float]) -> float:
    x, y = _TO_METRIC.transform(offer["lon"], offer["lat"])
    px, py = _TO_METRIC.transform(place[1], place[0])
    return math.hypot(x - px, y - py) / 1000


# -- acceptance: every language answers "Deutsch lernen near Landstuhl" -------------------------
@pytest.mark.parametrize("lang", FINDER_LANGUAGES)
def test_each_language_answers_deutsch_lernen_near_landstuhl(
    phone: Phone, site: Site, lang: str
) -> None:
    page = phone.page
    page.goto(site.url)
    ready(page)
    page.locator("button.language").first.wait_for()
    assert page.locator("button.language").all_inner_texts() == [
        NATIVE_NAMES[c] for c in FINDER_LANGUAGES
    ]
    assert_accessible(page, f"{lang}: language screen")
    page.get_by_role("button", name=NATIVE_NAMES[lang], exact=True).click()
    texts = finder_messages(lang)
    page.get_by_role("heading", name=texts["finder.heading.search"], level=1).wait_for()
    assert page.evaluate("document.documentElement.lang") == LANGUAGE_TAGS[lang]
    assert page.evaluate("document.documentElement.dir") == DIRECTIONS[lang]
    assert_accessible(page, f"{lang}: search screen")

    _search(page, lang, "sprache", "Landstuhl")
    heading = texts["finder.results.heading"].format(
        need=texts["finder.need.sprache"], place="Landstuhl"
    )
    page.get_by_role("heading", name=heading, level=1).wait_for()
    expected = expected_order(site.offers, landstuhl(), LANDSTUHL_AGS)
    assert len(expected) >= 6
    assert _names(page) == expected[:10]  # the nearest first, in order of distance
    assert page.locator("ol.results > li").count() == min(10, len(expected))
    # distances as the language writes them: exact ones to 0.1 km, approximate ones "about"
    course_a = page.locator("ol.results > li", has_text="Synthetischer Deutschkurs A")
    km_a = finder_number(
        _km(next(o for o in site.offers if o["name"].endswith(" A")), landstuhl()), 1, lang
    )
    assert course_a.locator(".distance").inner_text() == texts["finder.offer.distance"].format(
        km=km_a
    )
    ramstein = next(o for o in site.offers if str(o["name"]).startswith("Jugendbüro Ramstein"))
    approx = texts["finder.offer.distance.approx"].format(
        km=finder_number(round(_km(ramstein, landstuhl())), 0, lang)
    )
    card = page.locator("ol.results > li", has_text="Jugendbüro Ramstein")
    assert card.locator(".distance").inner_text() == approx
    assert texts["finder.offer.approx"] in card.inner_text()  # "ungefähre Lage", no address
    assert page.locator("svg.map .marker").count() == min(10, len(expected))
    assert_accessible(page, f"{lang}: results")
    assert SECRET not in page.content()
    assert phone.errors == [] and phone.external == []


def test_arabic_renders_right_to_left(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url + "?lang=ar")
    ready(page)
    texts = finder_messages("ar")
    page.get_by_role("heading", name=texts["finder.heading.search"]).wait_for()
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    need = page.locator(".need").first
    radio, label = need.locator("input").bounding_box(), need.locator("label").bounding_box()
    assert radio["x"] > label["x"] + label["width"] - 1  # the radio button sits on the right
    h1 = page.locator("h1").bounding_box()
    width = page.evaluate("document.documentElement.clientWidth")
    assert h1["x"] + h1["width"] > width - 24  # text starts at the right edge
    _search(page, "ar", "sprache", "Landstuhl")
    first = page.locator("ol.results > li").first
    first.wait_for()
    name = first.locator("h2 span[lang]")
    assert name.get_attribute("dir") == "auto"  # a German name keeps its own direction
    badge, title = first.locator(".badge").bounding_box(), name.bounding_box()
    assert badge["x"] > title["x"]  # the number stands right of the name
    assert phone.errors == [] and phone.external == []


# -- hostile language names: own properties only --------------------------------------------------
#: Names every JavaScript object answers to, none of them a language.
PROTOTYPE_NAMES = ("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "t")


def _default_language_shown(page: object) -> None:
    """The finder drew its language screen in German (the phone's language), nothing stored."""
    ready(page)
    texts = finder_messages("de")
    page.get_by_role("heading", name=texts["finder.heading.language"]).wait_for()
    assert page.evaluate("document.documentElement.lang") == LANGUAGE_TAGS["de"]
    assert page.locator("ul.languages button").count() == len(FINDER_LANGUAGES)
    assert page.evaluate("window.localStorage.getItem('finder.lang')") is None


@pytest.mark.parametrize("name", PROTOTYPE_NAMES)
def test_a_prototype_name_as_language_shows_the_default(
    phone: Phone, site: Site, name: str
) -> None:
    page = phone.page
    page.goto(site.url + f"?lang={name}")
    _default_language_shown(page)
    page.reload()  # nothing was kept: the next visit works as well
    _default_language_shown(page)
    page.goto(site.url)
    _default_language_shown(page)
    # a stored choice is checked when read: a crafted value is dropped, not obeyed
    page.evaluate(f"window.localStorage.setItem('finder.lang', {name!r})")
    page.reload()
    _default_language_shown(page)
    assert phone.errors == [] and phone.external == []


# -- offline after the first visit -------------------------------------------------------------
def test_opens_and_answers_without_network_after_first_visit(
    browser: object, tmp_path: Path
) -> None:
    finder.publish(
        tmp_path / "site", dataclasses.replace(get_settings(), store_path=tmp_path / "s.gpkg")
    )
    server = StaticServer(tmp_path / "site")
    phone = open_phone(browser)
    try:
        page = phone.page
        page.goto(server.url + "index.html")
        ready(page)
        page.get_by_role("button", name="Deutsch", exact=True).click()
        page.wait_for_selector("html[data-offline-ready]", timeout=30_000)
        texts = finder_messages("de")
        page.get_by_text(texts["finder.offline.ready"]).wait_for()

        server.stop()  # the network is gone: nothing answers any more
        phone.context.set_offline(True)
        page.reload()
        ready(page)
        page.get_by_role("heading", name=texts["finder.heading.search"]).wait_for()  # kept: German
        _search(page, "de", "sprache", "Landstuhl")
        page.get_by_role("heading", name="Deutsch lernen in der Nähe von Landstuhl").wait_for()
        assert _names(page)[:2] == [
            "Jugendbüro Ramstein (Sprach- und Integrationskurse)",
            "VHS Kaiserslautern (Integrationskurse)",
        ]
        assert page.locator("#offline-status").inner_text().startswith("Sie sind offline.")
        other = phone.context.new_page()  # a new tab opens it as well
        other.goto(server.url + "index.html")
        ready(other)
        other.get_by_role("heading", name=texts["finder.heading.search"]).wait_for()
        assert phone.errors == [] and phone.external == []
    finally:
        phone.context.close()


# -- keyboard, zoom, screen readers ------------------------------------------------------------
def _focused(page: object) -> str:
    return page.evaluate(
        "(() => { const e = document.activeElement; return (e.id || e.tagName) + '|' + (e.textContent || e.value || '').trim(); })()"
    )


def _tab_to(page: object, wanted: str, limit: int = 12) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if wanted in _focused(page):
            return
    raise AssertionError(f"{wanted!r} not reached with Tab; at {_focused(page)!r}")


def test_keyboard_only(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url)
    ready(page)
    page.keyboard.press("Tab")
    assert _focused(page).startswith("skip|")  # the first stop skips to the content
    _tab_to(page, "|Deutsch")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus is visible
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Angebote in Ihrer Nähe finden").wait_for()
    assert _focused(page).startswith("screen-heading|")  # screen readers hear the new screen
    page.keyboard.press("Tab")
    assert _focused(page).startswith("need-sprache|")
    page.keyboard.press("Space")
    _tab_to(page, "place|")
    page.keyboard.type("Landstuhl")
    _tab_to(page, "|Angebote suchen")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Deutsch lernen in der Nähe von Landstuhl").wait_for()
    assert _focused(page).startswith("screen-heading|Deutsch lernen")
    page.keyboard.press("Shift+Tab")
    assert "Suche ändern" in _focused(page)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Angebote in Ihrer Nähe finden").wait_for()
    assert page.locator("#need-sprache").is_checked()  # the search is kept
    assert page.locator("#place").input_value() == "Landstuhl"
    assert phone.errors == []


@pytest.mark.parametrize("screen", ["lang", "search", "results"])
def test_reflow_at_200_percent_zoom(browser: object, site: Site, screen: str) -> None:
    # 390 CSS pixels at 200 % zoom leave 195 CSS pixels: everything must fit without
    # scrolling sideways, and stay accessible
    phone = open_phone(browser, viewport={"width": 195, "height": 422})
    try:
        page = phone.page
        page.goto(site.url + ("" if screen == "lang" else "?lang=de"))
        ready(page)
        if screen == "results":
            _search(page, "de", "sprache", "Landstuhl")
            page.locator("ol.results > li").first.wait_for()
        if screen == "results":  # every value keeps a readable width (no letter columns)
            widths = page.locator("ol.results dd").evaluate_all("l => l.map(e => e.clientWidth)")
            assert widths and min(widths) > 120, widths
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= page.evaluate("window.innerWidth"), f"{screen}: scrolls sideways ({wide})"
        assert_accessible(page, f"200 %: {screen}")
        # text alone at 200 %: still no sideways scrolling at 390 px
        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        phone.context.close()


# -- places: postcode, near me, unknown --------------------------------------------------------
def test_postcode_and_unknown_place(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url + "?lang=de")
    ready(page)
    _search(page, "de", "sprache", "Atlantis")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "„Atlantis“ kennen wir nicht" in alert.inner_text()
    assert page.locator("#place").get_attribute("aria-invalid") == "true"
    assert _focused(page).startswith("place|")
    assert_accessible(page, "search screen with an error")
    page.get_by_label("Gemeinde oder Postleitzahl").fill("66849")
    page.get_by_role("button", name="Angebote suchen").click()
    page.get_by_role("heading", name="Deutsch lernen in der Nähe von 66849 Landstuhl").wait_for()
    assert _names(page)[0] == "Synthetischer Deutschkurs A"
    assert phone.errors == []


def test_near_me_stays_on_the_device(browser: object, site: Site) -> None:
    lat, lon = landstuhl()
    here_lat, here_lon = round(lat + 0.0311, 6), round(lon + 0.0011, 6)  # about 3.5 km north
    phone = open_phone(
        browser,
        geolocation={"latitude": here_lat, "longitude": here_lon},
        permissions=["geolocation"],
    )
    try:
        page = phone.page
        page.goto(site.url + "?lang=en")
        ready(page)
        texts = finder_messages("en")
        page.get_by_label(texts["finder.need.sprache"], exact=True).check()
        page.get_by_role("button", name=texts["finder.place.here"]).click()
        page.get_by_text(texts["finder.place.here.active"]).wait_for()
        page.get_by_role("button", name=texts["finder.search"]).click()
        page.get_by_role("heading", name="Learn German near you").wait_for()
        expected = expected_order(site.offers, (here_lat, here_lon), "")
        assert _names(page) == expected[:10]
        assert _names(page)[0] == "Synthetischer Deutschkurs B"  # 3.4 km north of Landstuhl
        assert_accessible(page, "results near me")
        e, n = _TO_METRIC.transform(here_lon, here_lat)
        digits = {
            f"{here_lat:.3f}"[:6],
            f"{here_lon:.3f}"[:5],
            str(round(e))[:4],
            str(round(n))[:5],
        }
        for url in [*phone.requests, page.url]:  # the position never left the page
            assert not any(d in url for d in digits), url
        assert "place=here" in page.url
        assert phone.errors == [] and phone.external == []
    finally:
        phone.context.close()


def test_position_refused(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url + "?lang=de")
    ready(page)
    page.get_by_role("button", name="Meinen Standort verwenden").click()
    page.get_by_text("Sie haben den Standort nicht freigegeben.").wait_for()


def test_language_spoken_filter(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url + "?lang=de")
    ready(page)
    options = page.locator("#spoken option").all_inner_texts()
    assert options[0] == "Egal" and "Arabisch" in options and "Ukrainisch" in options
    assert "Tigrinya" not in options  # spoken only at the accommodation, which is never shown
    page.get_by_label("Deutsch lernen", exact=True).check()
    page.get_by_label("Gemeinde oder Postleitzahl").fill("Landstuhl")
    page.get_by_label("Sprache im Angebot (freiwillig)").select_option(label="Ukrainisch")
    page.get_by_role("button", name="Angebote suchen").click()
    page.get_by_text("Sprache: Ukrainisch.").wait_for()
    assert _names(page) == ["Synthetischer Deutschkurs B"]
    card = page.locator("ol.results > li").first
    assert "Ukrainisch, Russisch" in card.inner_text()
    link = card.get_by_role("link", name="https://example.org/kurs-b")
    assert link.get_attribute("href") == "https://example.org/kurs-b"


def test_offer_details_as_text(phone: Phone, site: Site) -> None:
    page = phone.page
    page.goto(site.url + "?lang=de")
    ready(page)
    _search(page, "de", "sprache", "Landstuhl")
    card = page.locator("ol.results > li", has_text="Synthetischer Deutschkurs A")
    text = card.inner_text()
    assert "Teststraße 1, 66849 Landstuhl" in text
    assert "zuletzt am 01.10.2025" in text and "Frauen, Eltern" in text
    assert "Arabisch, Deutsch" in text and "Synthetischer Träger e.V." in text
    assert (
        card.get_by_role("link", name="Tel. 06371 123456").get_attribute("href")
        == "tel:06371123456"
    )
    assert card.get_by_role("link", name="kurs-a@example.org").get_attribute("href") == (
        "mailto:kurs-a@example.org"
    )
    ramstein = page.locator("ol.results > li", has_text="Jugendbüro Ramstein")
    assert "noch nicht geprüft (Stand der Angabe: 2017)" in ramstein.inner_text()  # its source
    # an offer without a place is listed apart, never with a distance
    page.get_by_role("button", name="Suche ändern").click()
    _search(page, "de", "beratung", "Landstuhl")
    section = page.get_by_role("region", name="Angebote ohne bekannten Ort")
    assert "Migrationsberatung für Erwachsene" in section.inner_text()
    assert section.locator(".distance").count() == 0
    assert_accessible(page, "results with offers without a place")


def test_position_converted_like_the_analysis(phone: Phone, site: Site) -> None:
    # the reader's position is converted in the page (WGS84 -> EPSG:25832) as pyproj does
    page = phone.page
    page.goto(site.url + "?lang=de")
    ready(page)
    for lat, lon in [(49.4021, 7.5583), (49.55, 7.95), (49.30, 7.40), (50.0, 9.0)]:
        e, n = page.evaluate("([lat, lon]) => window.finderUtm32(lat, lon)", [lat, lon])
        ref_e, ref_n = _TO_METRIC.transform(lon, lat)
        assert abs(e - ref_e) < 0.01 and abs(n - ref_n) < 0.01, (lat, lon, e - ref_e, n - ref_n)
