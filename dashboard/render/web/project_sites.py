"""The "Projektstandorte" layer of the map: where projects take place, a symbol per status.

A separate resource beside the offers' (:mod:`dashboard.render.web.resources`), drawn by
``static/projects.js``. It holds only what the public may read of a project (title,
status with its date, the place's name): the service gives this module the records as
the user may see them, and a project is never placed at an offer the user may not see
(:func:`dashboard.domain.privacy.project_places`). Sites known only by Gemeinde or
Verbandsgemeinde are drawn hollow and dashed at a point inside the area ("Lage
ungefähr"), as offers are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.domain.projects import PROJECT_STATUSES
from dashboard.i18n.catalogue import t
from dashboard.render.projects_charts import STATUS_COLORS
from dashboard.render.projects_text import status_label
from dashboard.render.web.resources import Resource, resource

_STAR = "10,1.5 12.4,7.2 18.5,7.6 13.8,11.6 15.3,17.6 10,14.4 4.7,17.6 6.2,11.6 1.5,7.6 7.6,7.2"


@dataclass(frozen=True)
class Site:
    """One place of one project on the map.

    Attributes
    ----------
    lat, lng
        WGS84 degrees.
    status
        The project's status code.
    title
        The project's title.
    place
        The place in words (Gemeinde, VG, offer or the point's label).
    since
        The status's date in words.
    approximate
        Known only by its Gemeinde or VG (drawn hollow and dashed).
    """

    lat: float
    lng: float
    status: str
    title: str
    place: str
    since: str
    approximate: bool


def status_svg(status: str, approximate: bool, size: int = 22) -> str:
    """The symbol of a project site: a star in the status's colour (hollow and dashed when
    the place is approximate), with a dark edge so it reads on any background."""
    color = STATUS_COLORS[status]
    if approximate:
        style = f'fill="#ffffff" fill-opacity="0.9" stroke="{color}" stroke-width="2.4" stroke-dasharray="3 2"'
    else:
        style = f'fill="{color}" stroke="#1a1a1a" stroke-width="1.2"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 20 20">'
        f'<polygon points="{_STAR}" {style}/></svg>'
    )


def sites_resource(sites: Sequence[Site], lang: str) -> Resource:
    """The sites as a resource: columns of positions, status codes and texts, and one
    symbol per status and precision."""
    payload: dict[str, Any] = {
        "n": len(sites),
        "lat": [round(s.lat, 6) for s in sites],
        "lng": [round(s.lng, 6) for s in sites],
        "status": [PROJECT_STATUSES.index(s.status) for s in sites],
        "approx": [int(s.approximate) for s in sites],
        "title": [s.title for s in sites],
        "place": [s.place for s in sites],
        "since": [s.since for s in sites],
        "labels": [status_label(c, lang) for c in PROJECT_STATUSES],
        "codes": list(PROJECT_STATUSES),
        "svg": [[status_svg(c, False), status_svg(c, True)] for c in PROJECT_STATUSES],
        "texts": {
            "title": t("pcol.title", lang),
            "status": t("pcol.status", lang),
            "place": t("proj.col.places", lang),
            "since": t("proj.col.since", lang),
        },  # fmt: skip
    }
    return resource("projects", payload)


def legend_section(sites: Sequence[Site], lang: str) -> dict[str, Any] | None:
    """The legend's section of the layer: one symbol per status shown, the approximate
    symbol when one is shown (``None`` without sites)."""
    if not sites:
        return None
    present = [c for c in PROJECT_STATUSES if any(s.status == c for s in sites)]
    items = [
        {"swatch": {"svg": status_svg(c, False, 16)}, "text": status_label(c, lang), "cls": "ia-legend-symbol"}
        for c in present
    ]  # fmt: skip
    if any(s.approximate for s in sites):
        items.append(
            {"swatch": {"svg": status_svg(present[0], True, 16)}, "text": t("map.legend_approx_projects", lang), "cls": "ia-legend-symbol"}
        )  # fmt: skip
    return {"title": t("atlas.layer.projects", lang), "items": items, "cls": "ia-legend-projects"}
