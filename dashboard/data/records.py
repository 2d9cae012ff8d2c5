"""Conversions between model records and tables (canonical CSV form, GeoDataFrames).

Canonical form: every column a string; lists joined with ``|``; dates ISO; coordinates
with a decimal point. Used by the shipped datasets and the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from dashboard.config import CRS_DISPLAY
from dashboard.domain.model import FACILITY_FIELDS, Facility, Project

LIST_SEP = "|"
_FACILITY_LISTS = ("handlungsfelder", "languages", "target_groups")
_PROJECT_LISTS = ("handlungsfelder", "facility_ids", "location_ags")


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return LIST_SEP.join(str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _from_text(row: dict[str, str], lists: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in lists:
            out[key] = [v for v in value.split(LIST_SEP) if v] if value else []
        elif value == "":
            continue
        else:
            out[key] = value
    return out


def facilities_to_frame(facilities: Iterable[Facility]) -> pd.DataFrame:
    """Facilities as a canonical string table (one column per model field)."""
    rows = [{k: _to_text(getattr(f, k)) for k in FACILITY_FIELDS} for f in facilities]
    return pd.DataFrame(rows, columns=list(FACILITY_FIELDS))


def frame_to_facilities(frame: pd.DataFrame) -> list[Facility]:
    """Parse a canonical table back into validated facilities."""
    records = frame.fillna("").astype(str).to_dict(orient="records")
    return [Facility(**_from_text(r, _FACILITY_LISTS)) for r in records]


def projects_to_frame(projects: Iterable[Project]) -> pd.DataFrame:
    """Projects as a canonical string table."""
    fields = list(Project.model_fields)
    return pd.DataFrame(
        [{k: _to_text(getattr(p, k)) for k in fields} for p in projects], columns=fields
    )


def frame_to_projects(frame: pd.DataFrame) -> list[Project]:
    """Parse a canonical table back into validated projects."""
    records = frame.fillna("").astype(str).to_dict(orient="records")
    return [Project(**_from_text(r, _PROJECT_LISTS)) for r in records]


def facilities_geoframe(facilities: Iterable[Facility]) -> gpd.GeoDataFrame:
    """Facilities as a GeoDataFrame of points (EPSG:4326); unlocated ones have no geometry.

    List fields stay Python lists; dates stay ``datetime.date``.
    """
    rows = [f.model_dump() for f in facilities]
    geoms = [
        Point(r["lon"], r["lat"]) if r["lat"] is not None and r["lon"] is not None else None
        for r in rows
    ]
    frame = pd.DataFrame(rows, columns=list(FACILITY_FIELDS))
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=CRS_DISPLAY)
