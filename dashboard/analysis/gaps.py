"""Versorgungsanalyse: where offers are missing, per Gemeinde and Verbandsgemeinde.

The pure analysis core (no Streamlit). Every measure is computed per Gemeinde of the
district and aggregated to the VGs of one boundary vintage (or the whole district) for
one *selector*: a facility category (``Kita``, ``Sprachkurs``, ...) or a Handlungsfeld
code (``sprache``, ``gesundheit``, ...), see :data:`SELECTORS`.

Measures (:func:`measures`)
---------------------------
``offers``
    Active facilities (``status == "active"``) located in the Gemeinde (point in polygon,
    or the Gemeinde key of a facility without a point). Facilities whose location is
    unknown count nowhere. Offers whose source says they are still to be confirmed
    (``unconfirmed``) count only with ``include_unconfirmed=True``.
``demand``, ``per_1000``
    The demand of the selector's target group (:mod:`dashboard.analysis.demand`; the total
    population unless a demand is given) and ``offers`` per 1,000 of it.
``distance_km``
    Straight-line distance, measured in EPSG:25832, from the Gemeinde's representative
    point (where its population is placed; a point inside the Gemeinde, not its centre,
    unless a built-up-area centre is given) to the nearest offer. Candidate offers: active
    facilities with a point in the district or in one of its context areas
    (:data:`dashboard.config.DISTRICT`), and with ``include_outside=True`` also those
    elsewhere outside the district. Facilities without a point are not used.
``distance_km_low``, ``distance_km_high``, ``distance_approx``
    The range the distance to the nearest offer lies in when offers are placed only at
    Gemeinde or postcode precision (:mod:`dashboard.analysis.positions`): such an offer is
    somewhere in its Gemeinde, so the distance to an offer in the own Gemeinde is never an
    exact 0. ``distance_approx`` is true where the range is not a single value.
``population_covered``, ``share_covered``
    Population whose representative point lies within ``radius_km`` of a candidate
    offer, and its share of the area's population.
``access_2sfca_per_1000``, ``access_e2sfca_per_1000``
    Two-step floating catchment area accessibility (:func:`two_step_fca`), expressed as
    supply per 1,000 of the demand. With a demand (:class:`~dashboard.analysis.demand.Demand`),
    the residents of the areas beyond the border whose offers count as supply (the district's
    context areas) count as demand too (``border_demand``).
``coverage``, ``list_as_of``
    Whether the lists of offers behind the row are known to be complete
    (:mod:`dashboard.analysis.coverage`): ``complete``, ``partial`` or ``unknown``.

VG and district values: counts, demand and populations are summed; ``per_1000`` and
``share_covered`` are recomputed from the sums; distances and accessibility values are
population-weighted means of the Gemeinden (``distance_km_max``: the worst Gemeinde).

Gaps (:func:`gap_flags`)
------------------------
An area is flagged when its list of offers is complete and its nearest offer is farther
than ``max_distance_km`` (or there is none) or it has fewer than ``min_per_1000`` offers
per 1,000 of the demand. Where the list is not known to be complete, the ``status`` is
``unknown`` ("unbekannt – keine bestätigte Liste"), never a gap. Severity::

    severity = min(max(0, distance_km / max_distance_km - 1), 10)     # distance excess
             + max(0, 1 - per_1000 / min_per_1000)                    # per-1,000 shortfall

The distance term is 10 when no offer exists at all. Rows are ranked by severity
(descending), then population (descending).

All distances are straight lines between points; travel times and the demand of areas
beyond the border other than the city are not modelled.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from dataclasses import field as dataclass_field
from functools import cached_property
from typing import Any, TypedDict, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from access import Access, weights
from pyproj import Transformer
from scipy.spatial import cKDTree

from dashboard.analysis.coverage import ListMarks, combine, current_vg_keys, gemeinde_coverage
from dashboard.analysis.demand import Demand, demand_columns, legacy_demand
from dashboard.analysis.positions import APPROXIMATE, RangeCache, nearest_range
from dashboard.config import (
    CRS_DISPLAY,
    CRS_METRIC,
    CURRENT_VINTAGE,
    DISTRICT,
    LANDKREIS_KEY,
    VINTAGES,
    Settings,
    get_settings,
)
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, Facility
from dashboard.domain.projects import ProjectRecord

#: Valid selectors: facility categories, then Handlungsfeld codes.
SELECTORS: tuple[str, ...] = (*CATEGORIES, *HANDLUNGSFELDER)

#: Aggregation levels of :func:`measures`.
LEVELS: tuple[str, ...] = ("gemeinde", "vg", "landkreis")

#: Distance-decay functions of the enhanced 2SFCA.
DECAYS: tuple[str, ...] = ("gaussian", "step")

#: Stepped E2SFCA zones: (upper bound as a fraction of the catchment radius, weight).
#: The weights 1.00 / 0.68 / 0.22 are those of Luo & Qi (2009) for their three
#: 10-minute zones, rescaled here to thirds of the catchment radius ``d0``:
#: ``(0, d0/3] -> 1.00``, ``(d0/3, 2 d0/3] -> 0.68``, ``(2 d0/3, d0] -> 0.22``.
STEP_ZONES: tuple[tuple[float, float], ...] = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))

#: Gaussian E2SFCA: ``W(d) = exp(-d**2 / (2 * sigma**2))`` with ``sigma`` this fraction of
#: the catchment radius ``d0`` (``W(0) = 1``, ``W(d0/2) = 0.61``, ``W(d0) = 0.14``).
GAUSSIAN_SIGMA_FRACTION = 0.5

#: Cap of the distance term of the severity score (also its value when no offer exists).
MAX_DISTANCE_TERM = 10.0

#: The district's proper name (the page and files say "Landkreis ..." with the catalogue).
DISTRICT_NAME = DISTRICT.name

_FACILITY_COLUMNS = (
    "category",
    "handlungsfelder",
    "status",
    "precision",
    "capacity",
    "located_ags",
    "location_unknown",
    "outside_district",
    "in_city",
    "geometry",
)


# -- validation and labels -------------------------------------------------------------------
def check_selector(selector: str) -> str:
    """Return ``selector`` if it is a category or Handlungsfeld code, else raise.

    Raises
    ------
    ValueError
        Naming the valid categories and Handlungsfeld codes.
    """
    if selector not in SELECTORS:
        raise ValueError(
            f"unknown selector {selector!r}; expected a category "
            f"({', '.join(CATEGORIES)}) or a Handlungsfeld code ({', '.join(HANDLUNGSFELDER)})"
        )
    return selector


def _check_vintage(vintage: int) -> int:
    if vintage not in VINTAGES:
        raise ValueError(f"unknown vintage {vintage!r}; expected one of {sorted(VINTAGES)}")
    return int(vintage)


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return level


def _check_decay(decay: str) -> str:
    if decay not in DECAYS:
        raise ValueError(f"unknown decay {decay!r}; expected one of {', '.join(DECAYS)}")
    return decay


def _check_positive(name: str, value: float, allow_zero: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return value


def _selectors(selectors: str | Sequence[str] | None) -> list[str]:
    if selectors is None:
        return list(SELECTORS)
    items = [selectors] if isinstance(selectors, str) else list(selectors)
    if not items:
        raise ValueError("no selector given")
    return [check_selector(s) for s in dict.fromkeys(items)]


# -- thresholds ------------------------------------------------------------------------------
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
            value = _check_positive(f.name, getattr(self, f.name), f.name == "min_per_1000")
            object.__setattr__(self, f.name, value)

    def to_params(self) -> dict[str, str]:
        """The thresholds as a flat dict of strings (URL query parameters)."""
        return {
            f.name: np.format_float_positional(getattr(self, f.name), trim="-")
            for f in fields(self)
        }

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Thresholds:
        """Read thresholds from query parameters; missing keys keep their defaults.

        Other keys are ignored. A decimal comma is accepted.

        Raises
        ------
        ValueError
            Naming the parameter whose value is not a valid number.
        """
        values: dict[str, float] = {}
        for f in fields(cls):
            if f.name not in params:
                continue
            raw = params[f.name]
            try:
                values[f.name] = float(str(raw).strip().replace(",", "."))
            except ValueError:
                raise ValueError(f"{f.name}={raw!r}: not a number") from None
        return cls(**values)


# -- areas -----------------------------------------------------------------------------------
_local = threading.local()


def _to_metric() -> Transformer:
    """WGS84 -> EPSG:25832, one transformer per thread (pyproj objects are not shared)."""
    transformer = getattr(_local, "to_metric", None)
    if transformer is None:
        transformer = _local.to_metric = Transformer.from_crs(
            CRS_DISPLAY, CRS_METRIC, always_xy=True
        )
    return transformer


@dataclass(frozen=True, eq=False)
class Areas:
    """The district's Gemeinden prepared for the analysis (built by :func:`make_areas`).

    Attributes
    ----------
    table
        Indexed by ``ags`` (sorted): ``name``, ``population`` (float), ``population_date``,
        the representative point ``x``/``y`` in EPSG:25832 (where the Gemeinde's population
        is placed) and the membership columns ``vg_<vintage>``, ``vg_rs_<vintage>``.
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
        Distance bounds to approximate positions already computed (kept across analyses).
    """

    table: pd.DataFrame
    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame | None
    membership: pd.DataFrame
    tree: cKDTree
    shapes: Mapping[str, shapely.Geometry] = dataclass_field(default_factory=dict)
    border: pd.DataFrame = dataclass_field(
        default_factory=lambda: pd.DataFrame(
            {"name": [], "x": [], "y": []}, index=pd.Index([], name="ags")
        )
    )
    ranges: RangeCache = dataclass_field(default_factory=RangeCache, repr=False)

    @cached_property
    def xy(self) -> np.ndarray:
        """Centres in EPSG:25832 (metres), shape (n, 2), in the order of :attr:`table`."""
        xy: np.ndarray = self.table[["x", "y"]].to_numpy(float)
        return xy


def make_areas(
    gemeinden: gpd.GeoDataFrame,
    population: pd.Series,
    membership: pd.DataFrame,
    *,
    centres: Mapping[str, tuple[float, float]] | None = None,
    city: gpd.GeoDataFrame | None = None,
    population_dates: Mapping[str, str] | None = None,
) -> Areas:
    """Prepare Gemeinden, their population and VG membership for the analysis.

    Parameters
    ----------
    gemeinden
        Gemeinde polygons of the district with ``ags`` and ``name``, any CRS (must be set).
    population
        Inhabitants per Gemeinde, indexed by ``ags``.
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
    if gemeinden.crs is None:
        raise ValueError("gemeinden has no CRS; set it (e.g. EPSG:4326) before the analysis")
    missing = {"ags", "name"} - set(gemeinden.columns)
    if missing:
        raise ValueError(f"gemeinden lacks column(s) {sorted(missing)}")
    if gemeinden["ags"].duplicated().any():
        dup = sorted(gemeinden.loc[gemeinden["ags"].duplicated(), "ags"].astype(str))
        raise ValueError(f"gemeinden has duplicate ags {dup}")
    if not isinstance(population, pd.Series):
        raise ValueError("population must be a pandas Series indexed by ags")
    gem = gemeinden.assign(ags=gemeinden["ags"].astype(str)).sort_values("ags")
    gem = gem.reset_index(drop=True)
    ags = gem["ags"].tolist()

    pop = pd.to_numeric(population.rename(index=str), errors="coerce").astype(float)
    pop = pop[~pop.index.duplicated(keep="first")].reindex(ags)  # NaN: unknown ("keine Daten")
    if (pop < 0).any():
        raise ValueError(f"negative population for Gemeinde(n) {pop.index[pop < 0].tolist()}")

    if "ags" not in membership.columns:
        raise ValueError("membership lacks column 'ags'")
    mem = membership.assign(ags=membership["ags"].astype(str)).drop_duplicates("ags")
    mem = mem.set_index("ags")
    absent = sorted(set(ags) - set(mem.index))
    if absent:
        raise ValueError(f"membership has no row for Gemeinde(n) {absent}")
    vg_cols = [c for v in VINTAGES for c in (f"vg_{v}", f"vg_rs_{v}") if c in mem.columns]

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
            x[pos[key]], y[pos[key]] = _to_metric().transform(lon, lat)
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise ValueError("a Gemeinde has an empty or invalid geometry (no centre)")

    dates = [str((population_dates or {}).get(a, "") or "") for a in ags]
    table = pd.DataFrame(
        {
            "name": gem["name"].astype(str).to_numpy(),
            "population": pop.to_numpy(),
            "population_date": dates,
            "x": x,
            "y": y,
        },
        index=pd.Index(ags, name="ags"),
    ).join(mem[vg_cols])
    metric = gem.to_crs(CRS_METRIC)
    shapes: dict[str, shapely.Geometry] = dict(zip(ags, metric.geometry.to_numpy(), strict=True))
    border = pd.DataFrame({"name": [], "x": [], "y": []}, index=pd.Index([], name="ags"))
    if city is not None and len(city):
        if "ags" not in city.columns:
            raise ValueError("city lacks column 'ags'")
        outside = city.to_crs(CRS_METRIC)
        points = outside.geometry.representative_point()
        keys = outside["ags"].astype(str).tolist()
        shapes.update(zip(keys, outside.geometry.to_numpy(), strict=True))
        names = outside["name"].astype(str) if "name" in outside else outside["ags"].astype(str)
        border = pd.DataFrame(
            {"name": names.to_numpy(), "x": points.x.to_numpy(), "y": points.y.to_numpy()},
            index=pd.Index(keys, name="ags"),
        )
    return Areas(
        table=table,
        gemeinden=gem.to_crs(CRS_DISPLAY),
        city=None if city is None else city.to_crs(CRS_DISPLAY),
        membership=membership,
        tree=cKDTree(np.column_stack([x, y])),
        shapes=shapes,
        border=border,
    )


def load_areas(
    settings: Settings | None = None,
    *,
    population: pd.Series | None = None,
    centres: Mapping[str, tuple[float, float]] | None = None,
) -> Areas:
    """:func:`make_areas` with the shipped boundaries, membership and (default) population.

    Parameters
    ----------
    settings
        Paths; default :func:`dashboard.config.get_settings`.
    population
        Inhabitants per ``ags``; default the shipped population per Gemeinde.
    centres
        Optional built-up-area centres ``ags -> (lat, lon)``.
    """
    from dashboard.data.boundaries import load_layer
    from dashboard.data.population import load_membership, load_population

    s = settings or get_settings()
    dates: dict[str, str] | None = None
    if population is None:
        shipped = load_population(s.datasets_dir).set_index("ags")
        population = shipped["population"]
        dates = shipped["population_date"].astype(str).to_dict()
    return make_areas(
        load_layer(s.geodata_dir, "gemeinden"),
        population,
        load_membership(s.datasets_dir),
        centres=centres,
        city=load_layer(s.geodata_dir, "context"),
        population_dates=dates,
    )


def _vg_columns(areas: Areas, vintage: int) -> tuple[str, str]:
    _check_vintage(vintage)
    name, key = f"vg_{vintage}", f"vg_rs_{vintage}"
    if key not in areas.table.columns or name not in areas.table.columns:
        raise ValueError(f"membership has no columns {name!r}/{key!r} for vintage {vintage}")
    return name, key


# -- offers ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Offers:
    """Facilities as arrays (one entry per facility)."""

    category: np.ndarray
    hfs: list[frozenset[str]]
    active: np.ndarray
    ags: np.ndarray  # located Gemeinde key ('' if none)
    unknown: np.ndarray
    candidate: np.ndarray  # has a point, district or city
    outside: np.ndarray  # has a point, elsewhere outside the district
    xy: np.ndarray  # EPSG:25832, NaN without point
    supply: np.ndarray
    approx: np.ndarray  # placed at Gemeinde or postcode precision: somewhere in ``ags``
    unconfirmed: np.ndarray  # its source says it is still to be confirmed

    def selected(self, selector: str) -> np.ndarray:
        if selector in CATEGORIES:
            mask: np.ndarray = self.category == selector
            return mask
        return np.fromiter((selector in h for h in self.hfs), bool, len(self.hfs))


def _as_codes(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset(v for v in value.split("|") if v)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return frozenset()
    return frozenset(str(v) for v in value)


def _offers(facilities: gpd.GeoDataFrame) -> _Offers:
    if not isinstance(facilities, gpd.GeoDataFrame):
        raise ValueError("facilities must be a GeoDataFrame from dashboard.data.locate.locate()")
    missing = [c for c in _FACILITY_COLUMNS if c not in facilities.columns]
    if missing:
        raise ValueError(
            f"facilities lack column(s) {missing}; pass the output of "
            "dashboard.data.locate.locate() / located_facilities()"
        )
    if len(facilities) and (facilities.crs is None or facilities.crs.to_epsg() != 4326):
        raise ValueError("facilities must be in EPSG:4326")
    geom = facilities.geometry.to_numpy()
    lon, lat = shapely.get_x(geom), shapely.get_y(geom)
    has_point = np.isfinite(lon) & np.isfinite(lat)
    xy = np.full((len(facilities), 2), np.nan)
    if has_point.any():
        xy[has_point, 0], xy[has_point, 1] = _to_metric().transform(lon[has_point], lat[has_point])
    unknown = facilities["location_unknown"].fillna(True).to_numpy(bool)
    outside_district = facilities["outside_district"].fillna(False).to_numpy(bool)
    in_city = facilities["in_city"].fillna(False).to_numpy(bool)
    located = has_point & ~unknown
    capacity = pd.to_numeric(facilities["capacity"], errors="coerce").to_numpy(float)
    unconfirmed = (
        facilities["unconfirmed"].fillna(False).astype(bool).to_numpy()
        if "unconfirmed" in facilities.columns
        else np.zeros(len(facilities), bool)
    )
    return _Offers(
        category=facilities["category"].astype(str).to_numpy(),
        hfs=[_as_codes(v) for v in facilities["handlungsfelder"]],
        active=(facilities["status"].astype(str) == "active").to_numpy(),
        ags=facilities["located_ags"].fillna("").astype(str).to_numpy(),
        unknown=unknown,
        candidate=located & (~outside_district | in_city),
        outside=located & outside_district & ~in_city,
        xy=xy,
        supply=np.where(np.isnan(capacity), 1.0, capacity),
        approx=facilities["precision"].astype(str).isin(APPROXIMATE).to_numpy() & located,
        unconfirmed=unconfirmed,
    )


# -- two-step floating catchment area --------------------------------------------------------
def decay_weight(radius_km: float, decay: str = "gaussian") -> Callable[[float], float]:
    """Distance-decay weight ``W(d)`` (d in km) of the enhanced 2SFCA.

    Parameters
    ----------
    radius_km
        Catchment radius ``d0``.
    decay
        ``gaussian``: ``exp(-d**2 / (2 sigma**2))`` with ``sigma = d0 *``
        :data:`GAUSSIAN_SIGMA_FRACTION`; ``step``: the zones of :data:`STEP_ZONES`.

    Returns
    -------
    callable
        Built with PySAL ``access.weights`` (``gaussian`` / ``step_fn``).
    """
    radius_km = _check_positive("radius_km", radius_km)
    if _check_decay(decay) == "gaussian":
        return cast(
            "Callable[[float], float]", weights.gaussian(GAUSSIAN_SIGMA_FRACTION * radius_km)
        )
    return cast(
        "Callable[[float], float]", weights.step_fn({frac * radius_km: w for frac, w in STEP_ZONES})
    )


def two_step_fca(
    demand_xy: np.ndarray,
    demand: np.ndarray,
    supply_xy: np.ndarray,
    supply: np.ndarray,
    radius_km: float,
    *,
    decay: str = "gaussian",
    demand_tree: cKDTree | None = None,
) -> dict[str, np.ndarray]:
    """Classic and enhanced two-step floating catchment area accessibility.

    With catchment radius ``d0``, supply ``S_j`` at offer ``j``, demand ``P_k`` at
    demand point ``k`` and straight-line distance ``d`` (km)::

        R_j = S_j / sum_{k: d_kj <= d0} W(d_kj) P_k
        A_i = sum_{j: d_ij <= d0} W(d_ij) R_j

    ``W = 1`` gives the classic 2SFCA (Luo & Wang 2003); the distance-decay weights of
    :func:`decay_weight` the enhanced E2SFCA (Luo & Qi 2009). Computed with PySAL
    ``access`` (``Access.two_stage_fca`` / ``enhanced_two_stage_fca``) on the pairs within
    ``d0`` found with a KD-tree.

    Parameters
    ----------
    demand_xy, supply_xy
        Coordinates in metres (EPSG:25832), shape (n, 2) and (m, 2).
    demand
        Demand (inhabitants) per demand point, shape (n,).
    supply
        Supply per offer (capacity, or 1), shape (m,).
    radius_km
        Catchment radius ``d0`` in km.
    decay
        Weight function of the enhanced variant: ``gaussian`` or ``step``.
    demand_tree
        Optional prebuilt KD-tree of ``demand_xy``.

    Returns
    -------
    dict
        ``{"2sfca": A, "e2sfca": A}``: supply per inhabitant for each demand point (0 where
        no offer is within reach; NaN where the catchment holds no demand at all).
    """
    radius_km = _check_positive("radius_km", radius_km)
    _check_decay(decay)
    dxy = np.asarray(demand_xy, float).reshape(-1, 2)
    sxy = np.asarray(supply_xy, float).reshape(-1, 2)
    dem = np.asarray(demand, float).reshape(-1)
    sup = np.asarray(supply, float).reshape(-1)
    if len(dem) != len(dxy) or len(sup) != len(sxy):
        raise ValueError("demand/supply values and coordinates differ in length")
    if (
        (dem < 0).any()
        or (sup < 0).any()
        or not (np.isfinite(dem).all() and np.isfinite(sup).all())
    ):
        raise ValueError("demand and supply must be finite and >= 0")
    n = len(dxy)
    out = {"2sfca": np.zeros(n), "e2sfca": np.zeros(n)}
    if n == 0 or len(sxy) == 0:
        return out
    tree = demand_tree if demand_tree is not None else cKDTree(dxy)
    # A hair wider than d0; ``access`` then cuts at exactly d0 (in km, as everywhere here).
    pairs = tree.sparse_distance_matrix(
        cKDTree(sxy), radius_km * 1000 * (1 + 1e-9), output_type="ndarray"
    )
    if len(pairs) == 0:
        return out
    acc = Access(
        demand_df=pd.DataFrame({"demand": dem}, index=pd.RangeIndex(n, name="demand_id")),
        demand_value="demand",
        supply_df=pd.DataFrame({"supply": sup}, index=pd.RangeIndex(len(sxy), name="supply_id")),
        supply_value="supply",
        cost_df=pd.DataFrame({"origin": pairs["i"], "dest": pairs["j"], "km": pairs["v"] / 1000}),
        cost_origin="origin",
        cost_dest="dest",
        cost_name="km",
    )
    classic = acc.two_stage_fca(name="fca2", max_cost=radius_km)["fca2_supply"]
    enhanced = acc.enhanced_two_stage_fca(
        name="efca2", max_cost=radius_km, weight_fn=decay_weight(radius_km, decay)
    )["efca2_supply"]
    for key, series in (("2sfca", classic), ("e2sfca", enhanced)):
        values = series.reindex(range(n)).to_numpy(float)
        values = np.where(np.isnan(values), 0.0, values)  # nothing within reach
        out[key] = np.where(np.isinf(values), np.nan, values)  # no demand in a catchment
    return out


# -- measures --------------------------------------------------------------------------------
def _gemeinde_measures(
    areas: Areas,
    offers: _Offers,
    selector: str,
    radius_km: float,
    include_outside: bool,
    decay: str,
    demand: Demand,
    include_unconfirmed: bool,
) -> dict[str, np.ndarray]:
    mask = offers.active & offers.selected(selector)
    if not include_unconfirmed:
        mask &= ~offers.unconfirmed
    index = areas.table.index
    counted = offers.ags[mask & ~offers.unknown]
    counts = pd.Series(counted).value_counts().reindex(index, fill_value=0).to_numpy(int)
    pop = areas.table["population"].to_numpy(float)
    need = np.asarray(demand.values, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_1000 = np.where(need > 0, counts / need * 1000, np.nan)
    cand = mask & (offers.candidate | (offers.outside if include_outside else False))
    n = len(index)
    if cand.any():
        dist_m, _ = cKDTree(offers.xy[cand]).query(areas.xy)
        distance = np.asarray(dist_m, float) / 1000
        low, high = _distance_range(areas, offers, cand)
    if cand.any() and np.isnan(need).any():  # demand partly unknown: accessibility unknown
        fca = {"2sfca": np.full(n, np.nan), "e2sfca": np.full(n, np.nan)}
    elif cand.any():
        demand_xy, weights_, tree = areas.xy, need, areas.tree
        outside = np.asarray(demand.border, float)
        if len(outside) and (outside > 0).any():
            demand_xy = np.vstack([areas.xy, areas.border[["x", "y"]].to_numpy(float)])
            weights_, tree = np.concatenate([need, outside]), None
        fca = two_step_fca(
            demand_xy,
            weights_,
            offers.xy[cand],
            offers.supply[cand],
            radius_km,
            decay=decay,
            demand_tree=tree,
        )
        fca = {k: v[:n] for k, v in fca.items()}
    else:
        distance = np.full(n, np.nan)
        low, high = distance, distance
        fca = {"2sfca": np.zeros(n), "e2sfca": np.zeros(n)}
    covered = np.where(distance <= radius_km, pop, 0.0)
    return {
        "population": pop,
        "demand": need,
        "offers": counts,
        "per_1000": per_1000,
        "distance_km": distance,
        "distance_km_max": distance,
        "distance_km_low": low,
        "distance_km_high": high,
        "population_covered": covered,
        "access_2sfca_per_1000": fca["2sfca"] * 1000,
        "access_e2sfca_per_1000": fca["e2sfca"] * 1000,
    }


def _distance_range(areas: Areas, offers: _Offers, cand: np.ndarray) -> tuple[np.ndarray, ...]:
    """Bounds (km) of the distance to the nearest candidate offer (see module docstring)."""
    approx = cand & offers.approx
    places = sorted(set(offers.ags[approx].tolist()))
    exact = cand & ~approx
    low, high = nearest_range(
        areas.xy, offers.xy[exact], [areas.shapes[a] for a in places], places, areas.ranges
    )
    return low / 1000, high / 1000


_WEIGHTED = (
    "distance_km",
    "distance_km_low",
    "distance_km_high",
    "access_2sfca_per_1000",
    "access_e2sfca_per_1000",
)


class _MeasureOptions(TypedDict):
    """Keyword arguments :func:`what_if` passes to :func:`measures` (before and after)."""

    radius_km: float
    level: str
    vintage: int
    include_outside: bool
    decay: str
    demand: Demand | Mapping[str, Demand] | None
    lists: ListMarks | None
    include_unconfirmed: bool


def _oldest(values: pd.Series) -> str:
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[0] if found else ""


def _newest(values: pd.Series) -> str:
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[-1] if found else ""


def _aggregate(frame: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Sum counts and demand, demand-weighted means, maximum of distances, combined
    coverage; per selector and key."""
    work = frame.assign(_key=keys.to_numpy())
    for col in _WEIGHTED:
        work[f"_w_{col}"] = work[col] * work["demand"]
        work[f"_nan_{col}"] = work[col].isna()
    work["_nan_population"] = work["population"].isna()
    grouped = work.groupby(["selector", "_key"], sort=False)
    out = grouped[["population", "demand", "offers", "population_covered"]].sum()
    unknown = grouped["_nan_population"].any()  # one Gemeinde without population: sum unknown
    out.loc[unknown, ["population", "demand", "population_covered"]] = np.nan
    out["n_gemeinden"] = grouped.size()
    out["distance_km_max"] = grouped["distance_km_max"].max()
    out["distance_approx"] = grouped["distance_approx"].any()
    out["coverage"] = grouped["_complete"].agg(combine)
    out["n_complete"] = grouped["_complete"].sum().astype(int)
    out["list_as_of"] = grouped["list_as_of"].agg(_oldest)
    out["demand_date"] = grouped["demand_date"].agg(_oldest)
    out["demand_date_newest"] = grouped["demand_date"].agg(_newest)
    with np.errstate(divide="ignore", invalid="ignore"):
        need = out["demand"].to_numpy(float)
        for col in _WEIGHTED:
            mean = grouped[f"_w_{col}"].sum().to_numpy(float) / need
            out[col] = np.where(grouped[f"_nan_{col}"].any().to_numpy() | (need <= 0), np.nan, mean)
        out["per_1000"] = np.where(need > 0, out["offers"].to_numpy(float) / need * 1000, np.nan)
    return out.reset_index().rename(columns={"_key": "key"})


def _demand_of(demand: Demand | Mapping[str, Demand] | None, selector: str, areas: Areas) -> Demand:
    if isinstance(demand, Demand):
        return demand
    if demand is not None and selector in demand:
        return demand[selector]
    table = areas.table
    dates = table["population_date"] if "population_date" in table else [""] * len(table)
    return legacy_demand(table["population"].to_numpy(float), list(dates), len(areas.border))


def measures(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    selectors: str | Sequence[str] | None = None,
    *,
    radius_km: float = 5.0,
    level: str = "gemeinde",
    vintage: int = CURRENT_VINTAGE,
    include_outside: bool = False,
    decay: str = "gaussian",
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """All supply measures for one or more selectors at one level.

    Parameters
    ----------
    areas
        From :func:`make_areas` / :func:`load_areas`.
    facilities
        Output of :func:`dashboard.data.locate.locate` (EPSG:4326).
    selectors
        A category or Handlungsfeld code, a list of them, or ``None`` for all
        :data:`SELECTORS`.
    radius_km
        Radius for ``share_covered`` and the 2SFCA catchment.
    level
        ``gemeinde``, ``vg`` (of ``vintage``) or ``landkreis``.
    vintage
        Boundary vintage of the VGs (2013, 2014, 2019).
    include_outside
        Also use offers elsewhere outside the district (the city's always count).
    decay
        E2SFCA weights: ``gaussian`` or ``step``.
    demand
        The demand (:func:`dashboard.analysis.demand.build_demand`), one for all
        selectors or one per selector; default: each Gemeinde's population, no demand
        beyond the border.
    lists
        The completeness marks of the lists (:class:`~dashboard.analysis.coverage.ListMarks`);
        ``None`` treats every list as complete.
    include_unconfirmed
        Also count offers whose source says they are still to be confirmed.

    Returns
    -------
    pandas.DataFrame
        One row per selector and area: ``selector``, ``level``,
        ``vintage``, ``key``, ``name``, (``vg_rs``, ``vg`` at Gemeinde level),
        ``n_gemeinden``, ``population``, ``demand``, ``demand_indicator`` (used),
        ``demand_chosen``, ``demand_fallback``, ``demand_missing``, ``demand_date``,
        ``demand_date_newest``, ``border_demand``, ``border_basis``, ``offers``,
        ``per_1000``, ``distance_km``, ``distance_km_low``, ``distance_km_high``,
        ``distance_approx``, ``distance_km_max``, ``radius_km``, ``population_covered``,
        ``share_covered``, ``access_2sfca_per_1000``, ``access_e2sfca_per_1000``,
        ``coverage``, ``n_complete``, ``list_as_of``, ``decay``, ``include_outside``,
        ``include_unconfirmed``. Sorted by selector (order given) and key.

    Raises
    ------
    ValueError
        For an unknown selector, level, vintage or decay, or a bad radius.
    """
    chosen = _selectors(selectors)
    radius_km = _check_positive("radius_km", radius_km)
    level = _check_level(level)
    vg_name, vg_key = _vg_columns(areas, vintage)
    decay = _check_decay(decay)
    offers = _offers(facilities)
    if offers.approx.any():  # somewhere in a known area; elsewhere the point is all we have
        known = pd.Series(offers.ags).isin(set(areas.shapes)).to_numpy()
        offers = replace(offers, approx=offers.approx & known)
    table = areas.table
    current = current_vg_keys(table) if lists is not None else [""] * len(table)
    fallback = _demand_of(None, "", areas) if not isinstance(demand, Demand) else demand
    parts = []
    for sel in chosen:
        need = demand[sel] if isinstance(demand, Mapping) and sel in demand else fallback
        if len(need.values) != len(table) or len(need.border) != len(areas.border):
            raise ValueError(
                f"demand for {sel!r} has {len(need.values)} Gemeinde and {len(need.border)} "
                f"border values; the areas have {len(table)} and {len(areas.border)}"
            )
        part = pd.DataFrame(
            _gemeinde_measures(
                areas,
                offers,
                sel,
                radius_km,
                bool(include_outside),
                decay,
                need,
                bool(include_unconfirmed),
            )  # fmt: skip
        )
        complete, as_of = gemeinde_coverage(current, lists, sel)
        part["_complete"] = complete
        part["list_as_of"] = as_of
        part["demand_date"] = list(need.dates)
        for column, value in demand_columns(need).items():
            part[column] = value
        part.insert(0, "selector", sel)
        part.insert(1, "key", table.index.to_numpy())
        parts.append(part)
    gem = pd.concat(parts, ignore_index=True)
    with np.errstate(invalid="ignore"):
        gem["distance_approx"] = (gem["distance_km_high"] - gem["distance_km_low"]) > 1e-9
    if level == "gemeinde":
        repeat = len(chosen)
        gem["name"] = np.tile(table["name"].to_numpy(), repeat)
        gem["vg_rs"] = np.tile(table[vg_key].to_numpy(), repeat)
        gem["vg"] = np.tile(table[vg_name].to_numpy(), repeat)
        gem["n_gemeinden"] = 1
        gem["coverage"] = np.where(gem["_complete"], "complete", "unknown")
        gem["n_complete"] = gem["_complete"].astype(int)
        gem["demand_date_newest"] = gem["demand_date"]
        out = gem
    else:
        per_selector = gem.drop_duplicates("selector").set_index("selector")
        keys = (
            pd.Series(np.tile(table[vg_key].to_numpy(), len(chosen)))
            if level == "vg"
            else pd.Series(LANDKREIS_KEY, index=gem.index)
        )
        out = _aggregate(gem, keys)
        for column in demand_columns(_demand_of(demand, chosen[0], areas)):
            out[column] = out["selector"].map(per_selector[column])
        if level == "vg":
            names = table.drop_duplicates(vg_key).set_index(vg_key)[vg_name]
            out["name"] = out["key"].map(names)
        else:
            out["name"] = DISTRICT_NAME
    with np.errstate(divide="ignore", invalid="ignore"):
        pop = out["population"].to_numpy(float)
        out["share_covered"] = np.where(pop > 0, out["population_covered"] / pop, np.nan)
    out["level"] = level
    out["vintage"] = int(vintage)
    out["radius_km"] = radius_km
    out["decay"] = decay
    out["include_outside"] = bool(include_outside)
    out["include_unconfirmed"] = bool(include_unconfirmed)
    order = {s: i for i, s in enumerate(chosen)}
    out = out.sort_values(
        ["selector", "key"], key=lambda c: c.map(order) if c.name == "selector" else c
    )
    columns = ["selector", "level", "vintage", "key", "name"]
    columns += ["vg_rs", "vg"] if level == "gemeinde" else []
    columns += [
        "n_gemeinden",
        "population",
        "demand",
        "demand_indicator",
        "demand_chosen",
        "demand_fallback",
        "demand_missing",
        "demand_date",
        "demand_date_newest",
        "border_demand",
        "border_basis",
        "offers",
        "per_1000",
        "distance_km",
        "distance_km_low",
        "distance_km_high",
        "distance_approx",
        "distance_km_max",
        "radius_km",
        "population_covered",
        "share_covered",
        "access_2sfca_per_1000",
        "access_e2sfca_per_1000",
        "coverage",
        "n_complete",
        "list_as_of",
        "decay",
        "include_outside",
        "include_unconfirmed",
    ]
    out = out[columns].reset_index(drop=True)
    out["offers"] = out["offers"].astype(int)
    out["n_gemeinden"] = out["n_gemeinden"].astype(int)
    return out


# -- gap flags -------------------------------------------------------------------------------
#: Reason codes of a flag (column ``reason_codes``, joined with ``|``), in this order:
#: ``none`` no offer among the candidates at all; ``far`` the nearest offer is farther than
#: ``max_distance_km``; ``few`` fewer than ``min_per_1000`` offers per 1,000 inhabitants.
REASON_CODES: tuple[str, ...] = ("none", "far", "few")

#: Separator of several codes in ``reason_codes``.
CODE_SEP = "|"


def gap_flags(frame: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.DataFrame:
    """Flag supply gaps in a :func:`measures` frame and rank them by severity.

    Parameters
    ----------
    frame
        Output of :func:`measures` computed with ``radius_km=thresholds.radius_km``.
    thresholds
        Default :class:`Thresholds` ().

    Returns
    -------
    pandas.DataFrame
        ``frame`` with ``status`` (``gap``, ``no_gap``, or ``unknown`` where the lists
        behind the row are not known to be complete, see ``coverage``), ``flagged`` (a
        gap), ``severity`` (see the module docstring; 0 unless flagged),
        ``reason_codes`` (the breached criteria, codes of :data:`REASON_CODES` joined with
        :data:`CODE_SEP`; empty when not flagged), the thresholds ``max_distance_km`` and
        ``min_per_1000``, and ``rank`` (1 = most severe, missing when not flagged), sorted by
        severity (descending), population (descending), selector and key. Words for the
        codes are made where the flags are shown (:mod:`dashboard.render.gaps_text`).

    Raises
    ------
    ValueError
        If columns are missing or the frame was computed with another radius.
    """
    th = thresholds or Thresholds()
    needed = {"selector", "level", "key", "population", "per_1000", "distance_km", "radius_km"}
    missing = sorted(needed - set(frame.columns))
    if missing:
        raise ValueError(f"frame lacks column(s) {missing}; pass the output of measures()")
    radii = frame["radius_km"].dropna().unique()
    if len(radii) and not np.allclose(radii, th.radius_km):
        raise ValueError(
            f"measures were computed with radius_km={radii.tolist()} but thresholds.radius_km="
            f"{th.radius_km}; compute them with radius_km=thresholds.radius_km"
        )
    out = frame.copy()
    distance = out["distance_km"].to_numpy(float)
    per_1000 = out["per_1000"].to_numpy(float)
    with np.errstate(invalid="ignore"):
        far = np.isnan(distance) | (distance > th.max_distance_km)
        few = ~np.isnan(per_1000) & (per_1000 < th.min_per_1000)
        distance_term = np.where(
            np.isnan(distance),
            MAX_DISTANCE_TERM,
            np.clip(distance / th.max_distance_km - 1, 0, MAX_DISTANCE_TERM),
        )
        per_term = np.where(few, 1 - per_1000 / (th.min_per_1000 or 1), 0.0)
    known = (
        (out["coverage"] == "complete").to_numpy(bool)
        if "coverage" in out
        else np.ones(len(out), bool)
    )
    breached = far | few
    out["flagged"] = breached & known
    out["status"] = np.where(known, np.where(breached, "gap", "no_gap"), "unknown")
    out["severity"] = np.where(out["flagged"], distance_term + per_term, 0.0)
    none = np.isnan(distance)
    out["reason_codes"] = [
        CODE_SEP.join(
            code for code, hit in zip(REASON_CODES, (n, f and not n, w), strict=True) if hit
        )
        if k
        else ""
        for n, f, w, k in zip(none, far, few, known, strict=True)
    ]
    out["max_distance_km"] = th.max_distance_km
    out["min_per_1000"] = th.min_per_1000
    out = out.sort_values(
        ["severity", "population", "selector", "key"], ascending=[False, False, True, True]
    ).reset_index(drop=True)
    rank = pd.Series(pd.NA, index=out.index, dtype="Int64")
    flagged = out["flagged"].to_numpy()
    rank[flagged] = np.arange(1, int(flagged.sum()) + 1)
    out["rank"] = rank
    return out


# -- coverage matrix -------------------------------------------------------------------------
#: Meaning codes of a coverage cell: ``none`` neither offer nor project, ``no_offer``,
#: ``no_project``, ``""`` for a cell with both; ``unknown`` no offer recorded and the
#: VG's lists of the Handlungsfeld are not known to be complete (no project either),
#: ``unknown_offer`` the same with a project.
MEANING_CODES: tuple[str, ...] = (
    "none", "no_offer", "no_project", "", "unknown", "unknown_offer",
)  # fmt: skip


def _cell_meaning(offers: int, projects: int, complete: bool = True) -> str:
    if offers == 0 and not complete:
        return "unknown" if projects == 0 else "unknown_offer"
    if offers == 0 and projects == 0:
        return "none"
    if offers == 0:
        return "no_offer"
    return "no_project" if projects == 0 else ""


def coverage_matrix(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    projects: Iterable[ProjectRecord] = (),
    vintage: int = CURRENT_VINTAGE,
    *,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """Offers and projects per VG and Handlungsfeld.

    Parameters
    ----------
    areas
        From :func:`make_areas` / :func:`load_areas`.
    facilities
        Output of :func:`dashboard.data.locate.locate`.
    projects
        Projects; one counts in a VG when one of its ``location_ags`` or of its linked
        facilities (any status) lies in that VG, once per VG and Handlungsfeld.
    vintage
        Boundary vintage of the VGs.
    lists
        Completeness marks; a cell's list is complete when the lists of all its
        Gemeinden are (``None``: every list is complete).
    include_unconfirmed
        Also count offers still to be confirmed.

    Returns
    -------
    pandas.DataFrame
        One row per VG x Handlungsfeld (VGs by key, Handlungsfelder in model order):
        ``vintage``, ``vg_rs``, ``vg``, ``handlungsfeld``, ``offers`` (active facilities of
        that Handlungsfeld), ``projects``, ``list_complete``, ``empty`` (offers or
        projects missing) and ``meaning``, a code of :data:`MEANING_CODES` (``no_offer``:
        projects but no offer, ``unknown``: no offer recorded and no confirmed list, ...);
        :mod:`dashboard.render.gaps_text` says it in words.
    """
    vg_name, vg_key = _vg_columns(areas, vintage)
    if not isinstance(facilities, gpd.GeoDataFrame) or not {"id", "located_ags"} <= set(
        facilities.columns
    ):
        raise ValueError("facilities must be the output of dashboard.data.locate.locate()")
    offers = _offers(facilities)
    to_vg = areas.table[vg_key]
    vg_of_offer = pd.Series(offers.ags).map(to_vg).to_numpy(object)
    vgs = areas.table.drop_duplicates(vg_key).set_index(vg_key)[vg_name].sort_index()
    offer_counts: dict[tuple[str, str], int] = {}
    use = offers.active & ~offers.unknown & (include_unconfirmed | ~offers.unconfirmed)
    for vg, codes, ok in zip(vg_of_offer, offers.hfs, use, strict=True):
        if ok and isinstance(vg, str):
            for hf in codes:
                offer_counts[(vg, hf)] = offer_counts.get((vg, hf), 0) + 1
    facility_vg = dict(zip(facilities["id"].astype(str), vg_of_offer, strict=True))
    project_counts: dict[tuple[str, str], int] = {}
    for project in projects:
        places = {to_vg.get(a) for a in project.location_ags}
        places |= {facility_vg.get(fid) for fid in project.facility_ids}
        for vg in {p for p in places if isinstance(p, str)}:
            for hf in project.handlungsfelder:
                project_counts[(vg, hf)] = project_counts.get((vg, hf), 0) + 1
    current = current_vg_keys(areas.table) if lists is not None else [""] * len(areas.table)
    complete_of: dict[tuple[str, str], bool] = {}
    for hf in HANDLUNGSFELDER:
        complete, _ = gemeinde_coverage(current, lists, hf)
        by_vg = pd.Series(complete, index=areas.table.index).groupby(to_vg.to_numpy()).all()
        complete_of.update({(str(k), hf): bool(v) for k, v in by_vg.items()})
    rows = []
    for key, name in vgs.items():
        for hf in HANDLUNGSFELDER:
            n_off = offer_counts.get((key, hf), 0)
            n_proj = project_counts.get((key, hf), 0)
            known = complete_of.get((str(key), hf), False)
            rows.append(
                {
                    "vintage": int(vintage),
                    "vg_rs": key,
                    "vg": name,
                    "handlungsfeld": hf,
                    "offers": n_off,
                    "projects": n_proj,
                    "list_complete": known,
                    "empty": n_off == 0 or n_proj == 0,
                    "meaning": _cell_meaning(n_off, n_proj, known),
                }
            )
    return pd.DataFrame(rows)


# -- what-if ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class WhatIf:
    """Gap flags before and after adding a hypothetical facility.

    Attributes
    ----------
    facility
        The hypothetical facility, located like the others (one-row GeoDataFrame).
    before, after
        :func:`gap_flags` output without and with it.
    changes
        Areas whose status, flag, severity, offers or distance changed: ``selector``,
        ``key``, ``name`` and ``<measure>_before`` / ``<measure>_after`` columns.
    """

    facility: gpd.GeoDataFrame
    before: pd.DataFrame
    after: pd.DataFrame
    changes: pd.DataFrame

    @property
    def flag_changes(self) -> pd.DataFrame:
        """Only the areas whose status (gap, no gap, unknown) changes."""
        c = self.changes
        return c[c["status_before"] != c["status_after"]].reset_index(drop=True)


def what_if(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    category: str,
    lat: float,
    lon: float,
    capacity: int | None = None,
    *,
    handlungsfelder: Sequence[str] | None = None,
    selectors: str | Sequence[str] | None = None,
    thresholds: Thresholds | None = None,
    level: str = "gemeinde",
    vintage: int = CURRENT_VINTAGE,
    include_outside: bool = False,
    decay: str = "gaussian",
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> WhatIf:
    """Measures and gap flags with one extra hypothetical facility (nothing is stored).

    Parameters
    ----------
    areas, facilities
        As for :func:`measures`.
    category
        Category of the hypothetical facility.
    lat, lon
        Its position (WGS84).
    capacity
        Its capacity (supply in the 2SFCA); ``None`` counts as 1.
    handlungsfelder
        Its Handlungsfelder; default the category's default Handlungsfelder.
    selectors
        Selectors to evaluate; default the category and its Handlungsfelder.
    thresholds, level, vintage, include_outside, decay, demand, lists, include_unconfirmed
        As for :func:`measures` and :func:`gap_flags` (radius from ``thresholds``).

    Returns
    -------
    WhatIf
    """
    from dashboard.data.locate import locate
    from dashboard.data.records import facilities_geoframe

    if category not in CATEGORIES:
        raise ValueError(f"unknown category {category!r}; expected one of {', '.join(CATEGORIES)}")
    for name, value, bound in (("lat", lat, 90), ("lon", lon, 180)):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{name} must be a number, got {value!r}")
        if not (math.isfinite(value) and -bound <= value <= bound):
            raise ValueError(f"{name} must be within ±{bound}, got {value!r}")
    if capacity is not None and (
        isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0
    ):
        raise ValueError(f"capacity must be a whole number >= 0 or None, got {capacity!r}")
    default_hf: list[str] = list(CATEGORIES[category]["default_hf"])  # type: ignore[call-overload]
    codes = list(handlungsfelder) if handlungsfelder is not None else default_hf
    for code in codes:
        if code not in HANDLUNGSFELDER:
            raise ValueError(
                f"unknown Handlungsfeld {code!r}; expected one of {', '.join(HANDLUNGSFELDER)}"
            )
    th = thresholds or Thresholds()
    chosen = _selectors(selectors if selectors is not None else [category, *codes])
    hypothetical = Facility(
        id="was-waere-wenn",
        name="was-waere-wenn",
        category=category,  # type: ignore[arg-type]
        handlungsfelder=codes,  # type: ignore[arg-type]
        lat=float(lat),
        lon=float(lon),
        precision="exact",
        capacity=capacity,
        source="was-waere-wenn",
        reference_date=dt.date.today().isoformat(),
    )
    city = areas.city if areas.city is not None else areas.gemeinden.iloc[0:0]
    placed = locate(facilities_geoframe([hypothetical]), areas.gemeinden, city, areas.membership)
    combined = gpd.GeoDataFrame(
        pd.concat([facilities, placed], ignore_index=True), geometry="geometry", crs=CRS_DISPLAY
    )
    options: _MeasureOptions = {
        "radius_km": th.radius_km,
        "level": level,
        "vintage": vintage,
        "include_outside": include_outside,
        "decay": decay,
        "demand": demand,
        "lists": lists,
        "include_unconfirmed": include_unconfirmed,
    }
    before = gap_flags(measures(areas, facilities, chosen, **options), th)
    after = gap_flags(measures(areas, combined, chosen, **options), th)
    compared = [
        "status", "flagged", "severity", "offers", "per_1000", "distance_km", "reason_codes",
    ]  # fmt: skip
    shown = [*compared, "distance_km_low", "distance_km_high", "distance_approx"]
    joined = before[["selector", "key", "name", "level", "demand_indicator", *shown]].merge(
        after[["selector", "key", *shown]],
        on=["selector", "key"],
        suffixes=("_before", "_after"),
        validate="1:1",
    )
    changed = np.zeros(len(joined), bool)
    for col in compared:
        b, a = joined[f"{col}_before"], joined[f"{col}_after"]
        if col in ("severity", "per_1000", "distance_km"):
            same = np.isclose(b.to_numpy(float), a.to_numpy(float), equal_nan=True)
        else:
            same = (b == a).to_numpy(bool)
        changed |= ~same
    changes = joined[changed].sort_values(["selector", "key"]).reset_index(drop=True)
    return WhatIf(facility=placed, before=before, after=after, changes=changes)


# -- one selector with the shipped data ---------------------------------------------------
def gaps_table(
    category_or_hf: str,
    radius_km: float = 5.0,
    vintage: int = CURRENT_VINTAGE,
    level: str = "gemeinde",
    *,
    thresholds: Thresholds | None = None,
    include_outside: bool = False,
    decay: str = "gaussian",
    facilities: gpd.GeoDataFrame | None = None,
    areas: Areas | None = None,
    settings: Settings | None = None,
    demand: Demand | Mapping[str, Demand] | None = None,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """Measures and gap flags of one selector, loading the shipped data by default.

    Parameters
    ----------
    category_or_hf
        A category (``Kita``) or Handlungsfeld code (``sprache``).
    radius_km
        Radius of reach and 2SFCA catchment (overrides ``thresholds.radius_km``).
    vintage
        Boundary vintage of the VGs.
    level
        ``gemeinde``, ``vg`` or ``landkreis``.
    thresholds
        Flag thresholds; default :class:`Thresholds` with ``radius_km``.
    include_outside, decay, demand, lists, include_unconfirmed
        As for :func:`measures` (the service passes the store's demand and list marks).
    facilities
        Located facilities; default those of the store (``settings.store_path``).
    areas
        Default :func:`load_areas` (shipped boundaries and population).
    settings
        Default :func:`dashboard.config.get_settings`.

    Returns
    -------
    pandas.DataFrame
        :func:`gap_flags` of :func:`measures`, ranked by severity (numbers and codes;
        :func:`dashboard.render.gaps_text.file_table` makes the file of the command line).
    """
    check_selector(category_or_hf)
    _check_level(level)
    _check_vintage(vintage)
    th = replace(thresholds or Thresholds(), radius_km=_check_positive("radius_km", radius_km))
    s = settings or get_settings()
    if areas is None:
        areas = load_areas(s)
    if facilities is None:
        from dashboard.data.locate import located_facilities
        from dashboard.data.store import Store

        facilities = located_facilities(Store(s.store_location, s.datasets_dir).facilities(), s)
    frame = measures(
        areas,
        facilities,
        category_or_hf,
        radius_km=th.radius_km,
        level=level,
        vintage=vintage,
        include_outside=include_outside,
        decay=decay,
        demand=demand,
        lists=lists,
        include_unconfirmed=include_unconfirmed,
    )
    return gap_flags(frame, th)
