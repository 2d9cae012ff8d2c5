"""Entry point with sign-in, line for line what app.py reads once the sign-in is merged.

The role tests run this script while ``app.py`` does not call
:func:`dashboard.ui.session.signin_widget` yet, and ``app.py`` itself afterwards.
"""

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.ui.common import current_language
from dashboard.ui.session import navigation, signin_widget

lang = current_language()
st.set_page_config(page_title=t("app.title", lang), page_icon="🗺️", layout="wide")
page = navigation(lang)  # only the pages the signed-in role may open
signin_widget(lang)
page.run()
