"""Export buttons with progress: printable map (PNG/PDF), offline HTML, Steckbrief, handout.

Every file is made from the user's view at the current data version
(:mod:`dashboard.services.outputs`); a file made after an edit shows the edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.services import outputs
from dashboard.services.filenames import output_name
from dashboard.services.view import RoleView

Make = Callable[[outputs.Progress], bytes]


def _run(label: str, make: Make) -> bytes:
    """Make a file with a visible progress bar; return its bytes."""
    bar = st.progress(0.0, text=label)

    def progress(step: int, total: int, message: str) -> None:
        bar.progress(min(step / max(total, 1), 1.0), text=f"{label}: {message}")

    data = make(progress)
    bar.empty()
    return data


def _offer(
    key: str,
    label: str,
    lang: str,
    version: int,
    file_name: str,
    mime: str,
    make: Make,
    depends: object = None,
    what: str = "",
) -> None:
    """A "make" button (key ``exp_make_<key>``), then a download button for the file
    (``exp_dl_<key>``), offered only while the data and what the file shows (``depends``,
    e.g. the view and paper) have not changed since. The download button names ``what``
    it downloads (two files of one format never share a label)."""
    slot = f"exp_file_{key}"
    if st.button(label, key=f"exp_make_{key}"):
        st.session_state[slot] = (version, depends, _run(label, make))
    made = st.session_state.get(slot)
    if made is not None and made[:2] == (version, depends):
        st.download_button(
            t("exp.download", lang, what=what, fmt=file_name.rsplit(".", 1)[-1].upper()),
            made[2],
            file_name=file_name,
            mime=mime,
            key=f"exp_dl_{key}",
            on_click="ignore",
        )


def map_exports(
    view: RoleView, state: ViewState, lang: str, today: dt.date, title: str | None = None
) -> None:
    """Printable map of the current view (``title``: its heading, else the default) and the
    offline HTML file."""
    c1, c2, c3 = st.columns(3)
    paper = c1.selectbox(t("exp.paper", lang), ["A4", "A3"], key="exp_paper")
    orientation = c2.selectbox(
        t("exp.orientation", lang),
        ["landscape", "portrait"],
        format_func=lambda o: t(f"exp.{o}", lang),
        key="exp_orient",
    )
    fmt = c3.selectbox(t("exp.format", lang), ["png", "pdf"], key="exp_fmt")
    area = view.vg_names(state.vintage or None).get(state.vg, "") if state.vg else ""
    _offer(
        "map",
        t("exp.make_map", lang),
        lang,
        view.version,
        output_name("integrationsatlas-karte", fmt, today, area),
        "application/pdf" if fmt == "pdf" else "image/png",
        lambda progress: outputs.map_file(
            view, state, today, paper=paper, orientation=orientation, fmt=fmt, title=title
        ),
        depends=(state, paper, orientation, fmt, title),
        what=t("exp.what.map", lang),
    )
    _offer(
        "html",
        t("exp.make_html", lang),
        lang,
        view.version,
        output_name("integrationsatlas-karte", "html", today, area),
        "text/html",
        lambda progress: outputs.offline_html(view, state, today),
        depends=state,
        what=t("exp.what.html", lang),
    )


def vg_handout(view: RoleView, vg_key: str, vintage: int, name: str, lang: str) -> None:
    """Steckbrief (PDF) of one VG."""
    _offer(
        f"vg_{vg_key}",
        t("exp.make_vg", lang, name=name),
        lang,
        view.version,
        output_name("steckbrief", "pdf", dt.date.today(), name),
        "application/pdf",
        lambda progress: outputs.steckbrief_pdf(view, vg_key, vintage, lang, progress),
        what=t("exp.what.vg", lang, name=name),
    )


def all_vgs_handout(view: RoleView, lang: str) -> None:
    """One PDF with a section per current VG."""
    _offer(
        "all",
        t("exp.make_all", lang),
        lang,
        view.version,
        output_name("integrationsatlas-handout", "pdf", dt.date.today()),
        "application/pdf",
        lambda progress: outputs.handout_pdf(view, view.current_vintage, lang, progress),
        what=t("exp.what.all", lang),
    )
