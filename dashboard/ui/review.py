"""A proposal's changes in the form's language: labels, local dates, names, rounded places.

The review page shows what approving a proposal would change in the record now
(:meth:`dashboard.services.workspace.Workspace.delta`) as the edit form words it: field
labels instead of field names, "Sprache" instead of ``sprache``, "ja"/"nein" instead of
``True``/``False``, dates and times of the language, the Gemeinde's name instead of its
key, positions to five decimals (about a metre).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pandas as pd

from dashboard.domain.review import Delta
from dashboard.i18n.catalogue import field_label, label, t
from dashboard.i18n.format import MISSING, fmt_date, fmt_float, fmt_int

#: Fields whose value is a code of the model, worded by a family of messages.
_CODES: dict[str, str] = {"category": "cat", "precision": "precision", "status": "status"}


def _words(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def value_text(field: str, value: object, lang: str, place_name: Callable[[str], str] = str) -> str:
    """One field's value as the form shows it.

    Parameters
    ----------
    field
        Facility field name.
    value
        The value (as the model holds it).
    lang
        ``de`` or ``en``.
    place_name
        The name of a Gemeinde by its key (the key itself if none is given).

    Returns
    -------
    str
        Plain text; ``–`` for an empty value.
    """
    if value is None or value == "" or value == []:
        return MISSING
    if isinstance(value, bool):
        return t("value.yes", lang) if value else t("value.no", lang)
    if field in _CODES:
        return label(_CODES[field], str(value), lang)
    if field == "handlungsfelder" and isinstance(value, list):
        return _words(label("hf", str(v), lang) for v in value)
    if isinstance(value, list):
        return _words(value)
    if field in ("lat", "lon") and isinstance(value, float):
        return fmt_float(value, 5, lang)
    if field == "capacity" and isinstance(value, int):
        return fmt_int(value, lang)
    if field == "ags":
        return place_name(str(value))
    if isinstance(value, dt.date | str) and field in ("reference_date", "last_verified"):
        return fmt_date(value, lang)
    return str(value)


def delta_table(delta: Delta, lang: str, place_name: Callable[[str], str] = str) -> pd.DataFrame:
    """The fields approving would change: label, the value now, the proposed value, and
    whether somebody changed it since the proposal was made.

    Parameters
    ----------
    delta
        :meth:`Workspace.delta` of the proposal.
    lang
        ``de`` or ``en``.
    place_name
        The name of a Gemeinde by its key.
    """
    rows = [
        {
            t("edit.col.field", lang): field_label(c.field, lang),
            t("rev.col.now", lang): value_text(c.field, c.now, lang, place_name),
            t("rev.col.proposed", lang): value_text(c.field, c.proposed, lang, place_name),
            t("rev.col.note", lang): t("rev.changed_since", lang) if c.conflict else "",
        }
        for c in delta.changes
        if c.field != "id"  # a new record's key says nothing; its name is in the title
    ]
    frame = pd.DataFrame(rows)
    if not delta.conflicts and not frame.empty:
        frame = frame.drop(columns=[t("rev.col.note", lang)])
    return frame
