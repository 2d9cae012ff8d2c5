"""The atlas map as data for the browser: the spec of one view and its resources.

The map is drawn in the browser by ``static/atlas.js`` (Leaflet, served from an installed
package). The server never builds HTML for it: it sends *resources*
(:mod:`dashboard.render.web.resources`: content-addressed JSON the browser loads once and
keeps) and per update a small *spec* (which resources, which layers, which facilities are
shown, the legend). All text from data is set with ``textContent`` in the browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.analysis.population import Populations
from dashboard.config import BASEMAPS, BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.domain.precision import APPROXIMATE
from dashboard.i18n.catalogue import t
from dashboard.render.common.legend import choropleth_title, class_labels, date_note, value_text
from dashboard.render.common.symbols import SYMBOLS, symbol_svg
from dashboard.render.web.basemap import CITY_STYLE, GEMEINDE_STYLE
from dashboard.render.web.codec import bitset
from dashboard.render.web.legend import MARK_KINDS, choropleth_table, legend, map_summary
from dashboard.render.web.project_sites import Site
from dashboard.render.web.resources import (
    Resource,
    areas_resource,
    boundaries_resource,
    facilities_resource,
    facility_payload,
    overlay_resource,
)

#: Path styles of the layers (Leaflet options), sent with every spec.
STYLE: dict[str, Any] = {
    "city": CITY_STYLE,
    "gemeinde": dict(GEMEINDE_STYLE, fill=False),
    "gemeinde_filled": dict(GEMEINDE_STYLE, fill=True, fillOpacity=0.7, fillColor=NO_DATA_COLOR),
    "vg": {"color": "#1b3a6b", "weight": 3, "fill": False},
    "vg_filled": {"color": "#1b3a6b", "weight": 3, "fillColor": "#8fb3de", "fillOpacity": 0.15},
    "overlay_opacity": 0.7,
    "selected": {"color": "#d7301f", "weight": 5},
}


@dataclass(frozen=True)
class MapMark:
    """A position drawn on the map that is not an offer.

    Attributes
    ----------
    lat, lng
        WGS84 degrees.
    kind
        ``planned`` (the what-if's facility, never stored) or ``picked`` (a position
        chosen by a click, e.g. for an edit).
    label
        Its tooltip; default the legend text of the kind.
    """

    lat: float
    lng: float
    kind: str
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in MARK_KINDS:
            raise ValueError(
                f"unknown mark kind {self.kind!r}; expected one of {sorted(MARK_KINDS)}"
            )


@dataclass(frozen=True)
class MapSpec:
    """What the browser needs to draw one view: resources (loaded once) and the spec.

    Attributes
    ----------
    resources
        The content-addressed data the spec refers to.
    args
        The spec: names of the resources, layers, shown facilities, legend, view.
    """

    resources: tuple[Resource, ...]
    args: dict[str, Any] = field(default_factory=dict)


def map_args(
    data: DistrictData,
    vintage: int,
    lang: str,
    *,
    topo: Resource,
    areas: Resource,
    facilities: Resource | None,
    overlay: Resource | None,
    choropleth: Choropleth | None,
    choropleth_level: str = "vg",
    shown: pd.DataFrame | None = None,
    mask: np.ndarray | None = None,
    extra: dict[str, Any] | None = None,
    show_facilities: bool = True,
    show_gemeinden: bool = True,
    show_city: bool = True,
    basemap: str = "none",
    selected_vg: str = "",
    focus: int = -1,
    marks: Sequence[MapMark] = (),
    height: int = 620,
    reveal: dict[str, str] | None = None,
    projects: Resource | None = None,
    project_sites: Sequence[Site] = (),
) -> dict[str, Any]:
    """The spec of one update (small; the resources carry the data).

    Parameters
    ----------
    data
        Boundaries (for the extent and the VG keys).
    vintage, lang
        VG vintage and language.
    topo, areas, facilities, overlay
        The resources to draw from (:func:`boundaries_resource`, :func:`areas_resource`,
        :func:`facilities_resource`, :func:`overlay_resource`).
    choropleth, choropleth_level
        The overlay (for its legend) and its level.
    shown
        The facilities drawn (for the legend's symbols).
    mask
        Which rows of ``facilities`` are drawn (``None``: all).
    extra
        Facilities drawn besides the resource's (:func:`facility_payload`).
    show_facilities, show_gemeinden, show_city
        Layer switches.
    basemap
        A key of :data:`dashboard.config.BASEMAPS`; ``none`` keeps the map offline.
    selected_vg
        The VG to outline and zoom to ("": none).
    focus
        Row of ``facilities`` to zoom to and open (-1: none).
    marks
        Positions that are not offers (:class:`MapMark`).
    height
        Pixel height.
    reveal
        ``{"selector": css, "id": token}``: bring that element of the page into view once
        this update is drawn (once per token), e.g. the VG view a click opened.
    projects, project_sites
        The "Projektstandorte" layer: its resource
        (:func:`dashboard.render.web.project_sites.sites_resource`) and the sites it holds
        (for the legend); ``None``: the layer is off.

    Returns
    -------
    dict
        JSON-serialisable; the browser keeps zoom and centre unless ``fit`` changes.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown basemap {basemap!r}; expected one of {sorted(BASEMAPS)}")
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    vgs = data.vgs[vintage]
    names = dict(zip(vgs["rs"].astype(str), vgs["name"].astype(str), strict=True))
    selected = selected_vg if selected_vg in names else ""
    minx, miny, maxx, maxy = data.outline.total_bounds
    attribution = [BKG_ATTRIBUTION]
    tiles = None
    if basemap != "none":
        tiles = {"url": BASEMAPS[basemap]["url"]}
        attribution.append(BASEMAPS[basemap]["attribution"])
    return {
        "res": {
            "topo": topo.name,
            "areas": areas.name,
            "fac": facilities.name if facilities is not None else None,
            "overlay": overlay.name if overlay is not None else None,
            "projects": projects.name if projects is not None else None,
        },
        "vintage": vintage,
        "layers": {
            "facilities": show_facilities,
            "gemeinden": show_gemeinden,
            "city": show_city,
            "projects": projects is not None,
        },
        "mask": None if mask is None or bool(np.all(mask)) else bitset(mask),
        "extra": extra,
        "selected": selected,
        "focus": int(focus),
        "fit": f"vg:{selected}" if selected else "all",
        "bounds": [
            [round(float(miny), 5), round(float(minx), 5)],
            [round(float(maxy), 5), round(float(maxx), 5)],
        ],
        "marks": [
            [round(m.lat, 6), round(m.lng, 6), m.kind, m.label or t(MARK_KINDS[m.kind], lang)]
            for m in marks
        ],
        "legend": legend(
            choropleth,
            shown if show_facilities else None,
            [m.kind for m in marks],
            vintage,
            lang,
            level=choropleth_level,
            show_gemeinden=show_gemeinden,
            show_city=show_city,
            selected=bool(selected),
            project_sites=project_sites if projects is not None else (),
        ),  # fmt: skip
        "labels": True,
        "basemap": tiles,
        "attribution": attribution,
        "style": STYLE,
        "texts": {
            "cluster": t("map.cluster_tip", lang),
            "error": t("map.error", lang),
            "region": t("map.region", lang),
            "zoom_in": t("map.zoom_in", lang),
            "zoom_out": t("map.zoom_out", lang),
            "vg_focus": t("map.vg_focus", lang),
            "selected": t("map.selected_live", lang),
        },  # fmt: skip
        "summary": map_summary(
            list(names.values()),
            vintage,
            lang,
            offers=_drawn(shown) if show_facilities and shown is not None else None,
            choropleth=choropleth,
            selected=names.get(selected, ""),
            mark_kinds=[m.kind for m in marks],
            project_sites=project_sites if projects is not None else (),
        ),  # fmt: skip
        "selected_name": names.get(selected, ""),
        "reveal": reveal,
        "height": int(height),
    }


def _drawn(shown: pd.DataFrame) -> int:
    """Offers of ``shown`` with a position (those on the map)."""
    if isinstance(shown, gpd.GeoDataFrame):
        return int((shown.geometry.notna() & ~shown.geometry.is_empty).sum())
    return len(shown)


def build_atlas_map(
    data: DistrictData,
    vintage: int,
    lang: str,
    located: gpd.GeoDataFrame | None = None,
    choropleth: Choropleth | None = None,
    choropleth_level: str = "vg",
    show_gemeinden: bool = True,
    show_city: bool = True,
    basemap: str = "none",
    selected_vg: str = "",
    focus_id: str = "",
    height: int = 620,
    marks: Sequence[MapMark] = (),
    *,
    populations: Populations,
) -> MapSpec:
    """The atlas map of one view, all resources made anew (the offline export and tests;
    the app caches the resources and sends only what changed).

    Parameters
    ----------
    data
        Web boundaries and population.
    vintage
        VG boundary vintage.
    lang
        ``de`` or ``en``.
    located
        Facilities to show (filtered, drawable); ``None`` hides the layer.
    choropleth, choropleth_level
        Classified indicator and its level (``vg`` or ``gemeinde``); ``None``: no overlay.
    show_gemeinden, show_city
        Boundary layers.
    basemap
        ``none`` (offline) or an online basemap key.
    selected_vg
        9-digit key of a VG to outline and zoom to.
    focus_id
        Facility id to zoom to and open (name search).
    height
        Pixel height.
    marks
        Positions that are not offers.
    populations
        Headline populations for the tooltips.

    Returns
    -------
    MapSpec
        Resources and spec.
    """
    topo = boundaries_resource(data)
    areas = areas_resource(data, vintage, lang, populations)
    fac: Resource | None = None
    ids: list[str] = []
    if located is not None:
        fac, ids = facilities_resource(located, lang)
    overlay = (
        overlay_resource(choropleth, data, choropleth_level, vintage, lang)
        if choropleth is not None
        else None
    )
    focus = ids.index(focus_id) if focus_id and focus_id in ids else -1
    args = map_args(
        data, vintage, lang, topo=topo, areas=areas, facilities=fac, overlay=overlay,
        choropleth=choropleth, choropleth_level=choropleth_level, shown=located,
        show_facilities=located is not None, show_gemeinden=show_gemeinden, show_city=show_city,
        basemap=basemap, selected_vg=selected_vg, focus=focus, marks=marks, height=height,
    )  # fmt: skip
    resources = tuple(r for r in (topo, areas, fac, overlay) if r is not None)
    return MapSpec(resources, args)


def vg_at(vgs: gpd.GeoDataFrame, lat: float, lon: float) -> str:
    """Key of the VG containing a clicked point, or ""."""
    from shapely.geometry import Point

    hits = vgs[vgs.contains(Point(lon, lat))]
    return str(hits["rs"].iloc[0]) if len(hits) else ""


__all__ = [
    "APPROXIMATE",
    "MapMark",
    "MapSpec",
    "Resource",
    "SYMBOLS",
    "areas_resource",
    "boundaries_resource",
    "build_atlas_map",
    "choropleth_table",
    "choropleth_title",
    "class_labels",
    "date_note",
    "facilities_resource",
    "facility_payload",
    "map_args",
    "overlay_resource",
    "symbol_svg",
    "value_text",
    "vg_at",
]
