"""The pygeoapi configuration of the atlas, made in code from the user's view.

One collection per layer of :func:`dashboard.services.layers.layer_specs`, each served by
:class:`dashboard.ogc.provider.AtlasProvider`; titles and descriptions in German (the
default) and English; coordinates stored in EPSG:4326 (CRS84 axis order) and offered in
EPSG:4326 and EPSG:25832 (OGC API – Features Part 2); pages of 100 features by default,
at most 1,000. HTML pages use the atlas's own templates (``templates/``: no script, no
style or font from another host).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard.services.layers import layer_frame, layer_specs, service_texts
from dashboard.services.view import RoleView

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
EPSG_25832 = "http://www.opengis.net/def/crs/EPSG/0/25832"
#: CRS a client may ask for (``crs=``, ``bbox-crs=``).
CRS_OFFERED: tuple[str, ...] = (CRS84, EPSG_4326, EPSG_25832)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
TEMPLATES = Path(__file__).parent / "templates"
PROVIDER = "dashboard.ogc.provider.AtlasProvider"


def _extent(view: RoleView) -> list[float]:
    bounds = view.district.gemeinden.to_crs("EPSG:4326").total_bounds
    return [round(float(b), 5) for b in bounds]


def pygeoapi_config(view: RoleView, base_url: str) -> dict[str, Any]:
    """The configuration of pygeoapi's ``API`` for one view, answering at ``base_url``.

    Parameters
    ----------
    view
        Whose collections (the public's, or a signed-in user's).
    base_url
        The service's address as the client sees it (``https://atlas.example/ogc``).
    """
    texts = service_texts()
    keywords = {k: [w.strip() for w in v.split(",")] for k, v in texts["keywords"].items()}
    bbox = _extent(view)
    resources: dict[str, Any] = {}
    for spec in layer_specs(view):
        frame = layer_frame(view, spec.id)
        resources[spec.id] = {
            "type": "collection",
            "title": spec.titles,
            "description": spec.descriptions,
            "keywords": keywords,
            "extents": {"spatial": {"bbox": bbox, "crs": CRS84}},
            "links": [],
            "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT},
            "providers": [
                {
                    "type": "feature",
                    "name": PROVIDER,
                    "data": spec.id,
                    "id_field": "id" if "id" in frame.columns else "schluessel",
                    "title_field": "name" if "name" in frame.columns else "titel",
                    "storage_crs": CRS84,
                    "crs": list(CRS_OFFERED),
                }
            ],
        }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["de-DE", "en-US"],
            "limits": {"default_items": DEFAULT_LIMIT, "max_items": MAX_LIMIT},
            "pretty_print": False,
            "admin": False,
            "map": {"url": "", "attribution": ""},
            "templates": {"path": str(TEMPLATES)},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": texts["title"],
                "description": texts["description"],
                "keywords": keywords,
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": base_url,
            },
            "license": {"name": "", "url": ""},
            "provider": {"name": texts["title"]["de"], "url": base_url},
            "contact": {"name": texts["title"]["de"], "url": base_url},
        },
        "resources": resources,
    }
