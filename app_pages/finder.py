"""Angebotsfinder page: the public offer finder for residents, linked from the app."""

from dashboard.ui.common import language_switch
from dashboard.ui.finder import finder_section

lang = language_switch()
finder_section(lang)
