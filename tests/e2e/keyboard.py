"""Moving through the atlas with the keyboard alone: Tab to a control by its name, choose in
a select box by typing, and check where the focus is and that a person can see it.

Nothing here moves or clicks the mouse: a test built on these helpers (and
``page.keyboard``) fails if a step needs a pointer. The page is only asked where the focus
is (``document.activeElement``), never told to put it somewhere.
"""

from __future__ import annotations

from tests.e2e.conftest import Watched
from tests.e2e.journey import TIMEOUT, settle

#: The accessible name of the focused control: its label, aria-label or, for a control, its
#: text (Streamlit's widgets name their inputs through a <label>, aria-label or the button's
#: text; a focused scroll container is named by none of its content).
_FOCUSED_NAME = """() => { const e = document.activeElement;
    if (!e || e === document.body) return null;
    const own = e.getAttribute('aria-label') || '';
    const labels = e.labels ? [...e.labels].map(l => l.innerText.trim()) : [];
    const by = (e.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
        .map(id => (document.getElementById(id) || {}).innerText || '');
    const control = e.matches('a, button, summary, input, select, textarea, [role]');
    const text = control ? (e.innerText || '').trim() : '';
    return [own, ...labels, ...by, text].filter(Boolean).join('|'); }"""

#: Whether a person sees where the focus is: the browser treats the focus as shown
#: (``:focus-visible``), and the focused control or one of the five boxes around it (Streamlit
#: draws the ring of an input on its wrapper) looks different with the focus than without:
#: an outline, a ring (box-shadow), a border or background colour. Compared by taking the
#: focus away and giving it back, a frame later each (no value is pending when this is
#: asked).
_FOCUS_SHOWN = """async () => { const e = document.activeElement;
    if (!e || e === document.body || !e.matches(':focus-visible')) return false;
    const boxes = []; for (let x = e, i = 0; i < 6 && x; i++, x = x.parentElement) boxes.push(x);
    const look = () => boxes.map(x => { const s = getComputedStyle(x);
        const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ?
            s.outlineColor + s.outlineWidth : '';
        return [outline, s.boxShadow, s.borderTopColor, s.borderBottomColor,
                s.backgroundColor].join(';'); });
    const frames = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 60)));
    const focused = look(); e.blur(); await frames(); const plain = look();
    e.focus({preventScroll: true}); await frames();
    return focused.some((v, i) => v !== plain[i]) && document.activeElement === e; }"""


def focused_name(w: Watched) -> str | None:
    """The accessible name(s) of the focused control, ``|``-joined; ``None`` if nothing
    (the page itself) has the focus."""
    return w.page.evaluate(_FOCUSED_NAME)  # type: ignore[attr-defined,no-any-return]


def names(w: Watched, name: str) -> bool:
    """Whether the focused control is named ``name`` (or a line of its name starts with it:
    a button's text may end in the hint of its keyboard shortcut, an expander's begins with
    its icon)."""
    found = focused_name(w)
    parts = [line.strip() for p in (found or "").split("|") for line in p.split("\n")]
    return found is not None and any(p.startswith(name) for p in parts)


def focus_shown(w: Watched, tries: int = 6) -> bool:
    """Whether the focused control shows its focus (see :data:`_FOCUS_SHOWN`); asked again a
    few times while the page may still be drawing the end of a rerun."""
    for _ in range(tries):
        if w.page.evaluate(_FOCUS_SHOWN):  # type: ignore[attr-defined]
            return True
        w.page.wait_for_timeout(250)  # type: ignore[attr-defined]  # polling interval
    return False


def tab_to(w: Watched, name: str, *, back: bool = False, limit: int = 250) -> None:
    """Press Tab (Shift+Tab with ``back``) until a control named ``name`` has the focus, and
    check that the focus is visible there; fails after ``limit`` presses."""
    page = w.page
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")  # type: ignore[attr-defined]
        if names(w, name):
            assert focus_shown(w), f"the focus on {name!r} is not visible"
            return
    raise AssertionError(f"{name!r} not reached with {limit} × Tab")


def tab_into(w: Watched, selector: str, *, limit: int = 250) -> None:
    """Press Tab until the focus is inside an element matching ``selector`` (a widget whose
    focusable part has no name of its own), and check that the focus is visible there."""
    page = w.page
    inside = "(sel) => !!document.activeElement && !!document.activeElement.closest(sel)"
    for _ in range(limit):
        page.keyboard.press("Tab")  # type: ignore[attr-defined]
        if page.evaluate(inside, selector):  # type: ignore[attr-defined]
            assert focus_shown(w), f"the focus in {selector!r} is not visible"
            return
    raise AssertionError(f"{selector!r} not reached with {limit} × Tab")


def choose(w: Watched, label: str, option: str) -> None:
    """Tab to the select box ``label``, type the option's first letters, arrow down to it,
    Enter; then check the box shows it (a rerun meanwhile: choose again, as a person does)."""
    page = w.page
    focused_option = "() => document.querySelector('[role=option][data-focused]')?.innerText.trim()"
    for attempt in range(3):
        settle(w)
        if not names(w, label):
            tab_to(w, label)
        page.keyboard.type(option[:4], delay=40)  # type: ignore[attr-defined]
        page.get_by_role("option", name=option, exact=True).first.wait_for(timeout=TIMEOUT)  # type: ignore[attr-defined]
        for _ in range(30):
            if page.evaluate(focused_option) == option:  # type: ignore[attr-defined]
                break
            page.keyboard.press("ArrowDown")  # type: ignore[attr-defined]
        page.keyboard.press("Enter")  # type: ignore[attr-defined]
        page.keyboard.press("Escape")  # type: ignore[attr-defined]  # a multiselect stays open
        settle(w)
        shown = page.evaluate(  # type: ignore[attr-defined]
            """() => { const e = document.activeElement, box = e && e.closest(
                '[data-testid=stSelectbox], [data-testid=stMultiSelect]');
                return box ? (e.value || '') + ' ' + box.innerText : ''; }"""
        )
        if option in shown:
            return
        if attempt == 2:
            raise AssertionError(f"{label!r} shows {shown!r}, not {option!r}")
