"""Browser assets: Leaflet from an installed Python package, never from a CDN, and the
atlas renderer (``static/``: ES modules, no build step) shipped inside this package.

The renderer is the Streamlit Custom Component :data:`COMPONENT`, declared with its asset
folder in ``pyproject.toml`` (``[tool.streamlit.component]``); the app serves Leaflet
itself (:mod:`dashboard.ui.assets`). The
plain folium page of the benchmark is pointed at the same files: folium elements declare their JavaScript and CSS as CDN URLs in ``default_js`` and
``default_css``. :func:`localize` rewrites them, element by element, to URLs the app
serves itself (or to inline ``data:`` URLs for standalone files), and refuses any
asset it does not know, so an unnoticed CDN request cannot slip through.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
from branca.element import Element

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


#: folium asset names -> local file; ``None`` means "not needed, drop it".
KNOWN_ASSETS: dict[str, Asset | None] = {
    "leaflet": Asset("leaflet", "leaflet.js"),
    "leaflet_css": Asset("leaflet", "leaflet.css"),
    # folium's Map pulls these for Bootstrap popups and awesome-markers icons; the
    # dashboard draws its own symbols, so they are dropped rather than fetched.
    "jquery": None,
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}


class UnknownAssetError(ValueError):
    """An element wants a browser asset that no installed package provides."""


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in getattr(element, "_children", {}).values():
        yield from _walk(child)


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


def localize(root: Element, base_urls: dict[str, str] | None) -> list[str]:
    """Point every asset of a folium element tree at local files, in place.

    Parameters
    ----------
    root
        A ``folium.Map`` (or any element); all descendants are visited.
    base_urls
        See :func:`asset_url`.

    Returns
    -------
    list of str
        The asset URLs now in use, in load order, without duplicates.

    Raises
    ------
    UnknownAssetError
        If an element declares an asset that is not in :data:`KNOWN_ASSETS`.
    """
    used: dict[str, None] = {}
    for element in _walk(root):
        for attr in ("default_js", "default_css"):
            declared = getattr(element, attr, None)
            if not declared:
                continue
            local: list[tuple[str, str]] = []
            for name, url in declared:
                if name not in KNOWN_ASSETS:
                    raise UnknownAssetError(
                        f"{type(element).__name__} needs asset {name!r} ({url}); "
                        "no installed package provides it"
                    )
                asset = KNOWN_ASSETS[name]
                if asset is None:
                    continue
                local_url = asset_url(asset, base_urls)
                local.append((name, local_url))
                used[local_url] = None
            setattr(element, attr, local)
    return list(used)
