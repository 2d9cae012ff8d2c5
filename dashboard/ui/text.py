"""Plain text stays plain: the one rule for putting words on a Streamlit page.

Streamlit interprets Markdown (and its own directives such as ``:red[...]``, ``$...$``
and emoji shortcodes) in titles, headers, captions, messages, widget labels and the cells
of ``st.table``. Text that comes from data, an uploaded file or the URL must never be
interpreted: :func:`plain` escapes every character with a meaning, so the text shows
literally, and no image, link or formatting can be injected. Catalogue messages are
trusted Markdown; the values put into them are escaped by :func:`say`.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.i18n.catalogue import t

#: Punctuation that Markdown or Streamlit's directives give a meaning anywhere in a line.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~:$&])")
#: Punctuation with a meaning at the start of a line (lists, rules, setext headings).
_LINE_START = re.compile(r"(?m)^(\s*)([-=.>])")
_NUMBERED = re.compile(r"(?m)^(\s*\d+)([.)])")
#: Where GitHub-flavoured Markdown would turn bare text into a link (``http://``, ``www.``).
_AUTOLINK = re.compile(r"(\\:(?=//)|(?i:www)(?=\\?\.))")


def plain(text: object) -> str:
    """``text`` escaped so that Markdown shows it literally (line breaks kept as breaks)."""
    escaped = _SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    escaped = _LINE_START.sub(r"\1\\\2", escaped)
    escaped = _NUMBERED.sub(r"\1\\\2", escaped)
    escaped = _AUTOLINK.sub("\\1\u2060", escaped)  # a word joiner: no bare URL becomes a link
    return escaped.replace("\n", "  \n")


def say(key: str, lang: str, kind: str = "markdown", **values: object) -> None:
    """Show a catalogue message, with every value shown as plain text.

    Parameters
    ----------
    key
        Message id.
    lang
        Language.
    kind
        The Streamlit function: ``markdown``, ``caption``, ``info``, ``warning``, ``error``,
        ``success``, ``title``, ``header``, ``subheader``.
    values
        Placeholders of the message (from data or the URL: escaped here).
    """
    getattr(st, kind)(t(key, lang, **{k: plain(v) for k, v in values.items()}))


def table(frame: pd.DataFrame, index: bool = True) -> None:
    """``st.table`` with every header and cell shown as plain text.

    Parameters
    ----------
    frame
        The table; its first column becomes the row header when ``index`` is true.
    index
        Use the first column as the index (as the pages do for labelled rows).
    """
    shown = frame.astype(object).map(_cell).rename(columns=lambda c: plain(c))
    if index and len(shown.columns):
        shown = shown.set_index(shown.columns[0])
    st.table(shown)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return plain(value) if isinstance(value, str) else value


def theirs(text: object, lang: str = "de") -> str:
    """Somebody's words (a comment, a name from a list) inside a catalogue message: shown as
    written, as plain text, and marked with their language (``lang="de"``), so a screen reader
    on an English page reads them as German. Show the message with ``unsafe_allow_html=True``
    (the words are escaped by :func:`plain`: no tag of theirs reaches the page)."""
    return f'<span lang="{lang}">{plain(text)}</span>'
