"""Angebote bearbeiten: VG-Redaktion proposes, Kreis-Redaktion saves; lists kept current."""

import datetime as dt
from collections.abc import Sequence

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import field_label, t
from dashboard.i18n.message import error_text
from dashboard.services import editorial
from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError
from dashboard.ui import editing
from dashboard.ui.common import language_switch
from dashboard.ui.editorial import (
    POSITION_MODES,
    confirmation_line,
    form_defaults,
    offer_label,
    position_values,
    problems_table,
    proposals_table,
    stale_table,
)
from dashboard.ui.errors import refused
from dashboard.ui.mapview import MapMark, show_map
from dashboard.ui.session import require_page, workspace
from dashboard.ui.text import plain, table

lang = language_switch()
require_page("app_pages/bearbeiten.py", lang)
ws = workspace()
st.title(t("edit.heading", lang))
vgs = editorial.own_vgs(ws)
if not ws.acts_everywhere():
    st.info(t("edit.intro_vg", lang, vgs=plain(", ".join(vgs.values()))))
else:
    st.caption(t("edit.intro_district", lang))
vg = editing.vg_filter(ws, vgs, lang)  # preset: the VG of the session, a VG-Redaktion's own

offers = editorial.editable_offers(ws)
if vg:
    offers = offers.loc[offers[f"vg_rs_{ws.config.current_vintage}"] == vg]
labels = {r["id"]: offer_label(r, lang) for r in offers.to_dict("records")}
choice = st.selectbox(
    t("edit.pick", lang),
    ["", *labels],
    format_func=lambda i: labels.get(i, t("edit.new", lang)),
    key="ed_pick",
)
stored = ws.facility(choice) if choice in labels else None
pending = editorial.pending_for(ws, stored.id) if stored else None
base = editing.shown_record(ws, stored, pending, lang)  # proposed values while they wait
gen = st.session_state.setdefault("ed_gen", 0)


form = editing.open_form(choice, stored, base, pending, gen)
sfx, changed_meanwhile = form.suffix, form.changed_meanwhile


def done(message: str, error: bool = False) -> None:
    """Show ``message`` beside the form after a rerun with a fresh form (the record as it
    is now)."""
    editing.flash(message, error)
    st.session_state["ed_gen"] = gen + 1
    st.rerun()


if changed_meanwhile:
    st.info(t("edit.changed_meanwhile", lang))

# -- position: keep, coordinates, address (PLZ + Ort) or a click on the map -----------------------
modes = POSITION_MODES if base else POSITION_MODES[1:]
mode = st.radio(
    t("edit.position", lang),
    modes,
    index=0 if base else modes.index("address"),
    format_func=lambda m: t(f"edit.pos.{m}", lang),
    horizontal=True,
    key=f"ed_mode_{sfx}",
)
if base is not None and base.lat is not None:
    precision = t(f"precision.{base.precision}", lang)
    st.caption(t("edit.pos.current", lang, lat=base.lat, lon=base.lon, precision=precision))
elif base is not None:
    st.caption(t("edit.pos.none", lang))
lat = lon = None
if mode == "coords":
    c1, c2 = st.columns(2)
    start = (base.lat, base.lon) if base and base.lat is not None else editing.centre(ws)
    # no bounds: a position outside the district is refused with a message, never clamped
    lat = c1.number_input(
        field_label("lat", lang), value=start[0], format="%.6f", key=f"ed_lat_{sfx}"
    )
    lon = c2.number_input(
        field_label("lon", lang), value=start[1], format="%.6f", key=f"ed_lon_{sfx}"
    )
elif mode == "address":
    st.caption(t("edit.pos.address_help", lang))
elif mode == "map":
    clicked = st.session_state.get(f"ed_click_{sfx}")
    focus = vg or ("" if ws.acts_everywhere() else next(iter(vgs), ""))
    event = show_map(
        ws.view(), ViewState(lang=lang, vintage=ws.config.current_vintage, vg=focus, layers=()),
        f"ed_map_{sfx}", height=380,
        marks=[MapMark(clicked["lat"], clicked["lng"], "picked")] if clicked else (),
    )  # fmt: skip
    if event is not None:
        st.session_state[f"ed_click_{sfx}"] = {"lat": event.lat, "lng": event.lng}
        st.rerun()
    if clicked:
        lat, lon = clicked["lat"], clicked["lng"]
        st.caption(t("edit.pos.clicked", lang, lat=round(lat, 6), lon=round(lon, 6)))
    else:
        st.caption(t("edit.pos.click_help", lang))

# -- the record's fields, as in the import --------------------------------------------------------
d = form_defaults(base)
values: dict[str, object] = {}


def text(col: DeltaGenerator, name: str, help: str | None = None) -> None:
    values[name] = col.text_input(
        field_label(name, lang), d[name], key=f"ed_{name}_{sfx}", help=help
    )


c1, c2 = st.columns(2)
text(c1, "name")
values["category"] = c2.selectbox(
    field_label("category", lang), list(CATEGORIES),
    index=list(CATEGORIES).index(str(d["category"])),
    format_func=lambda c: str(CATEGORIES[c][lang]), key=f"ed_category_{sfx}",
)  # fmt: skip
values["handlungsfelder"] = st.multiselect(
    field_label("handlungsfelder", lang), list(HANDLUNGSFELDER), default=d["handlungsfelder"],
    format_func=lambda c: HANDLUNGSFELDER[c][lang], placeholder=t("f.choose", lang),
    key=f"ed_handlungsfelder_{sfx}",
)  # fmt: skip
cols: Sequence[DeltaGenerator] = st.columns(3)
for i, name in enumerate(("operator", "street", "postcode", "place", "contact", "capacity")):
    text(cols[i % 3], name)
c1, c2 = st.columns(2)
text(c1, "languages", help=t("f.list_help", lang))
text(c2, "target_groups", help=t("f.list_help", lang))
cols = st.columns(4)
text(cols[0], "source")
text(cols[1], "reference_date", help=t("f.date_help", lang))
text(cols[2], "last_verified", help=t("f.date_help", lang))
values["status"] = cols[3].selectbox(
    field_label("status", lang), ["active", "closed"],
    index=["active", "closed"].index(str(d["status"])),
    format_func=lambda s: t(f"status.{s}", lang), key=f"ed_status_{sfx}",
)  # fmt: skip
comment = st.text_input(t("edit.comment", lang), key=f"ed_comment_{sfx}")
c1, c2 = st.columns(2)
submit_label = t("edit.save", lang) if ws.can_apply() else t("edit.propose", lang)
submit = c1.button(submit_label, type="primary", key="ed_submit")
closable = base is not None and base.status == "active"
close = c2.button(t("edit.close", lang), key="ed_close", disabled=not closable)
editing.show_flash()  # the confirmation of the last action, where the user clicked
if submit or (close and base is not None):
    # the record as the editor saw it: the store refuses it if it changed meanwhile
    as_seen = form.as_seen(base)
    try:
        if close and as_seen is not None:
            outcome = editorial.close(ws, as_seen, comment)
        else:
            place = position_values(mode, lat, lon)
            outcome = editorial.save_form(ws, as_seen, {**values, **place}, comment)
    except editorial.InvalidEdit as exc:
        st.error(t("edit.problems", lang))
        table(problems_table(exc, lang))
    except StaleVersionError as exc:  # saved meanwhile elsewhere: reload with that version
        done(plain(error_text(exc, lang)), error=True)
    except (PermissionDenied, StoreError) as exc:  # rights, nothing changed: the store's message
        refused(exc, lang)
    else:
        if outcome.stored is not None:
            done(
                t(
                    "edit.saved",
                    lang,
                    name=plain(outcome.stored.name),
                    version=outcome.stored.version,
                )
            )
        elif outcome.proposal is not None:
            done(t("edit.proposed", lang, id=outcome.proposal.id))

# -- keeping the list current ----------------------------------------------------------------------
st.header(t("edit.current_heading", lang))
confirmations = ws.confirmations()
if not ws.acts_everywhere():
    for key, name in vgs.items():
        st.caption(plain(confirmation_line(confirmations, key, name, lang)))
if vgs:
    if vg and st.session_state.get("ed_confirm_vg") not in vgs:
        st.session_state["ed_confirm_vg"] = vg
    confirm_vg = st.selectbox(
        t("edit.confirm_vg", lang), list(vgs), format_func=lambda v: vgs[v], key="ed_confirm_vg"
    )
    if ws.acts_everywhere():
        st.caption(plain(confirmation_line(confirmations, confirm_vg, vgs[confirm_vg], lang)))
    if st.button(t("edit.confirm", lang), key="ed_confirm"):
        try:
            ws.confirm_current(confirm_vg)
        except (PermissionDenied, StoreError) as exc:
            refused(exc, lang)
        else:
            done(t("edit.confirmed", lang, vg=plain(vgs[confirm_vg])))
stale = ws.stale_offers(dt.date.today())
if vg:
    stale = stale.loc[stale["vg_rs"] == vg]
st.header(t("edit.stale_heading", lang, n=len(stale)))
if stale.empty:
    st.caption(t("edit.stale_none", lang))
else:
    st.dataframe(stale_table(stale, lang), hide_index=True, width="stretch")
if not ws.acts_everywhere():
    st.header(t("edit.my_proposals", lang))
    mine = [p for p in ws.proposals(status=None) if p.author == ws.user.name]
    if mine:
        st.dataframe(
            proposals_table(mine, ws.areas.vg_names, lang), hide_index=True, width="stretch"
        )
    else:  # an empty table would say Streamlit's "empty"
        st.caption(t("edit.my_proposals_none", lang))
