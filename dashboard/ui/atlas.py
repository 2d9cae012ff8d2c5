"""Sidebar widgets of the map page, bound to the session's one view state and the URL.

The widgets are seeded from the shared :class:`~dashboard.domain.viewstate.ViewState`
(:func:`dashboard.ui.common.shared_state`) whenever the page is drawn fresh (first run,
back from another page, another language, a map click); afterwards every change is kept
in the session and written back, so the address bar always holds a link to the current
view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from typing import Any, Protocol

import streamlit as st

from dashboard.config import BASEMAPS
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, PRECISIONS
from dashboard.domain.viewstate import K_MAX, K_MIN, LAYERS, SCHEMES, VERIFIED, ViewState, to_query
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import package_only_note, vintage_label
from dashboard.render.web.atlas import choropleth_table
from dashboard.services.view import RoleView
from dashboard.ui.answer import absent_layers
from dashboard.ui.common import change_vintage, fresh, remember, settle, shared_state, sync_url
from dashboard.ui.common import url_notes as take_url_notes
from dashboard.ui.text import plain, table

_PREFIX = "atlas_"
_PAGE = "karte"
_K_RANGE = (K_MIN, K_MAX)


def _seed(state: ViewState, view: RoleView) -> None:
    """Set every widget of the sidebar from ``state`` (before they are drawn)."""
    allowed: dict[str, tuple[str, ...]] = {
        "categories": tuple(view.categories()),
        "handlungsfelder": tuple(HANDLUNGSFELDER),
        "precisions": PRECISIONS,
        "layers": LAYERS,
    }
    for f in fields(ViewState):
        if f.name in ("notes", "lang"):
            continue
        value: Any = getattr(state, f.name)
        if f.name in allowed:
            value = [v for v in value if v in allowed[f.name]]
        elif isinstance(value, tuple):
            value = list(value)
        if f.name == "k":
            value = min(max(int(value), _K_RANGE[0]), _K_RANGE[1])
        st.session_state[_PREFIX + f.name] = value
    st.session_state[_PREFIX + "breaks_text"] = "; ".join(f"{b:g}" for b in state.breaks)


class _SelectboxHost(Protocol):
    """Where a select box is drawn: ``st`` (the current container) or ``st.sidebar``."""

    def selectbox(
        self, label: str, options: list[str], *, format_func: Callable[[Any], str], key: str
    ) -> str | None: ...


def _choice(
    where: _SelectboxHost, label: str, options: list[str], fmt: Callable[[str], str], key: str
) -> str:
    """A select box whose remembered value falls back to the first option when it is gone
    (e.g. after the vintage or the data changed); ``""`` when there are no options."""
    if options and st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    value = where.selectbox(label, options, format_func=fmt, key=key)
    return "" if value is None else value


def select_vg(key: str) -> None:
    """Select a VG (e.g. from a map click) and rerun: the next run seeds the widgets from
    the shared view before they are drawn (a drawn widget's value cannot change)."""
    remember(vg=key, gemeinde="")
    st.rerun()


def _vintage_changed(view: RoleView) -> None:
    """Callback of the vintage switch: keep the VG or take its successor."""
    change_vintage(view, int(st.session_state[_PREFIX + "vintage"]))


def _k(name: str) -> str:
    return _PREFIX + name


def _place(sb: Any, view: RoleView, lang: str) -> dict[str, Any]:
    """Vintage, VG, Gemeinde and name search (the top of the sidebar)."""
    vgs, gemeinden, membership = (
        view.district.vgs,
        view.district.gemeinden,
        view.district.membership,
    )
    vintage = sb.radio(
        t("vintage.label", lang),
        list(view.config.vintage_years),
        format_func=lambda v: vintage_label(v, lang, len(vgs[v])),
        key=_k("vintage"),
        on_change=_vintage_changed,
        args=(view,),
    )
    if package_only_note(lang):  # one vintage only: say why
        sb.caption(plain(package_only_note(lang)))
    vg_frame = vgs[vintage]
    vg_keys = ["", *vg_frame["rs"]]
    names = dict(zip(vg_frame["rs"], vg_frame["name"], strict=True))
    vg = _choice(
        sb, t("filter.vg", lang), vg_keys, lambda x: names.get(x, t("filter.all", lang)), _k("vg")
    )
    members = (
        membership.loc[membership[f"vg_rs_{vintage}"] == vg, "ags"] if vg else gemeinden["ags"]
    )
    gem_names = dict(zip(gemeinden["ags"], gemeinden["name"], strict=True))
    gem_keys = ["", *sorted(members, key=lambda a: gem_names[a])]
    gemeinde = _choice(
        sb,
        t("atlas.gemeinde", lang),
        gem_keys,
        lambda a: gem_names.get(a, t("filter.all", lang)),
        _k("gemeinde"),
    )
    search = sb.text_input(t("atlas.search", lang), key=_k("search"))
    return {"vintage": vintage, "vg": vg, "gemeinde": gemeinde, "search": search}


def _filters(view: RoleView, lang: str) -> dict[str, Any]:
    """Category, Handlungsfeld, language, target group, precision, verification."""
    categories = st.multiselect(
        t("filter.category", lang),
        list(view.categories()),
        format_func=lambda c: str(CATEGORIES[c][lang]),
        key=_k("categories"),
    )
    hfs = st.multiselect(
        t("filter.hf", lang),
        list(HANDLUNGSFELDER),
        format_func=lambda h: HANDLUNGSFELDER[h][lang],
        key=_k("handlungsfelder"),
    )
    langs = ["", *view.filter_options("languages")]
    language = _choice(
        st, t("col.languages", lang), langs, lambda x: x or t("filter.all", lang), _k("language")
    )
    groups = ["", *view.filter_options("target_groups")]
    target = _choice(
        st,
        t("col.target_groups", lang),
        groups,
        lambda x: x or t("filter.all", lang),
        _k("target_group"),
    )
    precisions = st.multiselect(
        t("col.precision", lang),
        list(PRECISIONS),
        format_func=lambda p: t(f"precision.{p}", lang),
        key=_k("precisions"),
    )
    verified = st.selectbox(
        t("atlas.verified", lang),
        list(VERIFIED),
        format_func=lambda v: t(f"atlas.verified.{v}", lang),
        key=_k("verified"),
    )
    return {
        "categories": tuple(categories), "handlungsfelder": tuple(hfs), "language": language,
        "target_group": target, "precisions": tuple(precisions), "verified": verified,
    }  # fmt: skip


def _needs(view: RoleView, vintage: int, lang: str) -> dict[str, Any]:
    """The needs overlay: level, indicator, per 1,000, classification."""
    level = st.radio(
        t("atlas.level", lang),
        ["vg", "gemeinde"],
        format_func=lambda x: t(f"atlas.level.{x}", lang),
        horizontal=True,
        key=_k("level"),
    )
    indicators = view.indicator_choices(level, vintage)
    indicator = _choice(
        st,
        t("atlas.indicator", lang),
        indicators,
        lambda i: getattr(spec(i), lang),
        _k("indicator"),
    )
    absent_layers(view, level, vintage, lang)  # what it cannot offer, and why
    per_1000 = False
    # shown where it makes sense, and where a link asked for it (to be switched off again;
    # the page says why a share or rate per 1,000 is not drawn)
    if indicator and (spec(indicator).per_1000 or st.session_state.get(_k("per_1000"))):
        per_1000 = st.checkbox(t("map.per_1000", lang), key=_k("per_1000"))
    scheme = st.selectbox(
        t("atlas.scheme", lang),
        list(SCHEMES),
        format_func=lambda s: t(f"atlas.scheme.{s}", lang),
        key=_k("scheme"),
    )
    n_classes = (
        st.slider(t("atlas.k", lang), K_MIN, K_MAX, key=_k("k"))
        if scheme != "manual"
        else int(st.session_state.get(_k("k"), 4))
    )
    breaks: tuple[float, ...] = ()
    if scheme == "manual":
        text = st.text_input(t("atlas.breaks", lang), key=_k("breaks_text"))
        try:
            breaks = tuple(
                sorted(float(x.replace(",", ".")) for x in text.replace(";", " ").split() if x)
            )
        except ValueError:
            st.error(t("atlas.breaks_error", lang))
    return {
        "level": level, "indicator": indicator or "", "per_1000": per_1000, "scheme": scheme,
        "k": n_classes, "breaks": breaks,
    }  # fmt: skip


def _layers(lang: str) -> dict[str, Any]:
    """The layers drawn and the basemap."""
    layers = st.multiselect(
        t("layers.label", lang),
        list(LAYERS),
        format_func=lambda x: t(f"atlas.layer.{x}", lang),
        key=_k("layers"),
    )
    basemap = st.selectbox(
        t("basemap.label", lang),
        list(BASEMAPS),
        format_func=lambda b: t(f"basemap.{b}", lang),
        key=_k("basemap"),
    )
    if basemap != "none":
        st.info(t("basemap.online_note", lang))
    return {"layers": tuple(layers), "basemap": basemap}


def sidebar(lang: str, view: RoleView) -> ViewState:
    """Draw the map page's sidebar and return the view it describes (URL updated).

    Every option list comes from the user's view of the data
    (:class:`dashboard.services.view.RoleView`), never from all records.
    """
    if fresh(_PAGE, _PREFIX + "vintage"):
        _seed(shared_state(), view)
    sb = st.sidebar
    notes = take_url_notes()
    if notes:
        sb.warning(t("atlas.url_ignored", lang, items=plain(", ".join(notes))))
    place = _place(sb, view, lang)
    with sb.expander(t("atlas.filters", lang), expanded=False):
        filters = _filters(view, lang)
    with sb.expander(t("atlas.needs", lang), expanded=False):
        needs = _needs(view, place["vintage"], lang)
    with sb.expander(t("layers.label", lang), expanded=False):
        layers = _layers(lang)
    shared = shared_state()  # the project filters are set on the Maßnahmen page
    state = ViewState(
        lang=lang, **place, **filters, **needs, **layers,
        project_statuses=shared.project_statuses, arbeitskreise=shared.arbeitskreise,
    )  # fmt: skip
    settle(state)
    sync_url(to_query(state, view.current_vintage), shared=())
    return state


def values_table(view: RoleView, state: ViewState, lang: str) -> None:
    """The overlay's values beside the map: the map's text equivalent, with sources."""
    ch = view.choropleth(state)
    if ch is None:
        refusal = view.choropleth_refusal(state)
        if refusal is not None:  # asked for (a link), not possible: say why
            st.warning(plain(t(
                "atlas.overlay_refused", lang, reason=refusal.text(lang),
                per_1000=t("map.per_1000", lang), needs=t("atlas.needs", lang),
            )))  # fmt: skip
        else:
            st.caption(t("atlas.no_choropleth", lang))
        return
    data = view.district
    areas = data.gemeinden if state.level == "gemeinde" else data.vgs[state.vintage]
    keys = list(areas["ags" if state.level == "gemeinde" else "rs"])
    st.header(t("atlas.values_heading", lang))
    table(choropleth_table(ch, keys, list(areas["name"]), lang))
    st.caption(t("field.source", lang) + ": " + plain("; ".join(ch.sources)))
