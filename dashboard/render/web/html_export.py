"""The current map view as one standalone HTML file that works offline.

Leaflet and its plugins are inlined as ``data:`` URLs (:func:`dashboard.render.web.assets.localize`
with no base URL), online basemaps are left out, and the result is checked for any
``src``/``href``/``url()`` that would reach the network.
"""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import folium
import geopandas as gpd
from branca.element import Figure
from folium.raster_layers import TileLayer

from dashboard.analysis.classify import Choropleth
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.render.context import ReportContext
from dashboard.render.web.assets import localize

#: ``src=``/``href=``/``url(``/``@import`` pointing at another host (absolute or
#: protocol-relative URL).
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|poster|data)\s*=\s*["']?\s*|url\(\s*["']?\s*|@import\s+["']?\s*)"""
    r"""((?:https?:)?//[^\s"')>]+)""",
    re.IGNORECASE,
)


class ExternalReferenceError(ValueError):
    """A standalone file would load something from the network."""


def external_urls(text: str) -> list[str]:
    """Absolute or protocol-relative URLs that HTML or CSS would load.

    Parameters
    ----------
    text
        HTML (with inline scripts and styles).

    Returns
    -------
    list of str
        Every ``src``, ``href``, ``url()`` or ``@import`` target starting with
        ``http://``, ``https://`` or ``//``, in order of appearance.
    """
    return [m.group(1) for m in _EXTERNAL.finditer(text)]


def standalone_html(m: folium.Map, title: str | None = None) -> str:
    """Render a map as one self-contained HTML document (works without network).

    The map is copied first, so a map cached by the app (with asset URLs served by the
    app) is left unchanged.

    Parameters
    ----------
    m
        A map, e.g. from :func:`dashboard.render.web.atlas.build_atlas_map`.
    title
        Document title; default the atlas title.

    Returns
    -------
    str
        The HTML document: Leaflet inlined, tile layers (online basemaps) removed, filling
        the browser window.

    Raises
    ------
    ExternalReferenceError
        If anything in the document would still be loaded from another host.
    """
    copied: folium.Map = copy.deepcopy(m)
    for name, child in list(copied._children.items()):
        if isinstance(child, TileLayer):
            del copied._children[name]
    copied.height = (100.0, "%")
    copied.width = (100.0, "%")
    localize(copied, None)
    root = copied.get_root()
    assert isinstance(root, Figure)  # a folium.Map is always placed in a Figure
    root.title = html.escape(title or t("map.title", "de"), quote=True)
    text = root.render()
    # a full-window map: no page margins or scroll bars around it
    text = text.replace(
        "</head>",
        "<style>html,body{margin:0;padding:0;height:100%;width:100%;}</style>\n</head>",
        1,
    )
    found = external_urls(text)
    if found:
        raise ExternalReferenceError(f"standalone HTML would load from the network: {found[:5]}")
    return text


def export_html(
    out: Path,
    state: ViewState,
    *,
    context: ReportContext,
    points: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None,
    title: str | None = None,
) -> Path:
    """Write the atlas map of a view (filters, overlay, selected VG) as standalone HTML.

    Parameters
    ----------
    out
        Target ``.html`` file.
    state
        The map page's view (:class:`dashboard.domain.viewstate.ViewState`). The basemap
        is always left out (offline file).
    context
        The district as the audience may see it.
    points, choropleth
        The view's facilities and overlay, as the service made them for the page.
    title
        Document title.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    from dashboard.render.web.atlas import build_atlas_map

    m = build_atlas_map(
        context.data,
        state.vintage,
        state.lang,
        located=points,
        choropleth=choropleth,
        choropleth_level=state.level,
        show_gemeinden="gemeinden" in state.layers,
        show_city="city" in state.layers,
        basemap="none",
        selected_vg=state.vg,
        asset_base_urls=None,
        populations=context.populations,
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(standalone_html(m, title or t("map.title", state.lang)), encoding="utf-8")
    return out
