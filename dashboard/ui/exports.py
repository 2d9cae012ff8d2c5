"""Export buttons with progress: printable map (PNG/PDF), standalone HTML, VG handouts."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.ui.common import district_data, view_layers


@st.cache_resource(show_spinner=False)
def _context():  # noqa: ANN202 - dashboard.render.print.steckbrief.ReportContext
    from dashboard.render.print.steckbrief import load_context

    return load_context()


def _run(label: str, make) -> bytes:  # noqa: ANN001
    """Run an export with a visible progress bar; return the file's bytes."""
    bar = st.progress(0.0, text=label)

    def progress(step: int, total: int, message: str) -> None:
        bar.progress(min(step / max(total, 1), 1.0), text=f"{label}: {message}")

    with tempfile.TemporaryDirectory() as tmp:
        out = make(Path(tmp), progress)
        data = Path(out).read_bytes()
    bar.empty()
    return data


def map_exports(state: ViewState, lang: str, today: dt.date) -> None:
    """Printable map of the current view and the offline HTML file."""
    from dashboard.render.print.static_map import render_map
    from dashboard.render.web.html_export import export_html

    c1, c2, c3 = st.columns(3)
    paper = c1.selectbox(t("exp.paper", lang), ["A4", "A3"], key="exp_paper")
    orientation = c2.selectbox(
        t("exp.orientation", lang),
        ["landscape", "portrait"],
        format_func=lambda o: t(f"exp.{o}", lang),
        key="exp_orient",
    )
    fmt = c3.selectbox(t("exp.format", lang), ["png", "pdf"], key="exp_fmt")
    if st.button(t("exp.make_map", lang), key="exp_make_map"):
        points, choropleth = view_layers(state, today)

        def make(tmp: Path, progress) -> Path:  # noqa: ANN001
            progress(1, 2, t("exp.drawing", lang))
            return render_map(
                district_data(), state.vintage, points, choropleth, paper=paper, orientation=orientation,
                dpi=300, fmt=fmt, lang=lang, out=tmp / f"karte.{fmt}", choropleth_level=state.level,
                selected_vg=state.vg, show_gemeinden="gemeinden" in state.layers, show_city="city" in state.layers,
            )  # fmt: skip

        st.session_state["exp_map_bytes"] = (_run(t("exp.make_map", lang), make), fmt)
    if "exp_map_bytes" in st.session_state:
        data, kind = st.session_state["exp_map_bytes"]
        st.download_button(
            t("exp.download", lang, fmt=kind.upper()),
            data,
            file_name=f"integrationsatlas-karte.{kind}",
            key="exp_dl_map",
        )
    if st.button(t("exp.make_html", lang), key="exp_make_html"):
        st.session_state["exp_html"] = _run(
            t("exp.make_html", lang),
            lambda tmp, progress: export_html(
                tmp / "karte.html", state, today=today, context=_context()
            ),
        )
    if "exp_html" in st.session_state:
        st.download_button(
            t("exp.download", lang, fmt="HTML"),
            st.session_state["exp_html"],
            file_name="integrationsatlas-karte.html",
            mime="text/html",
            key="exp_dl_html",
        )


def vg_handout(vg_key: str, vintage: int, name: str, lang: str) -> None:
    """Steckbrief (PDF) of one VG."""
    from dashboard.render.print.steckbrief import vg_report

    if st.button(t("exp.make_vg", lang, name=name), key=f"exp_vg_{vg_key}"):
        st.session_state[f"exp_vg_bytes_{vg_key}"] = _run(
            t("exp.make_vg", lang, name=name),
            lambda tmp, progress: vg_report(
                vg_key,
                vintage,
                out=tmp / "steckbrief.pdf",
                lang=lang,
                context=_context(),
                progress=progress,
            ),
        )
    if f"exp_vg_bytes_{vg_key}" in st.session_state:
        st.download_button(
            t("exp.download", lang, fmt="PDF"),
            st.session_state[f"exp_vg_bytes_{vg_key}"],
            file_name=f"steckbrief-{name.lower()}.pdf",
            mime="application/pdf",
            key=f"exp_dl_vg_{vg_key}",
        )


def all_vgs_handout(lang: str) -> None:
    """One PDF with a section per current VG."""
    from dashboard.render.print.steckbrief import all_vgs_report

    if st.button(t("exp.make_all", lang), key="exp_all"):
        st.session_state["exp_all_bytes"] = _run(
            t("exp.make_all", lang),
            lambda tmp, progress: all_vgs_report(
                out=tmp / "handout.pdf", lang=lang, context=_context(), progress=progress
            ),
        )
    if "exp_all_bytes" in st.session_state:
        st.download_button(
            t("exp.download", lang, fmt="PDF"),
            st.session_state["exp_all_bytes"],
            file_name="integrationsatlas-handout.pdf",
            mime="application/pdf",
            key="exp_dl_all",
        )
