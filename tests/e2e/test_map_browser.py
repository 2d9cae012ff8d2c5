"""The interactive map as a person uses it, in real chromium, offline.

A filter or layer change keeps zoom and centre and never blanks the map; the legend
folds and never covers more than a fifth of the map (desktop and phone); tooltips sit
above the legend; VG names are written on the map; a click on a VG opens it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.i18n.catalogue import t
from tests.e2e.conftest import MAP, Watched

pytestmark = pytest.mark.e2e


def _attr(w: Watched, name: str) -> str:
    return str(w.page.locator(MAP).get_attribute(name))


def _wait_map(w: Watched, name: str, value: str) -> None:
    w.page.wait_for_function(
        """([sel, name, value]) => {
            const m = document.querySelector(sel);
            return !!m && m.getAttribute(name) === value;
        }""",
        arg=[MAP, name, value],
        timeout=60_000,
    )


def _open_map(w: Watched, url: str) -> None:
    w.page.goto(url)
    _wait_map(w, "data-ia-vg", "6")
    w.page.wait_for_function(
        "(sel) => { const m = document.querySelector(sel); return !!m && m.hasAttribute('data-ia-drawn'); }",
        arg=MAP,
        timeout=60_000,
    )


def _view(w: Watched) -> dict:
    return w.page.locator(MAP).evaluate(
        "m => { const a = m.iaAtlas.map, c = a.getCenter();"
        " return {zoom: a.getZoom(), lat: c.lat, lng: c.lng, probe: m.iaProbe || null}; }"
    )


def _category(w: Watched, name: str) -> None:
    page = w.page
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Kategorie").first
    if not box.locator("input").is_visible():
        page.get_by_text("Filter", exact=True).click()
    box.locator("input").click()
    page.keyboard.type(name)
    page.get_by_role("option", name=name, exact=True).first.click(timeout=30_000)
    page.keyboard.press("Escape")
    box.get_by_text(name, exact=True).first.wait_for(timeout=30_000)  # chosen


def test_filter_and_layer_changes_keep_the_view_and_never_blank(
    watched: Watched, app_url: str
) -> None:
    page = watched.page
    _open_map(watched, app_url)
    everything = _attr(watched, "data-ia-points")
    page.get_by_text(f"{everything} von").first.wait_for(timeout=30_000)
    frame = page.locator(MAP)
    # the person zooms in a little and moves the map; a probe marks this very map element
    frame.evaluate(
        "m => { const a = m.iaAtlas.map; a.setView(a.getCenter(), a.getZoom() + 0.5,"
        " {animate: false}); a.panBy([40, -30], {animate: false}); m.iaProbe = 'same map'; }"
    )
    before = _view(watched)
    # every frame the browser paints, the map must show its container, areas and offers
    frame.evaluate(
        """m => {
            const s = window.__monitor = {frames: 0, blank: 0};
            (function tick() {
                const c = document.querySelector(".ia-map.leaflet-container");
                const areas = c ? c.querySelectorAll("path.ia-vg").length : 0;
                const offers = c ? c.querySelectorAll(".ia-fac, .ia-cluster").length : 0;
                s.frames++;
                if (!c || areas === 0 || offers === 0) { s.blank++; }
                requestAnimationFrame(tick);
            })();
        }"""
    )
    _category(watched, "Kita")
    page.wait_for_function(
        """([sel, n]) => { const m = document.querySelector(sel);
            return !!m && m.getAttribute("data-ia-points") !== n; }""",
        arg=[MAP, everything],
        timeout=60_000,
    )
    kitas = _attr(watched, "data-ia-points")
    assert 0 < int(kitas) < int(everything)
    page.get_by_text(f"{kitas} von").first.wait_for(timeout=30_000)  # the page says the same
    page.get_by_text("2013 (9 VG").click()  # a layer change: the VGs of another vintage
    _wait_map(watched, "data-ia-vg", "9")
    after = _view(watched)
    monitor = frame.evaluate("m => window.__monitor")
    assert after["probe"] == "same map"  # the map was never reloaded
    assert (after["zoom"], after["lat"], after["lng"]) == (
        before["zoom"],
        before["lat"],
        before["lng"],
    )
    assert monitor["frames"] > 5 and monitor["blank"] == 0, monitor
    assert page.locator(MAP).locator(".ia-fac, .ia-cluster").count() > 0
    assert watched.errors == [] and watched.external == []


def _legend_share(w: Watched) -> dict:
    return w.page.locator(MAP).evaluate(
        """m => {
            const l = m.querySelector(".ia-legend").getBoundingClientRect();
            const r = m.getBoundingClientRect();
            const head = m.querySelector(".ia-legend-toggle");
            return {share: (l.width * l.height) / (r.width * r.height),
                    open: head.getAttribute("aria-expanded") === "true",
                    body: !m.querySelector(".ia-legend-body").hidden,
                    text: m.querySelector(".ia-legend").innerText};
        }"""
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_legend_folds_and_covers_at_most_a_fifth(
    watched: Watched, app_url: str, device: str
) -> None:
    page = watched.page
    if device == "phone":
        page.set_viewport_size({"width": 390, "height": 844})
    _open_map(watched, app_url)
    toggle = page.locator(MAP).locator(".ia-legend-toggle")
    first = _legend_share(watched)
    assert first["open"] is (device == "desktop") and first["body"] is (device == "desktop")
    assert first["share"] <= 0.2, first
    toggle.click()
    second = _legend_share(watched)
    assert second["open"] is (device == "phone") and second["share"] <= 0.2, second
    opened = first if first["open"] else second
    assert "Einwohner" in opened["text"] and "Kita" in opened["text"]
    assert "beieinander" in opened["text"]  # the cluster circle is explained
    toggle.click()
    assert _legend_share(watched)["open"] is first["open"]
    assert watched.errors == [] and watched.external == []


def test_vg_names_tooltips_above_the_legend_and_click(watched: Watched, app_url: str) -> None:
    page = watched.page
    _open_map(watched, app_url)
    inner = page.locator(MAP)
    labels = inner.locator(".ia-label-vg").all_inner_texts()
    assert {"Landstuhl", "Weilerbach", "Ramstein-Miesenbach"} <= set(labels), labels
    box = inner.bounding_box()
    assert box is not None
    legend = inner.locator(".ia-legend").bounding_box()
    assert legend is not None
    # hover a VG left of the legend (a fit keeps the areas clear of it), high enough that
    # its tooltip opens over the legend: on top of it
    spot = inner.evaluate(
        """(m, lg) => {
            for (let dx = 40; dx <= 200; dx += 20) {
                for (let y = lg.y + 20; y < lg.y + lg.height - 20; y += 8) {
                    const e = document.elementFromPoint(lg.x - dx, y);
                    if (e && e.classList.contains("ia-vg")) { return [lg.x - dx, y]; }
                }
            }
            return null;
        }""",
        legend,
    )
    assert spot, "no VG left of the legend"
    x, y = spot
    page.mouse.move(x, y)
    tip = inner.locator(".ia-tip")
    tip.wait_for(state="visible", timeout=10_000)
    assert "Verbandsgemeinde" in tip.inner_text()
    t, lg = tip.bounding_box(), inner.locator(".ia-legend").bounding_box()
    assert t is not None and lg is not None
    left, right = max(t["x"], lg["x"]), min(t["x"] + t["width"], lg["x"] + lg["width"])
    top, bottom = max(t["y"], lg["y"]), min(t["y"] + t["height"], lg["y"] + lg["height"])
    assert left < right and top < bottom, "the tooltip should overlap the legend here"
    on_top = inner.evaluate(
        """(m, p) => { const tip = m.querySelector(".ia-tip");
            tip.style.pointerEvents = "auto";
            const e = document.elementFromPoint(p[0], p[1]);
            tip.style.pointerEvents = "";
            return tip.contains(e); }""",
        [(left + right) / 2, (top + bottom) / 2],
    )
    assert on_top
    # a click into Weilerbach (on the area, beside its name, not on an offer) opens its view
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    point = inner.evaluate(
        """m => {
            const label = [...m.querySelectorAll(".ia-label-vg")].find(e => e.innerText === "Weilerbach");
            const r = label.getBoundingClientRect();
            for (let dy = 0; dy < 120; dy += 6) {
                for (const dx of [0, -30, 30, -60, 60]) {
                    const x = r.left + r.width / 2 + dx, y = r.bottom + 4 + dy;
                    const e = document.elementFromPoint(x, y);
                    if (e && e.classList.contains("ia-vg")) { return {x: x, y: y}; }
                }
            }
            return null;
        }"""
    )
    assert point is not None
    page.mouse.click(point["x"], point["y"])
    page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)").wait_for(
        timeout=60_000
    )
    _wait_map(watched, "data-ia-selected", "073355009")
    assert watched.errors == [] and watched.external == []


def _area_point(w: Watched, name: str) -> dict:
    """A point on the area of the VG ``name`` (beside its label, not on an offer), in the
    page's viewport."""
    point = w.page.locator(MAP).evaluate(
        """(m, name) => {
            const label = [...m.querySelectorAll(".ia-label-vg")].find(e => e.innerText === name);
            const r = label.getBoundingClientRect();
            for (let dy = 0; dy < 120; dy += 6) {
                for (const dx of [0, -30, 30, -60, 60]) {
                    const x = r.left + r.width / 2 + dx, y = r.bottom + 4 + dy;
                    const e = document.elementFromPoint(x, y);
                    if (e && (e.classList.contains("ia-vg") || e.classList.contains("ia-gemeinde"))) {
                        return {x: x, y: y};
                    }
                }
            }
            return null;
        }""",
        name,
    )
    assert point is not None, name
    return point


def test_what_if_is_placed_by_clicks_with_its_own_symbol(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(f"{app_url}/versorgung")
    _wait_map(watched, "data-ia-vg", "6")
    inner = page.locator(MAP)
    inner.scroll_into_view_if_needed()  # below the coverage summary
    planned = inner.locator(".ia-mark-planned.leaflet-marker-icon")
    assert planned.count() == 0
    first = _area_point(watched, "Landstuhl")
    page.mouse.click(first["x"], first["y"])
    planned.first.wait_for(timeout=60_000)
    legend = inner.locator(".ia-legend").inner_text()
    assert "geplant, nicht gespeichert" in legend
    where = inner.evaluate(
        "m => { let p = null; m.iaAtlas.marks.eachLayer(l => { p = l.getLatLng(); }); return p; }"
    )
    # the what-if's inputs opened above the map: look up where the map is now
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    inner.scroll_into_view_if_needed()
    second = _area_point(watched, "Weilerbach")
    page.mouse.click(second["x"], second["y"])
    page.wait_for_function(
        """([sel, lat]) => { const m = document.querySelector(sel); const a = m && m.iaAtlas;
            let p = null; if (a) { a.marks.eachLayer(l => { p = l.getLatLng(); }); }
            return !!p && Math.abs(p.lat - lat) > 1e-4; }""",
        arg=[MAP, where["lat"]],
        timeout=60_000,
    )
    assert planned.count() == 1  # one planned facility, moved; never drawn as an offer
    assert watched.errors == [] and watched.external == []


# -- the user's focus: what a click, a search or a page choice opens is in sight --------------
def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_a_vg_click_brings_its_view_in_sight_and_the_legend_leaves_it_clear(
    watched: Watched, app_url: str
) -> None:
    page = watched.page
    _open_map(watched, app_url)
    heading = page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)")
    point = _area_point(watched, "Weilerbach")
    page.mouse.click(point["x"], point["y"])
    heading.wait_for(timeout=60_000)
    expect(heading).to_be_in_viewport()  # the VG view below the map is scrolled to
    _wait_map(watched, "data-ia-fit", "vg:073355009")  # the map zoomed to the VG
    inner = page.locator(MAP)
    outline = inner.locator("path.ia-vg-selected").bounding_box()
    legend = inner.locator(".ia-legend").bounding_box()
    assert outline is not None and legend is not None
    assert legend["height"] > 100  # the legend is open (desktop)
    assert not _overlap(outline, legend), (outline, legend)
    assert watched.errors == [] and watched.external == []


def test_a_vg_is_chosen_with_the_keyboard_as_with_a_click(watched: Watched, app_url: str) -> None:
    page = watched.page
    _open_map(watched, app_url)
    page.locator(MAP).focus()  # as a skip link would: then only the keyboard
    names = []
    for _ in range(40):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e && e.matches('path.ia-vg') ? e.getAttribute('aria-label') : ''; }"
        )
        names.append(label)
        if label.startswith("Weilerbach"):
            break
    assert names[-1] == "Weilerbach: Eingabetaste wählt aus", names
    tip = page.locator(MAP).locator(".ia-tip")
    expect(tip).to_be_visible()  # the focused VG shows its figures, as under the mouse
    assert "Weilerbach" in tip.inner_text()
    page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Verbandsgemeinde Weilerbach (073355009)")
    heading.wait_for(timeout=60_000)
    _wait_map(watched, "data-ia-selected", "073355009")
    expect(heading).to_be_in_viewport()
    live = page.locator(MAP).locator("[aria-live]")
    expect(live).to_have_text("Ausgewählt: Weilerbach")  # announced
    assert watched.errors == [] and watched.external == []


def test_a_name_search_opens_the_hit_with_its_surroundings(watched: Watched, app_url: str) -> None:
    page = watched.page
    _open_map(watched, app_url)
    for attempt in range(3):  # every time, not once in a while
        page.goto(f"{app_url}/?q=Jugendb%C3%BCro")
        page.get_by_text("1 Treffer").wait_for(timeout=60_000)
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
        popup = page.locator(MAP).locator(".ia-popup")
        expect(popup).to_be_visible(timeout=30_000)
        assert "Jugendbüro Ramstein" in popup.inner_text(), attempt
        view = _view(watched)
        assert 13.5 <= view["zoom"] <= 15, view  # the hit and a few streets around it
        labels = page.locator(MAP).locator(".ia-label").all_inner_texts()
        assert labels, "no place names around the hit"
        # moving the map a little (a redraw of the offers) keeps the popup open
        page.locator(MAP).evaluate("m => m.iaAtlas.map.panBy([60, 30], {animate: false})")
        expect(popup).to_be_visible()
    assert watched.errors == [] and watched.external == []


def test_the_phone_sidebar_closes_after_a_page_is_chosen(phone: Watched, app_url: str) -> None:
    page = phone.page
    page.goto(app_url)
    page.get_by_role("heading", name="Karte: Angebote und Bedarf").wait_for(timeout=60_000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    if sidebar.get_attribute("data-collapsed") != "false":
        page.get_by_test_id("stExpandSidebarButton").click()
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    page.get_by_role("link", name="Versorgungsanalyse").click()
    page.get_by_role("heading", name="Versorgungsanalyse").first.wait_for(timeout=60_000)
    expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=30_000)
    # it slides out of the screen (an animation: awaited, then measured)
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stSidebar"]');
            const r = s && s.getBoundingClientRect(); return !r || r.right <= 1; }""",
        timeout=30_000,
    )
    box = sidebar.bounding_box()
    assert box is None or box["x"] + box["width"] <= 1, box  # out of the screen
    expect(page.get_by_role("heading", name="Versorgungsanalyse").first).to_be_in_viewport()
    assert phone.errors == [] and phone.external == []


# -- accessible: no axe-core violation in the map (WCAG 2.1 A/AA) ----------------------------
@pytest.mark.parametrize("path", ["", "versorgung"])
def test_the_map_has_no_accessibility_violations(watched: Watched, app_url: str, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.finder_browser import WCAG_TAGS

    page = watched.page
    page.goto(f"{app_url}/{path}")
    _wait_map(watched, "data-ia-vg", "6")
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    results = Axe().run(page, context=MAP, options=options)
    assert results.violations_count == 0, results.generate_report()
    inner = page.locator(MAP)
    assert inner.get_attribute("role") == "region" and inner.get_attribute("aria-label") == "Karte"
    summary = page.locator("#" + str(inner.get_attribute("aria-describedby")))
    assert "6 Verbandsgemeinden (Gebietsstand 2019)" in summary.inner_text()
    assert "Angebote auf der Karte" in summary.inner_text()
    assert watched.errors == [] and watched.external == []


def test_the_what_if_is_placed_with_the_keyboard_as_with_a_click(
    watched: Watched, app_url: str
) -> None:
    page = watched.page
    page.goto(f"{app_url}/versorgung")
    _wait_map(watched, "data-ia-vg", "6")
    inner = page.locator(MAP)
    planned = inner.locator(".ia-mark-planned.leaflet-marker-icon")
    assert planned.count() == 0
    inner.focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => { const e = document.activeElement;"
            " return e && e.matches('path.ia-vg') ? e.getAttribute('aria-label') : ''; }"
        )
        if label.startswith("Landstuhl"):
            break
    else:
        raise AssertionError("Landstuhl not reached with the Tab key")
    page.keyboard.press("Enter")
    planned.first.wait_for(timeout=60_000)  # the same event as a click: placed in Landstuhl
    assert "geplant, nicht gespeichert" in inner.locator(".ia-legend").inner_text()
    assert watched.errors == [] and watched.external == []


def test_a_link_asking_for_a_share_per_1000_says_why_nothing_is_shaded(
    watched: Watched, app_url: str
) -> None:
    # a share is never divided per 1,000 inhabitants: the link's overlay is refused, and the
    # page says so (instead of "no indicator for this level" or an overlay quietly missing)
    page = watched.page
    page.goto(f"{app_url}/?v=2014&ind=foreign_population_share&p1k=1")
    page.wait_for_function(  # the VGs of 2014 are drawn
        "(sel) => { const m = document.querySelector(sel);"
        " return !!m && m.hasAttribute('data-ia-drawn') && +m.getAttribute('data-ia-vg') > 0; }",
        arg=MAP,
        timeout=60_000,
    )
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="Flächenfärbung")
    expect(alert).to_be_visible(timeout=60_000)
    text = alert.inner_text()
    assert "je 1.000 Einwohner" in text and "Anteil" in text, text
    assert "keinen Indikator" not in page.locator('[data-testid="stMain"]').inner_text()
    values = page.get_by_role("heading", name=t("atlas.values_heading", "de"))
    expect(values).to_have_count(0)  # no values table beside the map either
    # switched off, the same share is shaded as what it is
    page.locator('[data-testid="stSidebar"] summary').filter(has_text="Bedarf").first.click()
    page.get_by_role("checkbox", name="je 1.000 Einwohner").uncheck(force=True)
    expect(alert).to_have_count(0, timeout=60_000)
    expect(values).to_be_visible(timeout=60_000)  # the share itself, shaded and tabled
    assert watched.errors == [] and watched.external == []
