"""What the public may see: no sensitive facility as a point, only coarse counts per VG.

Every public view and export goes through :func:`public_view` (the points) and
:func:`sensitive_counts` (the table that replaces them). Counts of 1 to 4 are shown as
``"<5"``; no district total is given, so a hidden count cannot be worked out by subtraction.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.config import CURRENT_VINTAGE
from dashboard.domain.model import SENSITIVE_CATEGORIES

#: Smallest count shown exactly to the public.
MIN_PUBLIC_COUNT = 5
#: VG label for sensitive facilities outside the district or without a known place.
NO_VG = "außerhalb / ohne Zuordnung"


def format_count(n: int) -> str:
    """A count as shown to the public: ``"0"``, ``"<5"`` for 1–4, else the number."""
    if n < 0:
        raise ValueError("count must not be negative")
    return "<5" if 0 < n < MIN_PUBLIC_COUNT else str(n)


def is_sensitive(frame: pd.DataFrame) -> pd.Series:
    """Rows whose category must never be shown as a point to the public."""
    return frame["category"].isin(SENSITIVE_CATEGORIES)


def public_view(located: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The facilities the public may see as points: all but sensitive categories.

    Parameters
    ----------
    located
        Facilities (e.g. from :func:`dashboard.data.locate.located_facilities`), with
        column ``category``.

    Returns
    -------
    geopandas.GeoDataFrame
        A copy without any row of a sensitive category (``Unterkunft``).
    """
    return located.loc[~is_sensitive(located)].copy()


def sensitive_counts(
    located: pd.DataFrame, vintage: int = CURRENT_VINTAGE, include_closed: bool = False
) -> pd.DataFrame:
    """Sensitive facilities as counts per VG and category, small counts coarsened.

    Parameters
    ----------
    located
        Facilities with ``category``, ``status`` and ``vg_<vintage>``/``vg_rs_<vintage>``
        (:func:`dashboard.data.locate.locate`).
    vintage
        VG boundary vintage.
    include_closed
        Count closed facilities too (default: active only).

    Returns
    -------
    pandas.DataFrame
        Columns ``vg_rs``, ``vg``, ``category``, ``count`` (text: ``"<5"`` for 1–4), one
        row per VG and sensitive category with at least one facility, sorted by VG name.
    """
    rows = located.loc[is_sensitive(located)]
    if not include_closed and "status" in rows:
        rows = rows.loc[rows["status"] == "active"]
    frame = pd.DataFrame(
        {
            "vg_rs": rows[f"vg_rs_{vintage}"].fillna("").astype(str),
            "vg": rows[f"vg_{vintage}"].fillna(NO_VG).astype(str),
            "category": rows["category"].astype(str),
        }
    )
    frame.loc[frame["vg_rs"] == "", "vg"] = NO_VG
    counts = frame.groupby(["vg_rs", "vg", "category"], sort=False).size()
    out = counts.rename("n").reset_index()
    out["count"] = out["n"].map(format_count)
    out["_outside"] = out["vg_rs"] == ""
    out = out.sort_values(["_outside", "vg", "category"]).reset_index(drop=True)
    return out[["vg_rs", "vg", "category", "count"]]
