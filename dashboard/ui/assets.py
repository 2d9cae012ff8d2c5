"""Serve the Leaflet bundles from installed packages through Streamlit's component route.

Each bundle folder inside its installed package is declared as a (never rendered)
Streamlit component; Streamlit then serves its files, with proper content types, at
``/component/<name>/<file>``. The map iframe of streamlit-folium lives at
``/component/streamlit_folium.st_folium/index.html``, so relative URLs ``../<name>/``
reach the bundles under any base path.
"""

from __future__ import annotations

import streamlit.components.v1 as components

from dashboard.render.web.assets import BUNDLES

_PREFIX = "ia_assets_"

for _bundle, _path in BUNDLES.items():
    components.declare_component(f"{_PREFIX}{_bundle}", path=str(_path))

#: Bundle -> URL prefix relative to the streamlit-folium iframe.
BASE_URLS: dict[str, str] = {bundle: f"../{__name__}.{_PREFIX}{bundle}" for bundle in BUNDLES}
