"""Integrationsatlas of the configured district: entry point (page config, sign-in, navigation)."""

import streamlit as st

from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, t
from dashboard.ui.accessibility import page_style
from dashboard.ui.chrome import chrome
from dashboard.ui.common import current_language
from dashboard.ui.district import district_banner
from dashboard.ui.errors import guarded, test_hook
from dashboard.ui.finder import keep_finder_current
from dashboard.ui.session import navigation, signin_widget

try:
    lang = current_language()
except Exception:  # noqa: BLE001 - settings or district unreadable: guarded() below says so
    lang = DEFAULT_LANGUAGE
st.set_page_config(page_title=t("app.title", lang), page_icon="🗺️", layout="wide")
page_style()  # WCAG 2.1 AA where Streamlit's own styles fall short (docs/accessibility.md)
with guarded(lang):
    chrome(lang)  # Streamlit's own controls ("Choose options", "Upload") in the page's language
    keep_finder_current()  # the public offer finder at /app/static/finder/ follows the data
    page = navigation(lang)  # only the pages the signed-in role may open
    signin_widget(lang)
    district_banner(lang)  # synthetic test data says so on every page
    test_hook()  # only with INTEGRATIONSATLAS_TEST_HOOKS=1 (browser tests)
    page.run()
