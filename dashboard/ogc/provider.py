"""The pygeoapi feature provider of the atlas: every collection read through the service.

pygeoapi makes a provider per request (``load_plugin``) from the collection's
configuration (:func:`dashboard.ogc.config.pygeoapi_config`); ``data`` names the layer of
:mod:`dashboard.services.layers`. The layer is read from the user's
:class:`~dashboard.services.view.RoleView` of the request (:func:`current_view`, set by
:mod:`dashboard.ogc.app` for the thread that answers the request), so the privacy rule,
the headline figures and the data version are those of the pages.

Queries: ``bbox`` (in the storage CRS, EPSG:4326), property equality (``?kategorie=Kita``),
CQL2 text or JSON (``filter``, through pygeofilter's GeoPandas backend), ``sortby``,
``offset``/``limit``, ``resulttype=hits``, ``properties``, ``skipGeometry``; the
``crs`` parameter (OGC API – Features Part 2) is applied by pygeoapi's ``crs_transform``.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
    ProviderQueryError,
)
from pygeoapi.util import crs_transform
from pygeofilter.backends.geopandas.evaluate import to_filter
from shapely.geometry import box, mapping
from shapely.geometry.base import BaseGeometry

from dashboard.services.layers import layer_frame
from dashboard.services.view import RoleView

_local = threading.local()


def current_view() -> RoleView:
    """The role view of the request this thread answers.

    Raises
    ------
    RuntimeError
        Outside a request of :mod:`dashboard.ogc.app`.
    """
    view: RoleView | None = getattr(_local, "view", None)
    if view is None:
        raise RuntimeError("no role view for this thread (not inside an OGC request)")
    return view


class ViewBound:
    """Binds a role view to the current thread for the duration of a ``with`` block."""

    def __init__(self, view: RoleView) -> None:
        self.view = view

    def __enter__(self) -> RoleView:
        _local.view = self.view
        return self.view

    def __exit__(self, *exc: object) -> None:
        _local.view = None


def _json_type(dtype: Any) -> dict[str, str]:
    if pd.api.types.is_bool_dtype(dtype):
        return {"type": "boolean"}
    if pd.api.types.is_integer_dtype(dtype):
        return {"type": "integer"}
    if pd.api.types.is_float_dtype(dtype):
        return {"type": "number"}
    return {"type": "string"}


def _plain(value: Any) -> Any:
    """A cell as a JSON value (``None`` for missing, numbers as Python numbers)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(float(value)) else float(value)
    return value if isinstance(value, (int, str)) else str(value)


class AtlasProvider(BaseProvider):  # type: ignore[misc]
    """A layer of the atlas as a pygeoapi feature provider (read only)."""

    _fields: dict[str, dict[str, str]]

    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.get_fields()

    def _frame(self) -> gpd.GeoDataFrame:
        try:
            return layer_frame(current_view(), str(self.data))
        except KeyError:
            raise ProviderItemNotFoundError(f"unknown collection {self.data!r}") from None

    def get_fields(self) -> dict[str, dict[str, str]]:
        """Property name -> JSON type of the layer (for queryables and the schema)."""
        if not self._fields:
            frame = self._frame()
            self._fields = {
                str(c): _json_type(frame[c].dtype)
                for c in frame.columns
                if c != frame.geometry.name
            }
        return dict(self._fields)

    # -- selection -------------------------------------------------------------------------
    def _select(
        self,
        frame: gpd.GeoDataFrame,
        bbox: list[float],
        properties: list[tuple[str, str]],
        filterq: Any,
    ) -> gpd.GeoDataFrame:
        if bbox:
            if len(bbox) != 4:
                raise ProviderInvalidQueryError("bbox: four numbers expected")
            frame = frame[frame.geometry.notna() & frame.intersects(box(*bbox))]
        for name, value in properties:
            if name not in frame.columns or name == frame.geometry.name:
                raise ProviderInvalidQueryError(f"unknown property {name!r}")
            frame = frame[frame[name].map(_plain).map(lambda v: "" if v is None else str(v))
                          == str(value)]  # fmt: skip
        if filterq is not None:
            mapping_ = {c: c for c in frame.columns if c != frame.geometry.name}
            mapping_["geometry"] = frame.geometry.name
            try:
                mask = to_filter(frame, filterq, mapping_)
            except Exception as exc:  # pygeofilter reports unknown attributes as any error
                raise ProviderInvalidQueryError(f"filter not applicable: {exc}") from None
            frame = frame[np.asarray(mask, dtype=bool)]
        return frame

    @staticmethod
    def _sorted(frame: gpd.GeoDataFrame, sortby: list[dict[str, Any]]) -> gpd.GeoDataFrame:
        if not sortby:
            return frame
        names = [s["property"] for s in sortby]
        unknown = [n for n in names if n not in frame.columns]
        if unknown:
            raise ProviderInvalidQueryError(f"unknown sort property {unknown[0]!r}")
        ascending = [s.get("order", "+") != "-" for s in sortby]
        return frame.sort_values(names, ascending=ascending, kind="stable")

    def _feature(
        self, fid: str, row: pd.Series, select: list[str], skip_geometry: bool
    ) -> dict[str, Any]:
        names = select or [c for c in row.index if c != "geometry"]
        geom = row.get("geometry")
        drawn = isinstance(geom, BaseGeometry) and not geom.is_empty and not skip_geometry
        shape = mapping(geom) if drawn else None
        return {
            "type": "Feature",
            "id": fid,
            "geometry": json.loads(json.dumps(shape)) if shape else None,
            "properties": {n: _plain(row[n]) for n in names if n in row.index},
        }

    # -- pygeoapi interface ----------------------------------------------------------------
    @crs_transform  # type: ignore[untyped-decorator]
    def query(
        self,
        offset: int = 0,
        limit: int = 10,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, Any]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        """The features of the layer that match, one page (GeoJSON FeatureCollection)."""
        try:
            frame = self._select(self._frame(), bbox or [], properties or [], filterq)
            frame = self._sorted(frame, sortby or [])
        except (ProviderInvalidQueryError, ProviderItemNotFoundError):
            raise
        except Exception as exc:
            raise ProviderQueryError(f"query failed: {exc.__class__.__name__}") from None
        result: dict[str, Any] = {
            "type": "FeatureCollection",
            "features": [],
            "numberMatched": len(frame),
        }
        if resulttype == "hits":
            return result
        page = frame.iloc[offset : offset + limit]
        select = list(select_properties or [])
        result["features"] = [
            self._feature(str(fid), row, select, skip_geometry) for fid, row in page.iterrows()
        ]
        result["numberReturned"] = len(result["features"])
        return result

    @crs_transform  # type: ignore[untyped-decorator]
    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        """One feature by id.

        Raises
        ------
        ProviderItemNotFoundError
            If the layer has no such feature in the user's view.
        """
        frame = self._frame()
        if str(identifier) not in frame.index:
            raise ProviderItemNotFoundError(f"no feature {identifier!r}")
        row = frame.loc[str(identifier)]
        if isinstance(row, pd.DataFrame):
            row = row.iloc[0]
        return self._feature(str(identifier), row, [], False)
