"""Presentation mode: the sequence editor and the full-screen show, in the same tab.

The sequence, the position and the mode (editor or show) live in the session and in the
URL (``?seq=overview~vg:<VG key>&i=0``; ``&edit=1`` for the editor), so a prepared
presentation is saved as a link. Moving on is a button (also the arrow and page keys of
a presenter's remote) that reruns the page in the same tab: no page load. Every view
(figures and its map, a PNG in large type drawn like the printable map) is prepared once
per data version, audience and language and cached: while one view is shown the views
next to it are prepared, so the next one is drawn from memory.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace

import streamlit as st

from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.render.web.presentation import (
    SEP,
    Slide,
    all_views,
    default_sequence,
    parse_sequence,
    view_label,
)
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.ui.common import shared_state, sync_url
from dashboard.ui.common import view as current_view
from dashboard.ui.exports import all_vgs_handout, map_exports, vg_handout
from dashboard.ui.text import plain, table

_SEQ, _POS, _MODE, _CODES = "pres_seq", "pres_i", "pres_mode", "pres_codes"

_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stElementToolbar"] {
  display: none !important; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem !important;
  padding-bottom: 0.5rem !important; max-width: 97vw !important; }
.ia-pres h1 { font-size: 3rem; line-height: 1.15; margin: 0 0 0.2rem 0; padding: 0; }
.ia-pres p.sub { font-size: 1.6rem; color: #333; margin: 0; }
.ia-pres-pos { font-size: 1.5rem; text-align: center; padding-top: 0.35rem; }
.st-key-pres_prev button, .st-key-pres_next button, .st-key-pres_edit button {
  font-size: 1.4rem !important; min-height: 3rem; }
.st-key-pres_prev button p, .st-key-pres_next button p, .st-key-pres_edit button p {
  font-size: 1.4rem !important; }
.st-key-pres_prev_page, .st-key-pres_next_page, .st-key-pres_preload { display: none !important; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.45rem !important;
  line-height: 1.3 !important; padding: 0.35rem 0.5rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td, [data-testid="stTable"] th *,
[data-testid="stTable"] td * { white-space: normal !important; }
[data-testid="stTable"] tbody th, [data-testid="stTable"] tbody th * {
  overflow-wrap: anywhere !important; }
[data-testid="stTable"] > div { overflow: visible !important; }
[data-testid="stTable"] table { width: 100% !important; }
[data-testid="stImage"] img { max-height: calc(100vh - 14rem); width: auto !important;
  max-width: 100%; object-fit: contain; }
.ia-leg h2 { font-size: 1.45rem; margin: 0.2rem 0 0.3rem 0; padding: 0; }
.ia-leg-row { display: flex; align-items: center; gap: 0.6rem; font-size: 1.35rem;
  line-height: 1.3; margin: 0.15rem 0; }
.ia-leg-box { display: inline-block; flex: none; width: 2.2rem; height: 1.4rem;
  border: 1px solid #555; }
.ia-leg-dot { display: inline-block; flex: none; width: 0.8rem; height: 0.8rem; margin: 0 0.7rem;
  border-radius: 50%; background: #d7301f; }
.ia-leg-line { display: inline-block; flex: none; width: 2.2rem; height: 0; border-top: 5px solid
  #d7301f; }
.ia-leg-note { font-size: 1.1rem; color: #333; margin: 0.2rem 0 0.5rem 0; }
.ia-pres-footer { font-size: 1.15rem; color: #222; margin-top: 0.3rem; }
</style>"""


# -- state: sequence, position, mode ------------------------------------------------------------
def _start_state(view: RoleView) -> None:
    """On the page's first visit in a session: the sequence, position and mode of the URL
    (a saved presentation), else the default sequence from its start."""
    if _SEQ in st.session_state:
        return
    q = st.query_params.to_dict()
    codes = parse_sequence(q.get("seq"), view.district)
    st.session_state[_SEQ] = codes
    st.session_state[_POS] = _clamp(q.get("i", "0"), len(codes))
    st.session_state[_MODE] = "edit" if q.get("edit") == "1" else "show"


def _clamp(text: str, n: int) -> int:
    try:
        return min(max(int(text), 0), n - 1)
    except ValueError:
        return 0


def _go(j: int) -> None:
    """Callback of the navigation buttons: show view ``j`` of the sequence."""
    n = len(st.session_state[_SEQ])
    st.session_state[_POS] = min(max(j, 0), n - 1)


def _open_editor() -> None:
    st.session_state[_MODE] = "edit"
    st.session_state[_CODES] = list(st.session_state[_SEQ])


def _start_show() -> None:
    chosen = list(st.session_state.get(_CODES) or [])
    if chosen:
        st.session_state[_SEQ] = chosen
        st.session_state[_POS] = 0
        st.session_state[_MODE] = "show"


def _use_default(codes: list[str]) -> None:
    st.session_state[_CODES] = list(codes)


def mode(view: RoleView) -> str:
    """``edit`` (the sequence editor) or ``show`` (the full-screen views)."""
    _start_state(view)
    return str(st.session_state[_MODE])


# -- prepared views -----------------------------------------------------------------------------
def _overlay(state: ViewState) -> ViewState:
    """A slide's map with the needs overlay chosen on the map page (shared view)."""
    s = shared_state()
    return replace(
        state, indicator=s.indicator, level=s.level, per_1000=s.per_1000, scheme=s.scheme,
        k=s.k, breaks=s.breaks,
    )  # fmt: skip


@st.cache_resource(show_spinner=False, max_entries=256)
def _slide(
    code: str, lang: str, key: tuple[str, int, tuple[str, tuple[str, ...]]], _view: RoleView
) -> Slide:
    """One view, built once per data version and audience (``key``) and language."""
    return outputs.slide(_view, code, lang)


@st.cache_resource(show_spinner=False, max_entries=256)
def _slide_image(
    state: ViewState,
    key: tuple[str, int, tuple[str, tuple[str, ...]]],
    today: dt.date,
    _view: RoleView,
) -> tuple[bytes, str, str]:
    """The map of a view (PNG), its legend (HTML) and its text alternative, drawn once per
    state, data version, audience and day."""
    return outputs.slide_image(_view, state, today)


def _prepared(view: RoleView, code: str, lang: str) -> tuple[Slide, tuple[bytes, str, str]]:
    slide = _slide(code, lang, view.key, view)
    return slide, _slide_image(_overlay(slide.state), view.key, dt.date.today(), view)


#: How many views on each side of the shown one are prepared in its run (each step
#: prepares the next ones, so the presenter always steps into prepared views).
REACH = 2


def prepare(view: RoleView, codes: list[str], lang: str, first: int = 0) -> None:
    """Prepare the views of a sequence within :data:`REACH` of ``first`` (figures and map),
    the nearest first.

    A prepared view stays in the cache, so a later step is drawn from memory; the views
    farther away are prepared by the steps that come near them, so the first view of a
    long sequence is not held up by its last. A click during the preparation interrupts it
    between two views (Streamlit reruns at the next element), and the next run goes on
    where it stopped.

    Parameters
    ----------
    view
        The user's view.
    codes
        The sequence.
    lang
        ``de`` or ``en``.
    first
        The position shown now.
    """
    near = [j for j in range(len(codes)) if abs(j - first) <= REACH]
    for j in sorted(near, key=lambda j: (abs(j - first - 0.5), j)):
        st.empty()  # a point where a waiting click interrupts this run
        _prepared(view, codes[j], lang)


# -- the show -------------------------------------------------------------------------------------
def show(view: RoleView, lang: str) -> None:
    """One full-screen view of the sequence with previous/next and the editor button.

    The show is a fragment: moving on reruns only the view, not the whole page (navigation,
    sign-in); the views next to the shown one are already loaded by the browser.
    """
    del view  # the fragment reads the user's view at each of its own runs
    _show(lang)


@st.fragment
def _show(lang: str) -> None:
    view = current_view()
    codes: list[str] = st.session_state[_SEQ]
    i = _clamp(str(st.session_state[_POS]), len(codes))
    sync_url({"seq": SEP.join(codes), "i": str(i)}, shared=("lang",))
    with st.spinner(t("pres.preparing", lang)):
        slide, (image, legend, alt) = _prepared(view, codes[i], lang)
    st.markdown(_STYLE, unsafe_allow_html=True)
    st.markdown(
        f'<div class="ia-pres"><h1>{html.escape(slide.title)}</h1>'
        f'<p class="sub">{html.escape(slide.subtitle)}</p></div>',
        unsafe_allow_html=True,
    )
    c_prev, c_pos, c_next, c_edit = st.columns([2, 3, 2, 2], vertical_alignment="center")
    c_prev.button(
        t("pres.prev", lang), key="pres_prev", on_click=_go, args=(i - 1,), disabled=i == 0,
        shortcut="Left", width="stretch",
    )  # fmt: skip
    position = html.escape(t("pres.position", lang, i=i + 1, n=len(codes)))
    c_pos.markdown(f'<div class="ia-pres-pos">{position}</div>', unsafe_allow_html=True)
    c_next.button(
        t("pres.next", lang), key="pres_next", on_click=_go, args=(i + 1,),
        disabled=i >= len(codes) - 1, shortcut="Right", type="primary", width="stretch",
    )  # fmt: skip
    if c_edit.button(t("pres.edit", lang), key="pres_edit", width="stretch"):
        _open_editor()
        st.rerun(scope="app")  # the editor is another page layout
    # a presenter's remote sends Page Up / Page Down: the same moves, on hidden buttons
    st.button("⇞", key="pres_prev_page", on_click=_go, args=(i - 1,), shortcut="PageUp")
    st.button("⇟", key="pres_next_page", on_click=_go, args=(i + 1,), shortcut="PageDown")
    col_map, col_fig = st.columns([3, 1])  # the map fills most of the projector screen
    with col_map:
        alt_text = t("alt.slide_map", lang, title=slide.title) + " " + alt
        st.image(image, width="stretch", alt=alt_text)
    with col_fig:
        st.markdown(legend, unsafe_allow_html=True)  # built from escaped text only
        table(slide.figures)
    st.markdown(
        f'<div class="ia-pres-footer">{html.escape(slide.footer)}</div>', unsafe_allow_html=True
    )
    prepare(view, codes, lang, first=i)  # the other views, while this one is shown
    with st.container(key="pres_preload"):  # hidden: the browser loads the next maps now
        for j in (i - 1, i + 1):
            if 0 <= j < len(codes):
                st.image(_prepared(view, codes[j], lang)[1][0], alt="")  # hidden preload


# -- the editor -----------------------------------------------------------------------------------
def editor(view: RoleView, lang: str) -> None:
    """Assemble a sequence (starting from the current one), start it in the same tab, and
    make the files of its views (printable map, Steckbrief, handout)."""
    data = view.district
    if _CODES not in st.session_state:
        st.session_state[_CODES] = list(st.session_state[_SEQ])
    st.title(t("pres.compose", lang))
    st.caption(t("pres.compose_help", lang))
    chosen = st.multiselect(
        t("pres.views", lang),
        all_views(data),
        format_func=lambda c: view_label(c, data, lang),
        placeholder=t("pres.views_empty", lang),
        key=_CODES,
    )
    sync_url({"edit": "1", "seq": SEP.join(chosen)}, shared=("lang",))
    c1, c2, c3 = st.columns(3)
    c1.button(
        t("pres.start", lang), key="pres_start", type="primary", on_click=_start_show,
        disabled=not chosen, width="stretch",
    )  # fmt: skip
    c2.button(
        t("pres.default", lang), key="pres_default", on_click=_use_default,
        args=(default_sequence(data),), width="stretch",
    )  # fmt: skip
    c3.button(t("pres.clear", lang), key="pres_clear", on_click=_use_default, args=([],),
              width="stretch")  # fmt: skip
    if not chosen:
        st.info(t("pres.views_empty", lang))
    st.header(t("exp.heading", lang))
    if chosen:
        _view_exports(view, chosen, lang)
    all_vgs_handout(view, lang)
    prepare(view, chosen, lang)  # while the presenter chooses: the show then starts at once


def _view_exports(view: RoleView, chosen: list[str], lang: str) -> None:
    """Printable map (and for a VG its Steckbrief) of one view of the sequence."""
    data = view.district
    if st.session_state.get("pres_export") not in chosen:
        st.session_state["pres_export"] = chosen[0]
    code = st.selectbox(
        t("pres.export_view", lang),
        chosen,
        format_func=lambda c: view_label(c, data, lang),
        key="pres_export",
    )
    slide = _slide(code, lang, view.key, view)
    st.caption(plain(slide.title))
    map_exports(view, _overlay(slide.state), lang, dt.date.today(), title=slide.title)
    if code.startswith("vg:"):
        key = code.split(":", 1)[1]
        vintage = view.config.current_vintage
        vg_handout(view, key, vintage, view.vg_names(vintage)[key], lang)
