"""Steps the journey tests share: what a person does (click the map, pick from a list,
download a file) and what every step must show (no exception box, no traceback)."""

from __future__ import annotations

import io
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from pypdf import PdfReader

from tests.e2e.conftest import MAP, Watched

TIMEOUT = 60_000
#: Streamlit's exception box, or a traceback in any text of the page.
_BROKEN = '[data-testid="stException"]'

#: The screen point to click on the map element ``m``: (lat, lng), or the free spot of the
#: map (not on a legend, a control or an offer's marker, as a person would click to place
#: something) nearest to a fraction of its size; in the page's viewport (``null`` if the
#: point is outside it).
_POINT = """(m, [lat, lng, at]) => { const map = m.iaAtlas.map;
    const c = map.getContainer(), r = c.getBoundingClientRect(), size = map.getSize();
    const free = (p) => { const e = document.elementFromPoint(r.left + p.x, r.top + p.y);
        return !!e && c.contains(e) &&
            !e.closest('.leaflet-control-container, .leaflet-marker-icon, .leaflet-popup, .leaflet-tooltip, .ia-legend'); };
    let p = at ? L.point(size.x * at[0], size.y * at[1]) : map.latLngToContainerPoint([lat, lng]);
    if (at && !free(p)) {
        const spots = [];
        for (let fx = 0.05; fx < 1; fx += 0.05) for (let fy = 0.05; fy < 1; fy += 0.05)
            spots.push(L.point(size.x * fx, size.y * fy));
        spots.sort((a, b) => a.distanceTo(p) - b.distanceTo(p));
        p = spots.find(free) || p;
    }
    const x = Math.round(r.left + p.x), y = Math.round(r.top + p.y);  // a mouse hits whole pixels
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) { return null; }
    const ll = map.containerPointToLatLng(L.point(x - r.left, y - r.top));
    return {x: x, y: y, lat: ll.lat, lng: ll.lng}; }"""


def settle(w: Watched) -> None:
    """Wait until the app has finished the run an interaction started (Streamlit marks its
    script state on the app's root element)."""
    page = w.page
    app = '[data-testid="stApp"]'
    try:  # the run may take a moment to start, or be over already
        page.wait_for_selector(f'{app}[data-test-script-state="running"]', timeout=1_000)
    except PlaywrightError:
        pass
    page.wait_for_selector(f'{app}[data-test-script-state="notRunning"]', timeout=120_000)


def url_has(w: Watched, *parts: str) -> None:
    """Wait until the address bar holds every one of ``parts`` (the app writes the view into
    the URL at the end of the run an interaction started); fails after the timeout."""
    w.page.wait_for_function(
        "(parts) => parts.every(p => location.href.includes(p))", arg=list(parts), timeout=TIMEOUT
    )


def no_exception(w: Watched) -> None:
    """The page shows no exception box and no traceback, no server path, no error id."""
    page = w.page
    assert page.locator(_BROKEN).count() == 0, page.locator(_BROKEN).first.inner_text()
    text = page.locator("body").inner_text()
    for bad in ("Traceback", 'File "/', "Fehlernummer", "error number", "Ask Google"):
        assert bad not in text, f"{bad!r} on the page"


def map_frame(w: Watched, index: int = 0) -> object:
    """The ``index``-th map of the page (a Playwright locator of its element), once drawn."""
    page = w.page
    page.wait_for_function(
        """([sel, i]) => { const m = document.querySelectorAll(sel)[i];
            return !!(m && m.getBoundingClientRect().height > 100 && m.iaAtlas &&
                      m.querySelector('path.ia-vg')); }""",
        arg=[MAP, index],
        timeout=TIMEOUT,
    )
    return page.locator(MAP).nth(index)


def click_map(
    w: Watched,
    lat: float | None = None,
    lng: float | None = None,
    *,
    at: tuple[float, float] | None = None,
    index: int = 0,
) -> tuple[float, float]:
    """Click the map as a person does: a real mouse click on the screen point of
    (``lat``, ``lng``), or at a fraction ``at`` = (x, y) of the map's width and height. A
    map redrawn meanwhile is looked up again.

    Returns
    -------
    tuple
        The (lat, lng) clicked.
    """
    page = w.page
    for attempt in range(8):
        try:
            element = map_frame(w, index)
            element.scroll_into_view_if_needed()  # type: ignore[attr-defined]
            args = [lat, lng, list(at) if at else None]
            point = element.evaluate(_POINT, args)  # type: ignore[attr-defined]
            if point is None:  # the point is not in view: the map's middle is brought there
                element.evaluate("m => m.scrollIntoView({block: 'center', behavior: 'instant'})")  # type: ignore[attr-defined]
                point = element.evaluate(_POINT, args)  # type: ignore[attr-defined]
            box = element.bounding_box()  # type: ignore[attr-defined]
        except PlaywrightError as exc:
            if "detached" not in str(exc) or attempt == 7:
                raise
            page.wait_for_timeout(250)  # the map is being redrawn: look it up again
            continue
        assert box is not None and point is not None, "the point is not in view"
        inside = box["x"] < point["x"] < box["x"] + box["width"]
        assert inside and box["y"] < point["y"] < box["y"] + box["height"], (point, box)
        page.mouse.click(point["x"], point["y"])
        return float(point["lat"]), float(point["lng"])
    raise AssertionError("the map could not be clicked")


def count_in_map(w: Watched, selector: str, expected: int, index: int = 0) -> None:
    """Wait until the ``index``-th map shows ``expected`` elements matching ``selector``."""
    w.page.wait_for_function(
        """([mapSel, i, sel, n]) => { const m = document.querySelectorAll(mapSel)[i];
            return !!(m && m.querySelectorAll(sel).length === n); }""",
        arg=[MAP, index, selector, expected],
        timeout=TIMEOUT,
    )


def pick(w: Watched, label: str, option: str) -> None:
    """Choose ``option`` in the select box or multiselect labelled ``label`` with the
    keyboard, as a person does: type its first letters, arrow down to it, Enter; then
    check that the widget shows it (a rerun of the page meanwhile can close the list
    under the fingers: then choose again, as a person would)."""
    page = w.page
    box = page.locator('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]').filter(
        has=page.get_by_text(label, exact=True)
    )
    wanted = page.get_by_role("option", name=option, exact=True).first
    focused = "() => document.querySelector('[role=option][data-focused]')?.innerText.trim()"
    for attempt in range(4):
        settle(w)
        field = box.first.locator("input").first
        field.click()
        field.press_sequentially(option[:4], delay=30)
        try:
            wanted.wait_for(timeout=15_000)
            for _ in range(30):
                if page.evaluate(focused) == option:
                    break
                field.press("ArrowDown")
            else:
                raise AssertionError(f"option {option!r} not reached with the keyboard")
            field.press("Enter")
            page.keyboard.press("Escape")  # close the list (a multiselect stays open)
            page.wait_for_function(  # a tag of the multiselect, or the select box's value
                "([b, o]) => [...b.querySelectorAll('input')].some(i => i.value === o) ||"
                " [...b.querySelectorAll('span, div')].some(e => e.innerText.trim() === o)",
                arg=[box.first.element_handle(), option],
                timeout=10_000,
            )
            settle(w)
            return
        except PlaywrightError:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")


def chosen(w: Watched, label: str) -> str:
    """The text a select box labelled ``label`` shows."""
    return str(w.page.get_by_role("combobox", name=label, exact=True).first.input_value())


def checked_radio(w: Watched, label: str) -> str:
    """The label of the checked option of the radio group labelled ``label``."""
    page = w.page
    group = page.locator('[data-testid="stRadio"]').filter(has=page.get_by_text(label, exact=True))
    return str(
        group.first.locator("label").filter(has=page.locator("input:checked")).first.inner_text()
    )


def download(w: Watched, label: str, last: bool = False) -> tuple[str, bytes]:
    """Click the first (or ``last``) download button labelled ``label``; the file's
    suggested name and bytes."""
    buttons = w.page.locator('[data-testid="stDownloadButton"] button').filter(has_text=label)
    button = buttons.last if last else buttons.first
    button.wait_for(timeout=120_000)
    with w.page.expect_download(timeout=120_000) as info:
        button.click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    """The text of a PDF, whitespace folded to single spaces."""
    assert data[:4] == b"%PDF", data[:20]
    text = "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


def sign_in(w: Watched, name: str, password: str, lang: str = "de") -> None:
    """Sign in through the sidebar form, staying on the page shown."""
    page = w.page
    page.get_by_text("Anmeldung" if lang == "de" else "Sign in", exact=True).first.click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Passwort" if lang == "de" else "Password", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden" if lang == "de" else "Sign in").click()
    page.get_by_text(re.compile(f"(Angemeldet als|Signed in as) {re.escape(name)}")).wait_for(
        timeout=TIMEOUT
    )
    settle(w)


def open_sidebar(w: Watched) -> None:
    """Open the sidebar if it is closed (on a phone it starts closed), as a person taps
    the menu button."""
    from playwright.sync_api import Error as PlaywrightError

    page = w.page
    closed = page.locator('[data-testid="stSidebar"][data-collapsed="true"]')
    opened = page.locator('[data-testid="stSidebar"][data-collapsed="false"]')
    for attempt in range(3):  # a page just chosen may close it once more: tap again, as a person
        if not closed.count():
            return
        page.locator('[data-testid="stExpandSidebarButton"]').first.click()
        try:
            opened.wait_for(timeout=TIMEOUT if attempt == 2 else 15_000)
        except PlaywrightError:
            if attempt == 2:
                raise
            continue
        page.wait_for_timeout(400)  # the slide-in animation
        if not closed.count():
            return


def close_sidebar(w: Watched) -> None:
    """Close the sidebar (on a phone it covers the page)."""
    page = w.page
    if page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebarCollapseButton"] button').first.click()
        page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(timeout=TIMEOUT)
        page.wait_for_timeout(400)  # the slide-out animation


def nav(w: Watched, title: str) -> None:
    """Open a page through the navigation (opening the sidebar first if it is closed)."""
    open_sidebar(w)
    w.page.locator('[data-testid="stSidebarNav"] a', has_text=title).first.click()
    settle(w)
