"""Data coverage: where the inventory knows that its list of offers is complete.

A gap can only be stated where the list of offers is known to be complete; elsewhere an
empty map is a gap in the inventory, not in the district. Completeness is recorded per
Verbandsgemeinde of the current vintage (the VGs that deliver their lists) and category:
a VG delivered its list in a collection round and the Kreis-Redaktion confirmed it, or
the Kreis-Redaktion marked it (:class:`ListMarks`).

A Gemeinde's list of a *category* is complete when its VG's list of that category is. A
*Handlungsfeld* is covered by the categories whose default Handlungsfelder include it
(:func:`categories_of`): its list is complete when all of them are; a Handlungsfeld no
category belongs to (``interkulturelle_oeffnung``, ``arbeit_wirtschaft``) is never
complete, because no list of offers covers it.

Codes (words are made in :mod:`dashboard.render.gaps_text`):

``coverage`` of a row: ``complete`` (every Gemeinde's list is complete), ``partial``
(some, for a VG or the district), ``unknown`` (none).
``status`` of a row (:data:`dashboard.analysis.gaps.STATUS_CODES`): a verdict only where
the coverage is ``complete``, else ``unknown`` ("unbekannt – keine bestätigte Liste").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.model import CATEGORIES

#: Coverage codes of a row of the analysis.
COVERAGE_CODES: tuple[str, ...] = ("complete", "partial", "unknown")

_MARK_COLUMNS = ("vg_key", "category", "complete", "as_of", "marked_by", "marked_at", "source")


def categories_of(selector: str) -> tuple[str, ...]:
    """The categories whose lists cover a selector: the category itself, or every category
    whose default Handlungsfelder include the Handlungsfeld (may be empty)."""
    if selector in CATEGORIES:
        return (selector,)
    return tuple(
        c
        for c, info in CATEGORIES.items()
        if selector in info["default_hf"]  # type: ignore[operator]
    )


@dataclass(frozen=True, eq=False)
class ListMarks:
    """The effective completeness mark per VG and category.

    Attributes
    ----------
    frame
        One row per (``vg_key``, ``category``): ``complete`` (bool), ``as_of`` (the list's
        date as the VG gave it, ISO text of any precision), ``marked_by``, ``marked_at``,
        ``source`` (e.g. the collection round's return).
    """

    frame: pd.DataFrame

    @classmethod
    def of(cls, frame: pd.DataFrame | None) -> ListMarks:
        """Marks from a table with at least ``vg_key``, ``category``, ``complete``.

        Raises
        ------
        ValueError
            Naming the missing columns.
        """
        if frame is None:
            return cls(pd.DataFrame(columns=list(_MARK_COLUMNS)))
        missing = [c for c in ("vg_key", "category", "complete") if c not in frame.columns]
        if missing:
            raise ValueError(f"list marks lack column(s) {missing}")
        out = frame.copy()
        for col in _MARK_COLUMNS:
            if col not in out.columns:
                out[col] = ""
        out["complete"] = out["complete"].astype(bool)
        out = out.drop_duplicates(["vg_key", "category"], keep="last")
        return cls(out[list(_MARK_COLUMNS)].reset_index(drop=True))

    def lookup(self) -> dict[tuple[str, str], tuple[bool, str]]:
        """(vg_key, category) -> (complete, as_of)."""
        return {
            (str(v), str(c)): (bool(ok), "" if pd.isna(d) else str(d))
            for v, c, ok, d in zip(
                self.frame["vg_key"],
                self.frame["category"],
                self.frame["complete"],
                self.frame["as_of"],
                strict=True,
            )
        }


def gemeinde_coverage(
    current_vg: Sequence[str], marks: ListMarks | None, selector: str
) -> tuple[np.ndarray, list[str]]:
    """Whether each Gemeinde's list of a selector is complete, and as of when.

    Parameters
    ----------
    current_vg
        Each Gemeinde's VG key of the current vintage, in the analysis order.
    marks
        The effective marks; ``None`` treats every list as complete (an analysis of a
        complete inventory, such as a test fixture).
    selector
        Category or Handlungsfeld code.

    Returns
    -------
    tuple
        ``complete`` (bool per Gemeinde) and ``as_of`` (the oldest date of the lists
        involved, ``""`` if unknown).
    """
    n = len(current_vg)
    if marks is None:
        return np.ones(n, bool), [""] * n
    cats = categories_of(selector)
    found = marks.lookup()
    complete = np.zeros(n, bool)
    as_of = [""] * n
    for i, vg in enumerate(current_vg):
        entries = [found.get((str(vg), c)) for c in cats]
        if cats and all(e is not None and e[0] for e in entries):
            complete[i] = True
            dates = sorted(e[1] for e in entries if e is not None and e[1])
            as_of[i] = dates[0] if dates else ""
    return complete, as_of


def combine(complete: pd.Series) -> str:
    """Coverage code of an aggregate from its Gemeinden's completeness."""
    if bool(complete.all()):
        return "complete"
    return "partial" if bool(complete.any()) else "unknown"


def current_vg_keys(table: pd.DataFrame, vintage: int) -> list[str]:
    """The VG key of ``vintage`` (the vintage whose VGs deliver the lists) of each row of an
    analysis table (``vg_rs_<vintage>``)."""
    column = f"vg_rs_{vintage}"
    if column not in table.columns:
        raise ValueError(f"the areas lack column {column!r} (membership of the current vintage)")
    return [str(v) for v in table[column]]
