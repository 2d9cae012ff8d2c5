"""Boundaries as a topology: shared arcs with quantized coordinates (TopoJSON's model).

Every border between two areas is stored once, however many layers use it: the
Gemeinden, the VGs of each vintage (unions of Gemeinden) and the city all reference the
same arcs. Coordinates are snapped to a grid (:data:`GRID_DEGREES`), arcs are cut at
the points where three or more areas meet, and identical arcs (in either direction)
are kept once. Arcs travel delta-encoded as base64 VLQ (:mod:`dashboard.render.web.codec`)
and are decoded by ``static/atlas.js``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from dashboard.render.web.codec import vlq

#: Grid of the quantized coordinates in degrees (4 decimals: about 11 m north-south and
#: 7 m east-west here), finer than the web layers' simplification (40 m for a district).
GRID_DEGREES = 1e-4


@dataclass(frozen=True)
class Topology:
    """Layers of polygons as rings of shared arcs.

    Attributes
    ----------
    arcs
        Integer grid coordinates ``(k, 2)`` (x = longitude, y = latitude) of each arc.
    objects
        Layer name -> features -> rings -> arc references (``i`` or ``~i`` for arc ``i``
        reversed); the rings of a feature are drawn with the even-odd rule.
    origin
        Longitude and latitude of grid point ``(0, 0)``.
    step
        Grid step in degrees.
    """

    arcs: list[np.ndarray]
    objects: dict[str, list[list[list[int]]]]
    origin: tuple[float, float]
    step: float

    def encode(self) -> dict[str, Any]:
        """The JSON form, every number a base64 VLQ (:func:`dashboard.render.web.codec.vlq`).

        ``arcs.n``: points per arc; ``arcs.d``: per arc, x and y of the first point, then
        the differences to the point before. ``objects[name]``: per feature the number of
        rings, per ring the number of arc references, then the references as
        differences to the one before (``~i``: arc ``i`` reversed).
        """
        counts = np.array([len(a) for a in self.arcs], dtype=np.int64)
        flat = np.concatenate(self.arcs) if self.arcs else np.zeros((0, 2), dtype=np.int64)
        deltas = np.diff(flat, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        firsts = np.r_[0, np.cumsum(counts)[:-1]] if len(counts) else counts
        deltas[firsts] = flat[firsts]
        objects: dict[str, str] = {}
        for name, features in self.objects.items():
            stream: list[int] = []
            for feature in features:
                stream.append(len(feature))
                for ring in feature:
                    stream.append(len(ring))
                    stream.extend(np.diff(np.asarray(ring, dtype=np.int64), prepend=0).tolist())
            objects[name] = vlq(stream)
        return {
            "origin": [round(self.origin[0], 7), round(self.origin[1], 7)],
            "step": self.step,
            "arcs": {"n": vlq(counts), "d": vlq(deltas.ravel())},
            "objects": objects,
        }

    def vertex_count(self) -> int:
        """Distinct grid points used by the arcs."""
        if not self.arcs:
            return 0
        pts = np.concatenate(self.arcs)
        return len(np.unique(pts[:, 0] * (1 << 32) + pts[:, 1]))


def _rings(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rings of polygon geometries and, per ring, the index of its geometry."""
    parts, part_of = shapely.get_parts(geoms, return_index=True)
    kinds = shapely.get_type_id(parts)
    keep = np.isin(kinds, (3,))  # polygons (lines and points of a collection are dropped)
    parts, part_of = parts[keep], part_of[keep]
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    return rings, part_of[ring_of]


def build_topology(layers: dict[str, gpd.GeoDataFrame], step: float = GRID_DEGREES) -> Topology:
    """Build one topology over several polygon layers in EPSG:4326.

    Parameters
    ----------
    layers
        Layer name -> polygons (features keep their order).
    step
        Grid step in degrees.

    Returns
    -------
    Topology
        Shared arcs and, per layer and feature, rings of arc references. A feature
        without polygon geometry has no rings.

    Raises
    ------
    ValueError
        For a layer not in EPSG:4326, or without any coordinates.
    """
    if step <= 0:
        raise ValueError(f"grid step must be positive, got {step}")
    for name, gdf in layers.items():
        if gdf.crs is not None and gdf.crs.to_epsg() != 4326:
            raise ValueError(f"layer {name!r} must be in EPSG:4326, is {gdf.crs}")
    ring_geoms: list[np.ndarray] = []
    owners: list[tuple[str, np.ndarray]] = []
    for name, gdf in layers.items():
        rings, feature_of = _rings(gdf.geometry.to_numpy())
        ring_geoms.append(rings)
        owners.append((name, feature_of))
    all_rings = np.concatenate(ring_geoms) if ring_geoms else np.array([], dtype=object)
    coords, ring_index = shapely.get_coordinates(all_rings, return_index=True)
    if len(coords) == 0:
        raise ValueError("no coordinates in any layer")
    origin = (
        float(np.floor(coords[:, 0].min() / step) * step),
        float(np.floor(coords[:, 1].min() / step) * step),
    )
    q = np.round((coords - np.array(origin)) / step).astype(np.int64)
    # drop repeated points within a ring (after snapping) and the closing point
    same_ring_next = np.r_[ring_index[1:] == ring_index[:-1], False]
    repeat = np.r_[False, (q[1:] == q[:-1]).all(axis=1) & (ring_index[1:] == ring_index[:-1])]
    closing = ~same_ring_next  # the last point of each ring repeats its first
    keep = ~repeat & ~closing
    q, ring_index = q[keep], ring_index[keep]
    key = q[:, 0] * (1 << 32) + q[:, 1]
    uniq, point_id = np.unique(key, return_inverse=True)
    grid = np.stack([uniq >> 32, uniq & ((1 << 32) - 1)], axis=1)
    starts = np.searchsorted(ring_index, np.arange(len(all_rings)))
    ends = np.searchsorted(ring_index, np.arange(len(all_rings)), side="right")
    # undirected edges of all rings -> vertex degree; arcs are cut where degree != 2
    nxt = np.empty_like(point_id)
    for s, e in zip(starts, ends, strict=True):
        if e > s:
            nxt[s : e - 1] = point_id[s + 1 : e]
            nxt[e - 1] = point_id[s]
    a, b = np.minimum(point_id, nxt), np.maximum(point_id, nxt)
    edges = np.unique(a * len(uniq) + b)
    degree = np.bincount(edges // len(uniq), minlength=len(uniq)) + np.bincount(
        edges % len(uniq), minlength=len(uniq)
    )
    junction = degree != 2
    arcs: list[np.ndarray] = []
    index: dict[tuple[int, ...], int] = {}

    def ref(chain: tuple[int, ...]) -> int:
        found = index.get(chain)
        if found is not None:
            return found
        back = index.get(chain[::-1])
        if back is not None:
            return ~back
        index[chain] = len(arcs)
        arcs.append(grid[list(chain)])
        return len(arcs) - 1

    ring_refs: list[list[int]] = []
    for s, e in zip(starts, ends, strict=True):
        ids = point_id[s:e]
        if len(ids) < 3:
            ring_refs.append([])
            continue
        cuts = np.flatnonzero(junction[ids])
        if len(cuts) == 0:  # an island or enclave: one closed arc from its smallest point
            r = int(np.argmin(ids))
            fwd = ids[r:].tolist() + ids[: r + 1].tolist()
            ring_refs.append([ref(tuple(fwd))])
            continue
        c = int(cuts[0])
        rolled = np.concatenate((ids[c:], ids[: c + 1]))
        marks = np.flatnonzero(junction[rolled]).tolist()
        seq = rolled.tolist()
        refs = [ref(tuple(seq[i : j + 1])) for i, j in zip(marks[:-1], marks[1:], strict=True)]
        ring_refs.append(refs)
    objects: dict[str, list[list[list[int]]]] = {}
    offset = 0
    for (name, feature_of), gdf in zip(owners, layers.values(), strict=True):
        features: list[list[list[int]]] = [[] for _ in range(len(gdf))]
        for k, f in enumerate(feature_of.tolist()):
            refs = ring_refs[offset + k]
            if refs:
                features[f].append(refs)
        offset += len(feature_of)
        objects[name] = features
    return Topology(arcs=arcs, objects=objects, origin=origin, step=step)
