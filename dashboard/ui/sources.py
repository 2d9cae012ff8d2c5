"""Sections of the "Daten & Quellen" page: processed files, populations, map libraries."""

from __future__ import annotations

import streamlit as st

from dashboard.config import get_settings
from dashboard.i18n.catalogue import t
from dashboard.render.provenance import manifest_table, population_table
from dashboard.render.web.assets import BUNDLE_VERSIONS
from dashboard.services.view import RoleView
from dashboard.ui.text import plain


def manifests(lang: str) -> None:
    """Every processed file with source, licence, reference date and count."""
    settings = get_settings()
    st.subheader(t("data.geodata", lang))
    st.dataframe(manifest_table(settings.geodata_dir, lang), hide_index=True, width="stretch")
    st.subheader(t("data.datasets", lang))
    st.dataframe(manifest_table(settings.datasets_dir, lang), hide_index=True, width="stretch")


def populations(view: RoleView, lang: str) -> None:
    """The population of every Gemeinde with its own date and source."""
    st.subheader(t("data.population", lang))
    data = view.district
    dates = sorted(data.population["population_date"].unique())
    st.info(t("data.population_dates", lang, dates=", ".join(dates)))
    st.dataframe(population_table(data.population, lang), hide_index=True, width="stretch")


def libraries(lang: str) -> None:
    """The versions of the map libraries served by the app (offline)."""
    st.subheader(t("data.assets", lang))
    for text in BUNDLE_VERSIONS.values():
        st.markdown(f"- {plain(text)}")
