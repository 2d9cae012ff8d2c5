"""Widgets of the Versorgungsanalyse page, kept in the URL (selection, level, thresholds).

The page opens with the coverage of the lists (which VG has delivered which list, and
when): a gap is stated only where a list is confirmed complete, elsewhere the result is
"unbekannt – keine bestätigte Liste". A click on the map places the planned facility of
the what-if: the click is taken in the map's ``on_change`` callback, which runs before
the page draws its widgets (Streamlit's documented pattern for setting widget state). The
keyboard places it too: by choosing a Gemeinde (its representative point) or by typing
coordinates. A place outside the district is refused with a message, never moved into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from dashboard.analysis.demand import default_indicator
from dashboard.analysis.gaps import BOUNDS, Thresholds, from_params
from dashboard.analysis.gapview import GapResult, status_map
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import vintage_label
from dashboard.i18n.format import fmt_float, fmt_int
from dashboard.render import gaps_text
from dashboard.render.gaps_text import answer as answer_words
from dashboard.render.web.gapmap import status_choropleth
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
_MAP_KEY = "gaps_map"


@dataclass(frozen=True)
class GapView:
    """What the page analyses."""

    selector: str
    level: str
    vintage: int
    thresholds: Thresholds
    include_outside: bool
    demand: str
    include_unconfirmed: bool


def sidebar(lang: str, view: RoleView) -> GapView:
    """Draw the sidebar; the URL always reflects the analysis shown.

    The selections offered are those the user may analyse
    (:meth:`dashboard.services.view.RoleView.gap_selectors`). Vintage, selected VG and
    category or Handlungsfeld are the session's shared view (:mod:`dashboard.ui.common`).
    """
    selectors = view.gap_selectors()
    available = view.demand_choices()
    if fresh(_PAGE, _P + "vintage"):
        _seed(selectors, available, lang)
    sb = st.sidebar
    selector = sb.selectbox(
        t("gaps.selector", lang),
        selectors,
        format_func=lambda s: gaps_text.selector_label(s, lang),
        key=_P + "selector",
        on_change=_selector_changed,
    )
    level = sb.radio(
        t("gaps.level", lang), ["gemeinde", "vg"],
        format_func=lambda x: t(f"atlas.level.{x}", lang), horizontal=True, key=_P + "level",
    )  # fmt: skip
    vintage = sb.radio(
        t("vintage.label", lang),
        sorted(view.district.vgs),
        format_func=lambda v: vintage_label(v, lang, len(view.district.vgs[v])),
        key=_P + "vintage",
        on_change=_vintage_changed,
        args=(view,),
    )
    configured = default_indicator(selector)
    options = ["", *dict.fromkeys([configured, *available])]
    if st.session_state.get(_P + "demand") not in options:
        st.session_state[_P + "demand"] = ""
    demand = sb.selectbox(
        t("gaps.demand_select", lang), options, key=_P + "demand",
        format_func=lambda d: t("gaps.demand_default", lang, group=gaps_text.demand_label(configured, lang))
        if not d else gaps_text.demand_label(d, lang),
        help=t("gaps.demand_help", lang),
    )  # fmt: skip
    sb.markdown("**" + t("gaps.thresholds", lang) + "**")
    max_d = sb.number_input(
        t("gaps.max_distance", lang),
        *BOUNDS["max_distance_km"],
        step=0.5,
        key=_P + "max_distance_km",
    )
    min_p = sb.number_input(
        t("gaps.min_per_1000", lang), *BOUNDS["min_per_1000"], step=0.1, key=_P + "min_per_1000"
    )
    radius = sb.number_input(
        t("gaps.radius", lang), *BOUNDS["radius_km"], step=0.5, key=_P + "radius_km"
    )
    outside = sb.checkbox(t("gaps.outside", lang), key=_P + "include_outside")
    unconfirmed = sb.checkbox(
        t("gaps.include_unconfirmed", lang), key=_P + "include_unconfirmed",
        help=t("gaps.include_unconfirmed_help", lang),
    )  # fmt: skip
    gv = GapView(selector, level, vintage, Thresholds(max_d, min_p, radius), outside,
                 demand, unconfirmed)  # fmt: skip
    desired = {
        "lang": lang,
        "sel": selector,
        "glvl": level,
        "v": str(vintage),
        **gv.thresholds.to_params(),
    }
    desired |= {"aus": "1"} if outside else {}
    desired |= {"unb": "1"} if unconfirmed else {}
    desired |= {"bed": demand} if demand else {}
    keep(_PAGE, {name: st.session_state[_P + name] for name in _KEPT})
    sync_url(desired, shared=("lang", "vg"))
    return gv


# -- the shared view state (dashboard.ui.common): seeding and callbacks -------------------------
_PAGE = "versorgung"
_KEPT = (
    "selector", "level", "max_distance_km", "min_per_1000", "radius_km", "include_outside",
    "include_unconfirmed", "demand",
)  # fmt: skip


def _seed(selectors: list[str], demands: list[str], lang: str) -> None:
    """Set the widgets before they are drawn: vintage and category or Handlungsfeld from
    the shared view, the rest from this page's last run, else from the URL (a shared link),
    else the defaults."""
    shared, last, q = shared_state(), kept(_PAGE), st.query_params.to_dict()
    if not last:
        th, ignored = from_params(q)
        if ignored:
            st.sidebar.warning(t("atlas.url_ignored", lang, items=plain(", ".join(ignored))))
        last = {
            "selector": q.get("sel") if q.get("sel") in selectors else "Kita",
            "level": q.get("glvl") if q.get("glvl") in ("gemeinde", "vg") else "gemeinde",
            "max_distance_km": th.max_distance_km,
            "min_per_1000": th.min_per_1000,
            "radius_km": th.radius_km,
            "include_outside": q.get("aus") == "1",
            "include_unconfirmed": q.get("unb") == "1",
            "demand": q.get("bed", "") if q.get("bed") in demands else "",
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


# -- the coverage of the lists ---------------------------------------------------------------
def coverage(view: RoleView, lang: str) -> None:
    """Which VG has delivered or confirmed which list, and as of when (the page opens with it)."""
    summary = view.coverage_summary()
    st.header(t("gaps.coverage_heading", lang))
    done = int(summary["complete"].sum())
    (st.info if done else st.warning)(gaps_text.coverage_line(summary, lang))
    with st.expander(t("gaps.coverage_table", lang)):  # why unknown: said in the answer
        table(gaps_text.coverage_table(summary, lang).reset_index())


def whatif_inputs(view: RoleView, lang: str) -> tuple[float, float, int | None] | None:
    """The planned facility of the what-if (``None``: switched off, or refused because it
    lies outside the district). Placed by a map click, by choosing a Gemeinde (its
    representative point) or by typing coordinates; where it stands is said in words."""
    areas = view.analysis_areas()
    refused = st.session_state.pop("gaps_refused", None)
    if refused is not None:  # a click outside the district: said where the user looks
        st.warning(_outside(refused["lat"], refused["lng"], lang))
    with st.expander(t("gaps.whatif", lang), expanded=bool(st.session_state.get("gaps_whatif"))):
        planned = st.toggle(t("gaps.whatif_on", lang), key="gaps_whatif")
        names = areas.table["name"].astype(str).to_dict()
        st.selectbox(
            t("gaps.whatif_place", lang), ["", *sorted(names, key=lambda k: (names[k], k))],
            format_func=lambda k: names.get(k, t("gaps.whatif_place_none", lang)),
            key="gaps_place", on_change=_place_at_gemeinde, args=(view,),
        )  # fmt: skip
        c1, c2, c3 = st.columns(3)
        lat = c1.number_input(t("gaps.lat", lang), format="%.5f", key="gaps_lat")
        lon = c2.number_input(t("gaps.lon", lang), format="%.5f", key="gaps_lon")
        capacity = c3.number_input(t("gaps.capacity", lang), 0, 10_000, key="gaps_capacity")
        st.caption(t("gaps.whatif_click", lang))
        inside = areas.contains(float(lat), float(lon))
        if planned and not inside:  # typed coordinates outside the district
            st.warning(_outside(float(lat), float(lon), lang))
        if planned and inside:
            st.markdown(plain(_placed_text(view, float(lat), float(lon), lang)))
    return (lat, lon, int(capacity) or None) if planned and inside else None


def _outside(lat: float, lon: float, lang: str) -> str:
    """The refusal of a place outside the district (nothing was moved)."""
    return t("gaps.whatif_outside", lang, lat=fmt_float(float(lat), 5, lang),
             lon=fmt_float(float(lon), 5, lang))  # fmt: skip


def _placed_text(view: RoleView, lat: float, lon: float, lang: str) -> str:
    """Where the planned facility stands, in words (for every user, not only by the map)."""
    areas = view.analysis_areas()
    place = str(st.session_state.get("gaps_place") or "")
    coords = {"lat": fmt_float(lat, 5, lang), "lon": fmt_float(lon, 5, lang)}
    if place in areas.table.index and _rounded(areas.place_of(place)) == _rounded((lat, lon)):
        name = str(areas.table.loc[place, "name"])
        return t("gaps.whatif_placed_gemeinde", lang, name=name, **coords)
    return t("gaps.whatif_placed", lang, **coords)


def _rounded(point: tuple[float, float]) -> tuple[float, float]:
    return round(point[0], 5), round(point[1], 5)


def _place_at_gemeinde(view: RoleView) -> None:
    """The planned facility at the chosen Gemeinde's representative point (keyboard)."""
    place = st.session_state.get("gaps_place")
    if not place:
        return
    lat, lon = _rounded(view.analysis_areas().place_of(str(place)))
    st.session_state.update(gaps_lat=lat, gaps_lon=lon, gaps_whatif=True)


def seed_whatif(view: RoleView) -> None:
    """Defaults of the what-if inputs, and a map click of the last run, applied before the
    inputs are drawn (a widget's value cannot change after it was drawn). A click outside
    the district is refused (the inputs keep their place) and said so."""
    areas = view.analysis_areas()
    if "gaps_lat" not in st.session_state:
        st.session_state["gaps_lat"], st.session_state["gaps_lon"] = _rounded(areas.centre())
    st.session_state.setdefault("gaps_capacity", 0)
    st.session_state.setdefault("gaps_whatif", False)
    st.session_state.setdefault("gaps_place", "")
    click = st.session_state.pop("gaps_pending_click", None)
    if click is None:
        return
    lat, lon = round(float(click["lat"]), 5), round(float(click["lng"]), 5)
    if not areas.contains(lat, lon):
        st.session_state["gaps_refused"] = {"lat": lat, "lng": lon}
        return
    st.session_state.update(gaps_lat=lat, gaps_lon=lon, gaps_whatif=True, gaps_place="")


def whatif(result: GapResult, lang: str) -> None:
    """What the planned facility changes: sentences first (the most important areas), then
    the table of only the areas and measures that change."""
    if result.whatif is None or result.effects is None:
        return
    st.header(t("gaps.whatif_changes", lang))
    head, lines = _whatif_words(result, lang)
    with st.container(key="gaps_whatif_answer"):
        st.markdown(plain(head))
        if lines:
            st.markdown("\n".join(f"- {plain(line)}" for line in lines))
    level = str(result.flags["level"].iloc[0])
    detail = gaps_text.whatif_table(result.whatif.changes, _thresholds(result), level, lang)
    if len(detail):
        with st.container(key="gaps_whatif_table"):
            st.caption(tn("gaps.whatif_measures", len(detail), lang, n=fmt_int(len(detail), lang)))
            st.dataframe(detail, hide_index=True, width="stretch")


def whatif_announcement(result: GapResult, lang: str) -> str:
    """What a screen reader is told when the what-if changes: the section's heading and the
    headline of what changes (:func:`dashboard.render.gaps_text.answer.whatif_lines`, the
    same words as on the screen); ``""`` without a planned facility."""
    if result.whatif is None or result.effects is None:
        return ""
    head, _ = _whatif_words(result, lang)
    return " ".join([t("gaps.whatif_changes", lang) + ":", head])


def _whatif_words(result: GapResult, lang: str) -> tuple[str, list[str]]:
    assert result.effects is not None
    summary = result.summary
    return answer_words.whatif_lines(
        result.effects, lang, all_unknown=summary.counts["unknown"] == summary.total
    )


def _thresholds(result: GapResult) -> Thresholds:
    row = result.flags.iloc[0]
    return Thresholds(
        float(row["max_distance_km"]), float(row["min_per_1000"]), float(row["radius_km"])
    )


# -- the result ------------------------------------------------------------------------------
def summary(result: GapResult, gv: GapView, view: RoleView, lang: str) -> None:
    """Counts by status, what demand was used, where the population is placed, thresholds."""
    flags = result.shown
    counts = gaps_text.status_counts(flags)
    st.markdown(tn("gaps.status_line", counts["gap"], lang,
        what=plain(gaps_text.selector_label(gv.selector, lang)), gap=fmt_int(counts["gap"], lang),
        uncertain=fmt_int(counts["uncertain"], lang), no_gap=fmt_int(counts["no_gap"], lang),
        unknown=fmt_int(counts["unknown"], lang)))  # fmt: skip
    notes = [
        gaps_text.demand_note(flags, lang, fallback=False),  # a fallback: said in the answer
        t("gaps.position_note", lang),
        t("gaps.thresholds_line", lang, text=gaps_text.thresholds_text(
            gv.thresholds, lang, str(flags["demand_indicator"].iloc[0]))),
    ]  # fmt: skip
    unconfirmed = view.unconfirmed_count(gv.selector)
    if unconfirmed:
        n = fmt_int(unconfirmed, lang)
        notes.append(
            tn("gaps.unconfirmed_in", unconfirmed, lang, n=n)
            if gv.include_unconfirmed
            else tn("gaps.unconfirmed_out", unconfirmed, lang, n=n)
        )
    st.caption("  \n".join(plain(n) for n in notes if n))


def analysis_map(view: RoleView, gv: GapView, result: GapResult, lang: str) -> None:
    """The map of the analysis: every area classed as gap, no gap or unknown, the
    selection's offers, the planned facility as its own mark; a click places (and
    re-places) the planned facility."""
    data = view.district
    keys = [
        str(k)
        for k in (data.gemeinden["ags"] if gv.level == "gemeinde" else data.vgs[gv.vintage]["rs"])
    ]
    flags = result.shown
    pop_dates = dict(zip(flags["key"].astype(str), flags["population_date"], strict=True))
    overlay = status_choropleth(
        flags, keys, status_map(flags, keys), lang,
        title=gaps_text.selector_label(gv.selector, lang),
        source=t("gaps.map_source", lang), dates={k: str(pop_dates.get(k, "")) for k in keys},
    )  # fmt: skip
    state = ViewState(
        lang=lang, vintage=gv.vintage, level=gv.level, vg=_selected_vg(view, gv, lang)
    )
    planned = result.planned
    marks = [MapMark(p.y, p.x, "planned") for p in planned.geometry] if planned is not None else []
    click = show_map(
        view, state, _MAP_KEY, height=560, points=result.offers, marks=marks, choropleth=overlay,
    )  # fmt: skip
    st.caption(t("gaps.map_click", lang))
    if click is not None:
        st.session_state["gaps_pending_click"] = {"lat": click.lat, "lng": click.lng}
        st.rerun()


def findings(result: GapResult, lang: str) -> None:
    """The findings grouped by reason instead of one sentence per area."""
    st.header(t("gaps.findings", lang))
    lines = gaps_text.reason_groups(result.shown, lang)
    if not lines:
        st.caption(t("gaps.none", lang))
        return
    st.markdown("\n".join(f"- {plain(line)}" for line in lines))


def results_table(result: GapResult, lang: str) -> None:
    """Every area with its status and measures, in the user's words and numbers."""
    st.header(t("gaps.table", lang))
    shown = gaps_text.display_table(result.shown, lang)
    if result.whatif is not None:  # the table counts the planned facility: it says so
        st.caption(t("gaps.table_planned", lang))
        shown = gaps_text.mark_planned(shown, lang)
    st.dataframe(shown, hide_index=True, width="stretch")


def downloads(result: GapResult, gv: GapView, lang: str) -> None:
    """The analysis table (in the user's language) as CSV, XLSX and JSON; with a planned
    facility the user chooses: without it, or with it and marked so in name and column."""
    flags, suffix = result.flags, ""
    if result.whatif is not None:
        choice = st.radio(
            t("gaps.download_choice", lang), ["without", "with"], horizontal=True,
            format_func=lambda c: t(f"gaps.download_{c}", lang), key="gaps_download_choice",
        )  # fmt: skip
        if choice == "with":
            flags, suffix = result.whatif.after, "-" + t("gaps.download_suffix", lang)
            st.caption(t("gaps.download_marked", lang, suffix=suffix.lstrip("-")))
    shown = gaps_text.file_table(flags, lang)
    if suffix:
        shown = gaps_text.mark_planned(shown, lang)
    cols = st.columns(3)
    for col, fmt in zip(cols, ("csv", "xlsx", "json"), strict=True):
        col.download_button(
            t("gaps.download", lang, fmt=fmt.upper()),
            outputs.gaps_file(shown, fmt, lang),
            file_name=f"versorgung-{gv.selector}-{dt.date.today()}{suffix}.{fmt}",
            key=f"gaps_dl_{fmt}",
            on_click="ignore",
        )


def matrix(view: RoleView, gv: GapView, lang: str) -> None:
    """The VG x Handlungsfeld coverage matrix with the meaning of its empty cells."""
    st.header(t("gaps.matrix", lang))
    st.caption(t("gaps.matrix_note", lang))
    cells = view.coverage_matrix(gv.vintage, gv.include_unconfirmed)
    frame, _meaning = gaps_text.matrix_tables(cells, lang)
    st.dataframe(frame.style.apply(lambda col: [_cell_colour(v) for v in col]), width="stretch")
    with st.expander(t("gaps.empty_cells", lang)):
        empty = cells[cells["empty"]]
        st.markdown("\n".join(f"- {plain(m)}" for m in gaps_text.meanings(empty, lang)))


def _cell_colour(value: str) -> str:
    if value.startswith("?"):
        return "background-color:#e6e6e6"
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


__all__ = [
    "GapView",
    "analysis_map",
    "coverage",
    "downloads",
    "explanations",
    "findings",
    "matrix",
    "results_table",
    "seed_whatif",
    "sidebar",
    "summary",
    "whatif",
    "whatif_announcement",
    "whatif_inputs",
]
