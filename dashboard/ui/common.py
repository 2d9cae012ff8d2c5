"""Widgets and cached loaders shared by the pages."""

from __future__ import annotations

import datetime as dt

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st

from dashboard.config import get_settings
from dashboard.data.boundaries import DistrictData, load_district_data, load_layer
from dashboard.data.store import Store
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, t


def current_language() -> str:
    """The language of this session: query parameter ``lang``, else German."""
    lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def language_switch() -> str:
    """Sidebar selector for the language; keeps it in the URL (``?lang=en``).

    Returns
    -------
    str
        ``de`` or ``en``.
    """
    lang = current_language()
    choice = st.sidebar.radio(
        t("lang.label", lang),
        LANGUAGES,
        index=LANGUAGES.index(lang),
        format_func=lambda code: {"de": "Deutsch", "en": "English"}[code],
        horizontal=True,
        key="lang_switch",
    )
    if choice != lang:
        st.query_params["lang"] = choice
        st.rerun()
    return lang


@st.cache_resource(show_spinner=False)
def district_data() -> DistrictData:
    """Boundaries (web versions) and population, loaded once per server process."""
    return load_district_data(get_settings())


@st.cache_resource(show_spinner=False)
def store() -> Store:
    """The embedded store, created from the shipped datasets on first use."""
    settings = get_settings()
    return Store(settings.store_path, settings.datasets_dir)


@st.cache_resource(show_spinner=False)
def geocoder():  # noqa: ANN201 - returns dashboard.data.importer.Geocoder
    """Offline geocoder over the full-resolution boundaries."""
    from dashboard.data.importer import default_geocoder

    return default_geocoder(get_settings())


@st.cache_resource(show_spinner=False)
def boundaries_full() -> tuple:
    """Full-resolution Gemeinden and city (for locating facilities)."""
    settings = get_settings()
    return (
        load_layer(settings.geodata_dir, "gemeinden"),
        load_layer(settings.geodata_dir, "kaiserslautern_stadt"),
    )


def located() -> gpd.GeoDataFrame:
    """The store's facilities with Gemeinde and VGs, cached until the store changes."""
    facilities = store().facilities()
    key = tuple((f.id, f.version) for f in facilities)
    return _located(key, facilities)


@st.cache_data(show_spinner=False, max_entries=4)
def _located(key: tuple, _facilities: list) -> gpd.GeoDataFrame:
    """Cached on ``key`` (ids and versions); ``_facilities`` is not hashed."""
    from dashboard.data.locate import locate

    gem, city = boundaries_full()
    return locate(_facilities, gem, city, district_data().membership)


@st.cache_data(show_spinner=False, ttl=60)
def indicator_values() -> pd.DataFrame:
    """Indicator values of the store (long format)."""
    return store().indicators()


def view_layers(state: ViewState, today: dt.date) -> tuple:
    """The facilities (public points, filtered) and the classified overlay of a view."""
    from dashboard.analysis.classify import build_choropleth
    from dashboard.analysis.filters import apply_filters, public_points, stale_flags

    data = district_data()
    choropleth = None
    if "choropleth" in state.layers and state.indicator:
        keys = list(
            data.gemeinden["ags"] if state.level == "gemeinde" else data.vgs[state.vintage]["rs"]
        )
        try:
            choropleth = build_choropleth(
                indicator_values(), data.membership, keys, state.indicator, state.level,
                state.vintage, state.per_1000, state.scheme, state.k, state.breaks,
            )  # fmt: skip
        except ValueError:
            choropleth = None
    points = None
    if "facilities" in state.layers:
        points = public_points(apply_filters(located(), state, today))
        points = points.assign(stale=stale_flags(points, today, vg_confirmations()))
    return points, choropleth


@st.cache_data(show_spinner=False, ttl=30)
def vg_confirmations() -> dict:
    """VG key -> date of the latest "our list is current" confirmation."""
    from dashboard.data.proposals import Ledger

    frame = Ledger(store().path).confirmations()
    return {
        k: dt.date.fromisoformat(str(v)[:10])
        for k, v in zip(frame["vg_key"], frame["confirmed_at"], strict=True)
    }


@st.cache_resource(show_spinner=False, max_entries=24)
def atlas_map(state: ViewState, data_key: tuple, today: dt.date, focus_id: str) -> folium.Map:
    """The atlas map for a view, built once per (view, data version, day)."""
    from dashboard.render.web.atlas import build_atlas_map
    from dashboard.ui.mapview import asset_base_urls

    points, choropleth = view_layers(state, today)
    return build_atlas_map(
        district_data(), state.vintage, state.lang, located=points, choropleth=choropleth,
        choropleth_level=state.level, show_gemeinden="gemeinden" in state.layers,
        show_city="city" in state.layers, basemap=state.basemap, selected_vg=state.vg,
        focus_id=focus_id, asset_base_urls=asset_base_urls,
    )  # fmt: skip


def data_key() -> tuple:
    """Changes whenever a facility is added or edited."""
    return tuple(zip(located()["id"], located()["version"], strict=True))
