"""Where the projects of a view take place, as sites for the map's "Projektstandorte" layer.

Each place of a project the user may see becomes one site: a point where it was given, an
offer's position (only offers the user may see on a map), a point inside the Gemeinde or
Verbandsgemeinde otherwise (marked approximate). The projects are those of the view's
filters: the selected VG of its vintage, the Handlungsfelder, and the project filters of
the Maßnahmen page (status, Arbeitskreis).
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from dashboard.analysis.projects import select
from dashboard.config import CURRENT_VINTAGE
from dashboard.domain import privacy
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.format import fmt_date
from dashboard.render.web.project_sites import Site
from dashboard.render.web.symbols import APPROXIMATE
from dashboard.services.view import RoleView


def _inner_points(frame: gpd.GeoDataFrame, key: str) -> dict[str, tuple[float, float, str]]:
    """Area key -> (lat, lng, name) of a point inside it."""
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    return {
        str(k): (float(p.y), float(p.x), str(n))
        for k, p, n in zip(frame[key], points, frame["name"], strict=True)
    }


def project_sites(view: RoleView, state: ViewState) -> list[Site]:
    """The sites of the projects a map of ``state`` shows, as the user may see them.

    Parameters
    ----------
    view
        What the user may see.
    state
        The map's view (vintage, selected VG, Handlungsfelder, project filters, language).
    """
    records = select(
        view.projects(), vg=state.vg, vg_of_ags=view.vg_of_ags(state.vintage),
        handlungsfelder=state.handlungsfelder, arbeitskreise=state.arbeitskreise,
        statuses=state.project_statuses,
    )  # fmt: skip
    if not records:
        return []
    data = view.district
    gemeinden = _inner_points(data.gemeinden, "ags")
    vgs = _inner_points(data.vgs[CURRENT_VINTAGE], "rs")
    offers = privacy.drawable(view.active())
    offers = offers[offers.geometry.notna()]
    at_offer = {
        str(i): (float(g.y), float(g.x), str(n), str(p) in APPROXIMATE)
        for i, g, n, p in zip(offers["id"], offers.geometry, offers["name"], offers["precision"], strict=True)
    }  # fmt: skip
    sites: list[Site] = []
    for r in records:
        since = fmt_date(r.since(), state.lang)
        for p in r.places:
            if p.kind == "point" and p.lat is not None and p.lon is not None:
                found = (p.lat, p.lon, p.label or r.title, False)
            elif p.kind == "offer" and p.ref in at_offer:
                found = at_offer[p.ref]
            elif p.kind in ("gemeinde", "vg") and p.ref in (
                gemeinden if p.kind == "gemeinde" else vgs
            ):
                lat, lng, name = (gemeinden if p.kind == "gemeinde" else vgs)[p.ref]
                found = (lat, lng, name, True)
            else:
                continue
            sites.append(Site(found[0], found[1], r.status, r.title, found[2], since, found[3]))
    return sites
