"""Geometry on paper: polygons as matplotlib paths in metres, the extent fitted to the
map box, offers at one place fanned out, labels with a white halo."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from dashboard.config import CRS_METRIC


def _geom_path(geom: Any) -> MplPath:
    """A matplotlib path of a (multi)polygon with its holes."""
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty:
            continue
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords, dtype=float)[:, :2]
            codes = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            codes[0], codes[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            parts.append(MplPath(xy, codes))
    return MplPath.make_compound_path(*parts) if parts else MplPath(np.zeros((0, 2)))


def metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        raise ValueError("layer without CRS; expected EPSG:4326")
    return gdf.to_crs(CRS_METRIC)


def polygons(
    ax: Any,
    geoms: Sequence[Any],
    *,
    facecolors: Sequence[str] | str,
    edgecolor: str,
    linewidth: float,
    linestyle: Any = "solid",
    zorder: float = 1,
    alpha: float = 1.0,
) -> None:
    patches = [PathPatch(_geom_path(g)) for g in geoms]
    if not patches:
        return
    coll = PatchCollection(
        patches,
        facecolors=facecolors,
        edgecolors=edgecolor,
        linewidths=linewidth,
        linestyles=linestyle,
        zorder=zorder,
        alpha=alpha,
    )
    coll.set_joinstyle("round")
    ax.add_collection(coll, autolim=False)


def fan_out(xy: np.ndarray, spacing_m: float) -> np.ndarray:
    """Spread points that share a place on a small circle around it (deterministic)."""
    out = xy.copy()
    if len(xy) < 2:
        return out
    keys = [(round(x), round(y)) for x, y in xy]
    groups: dict[tuple[int, int], list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    for members in groups.values():
        n = len(members)
        if n < 2:
            continue
        radius = max(spacing_m * 0.75, spacing_m * n / (2 * math.pi))
        for j, i in enumerate(members):
            angle = math.pi / 2 - 2 * math.pi * j / n
            out[i, 0] = xy[i, 0] + radius * math.cos(angle)
            out[i, 1] = xy[i, 1] + radius * math.sin(angle)
    return out


def shrink(
    bounds: tuple[float, float, float, float], fraction: float
) -> tuple[float, float, float, float]:
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * fraction, (maxy - miny) * fraction
    return minx + dx, miny + dy, maxx - dx, maxy - dy


def fit_extent(
    bounds: tuple[float, float, float, float], box_w: float, box_h: float, pad: float
) -> tuple[float, float, float, float]:
    """Expand bounds (metres) by ``pad`` and to the aspect of the map box."""
    minx, miny, maxx, maxy = bounds
    dx, dy = (maxx - minx) * pad, (maxy - miny) * pad
    minx, maxx, miny, maxy = minx - dx, maxx + dx, miny - dy, maxy + dy
    w, h = maxx - minx, maxy - miny
    target = box_w / box_h
    if w / h < target:
        extra = (h * target - w) / 2
        minx, maxx = minx - extra, maxx + extra
    else:
        extra = (w / target - h) / 2
        miny, maxy = miny - extra, maxy + extra
    return minx, miny, maxx, maxy


def label(ax: Any, x: float, y: float, text: str, size: float, **kw: Any) -> None:
    ax.text(
        x,
        y,
        text,
        fontsize=size,
        ha="center",
        va="center",
        parse_math=False,
        clip_on=True,
        path_effects=[patheffects.withStroke(linewidth=2.2, foreground="white")],
        zorder=6,
        **kw,
    )
