"""Sections of the "Daten & Quellen" page: the district, processed files, populations, map
libraries."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.config import get_settings
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import package_only_note, vintage_label
from dashboard.i18n.format import fmt_date
from dashboard.render.provenance import manifest_table, population_table
from dashboard.render.web.assets import BUNDLE_VERSIONS
from dashboard.services.view import RoleView
from dashboard.ui.text import plain, say, table


def district(view: RoleView, lang: str) -> None:
    """The district: name, key, context, vintages with their source."""
    config_of = view.config
    st.header(t("data.district", lang))
    sources = {
        "membership": t("data.vintage_source.membership", lang),
        "package": t("data.vintage_source.package", lang),
    }
    rows = [
        (t("data.district_name", lang), t("data.district_value", lang, code=config_of.key)),
        (t("data.district_context", lang), t("city.label", lang)),
        *((vintage_label(v.year, lang), sources[v.source]) for v in config_of.vintages),
    ]
    table(
        pd.DataFrame(rows, columns=[t("field.name", lang), t("data.district_detail", lang)]),
        index=False,
    )
    note = package_only_note(lang)
    if note:
        st.info(plain(note))
    if config_of.synthetic:
        say("district.synthetic_banner", lang, "warning")


def manifests(lang: str) -> None:
    """Every processed file with source, licence, reference date and count."""
    settings = get_settings()
    st.header(t("data.geodata", lang))
    st.dataframe(manifest_table(settings.geodata_dir, lang), hide_index=True, width="stretch")
    st.header(t("data.datasets", lang))
    st.dataframe(manifest_table(settings.datasets_dir, lang), hide_index=True, width="stretch")


def populations(view: RoleView, lang: str) -> None:
    """The population of every Gemeinde with its own date and source."""
    st.header(t("data.population", lang))
    data = view.district
    if data.population.empty:
        say("data.population_none", lang, "info")
        return
    dates = sorted(str(d) for d in data.population["population_date"].unique())
    written = ", ".join(fmt_date(d, lang) for d in dates)  # oldest first
    st.info(t("data.population_dates", lang, dates=written))
    st.dataframe(population_table(data.population, lang), hide_index=True, width="stretch")


def libraries(lang: str) -> None:
    """The versions of the map libraries served by the app (offline)."""
    st.header(t("data.assets", lang))
    for text in BUNDLE_VERSIONS.values():
        st.markdown(f"- {plain(text)}")
