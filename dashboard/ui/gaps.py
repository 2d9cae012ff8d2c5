"""Widgets of the Versorgungsanalyse page, kept in the URL (selection, level, thresholds)."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.analysis.gaps import SELECTORS, Thresholds
from dashboard.config import CURRENT_VINTAGE, VINTAGES
from dashboard.domain.model import SENSITIVE_CATEGORIES
from dashboard.i18n.catalogue import t
from dashboard.render.gaps_text import selector_label

_P = "gaps_"
_URL = {"selector": "sel", "level": "glvl", "vintage": "v", "include_outside": "aus"}


@dataclass(frozen=True)
class GapView:
    """What the page analyses."""

    selector: str
    level: str
    vintage: int
    thresholds: Thresholds
    include_outside: bool


def sidebar(lang: str, sensitive: bool = False) -> GapView:
    """Draw the sidebar; the URL always reflects the analysis shown.

    ``sensitive`` offers the Unterkunft selection (signed-in editors only).
    """
    selectors = [s for s in SELECTORS if sensitive or s not in SENSITIVE_CATEGORIES]
    q = st.query_params.to_dict()
    if not st.session_state.get(_P + "seeded"):
        st.session_state[_P + "selector"] = q.get("sel") if q.get("sel") in selectors else "Kita"
        st.session_state[_P + "level"] = (
            q.get("glvl") if q.get("glvl") in ("gemeinde", "vg") else "gemeinde"
        )
        v = q.get("v", "")
        st.session_state[_P + "vintage"] = (
            int(v) if v.isdigit() and int(v) in VINTAGES else CURRENT_VINTAGE
        )
        try:
            th = Thresholds.from_params(q)
        except ValueError as exc:
            st.sidebar.warning(str(exc))
            th = Thresholds()
        st.session_state[_P + "max_distance_km"] = th.max_distance_km
        st.session_state[_P + "min_per_1000"] = th.min_per_1000
        st.session_state[_P + "radius_km"] = th.radius_km
        st.session_state[_P + "include_outside"] = q.get("aus") == "1"
        st.session_state[_P + "seeded"] = True
    sb = st.sidebar
    selector = sb.selectbox(
        t("gaps.selector", lang),
        selectors,
        format_func=lambda s: selector_label(s, lang),
        key=_P + "selector",
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
        format_func=lambda v: t(f"vintage.{v}", lang),
        key=_P + "vintage",
    )
    sb.markdown("**" + t("gaps.thresholds", lang) + "**")
    max_d = sb.number_input(
        t("gaps.max_distance", lang), 0.5, 50.0, step=0.5, key=_P + "max_distance_km"
    )
    min_p = sb.number_input(
        t("gaps.min_per_1000", lang), 0.0, 50.0, step=0.1, key=_P + "min_per_1000"
    )
    radius = sb.number_input(t("gaps.radius", lang), 0.5, 50.0, step=0.5, key=_P + "radius_km")
    outside = sb.checkbox(t("gaps.outside", lang), key=_P + "include_outside")
    view = GapView(selector, level, vintage, Thresholds(max_d, min_p, radius), outside)
    desired = {
        "lang": lang,
        "sel": selector,
        "glvl": level,
        "v": str(vintage),
        **view.thresholds.to_params(),
    }
    if outside:
        desired["aus"] = "1"
    if st.query_params.to_dict() != desired:
        st.query_params.from_dict(desired)
    return view
