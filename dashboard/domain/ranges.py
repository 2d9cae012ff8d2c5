"""Ranges a person may set: the same on the pages, in links and on the command line.

The gap rule's thresholds (:class:`dashboard.analysis.gaps.Thresholds`; the analysis page's
inputs, a link's values clamped into them, the ``gaps`` command's options) and the
resolution of a printed map (the ``map`` command; the page prints at 300 dpi).
"""

from __future__ import annotations

#: Range of each threshold of the gap rule (km, offers per 1,000, km).
THRESHOLD_BOUNDS: dict[str, tuple[float, float]] = {
    "max_distance_km": (0.5, 50.0),
    "min_per_1000": (0.0, 50.0),
    "radius_km": (0.5, 50.0),
}

#: Resolution of a printed map as PNG (dots per inch): from screen to fine print; A3 at
#: 600 dpi is about 70 million pixels, the most a sheet needs.
PRINT_DPI: tuple[int, int] = (72, 600)

__all__ = ["PRINT_DPI", "THRESHOLD_BOUNDS"]
