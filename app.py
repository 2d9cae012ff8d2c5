"""Integrationsatlas Landkreis Kaiserslautern: entry point (page config + navigation)."""

import streamlit as st

from dashboard.i18n import t
from dashboard.ui.common import current_language

lang = current_language()
st.set_page_config(page_title=t("app.title", lang), page_icon="🗺️", layout="wide")
page = st.navigation(
    [
        st.Page("app_pages/karte.py", title=t("nav.map", lang), url_path="karte", default=True),
        st.Page("app_pages/versorgung.py", title=t("nav.gaps", lang), url_path="versorgung"),
        st.Page("app_pages/bestand.py", title=t("nav.facilities", lang), url_path="bestand"),
        st.Page("app_pages/importieren.py", title=t("nav.import", lang), url_path="importieren"),
        st.Page("app_pages/daten.py", title=t("nav.data", lang), url_path="daten"),
        st.Page(
            "app_pages/praesentation.py",
            title=t("nav.presentation", lang),
            url_path="praesentation",
        ),
    ]
)
page.run()
