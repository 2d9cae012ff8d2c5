"""Presentation mode: full-screen views in large type; the editor opens from a button."""

from dashboard.ui import presentation
from dashboard.ui.common import current_language, language_switch, view

lang = current_language()
v = view()
if presentation.mode(v) == "edit":  # assembling the sequence: the only place with inputs
    language_switch(url=False)
    presentation.editor(v, lang)
else:
    presentation.show(v, lang)
