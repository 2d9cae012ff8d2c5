"""Text from outside without bidirectional controls: one rule for every imported text.

An embedding or override (U+202A–U+202E) or an isolate (U+2066–U+2069) in a name makes a
page show it reversed or reordered ("PONGEMAIL" for "LIAMEGNOP"); they are removed from
every text a record holds (:mod:`dashboard.domain.model` validates every record so: imports,
returned workbooks, indicator tables, forms). The left-to-right and right-to-left marks
(U+200E, U+200F) are meaningful in text that mixes scripts of both directions (an Arabic
name with a number) and are kept there; in text without any right-to-left letter they only
hide and are removed.
"""

from __future__ import annotations

import re
import unicodedata

#: Embeddings, overrides and isolates: always removed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The directional marks: kept only next to right-to-left letters.
BIDI_MARKS = frozenset("\u200e\u200f\u061c")

_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MARKS = re.compile("[\u200e\u200f\u061c]")
_ANY = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional embeddings, overrides and isolates, and without
    directional marks unless it holds right-to-left letters.

    Parameters
    ----------
    text
        Any text.

    Returns
    -------
    str
        The cleaned text (the same object if nothing was removed).
    """
    if _ANY.search(text) is None:
        return text
    cleaned = _CONTROLS.sub("", text)
    unmarked = _MARKS.sub("", cleaned)
    return cleaned if _has_rtl(unmarked) else unmarked


def strip_bidi_values(values: object) -> object:
    """Every text in a record's input (a mapping of fields, lists of texts) cleaned with
    :func:`strip_bidi`; anything else returned as it is."""
    if isinstance(values, str):
        return strip_bidi(values)
    if isinstance(values, dict):
        return {k: strip_bidi_values(v) for k, v in values.items()}
    if isinstance(values, list | tuple):
        return type(values)(strip_bidi_values(v) for v in values)
    return values
