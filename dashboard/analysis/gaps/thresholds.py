"""The thresholds of the gap rule and their URL form (one parser for links and tests)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np

from dashboard.analysis.gaps.checks import check_positive
from dashboard.domain.ranges import THRESHOLD_BOUNDS

#: Range of each threshold a user may set (page inputs, links, the command line); a value
#: from a link beyond it is clamped, with a note.
BOUNDS: dict[str, tuple[float, float]] = THRESHOLD_BOUNDS


@dataclass(frozen=True)
class Thresholds:
    """Thresholds of the gap flags.

    Attributes
    ----------
    max_distance_km
        An area whose nearest offer is farther away (km, straight line) is flagged.
    min_per_1000
        An area with fewer offers per 1,000 inhabitants is flagged (0 switches this off).
    radius_km
        Radius for the population share within reach and the 2SFCA catchment.
    """

    max_distance_km: float = 5.0
    min_per_1000: float = 0.5
    radius_km: float = 5.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = check_positive(f.name, getattr(self, f.name), f.name == "min_per_1000")
            object.__setattr__(self, f.name, value)

    def to_params(self) -> dict[str, str]:
        """The thresholds as a flat dict of strings (URL query parameters)."""
        return {
            f.name: np.format_float_positional(getattr(self, f.name), trim="-")
            for f in fields(self)
        }


def from_params(params: Mapping[str, str]) -> tuple[Thresholds, list[str]]:
    """Thresholds from URL query parameters (the inverse of :meth:`Thresholds.to_params`).

    Missing keys keep their defaults, other keys are ignored, a decimal comma is accepted.
    A value that is not a finite number is ignored; a number beyond :data:`BOUNDS` is
    clamped into it.

    Returns
    -------
    tuple
        The thresholds and the ``name=value`` items that were ignored or clamped (for a
        note to the user; each value cut to 40 characters).
    """
    values: dict[str, float] = {}
    notes: list[str] = []
    for name, (low, high) in BOUNDS.items():
        raw = params.get(name)
        if raw is None:
            continue
        shown = f"{name}={str(raw)[:40]}"
        try:
            value = float(str(raw).strip().replace(",", "."))
        except ValueError:
            notes.append(shown)
            continue
        if not math.isfinite(value):
            notes.append(shown)
            continue
        values[name] = min(max(value, low), high)
        if values[name] != value:
            notes.append(shown)
    return Thresholds(**values), notes
