"""The offers' symbols on paper: the web map's colour and shape per category as
matplotlib markers (:data:`dashboard.render.common.symbols.SYMBOLS`), hollow and dashed
where the place is only approximate."""

from __future__ import annotations

from typing import Any

from matplotlib.path import Path as MplPath

from dashboard.render.common.symbols import SYMBOLS


def _house_marker() -> MplPath:
    """The house symbol of the web map (SVG polygon, y flipped) as a marker path."""
    pts = [(10, 2), (18, 9), (16, 9), (16, 18), (4, 18), (4, 9), (2, 9)]
    verts = [((x - 10) / 8.0, (10 - y) / 8.0) for x, y in pts]
    verts.append(verts[0])
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(pts) - 1) + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


#: Web symbol shape -> matplotlib marker.
MARKERS: dict[str, Any] = {
    "circle": "o",
    "square": "s",
    "triangle": "^",
    "diamond": "D",
    "pentagon": "p",
    "cross": "P",
    "hexagon": "h",
    "star": "*",
    "house": _house_marker(),
}
#: Marker size factors so that all shapes look about equally large.
_MARKER_SCALE = {"triangle": 1.1, "diamond": 0.85, "star": 1.3, "cross": 1.05, "house": 1.0}

_DARK_YELLOW_EDGE = "#8a7f00"  # a yellow outline on white needs a dark edge to be seen


def marker_style(category: str, approximate: bool) -> dict[str, Any]:
    """Marker keyword arguments for a category (filled, or hollow and dashed).

    Parameters
    ----------
    category
        A key of :data:`dashboard.render.common.symbols.SYMBOLS`.
    approximate
        Whether the place is only known to the Gemeinde or postcode.

    Returns
    -------
    dict
        ``marker``, ``facecolor``, ``edgecolor``, ``linestyle`` and ``scale``.
    """
    color, shape = SYMBOLS[category]
    line: str | tuple[int, tuple[float, float]]  # a matplotlib line style
    if approximate:
        edge = _DARK_YELLOW_EDGE if color.upper() == "#F0E442" else color
        face, line = "#ffffff", (0, (2.2, 1.2))
    else:
        edge, face, line = "#1a1a1a", color, "solid"
    return {
        "marker": MARKERS[shape],
        "facecolor": face,
        "edgecolor": edge,
        "linestyle": line,
        "scale": _MARKER_SCALE.get(shape, 1.0),
    }
