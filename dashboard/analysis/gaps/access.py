"""Accessibility: the two-step floating catchment area (2SFCA) and its enhanced variant.

Computed with PySAL ``access`` on the pairs of demand points and offers within the
catchment radius (found with a KD-tree); distances are straight lines in metres
(EPSG:25832), expressed in km.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
import pandas as pd
from access import Access, weights
from scipy.spatial import cKDTree

from dashboard.analysis.gaps.checks import check_decay, check_positive

#: Stepped E2SFCA zones: (upper bound as a fraction of the catchment radius, weight).
#: The weights 1.00 / 0.68 / 0.22 are those of Luo & Qi (2009) for their three
#: 10-minute zones, rescaled here to thirds of the catchment radius ``d0``:
#: ``(0, d0/3] -> 1.00``, ``(d0/3, 2 d0/3] -> 0.68``, ``(2 d0/3, d0] -> 0.22``.
STEP_ZONES: tuple[tuple[float, float], ...] = ((1 / 3, 1.0), (2 / 3, 0.68), (1.0, 0.22))

#: Gaussian E2SFCA: ``W(d) = exp(-d**2 / (2 * sigma**2))`` with ``sigma`` this fraction of
#: the catchment radius ``d0`` (``W(0) = 1``, ``W(d0/2) = 0.61``, ``W(d0) = 0.14``).
GAUSSIAN_SIGMA_FRACTION = 0.5


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
    radius_km = check_positive("radius_km", radius_km)
    if check_decay(decay) == "gaussian":
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
    demand, supply
        Demand (inhabitants) per demand point, shape (n,); supply per offer (capacity,
        or 1), shape (m,).
    radius_km, decay
        Catchment radius ``d0`` in km; weights of the enhanced variant (``gaussian`` or
        ``step``).
    demand_tree
        Optional prebuilt KD-tree of ``demand_xy``.

    Returns
    -------
    dict
        ``{"2sfca": A, "e2sfca": A}``: supply per inhabitant for each demand point (0 where
        no offer is within reach; NaN where the catchment holds no demand at all).
    """
    radius_km = check_positive("radius_km", radius_km)
    check_decay(decay)
    dxy = np.asarray(demand_xy, float).reshape(-1, 2)
    sxy = np.asarray(supply_xy, float).reshape(-1, 2)
    dem = np.asarray(demand, float).reshape(-1)
    sup = np.asarray(supply, float).reshape(-1)
    if len(dem) != len(dxy) or len(sup) != len(sxy):
        raise ValueError("demand/supply values and coordinates differ in length")
    if (
        not (np.isfinite(dem).all() and np.isfinite(sup).all())
        or (dem < 0).any()
        or (sup < 0).any()
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
    return _access(pairs, dem, sup, radius_km, decay)


def _access(
    pairs: np.ndarray, dem: np.ndarray, sup: np.ndarray, radius_km: float, decay: str
) -> dict[str, np.ndarray]:
    """Both variants with PySAL ``access`` on the (demand, supply, metres) pairs in reach."""
    n = len(dem)
    out = {}
    acc = Access(
        demand_df=pd.DataFrame({"demand": dem}, index=pd.RangeIndex(n, name="demand_id")),
        demand_value="demand",
        supply_df=pd.DataFrame({"supply": sup}, index=pd.RangeIndex(len(sup), name="supply_id")),
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
