"""The interactive map as one Streamlit component that stays alive across reruns.

:func:`show_map` draws the atlas map of a :class:`~dashboard.domain.viewstate.ViewState`.
The map is a Streamlit Custom Component (v2) declared by this package (its JavaScript
modules in ``dashboard/render/web/static``, Leaflet from an installed package): it keeps
one Leaflet map for the lifetime of the element, a rerun sends a small spec as the
component's data, and the browser restyles and redraws layers in place, so zoom and
centre stay and the map never blanks. A click comes back as the component's trigger value
``click`` (:class:`MapEvent`).

The data the spec refers to travels as content-addressed files (boundaries, area texts,
facilities, overlay classes), written once into the app's static folder
(:mod:`dashboard.ui.assets`), loaded once by the browser and kept. The files hold only what
any audience may see on a map (drawable offers, boundaries, published figures); the
resources are cached per store, data version and audience (:attr:`RoleView.key`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from dashboard.analysis.classify import Choropleth
from dashboard.domain.viewstate import ViewState
from dashboard.render.web.assets import COMPONENT, COMPONENT_CSS, COMPONENT_JS
from dashboard.render.web.atlas import MapMark, map_args, vg_at
from dashboard.render.web.resources import (
    Resource,
    areas_resource,
    boundaries_resource,
    facilities_resource,
    facility_payload,
    overlay_resource,
)
from dashboard.services.view import RoleView
from dashboard.ui.assets import ATLAS_DIR, map_assets

log = logging.getLogger(__name__)

#: Files kept in :data:`DATA_DIR` before the least recently used are removed.
MAX_FILES = 400
#: Where the map data files are written; served at ``app/static/atlas/data/``.
DATA_DIR: Path = ATLAS_DIR / "data"

__all__ = ["MapEvent", "MapMark", "clear_caches", "map_event", "map_spec", "show_map"]


@dataclass(frozen=True)
class MapEvent:
    """A click on the map (or the same event from the keyboard).

    Attributes
    ----------
    lat, lng
        WGS84 degrees (6 decimals).
    vg
        Key of the VG of the map's vintage under the click, or "".
    """

    lat: float
    lng: float
    vg: str


def map_event(view: RoleView, vintage: int, lat: object, lng: object) -> MapEvent | None:
    """The event of a click at (``lat``, ``lng``): what a map click, a focused VG chosen
    with the keyboard, or a position typed elsewhere on the page all produce.

    Parameters
    ----------
    view
        What the user may see (the VGs of the district).
    vintage
        The map's VG vintage.
    lat, lng
        WGS84 degrees, as sent by the browser (checked: numbers within range).

    Returns
    -------
    MapEvent or None
        ``None`` for anything that is not a position.
    """
    try:
        la, lo = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(la) and math.isfinite(lo) and -90 <= la <= 90 and -180 <= lo <= 180):
        return None
    la, lo = round(la, 6), round(lo, 6)
    vgs = view.district.vgs.get(vintage)
    return MapEvent(la, lo, vg_at(vgs, la, lo) if vgs is not None else "")


_mount: Callable[..., Any] | None = None


def _component() -> Callable[..., Any]:
    """The component's mounting command (registered on first use, inside a running app)."""
    global _mount
    if _mount is None:
        _mount = st.components.v2.component(
            COMPONENT, js=COMPONENT_JS, css=COMPONENT_CSS, isolate_styles=False
        )
    return _mount


def _ignore() -> None:
    """The click is read from the component's result, not in a callback."""


def _publish(res: Resource, inline: dict[str, Any]) -> Resource:
    """Write a resource once (atomically) into the served folder. If that fails (a full
    or read-only disk), the resource travels inside the spec instead (``inline``)."""
    path = DATA_DIR / res.name
    try:
        if path.exists():
            if time.time() - path.stat().st_mtime > 3600:
                os.utime(path)  # recently used: kept by the pruning below
            return res
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=DATA_DIR, suffix=".part")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(res.text)
        os.replace(tmp, path)
        _prune()
    except OSError:
        log.exception("map data %s not written to %s; sent inline", res.name, DATA_DIR)
        inline[res.name] = json.loads(res.text)
    return res


def _prune() -> None:
    files = sorted(DATA_DIR.glob("*.json"), key=lambda p: p.stat().st_mtime)
    for old in files[: max(0, len(files) - MAX_FILES)]:
        if time.time() - old.stat().st_mtime > 600:  # never one a page may still load
            old.unlink(missing_ok=True)


# -- resources, cached per data version (the keys hold the view's store, version, audience) --
@st.cache_resource(show_spinner=False, max_entries=8)
def _topology(key: tuple[str, int], _view: RoleView) -> Resource:
    return boundaries_resource(_view.district)


@st.cache_resource(show_spinner=False, max_entries=24)
def _areas(key: tuple[str, int], vintage: int, lang: str, _view: RoleView) -> Resource:
    return areas_resource(_view.district, vintage, lang, _view.populations)


@st.cache_resource(show_spinner=False, max_entries=16)
def _facilities(
    key: tuple[str, int, tuple[str, tuple[str, ...]]], lang: str, today: dt.date, _view: RoleView
) -> tuple[Resource, pd.Index]:
    """Every offer the audience may see on a map; an update only says which are shown."""
    res, ids = facilities_resource(_view.points(ViewState(lang=lang), today), lang)
    return res, pd.Index(ids, dtype=object)  # hashed: an update looks its rows up at once


@st.cache_resource(show_spinner=False, max_entries=32)
def _overlay(
    key: tuple[str, int, tuple[str, tuple[str, ...]]],
    state: ViewState,
    lang: str,
    _view: RoleView,
) -> tuple[Resource, Choropleth] | None:
    ch = _view.choropleth(state)
    if ch is None:
        return None
    return overlay_resource(ch, _view.district, state.level, state.vintage, lang), ch


@st.cache_resource(show_spinner=False, max_entries=32)
def _shown(
    key: tuple[str, int, tuple[str, tuple[str, ...]]],
    filters: ViewState,
    today: dt.date,
    _ids: pd.Index,
    _view: RoleView,
) -> tuple[gpd.GeoDataFrame, np.ndarray, np.ndarray]:
    """The offers a filter shows, which rows of the facilities resource they are, and each
    one's row: per data version, audience and filter, so the sessions that open the same
    view (the start page) share it."""
    points = _view.points(filters, today)
    mask, rows = _rows_of(_ids, points["id"].astype(str).to_numpy(dtype=object))
    return points, mask, rows


def _filters(state: ViewState) -> ViewState:
    """Only the fields the offers shown depend on (language and overlay changes share it)."""
    return ViewState(
        vintage=state.vintage, vg=state.vg, gemeinde=state.gemeinde,
        categories=state.categories, handlungsfelder=state.handlungsfelder,
        language=state.language, target_group=state.target_group,
        precisions=state.precisions, verified=state.verified,
    )  # fmt: skip


def clear_caches() -> None:
    """Forget every cached resource (tests; a new store gets new keys anyway)."""
    for fn in (_topology, _areas, _facilities, _overlay, _shown):
        fn.clear()


def _overlay_state(state: ViewState) -> ViewState:
    """Only the fields the overlay depends on (a filter change keeps its cache entry)."""
    return ViewState(
        lang=state.lang, vintage=state.vintage, layers=("choropleth",) if "choropleth" in state.layers else (),
        indicator=state.indicator, level=state.level, per_1000=state.per_1000,
        scheme=state.scheme, k=state.k, breaks=state.breaks,
    )  # fmt: skip


def _rows_of(ids: pd.Index, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows of the facilities resource are ``wanted`` (a mask over ``ids``, the
    store's unique offer ids), and each wanted id's row (-1: not in the resource). One hash
    lookup per id: with 20,000 offers, pandas' ``isin`` on text columns took half a second
    per page run."""
    rows = np.asarray(ids.get_indexer(wanted))
    mask = np.zeros(len(ids), dtype=bool)
    mask[rows[rows >= 0]] = True
    return mask, rows


def _overlay_of(
    view: RoleView, state: ViewState, choropleth: Choropleth | None | bool, inline: dict[str, Any]
) -> tuple[Resource | None, Choropleth | None]:
    """The overlay's resource (written) and classification: the one given, the view's own
    (``True``, cached per data version and overlay settings) or none."""
    if isinstance(choropleth, Choropleth):
        res = overlay_resource(choropleth, view.district, state.level, state.vintage, state.lang)
        return _publish(res, inline), choropleth
    if choropleth is True:
        made = _overlay(view.key, _overlay_state(state), state.lang, view)
        if made is not None:
            return _publish(made[0], inline), made[1]
    return None, None


def map_spec(
    view: RoleView,
    state: ViewState,
    *,
    height: int = 620,
    points: gpd.GeoDataFrame | None = None,
    choropleth: Choropleth | None | bool = True,
    marks: Sequence[MapMark] = (),
    focus_id: str = "",
    today: dt.date | None = None,
    inline: dict[str, Any] | None = None,
    reveal: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The spec of the map of a view (resources written, names in the spec).

    Parameters
    ----------
    view
        What the user may see.
    state
        Vintage, layers, filters, overlay, selected VG, language.
    height
        Pixel height.
    points
        The offers to draw instead of the view's filtered ones (e.g. an analysis
        selection); rows that are not stored offers are sent with the spec.
    choropleth
        ``True``: the view's overlay; a :class:`Choropleth` to draw instead (at
        ``state.level``); ``None`` or ``False``: none.
    marks
        Positions that are not offers (the what-if's planned facility, a picked point).
    focus_id
        An offer to zoom to and open.
    today
        For the "not verified for 12 months" dot; default today.
    inline
        Filled with the resources that could not be written (sent with the spec).
    reveal
        An element of the page to bring into view once drawn
        (:func:`dashboard.render.web.atlas.map_args`).
    """
    state = view.resolved(state)  # no vintage chosen: the district's current one
    lang, today = state.lang, today or dt.date.today()
    inline = {} if inline is None else inline
    vkey = view.key
    topo = _publish(_topology((vkey[0], vkey[1]), view), inline)
    areas = _publish(_areas((vkey[0], vkey[1]), state.vintage, state.lang, view), inline)
    fac_res, ids = _facilities(vkey, lang, today, view)
    _publish(fac_res, inline)
    show_facilities = "facilities" in state.layers or points is not None
    shown: gpd.GeoDataFrame | None = None
    mask: np.ndarray | None = None
    extra = None
    if points is not None:  # e.g. an analysis selection: may hold rows that are not stored
        shown = points
        mask, rows = _rows_of(ids, points["id"].astype(str).to_numpy(dtype=object))
        others = points[(rows < 0) & points.geometry.notna().to_numpy()]
        if len(others):
            extra, _ = facility_payload(others, lang)
    elif show_facilities:
        shown, mask, _ = _shown(vkey, _filters(state), today, ids, view)
    overlay, ch = _overlay_of(view, state, choropleth, inline)
    focus = int(ids.get_loc(focus_id)) if focus_id and focus_id in ids else -1
    return map_args(
        view.district, state.vintage, lang, topo=topo, areas=areas,
        facilities=fac_res if shown is not None else None, overlay=overlay, choropleth=ch,
        choropleth_level=state.level, shown=shown, mask=mask, extra=extra,
        show_facilities=shown is not None, show_gemeinden="gemeinden" in state.layers,
        show_city="city" in state.layers, basemap=state.basemap, selected_vg=state.vg,
        focus=focus, marks=marks, height=height, reveal=reveal,
    )  # fmt: skip


def show_map(
    view: RoleView,
    state: ViewState,
    key: str,
    *,
    height: int = 620,
    points: gpd.GeoDataFrame | None = None,
    choropleth: Choropleth | None | bool = True,
    marks: Sequence[MapMark] = (),
    focus_id: str = "",
    reveal_on_click: str = "",
) -> MapEvent | None:
    """Draw the interactive map of a view; zoom and centre are kept across reruns.

    Parameters
    ----------
    view
        What the user may see (:func:`dashboard.ui.common.view`).
    state
        The view: vintage, layers, filters, overlay, selected VG (zoomed to), language.
    key
        Streamlit key: one map per key, alive while the page shows it.
    height
        Pixel height.
    points, choropleth, marks, focus_id
        See :func:`map_spec`.
    reveal_on_click
        A CSS selector (e.g. ``.st-key-vg_view``, a container with that key): after a
        click on a VG, the next run's map brings that element into view once drawn, so
        what the click opened below the map is in sight.

    Returns
    -------
    MapEvent or None
        The newest click, in the run it started (the component's trigger value: the next
        rerun returns ``None`` until the next click).
    """
    state = view.resolved(state)
    inline: dict[str, Any] = {}
    pending = key + "__reveal"
    token = st.session_state.pop(pending, None)
    spec = map_spec(
        view, state, height=height, points=points, choropleth=choropleth, marks=marks,
        focus_id=focus_id, inline=inline,
        reveal={"selector": reveal_on_click, "id": str(token)} if token and reveal_on_click else None,
    )  # fmt: skip
    data = {"spec": spec, "inline": inline or None, "key": key, "assets": map_assets()}
    result = _component()(key=key, data=data, height=height, on_click_change=_ignore)
    click = result.get("click")
    if not isinstance(click, dict):
        return None
    event = map_event(view, state.vintage, click.get("lat"), click.get("lng"))
    if event is not None and event.vg and reveal_on_click:
        st.session_state[pending] = f"{time.time():.6f}"  # once, in the next run
    return event
