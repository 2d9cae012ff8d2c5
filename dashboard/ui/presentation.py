"""Presentation mode: the sequence editor and the full-screen show."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.render.web.presentation import SEP, parse_sequence, view_label
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.ui.exports import all_vgs_handout
from dashboard.ui.mapview import show_map
from dashboard.ui.text import table

_STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"] { display: none !important; }
.block-container { padding-top: 1.2rem !important; max-width: 96vw !important; }
.ia-pres h1 { font-size: 2.6rem; margin: 0 0 0.2rem 0; }
.ia-pres p.sub { font-size: 1.4rem; color: #444; margin: 0; }
.ia-pres-nav { display: flex; justify-content: space-between; font-size: 1.5rem; margin: 0.4rem 0; }
.ia-pres-nav a { text-decoration: none; padding: 0.2rem 0.8rem; border: 2px solid #1b3a6b;
  border-radius: 6px; color: #1b3a6b; }
[data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.25rem !important; }
.ia-pres-footer { font-size: 1.05rem; color: #333; margin-top: 0.4rem; }
</style>"""


def sequence(view: RoleView) -> list[str]:
    """The view codes of the URL (``seq``), or the default sequence."""
    return parse_sequence(st.query_params.get("seq"), view.district)


def editor(view: RoleView, codes: list[str], lang: str) -> None:
    """Assemble a sequence (the only place of the mode with widgets) and the handout."""
    st.title(t("pres.compose", lang))
    st.caption(t("pres.compose_help", lang))
    all_codes = parse_sequence(None, view.district)
    chosen = st.multiselect(
        t("pres.compose", lang),
        all_codes,
        default=codes,
        format_func=lambda c: view_label(c, view.district, lang),
        key="pres_codes",
    )
    st.link_button(
        t("pres.start", lang),
        "?" + urlencode({"seq": SEP.join(chosen or all_codes), "i": 0, "lang": lang}),
        type="primary",
    )
    st.subheader(t("exp.heading", lang))
    all_vgs_handout(view, lang)


def _position(codes: list[str]) -> int:
    try:
        return min(max(int(st.query_params.get("i", "0")), 0), len(codes) - 1)
    except ValueError:
        return 0


def _link(codes: list[str], j: int, label: str, cls: str, lang: str) -> str:
    query = urlencode({"seq": SEP.join(codes), "i": j, "lang": lang})
    return f'<a class="{cls}" href="?{html.escape(query)}" target="_self">{html.escape(label)}</a>'


def show(view: RoleView, codes: list[str], lang: str) -> None:
    """One full-screen view of the sequence with next/previous links."""
    i = _position(codes)
    slide = outputs.slide(view, codes[i], lang)
    st.markdown(_STYLE, unsafe_allow_html=True)
    prev_link = (
        _link(codes, i - 1, t("pres.prev", lang), "ia-prev", lang) if i > 0 else "<span></span>"
    )
    next_link = (
        _link(codes, i + 1, t("pres.next", lang), "ia-next", lang)
        if i < len(codes) - 1
        else "<span></span>"
    )
    position = html.escape(t("pres.position", lang, i=i + 1, n=len(codes)))
    st.markdown(
        f'<div class="ia-pres"><h1>{html.escape(slide.title)}</h1>'
        f'<p class="sub">{html.escape(slide.subtitle)}</p></div>'
        f'<div class="ia-pres-nav">{prev_link}<span>{position}</span>{next_link}</div>',
        unsafe_allow_html=True,
    )
    col_map, col_fig = st.columns([3, 2])
    with col_map:
        show_map(view, slide.state, "pres_map", height=600)
    with col_fig:
        table(slide.figures)
    st.markdown(
        f'<div class="ia-pres-footer">{html.escape(slide.footer)}</div>', unsafe_allow_html=True
    )
