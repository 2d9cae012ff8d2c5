"""The current map view as one standalone HTML file that works offline.

The file holds the same renderer as the app (the ES modules of ``static/`` on Leaflet):
Leaflet and the stylesheet inlined as ``data:`` URLs, the modules' text and the map data
inlined as JSON; a few lines load the modules from ``blob:`` URLs of that text (their
``./name.js`` imports pointed at each other's). Online basemaps are left out, and the result
is checked for any ``src``/``href``/``url()`` that would reach the network.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

import geopandas as gpd

from dashboard.analysis.classify import Choropleth
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.render.context import ReportContext
from dashboard.render.web.assets import (
    COMPONENT_JS,
    STANDALONE_JS,
    STATIC_DIR,
    Asset,
    asset_url,
)
from dashboard.render.web.atlas import MapSpec, build_atlas_map
from dashboard.render.web.basemap import safe_json

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


def _data_url(path: Path) -> str:
    mime = "text/css" if path.suffix == ".css" else "text/javascript"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


#: Loads the inlined modules (``#ia-modules``: name -> text) from ``blob:`` URLs, each with
#: its ``from "./x.js"`` pointed at the module it names, then draws the map.
_LOADER = (
    "(function(){var $=function(i){return JSON.parse(document.getElementById(i).textContent);};"
    "var d=$('ia-data'),mods=$('ia-modules'),urls={};"
    'function url(n){if(!urls[n]){var code=mods[n].replace(/from\\s+"\\.\\/([\\w-]+\\.js)"/g,'
    "function(m,x){return 'from '+JSON.stringify(url(x));});"
    "urls[n]=URL.createObjectURL(new Blob([code],{type:'text/javascript'}));}return urls[n];}"
    f"import(url('{STANDALONE_JS}')).then(function(m){{"
    "return m.standalone(document.getElementById('map'),d.spec,d.inline);});})();"
)


def renderer_modules() -> dict[str, str]:
    """The map's ES modules by file name (without the Streamlit entry), for inlining."""
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(STATIC_DIR.glob("*.js"))
        if p.name != COMPONENT_JS
    }


def standalone_html(spec: MapSpec, title: str | None = None, lang: str = "de") -> str:
    """Render a map as one self-contained HTML document (works without network).

    Parameters
    ----------
    spec
        A map, e.g. from :func:`dashboard.render.web.atlas.build_atlas_map`.
    title
        Document title; default the atlas title.
    lang
        Language of the document.

    Returns
    -------
    str
        The HTML document: Leaflet, the renderer and the data inlined, no basemap,
        filling the browser window.

    Raises
    ------
    ExternalReferenceError
        If anything in the document would still be loaded from another host.
    """
    args = dict(spec.args, basemap=None)
    args["attribution"] = spec.args["attribution"][:1]
    inline = ",".join(json.dumps(r.name) + ":" + r.text for r in spec.resources)
    data = '{"spec":' + safe_json(args) + ',"inline":{' + inline + "}}"
    css = [asset_url(Asset("leaflet", "leaflet.css"), None), _data_url(STATIC_DIR / "atlas.css")]
    head = "".join(f'<link rel="stylesheet" href="{u}">' for u in css)
    head += f'<script src="{asset_url(Asset("leaflet", "leaflet.js"), None)}"></script>'
    text = (
        f'<!doctype html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title or t('map.title', lang), quote=True)}</title>{head}"
        "<style>html,body,#map{margin:0;padding:0;height:100%;width:100%;}</style></head>"
        '<body><div id="map" class="ia-map"></div>'
        f'<script type="application/json" id="ia-data">{data}</script>'
        f'<script type="application/json" id="ia-modules">{safe_json(renderer_modules())}</script>'
        f"<script>{_LOADER}</script></body></html>\n"
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
    spec = build_atlas_map(
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
        populations=context.populations,
    )
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    text = standalone_html(spec, title or t("map.title", state.lang), state.lang)
    out.write_text(text, encoding="utf-8")
    return out
