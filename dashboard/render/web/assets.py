"""Browser assets: Leaflet from an installed Python package, never from a CDN, and the
atlas renderer (``static/``: ES modules, no build step) shipped inside this package.

The renderer is the Streamlit Custom Component :data:`COMPONENT`, declared with its asset
folder in ``pyproject.toml`` (``[tool.streamlit.component]``); the app serves Leaflet
itself (:mod:`dashboard.ui.assets`); the offline HTML export inlines it
(:func:`asset_url`). The plain folium page of the benchmark is pointed at the same files
(``benchmarks/bench_map.py``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

#: Bundle name -> folder inside an installed package.
BUNDLES: dict[str, Path] = {
    "leaflet": Path(xs_leaflet.BASE_DIR),
}

#: The renderer of the atlas map (JavaScript modules, CSS), part of this package.
STATIC_DIR = Path(__file__).resolve().parent / "static"
#: The map component's name: ``<project>.<component>`` as declared in ``pyproject.toml``
#: (``[[tool.streamlit.component.components]]``, whose ``asset_dir`` is :data:`STATIC_DIR`).
COMPONENT = "integrationsatlas.map"
#: The entry module Streamlit loads (its default export draws the map) and the stylesheet.
COMPONENT_JS = "bridge.js"
COMPONENT_CSS = "atlas.css"
#: The page's own small component (closes the sidebar after navigation on a phone).
PAGE_COMPONENT = "integrationsatlas.page"
PAGE_COMPONENT_JS = "page.js"
#: The entry module of the offline HTML export.
STANDALONE_JS = "standalone.js"
#: Leaflet's version (from its package).
LEAFLET_VERSION: str = str(xs_leaflet.VERSION)

#: Bundle versions, for the "Daten & Quellen" page.
BUNDLE_VERSIONS: dict[str, str] = {
    "leaflet": f"Leaflet {xs_leaflet.VERSION} (PyPI XStatic-Leaflet)",
}


@dataclass(frozen=True)
class Asset:
    """One file of a bundle."""

    bundle: str
    filename: str

    @property
    def path(self) -> Path:
        """Absolute path of the file inside the installed package."""
        return BUNDLES[self.bundle] / self.filename


def _data_url(asset: Asset) -> str:
    mime = "text/css" if asset.filename.endswith(".css") else "text/javascript"
    return f"data:{mime};base64," + base64.b64encode(asset.path.read_bytes()).decode("ascii")


def asset_url(asset: Asset, base_urls: dict[str, str] | None) -> str:
    """URL of one asset.

    Parameters
    ----------
    asset
        The file.
    base_urls
        Bundle -> URL prefix the app serves it under; ``None`` inlines the file as a
        ``data:`` URL (for standalone HTML that must work offline).

    Returns
    -------
    str
        The URL.
    """
    if base_urls is None:
        return _data_url(asset)
    return base_urls[asset.bundle].rstrip("/") + "/" + asset.filename
