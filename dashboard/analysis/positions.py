"""Honest distances to offers whose position is known only to their Gemeinde.

An offer placed at Gemeinde or postcode precision is "somewhere in that Gemeinde": the
point it is drawn at is a representative point, not its address. The distance from a
demand point to such an offer is therefore a range: from the nearest to the farthest point
of the Gemeinde's polygon (the latter measured at its vertices). For an offer in the own
Gemeinde the range starts at 0 and never claims an exact 0.

:func:`nearest_range` gives, per demand point, the range the distance to the *nearest*
offer lies in: exact offers contribute their point distance to both ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from scipy.spatial import cKDTree

#: Precisions whose position is "somewhere in the Gemeinde".
APPROXIMATE = frozenset({"gemeinde", "postcode"})


def nearest_range(
    demand_xy: np.ndarray,
    exact_xy: np.ndarray,
    shapes: Sequence[shapely.Geometry],
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bound (metres) of the distance to the nearest offer.

    Parameters
    ----------
    demand_xy
        Demand points in metres, shape (n, 2).
    exact_xy
        Offers with an exact position, shape (m, 2).
    shapes
        One polygon (metres) per distinct area holding offers of approximate position.

    Returns
    -------
    tuple
        ``low`` and ``high``, shape (n,); ``inf`` where there is no offer at all.
    """
    dxy = np.asarray(demand_xy, float).reshape(-1, 2)
    n = len(dxy)
    low = np.full(n, np.inf)
    high = np.full(n, np.inf)
    if len(exact_xy):
        d, _ = cKDTree(np.asarray(exact_xy, float).reshape(-1, 2)).query(dxy)
        low = np.minimum(low, d)
        high = np.minimum(high, d)
    polys = [s for s in shapes if s is not None and not s.is_empty]
    if not polys or n == 0:
        return low, high
    anchors = shapely.point_on_surface(np.asarray(polys, dtype=object))
    anchor_xy = np.column_stack([shapely.get_x(anchors), shapely.get_y(anchors)])
    radius = shapely.hausdorff_distance(anchors, np.asarray(polys, dtype=object))
    r_max = float(np.max(radius))
    tree = cKDTree(anchor_xy)
    nearest_anchor, _ = tree.query(dxy)
    points = shapely.points(dxy)
    for i in range(n):  # candidates: only areas that can hold the nearest offer
        cand = tree.query_ball_point(dxy[i], float(nearest_anchor[i]) + r_max + 1e-6)
        if not cand:
            continue
        geoms = np.asarray([polys[j] for j in cand], dtype=object)
        lo = shapely.distance(points[i], geoms)
        hi = shapely.hausdorff_distance(points[i], geoms)
        low[i] = min(low[i], float(np.min(lo)))
        high[i] = min(high[i], float(np.min(hi)))
    return low, high
