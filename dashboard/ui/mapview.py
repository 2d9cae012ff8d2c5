"""Show a folium map through streamlit-folium, with assets served by the app."""

from __future__ import annotations

from typing import Any

import folium
from streamlit_folium import st_folium

from dashboard.ui.assets import BASE_URLS


def show_map(m: folium.Map, key: str, height: int = 620) -> dict[str, Any]:
    """Render a map; panning and zooming do not rerun the script.

    Parameters
    ----------
    m
        A map built with ``asset_base_urls=BASE_URLS`` (see :data:`asset_base_urls`).
    key
        Streamlit widget key.
    height
        Pixel height.

    Returns
    -------
    dict
        The (empty) interaction state of streamlit-folium.
    """
    state: dict[str, Any] = st_folium(
        m, key=key, height=height, use_container_width=True, returned_objects=[]
    )
    return state


#: Pass to the map builders so assets load from this app.
asset_base_urls = BASE_URLS
