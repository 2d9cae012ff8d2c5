"""The accessibility statement (Erklärung zur Barrierefreiheit): status, known limits, how it
was made, the feedback contact and the enforcement procedure.

The status and the known limits are the product's (catalogue texts, docs/accessibility.md);
contact, date and enforcement body are the district's (:mod:`dashboard.domain.accessibility`),
and what the Kreis has not filled in says so instead of being guessed.
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from dashboard.domain.accessibility import (
    CONTACT_FIELDS,
    ENFORCEMENT_FIELDS,
    StatementValues,
    statement_values,
)
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date
from dashboard.services.view import RoleView
from dashboard.ui.text import plain, say, table

#: Visually hidden, still read: the text of a live region shown elsewhere on the page.
_HIDDEN = (
    "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap;border:0"
)


#: Styles every page gets (WCAG 2.1 AA where Streamlit's own look falls short): on a narrow
#: screen a table wraps its cells to fit the width instead of becoming a scroll box that
#: the keyboard cannot reach (Streamlit's table box takes no focus).
_PAGE_STYLE = """<style>
@media (max-width: 640px) {
  [data-testid="stTable"] > div { overflow: visible !important; }
  [data-testid="stTable"] table { width: 100% !important; }
  [data-testid="stTable"] th, [data-testid="stTable"] td, [data-testid="stTable"] th *,
  [data-testid="stTable"] td * { white-space: normal !important;
    overflow-wrap: anywhere !important; }
}
</style>"""


def page_style() -> None:
    """The accessibility styles of every page (drawn by the entry script, invisible)."""
    st.html(_PAGE_STYLE)


def live_region() -> st.delta_generator.DeltaGenerator:
    """A place for :func:`announce`, drawn at the same position on every run of the page.

    Screen readers read out what changes inside a live region that is already on the page;
    one that appears together with its text is often not read. So a page draws the region
    early (before what it announces is known) on every run, and fills it later.
    """
    return st.empty()


def announce(region: st.delta_generator.DeltaGenerator, text: str, visible: bool = False) -> None:
    """Put ``text`` into a live region (``role="status"``, read out politely, as a whole).

    Parameters
    ----------
    region
        From :func:`live_region`.
    text
        What changed, in the user's language (plain text, escaped here); ``""`` when there
        is nothing to announce.
    visible
        Show the text too (else only screen readers get it: it repeats what is shown).
    """
    style = "" if visible else f' style="{_HIDDEN}"'
    region.markdown(
        f'<div role="status" aria-live="polite" aria-atomic="true"{style}>'
        f"{html.escape(text)}</div>",
        unsafe_allow_html=True,
    )


#: The known limits, in the order the page lists them (catalogue keys ``a11y.limit.*``).
LIMITS = ("pdf", "map_pointer", "presentation_nav")


def _values_table(values: StatementValues, fields: tuple[str, ...], lang: str) -> None:
    missing = t("a11y.not_filled", lang)
    rows = [(t(f"a11y.field.{name}", lang), values.get(name) or missing) for name in fields]
    table(
        pd.DataFrame(rows, columns=[t("a11y.col_item", lang), t("a11y.col_value", lang)]),
        index=False,
    )


def statement(view: RoleView, lang: str) -> None:
    """The whole statement, as one page, with the values of the user's district."""
    values = statement_values(view.config)
    st.title(t("a11y.heading", lang))
    say("a11y.intro", lang)
    st.header(t("a11y.status_heading", lang))
    say("a11y.status", lang)
    st.header(t("a11y.limits_heading", lang))
    st.markdown("\n".join(f"- {plain(t(f'a11y.limit.{key}', lang))}" for key in LIMITS))
    st.header(t("a11y.made_heading", lang))
    say("a11y.made", lang)
    when = values.statement_date
    say("a11y.date", lang, date=fmt_date(when, lang) if when else t("a11y.not_filled", lang))
    st.header(t("a11y.contact_heading", lang))
    say("a11y.contact", lang)
    _values_table(values, CONTACT_FIELDS, lang)
    st.header(t("a11y.enforcement_heading", lang))
    say("a11y.enforcement", lang)
    _values_table(values, ENFORCEMENT_FIELDS, lang)
    say("a11y.source", lang, "caption", source=values.source or t("a11y.not_filled", lang))
