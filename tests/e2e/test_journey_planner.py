"""The planner's journey in a real browser, offline: map → click a VG → its view →
Versorgungsanalyse with the selection carried, opening with the answer (what is unknown
and what is missing) → what-if by a click on the map, twice, said in sentences →
download marked as what-if → signed in, the "unbekannt" leads to the VG's collection
round. Once in German on a desktop, once in English on a phone.

Every step asserts what a person sees; every external request is blocked and counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from tests.e2e.conftest import JOURNEY_USERS, Watched
from tests.e2e.journey import (
    TIMEOUT,
    checked_radio,
    chosen,
    click_map,
    close_sidebar,
    count_in_map,
    download,
    nav,
    no_exception,
    open_sidebar,
    pick,
    settle,
    sign_in,
    url_has,
)

pytestmark = pytest.mark.e2e

WEILERBACH = "073355009"
IN_WEILERBACH = (49.4786, 7.6336)  # the centre of the Gemeinde Weilerbach
#: Where the planner clicks on the analysis map (fractions of its width and height; the
#: legends sit in the right-hand corners).
PLANNED = [(0.30, 0.45), (0.45, 0.65)]


@dataclass(frozen=True)
class Words:
    """What the planner reads, in one language."""

    lang: str
    map_heading: str
    filters: str
    hf_label: str
    sprache: str
    vg_label: str
    vg_heading: str
    gaps_nav: str
    gaps_heading: str
    selector: str
    vintage: str
    vintage_2019: str
    selected: str
    whatif: str
    whatif_changes: str
    lat: str
    csv: str
    with_planned: str
    placed: str
    unknown: str
    public_next: str
    whatif_head: str
    whatif_status: str
    round_link: str
    collect_heading: str


DE = Words(
    "de", "Karte: Angebote und Bedarf", "Filter", "Handlungsfeld", "Sprache",
    "Verbandsgemeinde", "Verbandsgemeinde Weilerbach (073355009)",
    "Versorgungsanalyse", "Versorgungsanalyse: wo Bedarf hoch und Angebot dünn ist",
    "Angebot (Kategorie oder Handlungsfeld)", "Gebietsstand der Verbandsgemeinden",
    "2019 (6 VG, seit 01.07.2019, aktuell)", "Gewählt: Verbandsgemeinde Weilerbach",
    "Was wäre, wenn?", "Veränderungen durch die geplante Einrichtung", "Breitengrad",
    "Herunterladen als CSV", "mit, als „was wäre wenn“ gekennzeichnet",
    "Geplante Einrichtung bei",
    "Ob es Lücken gibt, ist für alle 50 Gemeinden unbekannt",
    "Was fehlt: die Bestätigungen der Verbandsgemeinden",
    r"Die geplante Einrichtung in \S.* ändert Werte in \d+ (Gemeinden|Gemeinde)\.",
    "Die Einstufung bleibt „unbekannt“",
    "Erhebungsrunde für VG Weilerbach öffnen",
    "Erhebungsrunde: Listen der Verbandsgemeinden",
)  # fmt: skip
EN = Words(
    "en", "Map: offers and needs", "Filters", "Field of action", "Language",
    "Verbandsgemeinde", "Verbandsgemeinde Weilerbach (073355009)",
    "Supply analysis", "Supply analysis: where need is high and supply is thin",
    "Offer (category or field of action)", "Boundary vintage of the Verbandsgemeinden",
    "2019 (6 VGs, since 2019-07-01, current)", "Selected: Verbandsgemeinde Weilerbach",
    "What if?", "Changes caused by the planned facility", "Latitude", "Download as CSV",
    "with, marked as “what if”", "Planned facility at",
    "Whether there are gaps is unknown for all 50 Gemeinden",
    "What is missing: the confirmations of the Verbandsgemeinden",
    r"The planned facility in \S.* changes values in \d+ Gemeinden?\.",
    "The status stays “unknown”",
    "Open the collection round for VG Weilerbach",
    "Collection round: the Verbandsgemeinden's lists",
)  # fmt: skip


def _close_sidebar(w: Watched, phone: bool) -> None:
    if phone:  # on a phone the sidebar covers the page
        close_sidebar(w)


def _number(w: Watched, label: str) -> float:
    value = w.page.get_by_label(label, exact=True).first.input_value()
    return float(value.replace(",", "."))


def _read_answer(w: Watched, words: Words) -> None:
    """The analysis opens with the answer: all unknown, and (public) what is missing and
    who can supply it, without a link into the collection round."""
    box = w.page.locator(".st-key-gaps_answer")
    box.wait_for(timeout=TIMEOUT)
    text = box.inner_text()
    assert words.unknown in text, text
    assert words.public_next in text and "Weilerbach" in text, text
    assert box.get_by_role("link", name=words.round_link).count() == 0


def _read_whatif(w: Watched, words: Words) -> None:
    """What the planned facility changes, in sentences with its figures (a nearest offer
    nearer, inhabitants newly in the radius), then a table of only the changed areas."""
    box = w.page.locator(".st-key-gaps_whatif_answer")
    box.wait_for(timeout=TIMEOUT)
    text = box.inner_text()
    assert re.search(words.whatif_head, text), text
    assert words.whatif_status in text, text
    assert re.search(r"\d[\d.,–-]* → \d[\d.,–-]* km", text), text  # e.g. 4,2 → 1,6 km
    assert "ändert keine Markierung" not in text and "changes no mark" not in text
    table = w.page.locator(".st-key-gaps_whatif_table")
    table.wait_for(timeout=TIMEOUT)
    assert table.is_visible()


def _to_the_collection_round(w: Watched, words: Words, phone: bool) -> None:
    """Signed in as Kreis-Redaktion, the answer leads from "unbekannt" to the VG's
    collection round: the link opens it with that VG chosen."""
    page = w.page
    open_sidebar(w)
    sign_in(w, "bernd", JOURNEY_USERS["bernd"][0], words.lang)
    _close_sidebar(w, phone)
    link = page.locator(".st-key-gaps_answer").get_by_role("link", name=words.round_link)
    link.wait_for(timeout=TIMEOUT)
    link.click()
    page.get_by_role("heading", name=words.collect_heading).wait_for(timeout=TIMEOUT)
    settle(w)
    assert "Weilerbach" in chosen(w, words.vg_label)
    no_exception(w)


def planner_journey(w: Watched, url: str, words: Words, phone: bool = False) -> None:
    page = w.page
    # 1. the map, as the first page
    page.goto(f"{url}/?lang={words.lang}")
    page.get_by_role("heading", name=words.map_heading).wait_for(timeout=TIMEOUT)
    count_in_map(w, "path.ia-vg", 6)
    no_exception(w)

    # 2. a Handlungsfeld chosen in the sidebar (to be carried to the analysis)
    open_sidebar(w)
    page.get_by_text(words.filters, exact=True).click()
    pick(w, words.hf_label, words.sprache)
    url_has(w, "hf=sprache")
    _close_sidebar(w, phone)
    no_exception(w)

    # 3. a click on Weilerbach in the map opens its view (the caption invites it)
    click_map(w, *IN_WEILERBACH)
    page.get_by_role("heading", name=words.vg_heading).wait_for(timeout=TIMEOUT)
    settle(w)
    count_in_map(w, "path.ia-vg-selected", 1)
    url_has(w, f"vg={WEILERBACH}")
    assert page.locator('[data-testid="stTable"]').first.is_visible()  # its key figures
    no_exception(w)
    open_sidebar(w)
    assert "Weilerbach" in chosen(w, words.vg_label)

    # 4. the analysis, with VG, Handlungsfeld and vintage carried
    nav(w, words.gaps_nav)
    page.get_by_role("heading", name=words.gaps_heading).wait_for(timeout=TIMEOUT)
    settle(w)
    open_sidebar(w)
    assert words.sprache in chosen(w, words.selector)
    assert checked_radio(w, words.vintage) == words.vintage_2019
    _close_sidebar(w, phone)
    page.get_by_text(words.selected).first.wait_for(timeout=TIMEOUT)
    count_in_map(w, "path.ia-vg-selected", 1)
    url_has(w, "sel=sprache", f"vg={WEILERBACH}")
    _read_answer(w, words)
    no_exception(w)

    # 5. what-if: a click on the analysis map places the planned facility, a second one
    #    moves it; each time the inputs show the place and the changes are listed
    page.get_by_text(words.whatif).first.click()
    before = _number(w, words.lat)
    for at in PLANNED:
        lat, _lng = click_map(w, at=at)
        assert abs(lat - before) > 0.001, "the two places must differ"
        page.wait_for_function(
            """([label, lat]) => { const i = [...document.querySelectorAll('input')].find(
                   e => e.getAttribute('aria-label') === label);
                 return !!i && Math.abs(parseFloat(i.value.replace(',', '.')) - lat) < 0.0005; }""",
            arg=[words.lat, lat],
            timeout=TIMEOUT,
        )
        settle(w)
        before = _number(w, words.lat)
        assert abs(before - lat) < 0.0005
        page.get_by_text(words.whatif_changes).first.wait_for(timeout=TIMEOUT)
        page.get_by_text(words.placed).first.wait_for(timeout=TIMEOUT)  # said in words too
        _read_whatif(w, words)
        no_exception(w)

    # 6. while the what-if is on, the planner chooses what the files count: with the
    #    planned facility, the file says so in its name and in a column
    page.get_by_text(words.with_planned).first.click()
    settle(w)
    name, data = download(w, words.csv)
    text = data.decode("utf-8-sig", "replace")
    assert text.strip(), "an empty download proves nothing"
    assert re.search(r"was-?waere|what-?if", name, re.I), name
    assert re.search(r"geplant|planned", text, re.I), text[:300]
    no_exception(w)

    # 7. signed in, the "unbekannt" leads to the VG's collection round
    _to_the_collection_round(w, words, phone)
    assert w.errors == [] and w.external == []


def test_planner_journey(watched: Watched, journey_url: str) -> None:
    planner_journey(watched, journey_url, DE)


def test_planner_journey_english_on_a_phone(phone: Watched, journey_url: str) -> None:
    planner_journey(phone, journey_url, EN, phone=True)
