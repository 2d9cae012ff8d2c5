"""Where an offer's position is only approximate: one rule for the analysis, maps and tables.

An offer placed at Gemeinde or postcode precision is "somewhere in that Gemeinde" (or
postcode area): its point is a representative point, not its address. The analysis
states distances to it as a range (:mod:`dashboard.analysis.positions`), the maps draw it
hollow and dashed, tables count it apart.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

#: Precisions whose position is "somewhere in the Gemeinde" (or postcode area).
APPROXIMATE: frozenset[str] = frozenset({"gemeinde", "postcode"})


def is_approximate(precision: object) -> bool:
    """Whether an offer of this precision is placed only approximately."""
    return str(precision) in APPROXIMATE


def approximate_mask(precisions: Iterable[object]) -> np.ndarray:
    """:func:`is_approximate` of every value (a boolean array in the same order)."""
    return np.fromiter((str(p) in APPROXIMATE for p in precisions), dtype=bool)
