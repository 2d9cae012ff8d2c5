"""Widgets of the Versorgungsanalyse page, kept in the URL (selection, level, thresholds)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard.analysis.gaps import Thresholds
from dashboard.analysis.gapview import severity_choropleth
from dashboard.config import VINTAGES
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import vintage_label
from dashboard.render import gaps_text
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.ui.common import (
    change_vintage,
    fresh,
    keep,
    kept,
    remember,
    shared_state,
    sync_url,
    topic,
    topic_fields,
)  # fmt: skip
from dashboard.ui.mapview import MapMark, show_map
from dashboard.ui.text import plain, table

_P = "gaps_"
_URL = {"selector": "sel", "level": "glvl", "vintage": "v", "include_outside": "aus"}


#: Range of each threshold's input; a value from the URL beyond it is clamped (with a note).
_BOUNDS: dict[str, tuple[float, float]] = {
    "max_distance_km": (0.5, 50.0),
    "min_per_1000": (0.0, 50.0),
    "radius_km": (0.5, 50.0),
}


def _thresholds_from_url(q: dict[str, str]) -> tuple[Thresholds, list[str]]:
    """Thresholds from the URL: numbers clamped to the inputs' ranges; the rest ignored.

    Returns the thresholds and the ``name=value`` items that were ignored or clamped.
    """
    values: dict[str, float] = {}
    notes: list[str] = []
    for name, (low, high) in _BOUNDS.items():
        raw = q.get(name)
        if raw is None:
            continue
        shown = f"{name}={raw[:40]}"
        try:
            value = float(str(raw).strip().replace(",", "."))
        except ValueError:
            notes.append(shown)
            continue
        if not math.isfinite(value):
            notes.append(shown)
            continue
        values[name] = min(max(value, low), high)
        if values[name] != value:
            notes.append(shown)
    return Thresholds(**values), notes


@dataclass(frozen=True)
class GapView:
    """What the page analyses."""

    selector: str
    level: str
    vintage: int
    thresholds: Thresholds
    include_outside: bool


def sidebar(lang: str, view: RoleView) -> GapView:
    """Draw the sidebar; the URL always reflects the analysis shown.

    The selections offered are those the user may analyse
    (:meth:`dashboard.services.view.RoleView.gap_selectors`). Vintage, selected VG and
    category or Handlungsfeld are the session's shared view (:mod:`dashboard.ui.common`).
    """
    selectors = view.gap_selectors()
    if fresh(_PAGE, _P + "vintage"):
        _seed(selectors, lang)
    sb = st.sidebar
    selector = sb.selectbox(
        t("gaps.selector", lang),
        selectors,
        format_func=lambda s: gaps_text.selector_label(s, lang),
        key=_P + "selector",
        on_change=_selector_changed,
    )
    level = sb.radio(
        t("gaps.level", lang),
        ["gemeinde", "vg"],
        format_func=lambda x: t(f"atlas.level.{x}", lang),
        horizontal=True,
        key=_P + "level",
    )
    vintage = sb.radio(
        t("vintage.label", lang),
        sorted(VINTAGES),
        format_func=lambda v: vintage_label(v, lang, len(view.district.vgs[v])),
        key=_P + "vintage",
        on_change=_vintage_changed,
        args=(view,),
    )
    sb.markdown("**" + t("gaps.thresholds", lang) + "**")
    max_d = sb.number_input(
        t("gaps.max_distance", lang),
        *_BOUNDS["max_distance_km"],
        step=0.5,
        key=_P + "max_distance_km",
    )
    min_p = sb.number_input(
        t("gaps.min_per_1000", lang), *_BOUNDS["min_per_1000"], step=0.1, key=_P + "min_per_1000"
    )
    radius = sb.number_input(
        t("gaps.radius", lang), *_BOUNDS["radius_km"], step=0.5, key=_P + "radius_km"
    )
    outside = sb.checkbox(t("gaps.outside", lang), key=_P + "include_outside")
    gv = GapView(selector, level, vintage, Thresholds(max_d, min_p, radius), outside)
    desired = {
        "lang": lang,
        "sel": selector,
        "glvl": level,
        "v": str(vintage),
        **gv.thresholds.to_params(),
    }
    if outside:
        desired["aus"] = "1"
    keep(_PAGE, {name: st.session_state[_P + name] for name in _KEPT})
    sync_url(desired, shared=("lang", "vg"))
    return gv


# -- the shared view state (dashboard.ui.common): seeding and callbacks -------------------------
_PAGE = "versorgung"
_KEPT = ("selector", "level", "max_distance_km", "min_per_1000", "radius_km", "include_outside")


def _seed(selectors: list[str], lang: str) -> None:
    """Set the widgets before they are drawn: vintage and category or Handlungsfeld from
    the shared view, the rest from this page's last run, else from the URL (a shared link),
    else the defaults."""
    shared, last, q = shared_state(), kept(_PAGE), st.query_params.to_dict()
    if not last:
        th, ignored = _thresholds_from_url(q)
        if ignored:
            st.sidebar.warning(t("atlas.url_ignored", lang, items=plain(", ".join(ignored))))
        last = {
            "selector": q.get("sel") if q.get("sel") in selectors else "Kita",
            "level": q.get("glvl") if q.get("glvl") in ("gemeinde", "vg") else "gemeinde",
            "max_distance_km": th.max_distance_km,
            "min_per_1000": th.min_per_1000,
            "radius_km": th.radius_km,
            "include_outside": q.get("aus") == "1",
        }
    if topic(shared) in selectors:
        last["selector"] = topic(shared)
    st.session_state.update({_P + name: value for name, value in last.items()})
    st.session_state[_P + "vintage"] = shared.vintage


def _selected_vg(view: RoleView, gv: GapView, lang: str) -> str:
    """The VG chosen on another page (shared view): named above the map, outlined on it."""
    vg = shared_state().vg
    name = view.vg_names(gv.vintage).get(vg)
    if name is None:
        return ""
    st.caption(t("gaps.selected_vg", lang, name=plain(name)))
    return vg


def _selector_changed() -> None:
    remember(**topic_fields(st.session_state[_P + "selector"]))


def _vintage_changed(view: RoleView) -> None:
    change_vintage(view, int(st.session_state[_P + "vintage"]))


def whatif_inputs(lang: str) -> tuple[float, float, int | None] | None:
    """The planned facility of the what-if (``None``: switched off)."""
    with st.expander(t("gaps.whatif", lang)):
        planned = st.toggle(t("gaps.whatif_on", lang), key="gaps_whatif")
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input(t("gaps.lat", lang), 49.0, 50.0, format="%.5f", key="gaps_lat")
        lon = c2.number_input(t("gaps.lon", lang), 7.0, 8.5, format="%.5f", key="gaps_lon")
        capacity = c3.number_input(t("gaps.capacity", lang), 0, 10_000, key="gaps_capacity")
        st.caption(t("gaps.whatif_click", lang))
    return (lat, lon, int(capacity) or None) if planned else None


def seed_whatif() -> None:
    """Defaults of the what-if inputs, and a map click of the last run, applied before the
    inputs are drawn (a widget's value cannot change after it was drawn)."""
    st.session_state.setdefault("gaps_lat", 49.45)
    st.session_state.setdefault("gaps_lon", 7.65)
    st.session_state.setdefault("gaps_capacity", 0)
    click = st.session_state.pop("gaps_pending_click", None)
    if click is not None:
        st.session_state.update(
            gaps_lat=round(click["lat"], 5), gaps_lon=round(click["lng"], 5), gaps_whatif=True
        )


def analysis_map(
    view: RoleView, gv: GapView, flags: pd.DataFrame, selected: gpd.GeoDataFrame, lang: str
) -> None:
    """The severity map with the selection's offers; a click places the planned facility."""
    data = view.district
    keys = list(data.gemeinden["ags"] if gv.level == "gemeinde" else data.vgs[gv.vintage]["rs"])
    pop_dates = dict(zip(data.population["ags"], data.population["population_date"], strict=True))
    state = ViewState(
        lang=lang, vintage=gv.vintage, level=gv.level, vg=_selected_vg(view, gv, lang)
    )
    planned = selected["id"] == "was-waere-wenn"  # the what-if's facility: its own symbol
    marks = [MapMark(p.y, p.x, "planned") for p in selected.loc[planned].geometry]
    click = show_map(
        view, state, "gaps_map", height=560, points=selected.loc[~planned], marks=marks,
        choropleth=severity_choropleth(flags, keys, pop_dates, gaps_text.severity_source(lang)),
    )  # fmt: skip
    if click is not None:
        st.session_state["gaps_pending_click"] = {"lat": click.lat, "lng": click.lng}
        st.rerun()


def whatif(changes: pd.DataFrame | None, gv: GapView, lang: str) -> None:
    """What the planned facility would change (only the areas whose flags change)."""
    if changes is None:
        return
    st.subheader(t("gaps.whatif_changes", lang))
    if len(changes):
        st.dataframe(
            gaps_text.whatif_table(changes, gv.thresholds, gv.level, lang),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("gaps.whatif_none", lang))


def flag_tables(flags: pd.DataFrame, lang: str) -> None:
    """The flagged areas with their reasons, then every area's measures."""
    st.subheader(t("gaps.flags", lang))
    if not flags["flagged"].any():
        st.caption(t("gaps.none", lang))
    else:
        table(gaps_text.flag_list(flags, lang), index=False)
    st.subheader(t("gaps.table", lang))
    shown = gaps_text.flags_table(flags, lang)
    st.dataframe(
        shown.drop(columns=[gaps_text.column_label("thresholds", lang)]),
        hide_index=True,
        width="stretch",
    )


def downloads(flags: pd.DataFrame, selector: str, lang: str) -> None:
    """The analysis table (in the user's language) as CSV, XLSX and JSON."""
    shown = gaps_text.flags_table(flags, lang)
    cols = st.columns(3)
    for col, fmt in zip(cols, ("csv", "xlsx", "json"), strict=True):
        col.download_button(
            t("gaps.download", lang, fmt=fmt.upper()),
            outputs.gaps_file(shown, fmt, lang),
            file_name=f"versorgung-{selector}-{dt.date.today()}.{fmt}",
            key=f"gaps_dl_{fmt}",
            on_click="ignore",
        )


def matrix(view: RoleView, vintage: int, lang: str) -> None:
    """The VG x Handlungsfeld coverage matrix with the meaning of its empty cells."""
    cells = view.coverage_matrix(vintage)
    frame, _meaning = gaps_text.matrix_tables(cells, lang)
    st.dataframe(frame.style.apply(lambda col: [_cell_colour(v) for v in col]), width="stretch")
    with st.expander(t("gaps.empty_cells", lang)):
        empty = cells[cells["empty"]]
        st.markdown("\n".join(f"- {plain(m)}" for m in gaps_text.meanings(empty, lang)))


def _cell_colour(value: str) -> str:
    if value.startswith("0 / 0"):
        return "background-color:#f4a6a6"
    if value.startswith("0 /") or value.endswith("/ 0"):
        return "background-color:#fde9a9"
    return ""


def explanations(lang: str) -> None:
    """What each measure means (collapsed)."""
    with st.expander(t("gaps.explain", lang)):
        for text in gaps_text.explanations(lang):
            st.markdown(text)
