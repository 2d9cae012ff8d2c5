"""Serve the Leaflet bundle from its installed package through Streamlit's component route.

Each bundle folder inside its installed package is declared as a (never rendered)
Streamlit component; Streamlit then serves its files, with proper content types, at
``/component/<name>/<file>``. The map component (:mod:`dashboard.ui.mapview`) lives at
``/component/dashboard.ui.mapview.ia_map/index.html``, so relative URLs ``../<name>/``
reach the bundles under any base path.
"""

from __future__ import annotations

import streamlit.components.v1 as components

from dashboard.render.web.assets import BUNDLES

_PREFIX = "ia_assets_"

for _bundle, _path in BUNDLES.items():
    components.declare_component(f"{_PREFIX}{_bundle}", path=str(_path))

#: Bundle -> URL prefix relative to the map component's page.
BASE_URLS: dict[str, str] = {bundle: f"../{__name__}.{_PREFIX}{bundle}" for bundle in BUNDLES}
