"""The district's Gemeinden prepared for the analysis: where people live, how many, where.

:func:`make_areas` builds the geometry once (representative points, polygons, KD-tree);
:func:`with_population` puts the headline population of one data version on it
(:mod:`dashboard.analysis.population`: the same number and date the map and the key
figures show), so a population loaded into the store reaches the analysis on its next run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

from dashboard.analysis.population import Populations
from dashboard.analysis.positions import RangeCache
from dashboard.config import CRS_DISPLAY, CRS_METRIC

_local = threading.local()
_VG_COLUMN = re.compile(r"^vg_rs_(\d{4})$")


def _transformer(source: str, target: str) -> Transformer:
    """One transformer per thread and direction (pyproj objects are not shared)."""
    key = f"{source}>{target}"
    found = getattr(_local, "transformers", None)
    if found is None:
        found = _local.transformers = {}
    if key not in found:
        found[key] = Transformer.from_crs(source, target, always_xy=True)
    transformer: Transformer = found[key]
    return transformer


def to_metric() -> Transformer:
    """WGS84 -> EPSG:25832 (this thread's transformer)."""
    return _transformer(CRS_DISPLAY, CRS_METRIC)


def _to_display() -> Transformer:
    return _transformer(CRS_METRIC, CRS_DISPLAY)


def _empty_border() -> pd.DataFrame:
    return pd.DataFrame({"name": [], "x": [], "y": []}, index=pd.Index([], name="ags"))


@dataclass(frozen=True, eq=False)
class Areas:
    """The district's Gemeinden prepared for the analysis (built by :func:`make_areas`).

    Attributes
    ----------
    table
        Indexed by ``ags`` (sorted): ``name``, ``population`` (float, NaN: unknown),
        ``population_date``, ``population_source``, the representative point ``x``/``y``
        in EPSG:25832 (where the Gemeinde's population is placed) and the membership
        columns ``vg_<vintage>``, ``vg_rs_<vintage>``.
    gemeinden, city
        The boundaries in EPSG:4326 (used to place hypothetical facilities); ``city`` may
        be ``None``.
    membership
        Gemeinde -> VG table as given.
    tree
        KD-tree of the representative points (metres).
    shapes
        Polygons in EPSG:25832 by AGS (the Gemeinden and the city): where an offer placed
        only at Gemeinde or postcode precision may be.
    border
        Areas beyond the border whose residents count as demand (the city): indexed by
        ``ags``, with ``name`` and the representative point ``x``/``y``.
    ranges
        Distance bounds to approximate positions already computed (kept across analyses
        and data versions: they depend on the geometry only).
    district_key, district_name
        The district's key and proper name (the row of level ``landkreis``).
    current_vintage
        The vintage whose VGs deliver the lists of offers (completeness marks).
    populations
        The headline populations of every level (``None``: the sums of the Gemeinden).
    """

    table: pd.DataFrame
    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame | None
    membership: pd.DataFrame
    tree: cKDTree
    shapes: Mapping[str, shapely.Geometry] = dataclass_field(default_factory=dict)
    border: pd.DataFrame = dataclass_field(default_factory=_empty_border)
    ranges: RangeCache = dataclass_field(default_factory=RangeCache, repr=False)
    district_key: str = ""
    district_name: str = ""
    current_vintage: int = 0
    populations: Populations | None = None
    _shared: dict[str, shapely.Geometry] = dataclass_field(default_factory=dict, repr=False)

    @cached_property
    def xy(self) -> np.ndarray:
        """Centres in EPSG:25832 (metres), shape (n, 2), in the order of :attr:`table`."""
        xy: np.ndarray = self.table[["x", "y"]].to_numpy(float)
        return xy

    @property
    def vintages(self) -> tuple[int, ...]:
        """The boundary vintages the membership has columns for, oldest first."""
        found = (_VG_COLUMN.match(str(c)) for c in self.table.columns)
        return tuple(sorted(int(m.group(1)) for m in found if m))

    @property
    def outline(self) -> shapely.Geometry:
        """The district's area (EPSG:4326): where a planned facility may be placed (built
        once, shared by the copies of every data version)."""
        if "outline" not in self._shared:
            self._shared["outline"] = shapely.union_all(self.gemeinden.geometry.to_numpy())
        return self._shared["outline"]

    def bounds(self) -> tuple[float, float, float, float]:
        """``(south, west, north, east)`` of the district in degrees (WGS84)."""
        west, south, east, north = (float(v) for v in self.gemeinden.total_bounds)
        return south, west, north, east

    def centre(self) -> tuple[float, float]:
        """``(lat, lon)`` of a point inside the district (where a planned facility starts)."""
        point = shapely.point_on_surface(self.outline)
        return float(shapely.get_y(point)), float(shapely.get_x(point))

    def contains(self, lat: float, lon: float) -> bool:
        """Whether the point lies in the district (on its boundary counts as inside)."""
        return bool(shapely.intersects(self.outline, shapely.Point(float(lon), float(lat))))

    def place_of(self, ags: str) -> tuple[float, float]:
        """``(lat, lon)`` of a Gemeinde's representative point (where its people are placed).

        Raises
        ------
        ValueError
            For a key that is not a Gemeinde of the district.
        """
        if ags not in self.table.index:
            raise ValueError(f"unknown Gemeinde {ags!r}")
        row = self.table.loc[ags]
        lon, lat = _to_display().transform(float(row["x"]), float(row["y"]))
        return float(lat), float(lon)


def check_vintage(areas: Areas, vintage: int) -> int:
    """``vintage`` if the membership has its VGs, else ``ValueError`` naming the valid ones."""
    if isinstance(vintage, bool) or vintage not in areas.vintages:
        raise ValueError(f"unknown vintage {vintage!r}; expected one of {list(areas.vintages)}")
    return int(vintage)


def vg_columns(areas: Areas, vintage: int) -> tuple[str, str]:
    """The membership columns (name, key) of the VGs of ``vintage``."""
    check_vintage(areas, vintage)
    return f"vg_{vintage}", f"vg_rs_{vintage}"


def _checked_gemeinden(gemeinden: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gemeinden.crs is None:
        raise ValueError("gemeinden has no CRS; set it (e.g. EPSG:4326) before the analysis")
    missing = {"ags", "name"} - set(gemeinden.columns)
    if missing:
        raise ValueError(f"gemeinden lacks column(s) {sorted(missing)}")
    if gemeinden["ags"].duplicated().any():
        dup = sorted(gemeinden.loc[gemeinden["ags"].duplicated(), "ags"].astype(str))
        raise ValueError(f"gemeinden has duplicate ags {dup}")
    gem = gemeinden.assign(ags=gemeinden["ags"].astype(str)).sort_values("ags")
    return gem.reset_index(drop=True)


def _checked_population(population: pd.Series, ags: list[str]) -> pd.Series:
    if not isinstance(population, pd.Series):
        raise ValueError("population must be a pandas Series indexed by ags")
    pop = pd.to_numeric(population.rename(index=str), errors="coerce").astype(float)
    pop = pop[~pop.index.duplicated(keep="first")].reindex(ags)  # NaN: unknown ("keine Daten")
    if (pop < 0).any():
        raise ValueError(f"negative population for Gemeinde(n) {pop.index[pop < 0].tolist()}")
    return pop


def _checked_membership(membership: pd.DataFrame, ags: list[str]) -> pd.DataFrame:
    if "ags" not in membership.columns:
        raise ValueError("membership lacks column 'ags'")
    mem = membership.assign(ags=membership["ags"].astype(str)).drop_duplicates("ags")
    mem = mem.set_index("ags")
    absent = sorted(set(ags) - set(mem.index))
    if absent:
        raise ValueError(f"membership has no row for Gemeinde(n) {absent}")
    return mem


def _points(
    gem: gpd.GeoDataFrame, centres: Mapping[str, tuple[float, float]] | None
) -> tuple[np.ndarray, np.ndarray]:
    """Representative points (metres); built-up-area centres where given."""
    ags = gem["ags"].tolist()
    rep = gem.to_crs(CRS_METRIC).geometry.representative_point()
    x, y = np.array(rep.x, dtype=float), np.array(rep.y, dtype=float)  # writable
    if centres:
        unknown = sorted(set(centres) - set(ags))
        if unknown:
            raise ValueError(f"centres given for unknown Gemeinde(n) {unknown}")
        pos = {a: i for i, a in enumerate(ags)}
        for key, point in centres.items():
            try:
                lat, lon = (float(v) for v in point)
            except (TypeError, ValueError):
                raise ValueError(f"centre of {key}: expected (lat, lon), got {point!r}") from None
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError(f"centre of {key}: (lat, lon) out of range: {point!r}")
            x[pos[key]], y[pos[key]] = to_metric().transform(lon, lat)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("a Gemeinde has an empty or invalid geometry (no centre)")
    return x, y


def _border(city: gpd.GeoDataFrame | None) -> tuple[pd.DataFrame, dict[str, shapely.Geometry]]:
    """The areas beyond the border (representative points) and their polygons (metres)."""
    if city is None or not len(city):
        return _empty_border(), {}
    if "ags" not in city.columns:
        raise ValueError("city lacks column 'ags'")
    outside = city.to_crs(CRS_METRIC)
    points = outside.geometry.representative_point()
    keys = outside["ags"].astype(str).tolist()
    names = outside["name"].astype(str) if "name" in outside else outside["ags"].astype(str)
    border = pd.DataFrame(
        {"name": names.to_numpy(), "x": points.x.to_numpy(), "y": points.y.to_numpy()},
        index=pd.Index(keys, name="ags"),
    )
    return border, dict(zip(keys, outside.geometry.to_numpy(), strict=True))


def make_areas(
    gemeinden: gpd.GeoDataFrame,
    population: pd.Series,
    membership: pd.DataFrame,
    *,
    centres: Mapping[str, tuple[float, float]] | None = None,
    city: gpd.GeoDataFrame | None = None,
    population_dates: Mapping[str, str] | None = None,
    district_key: str = "",
    district_name: str = "",
    current_vintage: int | None = None,
) -> Areas:
    """Prepare Gemeinden, their population and VG membership for the analysis.

    Parameters
    ----------
    gemeinden
        Gemeinde polygons of the district with ``ags`` and ``name``, any CRS (must be set).
    population
        Inhabitants per Gemeinde, indexed by ``ags`` (replaced per data version by
        :func:`with_population`).
    membership
        Gemeinde -> VG table with ``ags``, ``vg_<vintage>`` and ``vg_rs_<vintage>``.
    centres
        Optional built-up-area centres ``ags -> (lat, lon)`` (WGS84); other Gemeinden use
        the representative point of their polygon.
    city
        The context areas (EPSG:4326), used to place hypothetical facilities and as the
        areas beyond the border whose residents count as demand.
    population_dates
        Optional date (ISO text) of each Gemeinde's population, by ``ags``.
    district_key, district_name, current_vintage
        The district (the row of level ``landkreis``) and the vintage whose VGs deliver
        the lists (default the newest of the membership).

    Returns
    -------
    Areas

    Raises
    ------
    ValueError
        For a missing CRS or column, duplicate keys, or a Gemeinde without membership or
        a valid centre. A Gemeinde without population keeps it unknown (NaN): the measures
        that need it are unknown too, never zero.
    """
    gem = _checked_gemeinden(gemeinden)
    ags = gem["ags"].tolist()
    pop = _checked_population(population, ags)
    mem = _checked_membership(membership, ags)
    vg_cols = [c for c in mem.columns if re.match(r"^vg(_rs)?_\d{4}$", str(c))]
    x, y = _points(gem, centres)
    table = pd.DataFrame(
        {
            "name": gem["name"].astype(str).to_numpy(),
            "population": pop.to_numpy(),
            "population_date": [str((population_dates or {}).get(a, "") or "") for a in ags],
            "population_source": "",
            "x": x,
            "y": y,
        },
        index=pd.Index(ags, name="ags"),
    ).join(mem[vg_cols])
    metric = gem.to_crs(CRS_METRIC)
    shapes: dict[str, shapely.Geometry] = dict(zip(ags, metric.geometry.to_numpy(), strict=True))
    border, outside = _border(city)
    shapes.update(outside)
    areas = Areas(
        table=table,
        gemeinden=gem.to_crs(CRS_DISPLAY),
        city=None if city is None else city.to_crs(CRS_DISPLAY),
        membership=membership,
        tree=cKDTree(np.column_stack([x, y])),
        shapes=shapes,
        border=border,
        district_key=str(district_key),
        district_name=str(district_name),
    )
    newest = areas.vintages[-1] if areas.vintages else 0
    return replace(areas, current_vintage=int(current_vintage or newest))


def with_population(areas: Areas, populations: Populations) -> Areas:
    """The areas with the headline population of one data version.

    Each Gemeinde gets its headline figure, date and source (a Gemeinde without one keeps
    its population unknown); the VGs and the district take theirs from ``populations``
    too (:meth:`Populations.at`). The geometry and the distance cache are shared.
    """
    heads = populations.at("gemeinde", areas.current_vintage or 0).reindex(areas.table.index)
    table = areas.table.assign(
        population=heads["population"].astype(float).to_numpy(),
        population_date=heads["reference_date"].fillna("").astype(str).to_numpy(),
        population_source=heads["sources"].fillna("").astype(str).to_numpy(),
    )
    return replace(areas, table=table, populations=populations)
