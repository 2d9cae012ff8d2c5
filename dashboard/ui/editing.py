"""Widgets of the edit page: the VG the lists are about, a proposal waiting for review,
and the confirmation beside the form."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.domain.model import Facility
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_datetime
from dashboard.services.editorial import Proposal
from dashboard.services.workspace import Workspace
from dashboard.ui.common import fresh, remember, shared_state
from dashboard.ui.text import plain

_FLASH = "ed_flash"


def vg_filter(ws: Workspace, vgs: dict[str, str], lang: str) -> str:
    """The VG whose offers, map and lists the page shows ("" = all, Kreis-Redaktion).

    Preset to the VG chosen anywhere in the session (the shared view; a VG-Redaktion
    starts on its own), kept in the shared view when changed here.
    """
    if not ws.acts_everywhere() and len(vgs) <= 1:
        return next(iter(vgs), "")
    options = ["", *vgs] if ws.acts_everywhere() else list(vgs)
    if fresh("bearbeiten", "ed_vg"):
        state = shared_state()
        vg = (
            ws.view().carry_vg(state.vg, state.vintage, ws.config.current_vintage)
            if state.vg
            else ""
        )
        st.session_state["ed_vg"] = vg if vg in options else options[0]
    return str(
        st.selectbox(
            t("edit.vg_filter", lang),
            options,
            format_func=lambda k: vgs.get(k, t("filter.all", lang)),
            key="ed_vg",
            on_change=_vg_changed,
            args=(ws,),
        )
    )


def _vg_changed(ws: Workspace) -> None:
    key = st.session_state["ed_vg"]
    state = shared_state()
    vg = ws.view().carry_vg(key, ws.config.current_vintage, state.vintage) if key else ""
    remember(vg=vg, gemeinde="")


def centre(ws: Workspace) -> tuple[float, float]:
    """Where a new position starts in the coordinate fields: the middle of the district."""
    x0, y0, x1, y1 = ws.view().district.outline.total_bounds
    return round((y0 + y1) / 2, 6), round((x0 + x1) / 2, 6)


def shown_record(
    ws: Workspace, base: Facility | None, pending: Proposal | None, lang: str
) -> Facility | None:
    """What the form shows: the proposed values while the user's own proposal (or one for
    the own VG) waits for review, with a note; else the stored record."""
    if base is None or pending is None:
        return base
    when = fmt_datetime(pending.created, lang)
    if ws.can_apply():  # the Kreis-Redaktion decides it on the review page
        st.info(t("edit.pending_other", lang, id=pending.id, author=plain(pending.author), at=when))
        return base
    st.info(t("edit.pending_own", lang, id=pending.id, author=plain(pending.author), at=when))
    return pending.facility.model_copy(update={"version": base.version})


def flash(message: str, error: bool = False) -> None:
    """Keep a confirmation (or, with ``error``, a refusal) for the next run, shown beside
    the form's buttons."""
    st.session_state[_FLASH] = (message, error)


def show_flash() -> None:
    """The confirmation of the last action, where the user clicked (and as a toast)."""
    message, error = st.session_state.pop(_FLASH, ("", False))
    if message and error:
        st.error(message)
    elif message:
        st.success(message)
        st.toast(message, icon="✅")


@dataclass(frozen=True)
class OpenForm:
    """The edit form of one record as the editor opened it.

    Attributes
    ----------
    suffix
        Key suffix of the form's widgets: a fresh form per record, version seen, proposal
        shown and save.
    seen
        The record's version the form showed when it was opened.
    changed_meanwhile
        Someone saved the record since (in any process): the form keeps what the editor
        sees and typed, and saving it is refused by the store.
    """

    suffix: str
    seen: int
    changed_meanwhile: bool

    def as_seen(self, record: Facility | None) -> Facility | None:
        """The record with the version the editor saw (the store refuses it if stale)."""
        if record is None or not self.changed_meanwhile:
            return record
        return record.model_copy(update={"version": self.seen})


def open_form(
    choice: str,
    stored: Facility | None,
    shown: Facility | None,
    pending: Proposal | None,
    gen: int,
) -> OpenForm:
    """Which version the form of ``choice`` shows, remembered across reruns.

    Parameters
    ----------
    choice
        The picked record's id ("" for a new offer).
    stored, shown
        The record in the store, and what the form shows (:func:`shown_record`).
    pending
        The proposal whose values the form shows, if any.
    gen
        The form's generation (advanced after each save).
    """

    def suffix(version: int) -> str:
        if shown is None:
            return f"new_0_{gen}"
        if pending is not None and shown is not stored:
            return f"{shown.id}_{version}_p{pending.id}_{gen}"
        return f"{shown.id}_{version}_{gen}"

    opened = st.session_state.get("ed_opened")
    seen = shown.version if shown else 0
    if (shown is not None and opened and opened[:2] == (choice, gen)
            and f"ed_name_{suffix(int(opened[2]))}" in st.session_state):  # fmt: skip
        seen = int(opened[2])
    if shown is not None:
        st.session_state["ed_opened"] = (choice, gen, seen)
    return OpenForm(suffix(seen), seen, shown is not None and seen != shown.version)
