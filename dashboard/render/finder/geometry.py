"""The finder's small map: the district's boundaries as compact SVG paths in EPSG:25832.

Coordinates are metres of ETRS89 / UTM zone 32N (the CRS the dashboard measures in),
rounded to whole metres; SVG's y axis points down, so a point (E, N) is drawn at
(E, -N). Rings are written as one absolute move and then relative whole-metre steps
(``M e -n l de dn ...z``), which keeps the path text small. The browser converts the
reader's own position (WGS84) into the same coordinates (``utm32`` in ``finder.js``)
and measures distances there, as the analysis does.
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from dashboard.config import CRS_METRIC

#: Simplification of the drawn boundaries (metres); the map is a phone-sized overview.
TOLERANCE_M = 40.0


def _ring(coords: list[tuple[float, float]]) -> str:
    points = [(round(x), -round(y)) for x, y in coords]
    if len(points) > 1 and points[0] == points[-1]:
        points = points[:-1]
    first = points[0]
    steps: list[str] = []
    px, py = first
    for x, y in points[1:]:
        if (x, y) == (px, py):
            continue
        steps.append(f"{x - px} {y - py}")
        px, py = x, y
    return f"M{first[0]} {first[1]}l" + " ".join(steps) + "z"


def _polygons(geom: BaseGeometry) -> list[BaseGeometry]:
    if geom.geom_type == "Polygon":
        return [geom]
    if geom.geom_type == "MultiPolygon":
        return list(geom.geoms)
    return []


def svg_path(geom: BaseGeometry) -> str:
    """One SVG path (``d``) of a (multi)polygon in metres, y negated."""
    rings: list[str] = []
    for poly in _polygons(geom):
        if poly.is_empty:
            continue
        rings.append(_ring(list(poly.exterior.coords)))
        rings.extend(_ring(list(r.coords)) for r in poly.interiors)
    return "".join(rings)


def map_layers(
    gemeinden: gpd.GeoDataFrame, outline: gpd.GeoDataFrame, city: gpd.GeoDataFrame
) -> dict[str, object]:
    """The map's background: Gemeinden, district outline and city, as SVG paths.

    Parameters
    ----------
    gemeinden, outline, city
        Boundaries in any CRS (the web versions of ``geodata/``).

    Returns
    -------
    dict
        ``gemeinden`` (one path of all Gemeinde borders, simplified as one coverage so
        neighbours share their borders), ``outline``, ``city`` (paths) and ``box``
        ``[min_e, min_n, max_e, max_n]`` of the district and the city in metres.
    """
    gem = gemeinden.to_crs(CRS_METRIC)
    simplified = shapely.coverage_simplify(gem.geometry.to_numpy(), TOLERANCE_M)
    out = outline.to_crs(CRS_METRIC).geometry.union_all().simplify(TOLERANCE_M)
    town = city.to_crs(CRS_METRIC).geometry.union_all().simplify(TOLERANCE_M)
    e0, n0, e1, n1 = shapely.union_all([out, town]).bounds
    return {
        "gemeinden": "".join(svg_path(g) for g in simplified),
        "outline": svg_path(out),
        "city": svg_path(town),
        "box": [round(e0), round(n0), round(e1), round(n1)],
    }
