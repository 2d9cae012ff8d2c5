"""The formula rule: text cells that a spreadsheet would run as a formula are protected.

Every CSV the application writes (exports, reports, validation reports) calls
:func:`escape_formula` on text cells; importers call :func:`unescape_formula`.
"""

from __future__ import annotations

#: A CSV text cell starting with one of these gets a leading apostrophe (formula injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(text: str) -> bool:
    first = text.lstrip("'")[:1]
    return first != "" and first in FORMULA_PREFIXES


def escape_formula(text: str) -> str:
    """Protect a CSV text cell against formula injection.

    Parameters
    ----------
    text
        The stored text.

    Returns
    -------
    str
        ``text`` with a leading ``'`` if it starts with one of :data:`FORMULA_PREFIXES`
        (possibly after apostrophes); otherwise unchanged. Reversed by
        :func:`unescape_formula`.
    """
    return "'" + text if _needs_escape(text) else text


def unescape_formula(text: str) -> str:
    """Undo :func:`escape_formula`: for importers of exported CSV files.

    Parameters
    ----------
    text
        A text cell as read from the CSV file.

    Returns
    -------
    str
        ``text`` without the protecting apostrophe; texts that were not escaped are
        returned unchanged.
    """
    if text.startswith("'") and _needs_escape(text):
        return text[1:]
    return text
