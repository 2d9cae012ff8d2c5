"""Where a row is: the labels of the validation report ("Zeile 7", "Objekt 3", ...).

Labels are made only here, in one German grammar, so the report can word them in the
user's language (:func:`label_message`) while the command line and the logs keep the
German form.
"""

from __future__ import annotations

import re

from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import Message

#: The label of the edit form's values.
FORM = "Formular"

_LINE = re.compile(r"^Zeile (\d+)$")
_FEATURE = re.compile(r"^Objekt (\d+)$")
_STORED = re.compile(r"^Bestand (.+)$")
_SHEET_LINE = re.compile(r"^(.{1,40}), Zeile (\d+)$")


def line(number: int) -> str:
    """A row of a CSV or XLSX file, numbered as in the file (header = 1)."""
    return f"Zeile {number}"


def sheet_line(sheet: str, number: int) -> str:
    """A row of a named sheet of a workbook (``Angebote, Zeile 7``)."""
    return f"{sheet}, Zeile {number}"


def feature(number: int) -> str:
    """A feature of a GeoJSON or GeoPackage file (1-based)."""
    return f"Objekt {number}"


def stored(record_id: str) -> str:
    """A record already in the store."""
    return f"Bestand {record_id}"


def label_message(label: str) -> Message:
    """A label as a message, to be worded in the user's language.

    Parameters
    ----------
    label
        Made by :func:`line`, :func:`sheet_line`, :func:`feature`, :func:`stored` or
        :data:`FORM`; an OSM
        label (``node/123``) and anything else stay as they are.
    """
    if m := _LINE.match(label):
        return Message.of(N_("imp.row.line"), n=int(m[1]))
    if m := _SHEET_LINE.match(label):
        return Message.of(N_("imp.row.sheet_line"), sheet=m[1], n=int(m[2]))
    if m := _FEATURE.match(label):
        return Message.of(N_("imp.row.feature"), n=int(m[1]))
    if m := _STORED.match(label):
        return Message.of(N_("imp.row.stored"), id=m[1])
    if label == FORM:
        return Message.of(N_("imp.row.form"))
    return Message.plain(label)
