"""Erklärung zur Barrierefreiheit: the accessibility statement (every role, linked in the
navigation of every page)."""

from dashboard.ui.accessibility import statement
from dashboard.ui.common import language_switch, view

statement(view(), language_switch())
