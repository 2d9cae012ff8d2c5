"""Honest distances to offers whose position is known only to their Gemeinde.

An offer placed at Gemeinde or postcode precision is "somewhere in that Gemeinde": the
point it is drawn at is a representative point, not its address. The distance from a
demand point to such an offer is therefore a range: from the nearest to the farthest point
of the Gemeinde's polygon (the farthest point is a vertex of its convex hull). For an
offer in the own Gemeinde the range starts at 0 and never claims an exact 0.

:func:`nearest_range` gives, per demand point, the range the distance to the *nearest*
offer lies in: exact offers contribute their point distance to both ends; of the areas
holding offers of approximate position, the :data:`NEAREST_AREAS` nearest (by a point
inside each) are measured. The bounds of a (demand point, area) pair do not depend on the
selection, so :class:`RangeCache` keeps them for every later analysis on the same areas.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.spatial import cKDTree

#: Areas examined per demand point: those with the nearest anchor points. The nearest
#: offer lies in one of them unless an area is far larger than its neighbours (Gemeinden
#: of one district are not).
NEAREST_AREAS = 8


@dataclass(eq=False)
class RangeCache:
    """Bounds already computed for (demand point, area) pairs, per set of areas.

    Attributes
    ----------
    codes, low, high
        Sorted pair codes (``point index * 2**20 + area id``) and their bounds in metres.
    ids
        ``area key -> area id`` (the low bits of a code).
    areas
        ``area key -> (anchor x, anchor y, radius, hull)``: a point inside the area, the
        farthest distance from it to the area, and the area's convex hull.
    """

    codes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    low: np.ndarray = field(default_factory=lambda: np.zeros(0))
    high: np.ndarray = field(default_factory=lambda: np.zeros(0))
    ids: dict[str, int] = field(default_factory=dict)
    areas: dict[str, tuple[float, float, float, shapely.Geometry]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def lookup(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions of ``codes`` in the cache and whether each is there."""
        pos = np.searchsorted(self.codes, codes)
        pos_ok = np.minimum(pos, max(len(self.codes) - 1, 0))
        hit = (pos < len(self.codes)) & (self.codes[pos_ok] == codes) if len(self.codes) else (
            np.zeros(len(codes), bool)
        )  # fmt: skip
        return pos_ok, hit, pos

    def add(self, codes: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        """Keep new bounds (codes not yet cached)."""
        all_codes = np.concatenate([self.codes, codes])
        order = np.argsort(all_codes, kind="stable")
        self.codes = all_codes[order]
        self.low = np.concatenate([self.low, low])[order]
        self.high = np.concatenate([self.high, high])[order]


_SHIFT = np.int64(2**20)


def _area(
    cache: RangeCache, key: str, shape: shapely.Geometry
) -> tuple[float, float, float, shapely.Geometry]:
    found = cache.areas.get(key)
    if found is None:
        anchor = shapely.point_on_surface(shape)
        hull = shapely.convex_hull(shape)
        found = (
            float(shapely.get_x(anchor)),
            float(shapely.get_y(anchor)),
            float(shapely.hausdorff_distance(anchor, hull)),
            hull,
        )
        cache.areas[key] = found
    return found


def nearest_range(
    demand_xy: np.ndarray,
    exact_xy: np.ndarray,
    shapes: Sequence[shapely.Geometry],
    keys: Sequence[str] | None = None,
    cache: RangeCache | None = None,
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
    keys
        The areas' keys (for the cache); default their positions.
    cache
        Bounds kept from earlier calls on the same demand points and areas.

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
    names = [str(k) for k in keys] if keys is not None else [str(i) for i in range(len(shapes))]
    found = [(k, s) for k, s in zip(names, shapes, strict=True) if s is not None and not s.is_empty]
    if not found or n == 0:
        return low, high
    cache = cache if cache is not None else RangeCache()
    with cache.lock:
        info = [_area(cache, key, shape) for key, shape in found]
        for key, _ in found:
            cache.ids.setdefault(key, len(cache.ids))
        area_id = np.array([cache.ids[key] for key, _ in found], np.int64)
        anchors = np.array([(a[0], a[1]) for a in info])
        k = min(NEAREST_AREAS, len(found))
        _, idx = cKDTree(anchors).query(dxy, k=k)
        j_idx = np.asarray(idx).reshape(n, k).ravel()
        i_idx = np.repeat(np.arange(n, dtype=np.int64), k)
        codes = i_idx * _SHIFT + area_id[j_idx]
        _, hit, _ = cache.lookup(codes)
        todo = np.unique(codes[~hit], return_index=True)[1]
        if len(todo):
            ti, tj = i_idx[~hit][todo], j_idx[~hit][todo]
            points = shapely.points(dxy[ti])
            polys = np.asarray([found[j][1] for j in tj], dtype=object)
            hulls = np.asarray([info[j][3] for j in tj], dtype=object)
            cache.add(
                codes[~hit][todo],
                shapely.distance(points, polys),
                shapely.hausdorff_distance(points, hulls),
            )
        pos, hit, _ = cache.lookup(codes)
        lo = cache.low[pos].reshape(n, k).min(axis=1)
        hi = cache.high[pos].reshape(n, k).min(axis=1)
    return np.minimum(low, lo), np.minimum(high, hi)
