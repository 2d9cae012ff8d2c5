"""Widgets and cached loaders shared by the pages."""

from __future__ import annotations

import streamlit as st

from dashboard.config import VINTAGES, get_settings
from dashboard.geo import load_layer, load_vgs
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from dashboard.maps import DistrictData
from dashboard.population import load_membership, load_population


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
    settings = get_settings()
    return DistrictData(
        vgs={v: load_vgs(settings.geodata_dir, v, web=True) for v in VINTAGES},
        gemeinden=load_layer(settings.geodata_dir, "gemeinden", web=True),
        city=load_layer(settings.geodata_dir, "kaiserslautern_stadt", web=True),
        outline=load_layer(settings.geodata_dir, "landkreis", web=True),
        population=load_population(settings.datasets_dir),
        membership=load_membership(settings.datasets_dir),
    )
