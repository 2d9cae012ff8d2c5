"""Every URL parameter is clamped or refused with a note, never an exception.

The address bar is input like any other: a shared link may be edited, truncated or
crafted. Each public page runs in AppTest with hostile values for each of its
parameters; the page must run without an exception (no traceback reaches a user) and
show its content.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.domain.viewstate import K_MAX, K_MIN, from_query
from tests.conftest import REPO

HOSTILE = (
    "8", "0", "-1", "99999999999999999999", "1e309", "nan", "inf", "-inf", "",
    "~", "~~~", "x" * 5000, "<script>alert(1)</script>", "**fett**", "%00", "\u202e",
    "1~2~nan~inf", "2013", "073355009~073355009",
)  # fmt: skip

PAGES = {
    "karte.py": (
        "lang", "v", "ly", "bm", "ind", "lvl", "p1k", "cls", "k", "br", "vg", "gem", "cat",
        "hf", "spr", "zg", "prec", "ver", "q",
    ),
    "versorgung.py": ("sel", "glvl", "v", "aus", "max_distance_km", "min_per_1000", "radius_km"),
    "praesentation.py": ("seq", "i", "edit"),
}  # fmt: skip


def _run(page: str, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / page), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at


def _shown(at: AppTest) -> bool:
    """The page drew its content (a title, or the presentation's HTML)."""
    return bool(at.title) or any(m.value for m in at.markdown)


@pytest.mark.parametrize("page", list(PAGES))
def test_hostile_url_values_never_raise(page: str) -> None:
    for value in HOSTILE:  # every parameter of the page at once
        at = _run(page, dict.fromkeys(PAGES[page], value))
        assert not at.exception, (page, value[:40], at.exception)
        assert _shown(at), (page, value[:40])
    for key in PAGES[page]:  # one at a time, with the values most likely to break a widget
        for value in ("8", "-1", "nan", "x" * 5000):
            at = _run(page, {key: value})
            assert not at.exception, (page, key, value[:40], at.exception)
            assert _shown(at), (page, key, value[:40])


def test_k_beyond_the_slider_falls_back_with_a_note() -> None:
    state = from_query({"k": "8"})
    assert state.k == 4 and state.notes == ("k=8",)
    assert from_query({"k": "1"}).k == 4 and from_query({"k": "abc"}).k == 4
    assert from_query({"k": str(K_MAX)}).k == K_MAX and from_query({"k": str(K_MIN)}).k == K_MIN
    at = _run("karte.py", {"k": "8", "cls": "natural_breaks"})
    assert not at.exception
    assert at.slider(key="atlas_k").value == 4
    assert any("k=8" in w.value for w in at.warning)


def test_breaks_keep_only_finite_numbers() -> None:
    state = from_query({"br": "1~nan~inf~2~-inf~1e309~3"})
    assert state.breaks == (1.0, 2.0, 3.0) and "br=nan" in state.notes
    assert len(from_query({"br": "~".join(str(i) for i in range(1000))}).breaks) <= K_MAX + 1


def test_thresholds_beyond_the_inputs_are_clamped_with_a_note() -> None:
    at = _run("versorgung.py", {"max_distance_km": "100", "radius_km": "nan", "min_per_1000": "2"})
    assert not at.exception
    assert at.number_input(key="gaps_max_distance_km").value == 50.0
    assert at.number_input(key="gaps_radius_km").value == 5.0  # the default
    assert at.number_input(key="gaps_min_per_1000").value == 2.0
    (warning,) = at.sidebar.warning
    assert "max\\_distance\\_km=100" in warning.value and "radius\\_km=nan" in warning.value
