"""The names of the files a user takes away: what it is, which area, which day.

One home for them, so a printed map, a Steckbrief and a handout found later in a download
folder say what they show and when they were made (``integrationsatlas-karte-<vg>-
2026-12-07.pdf``, ``steckbrief-<vg>-2026-12-07.pdf``).
"""

from __future__ import annotations

import datetime as dt

#: German letters written out, so a name is plain ASCII on every file system.
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """``Bruchmühlbach-Miesau`` -> ``bruchmuehlbach-miesau`` (letters and digits, ``-``)."""
    folded = text.casefold().translate(_FOLD)
    out = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in folded)
    while "--" in out:
        out = out.replace("--", "-")
    return out.strip("-")


def output_name(kind: str, ext: str, day: dt.date, area: str = "") -> str:
    """The file name of an output: ``<kind>[-<area>]-<day>.<ext>``.

    Parameters
    ----------
    kind
        What the file is (``integrationsatlas-karte``, ``steckbrief``, ...).
    ext
        The extension, without the dot.
    day
        The day the file was made.
    area
        The area it shows (a VG's name), ``""`` for the whole district.
    """
    parts = [kind, slug(area), day.isoformat()]
    return "-".join(p for p in parts if p) + "." + ext
