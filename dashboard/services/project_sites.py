"""Where the projects of a view take place, as sites for the map's "Projektstandorte" layer.

Each place of a project the user may see becomes one site: a point where it was given, an
offer's position (only offers the user may see on a map), a point inside the Gemeinde or
Verbandsgemeinde otherwise (marked approximate). The projects are those of the view's
filters: the selected VG of its vintage, the Handlungsfelder, and the project filters of
the Maßnahmen page (status, Arbeitskreis).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from dashboard.analysis.projects import open_to_residents, select
from dashboard.domain import privacy
from dashboard.domain.precision import APPROXIMATE
from dashboard.domain.projects import ProjectRecord
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.format import fmt_date
from dashboard.render.web.project_sites import Site
from dashboard.services.view import RoleView


def _inner_points(frame: gpd.GeoDataFrame, key: str) -> dict[str, tuple[float, float, str]]:
    """Area key -> (lat, lng, name) of a point inside it."""
    points = shapely.point_on_surface(frame.geometry.to_numpy())
    return {
        str(k): (float(p.y), float(p.x), str(n))
        for k, p, n in zip(frame[key], points, frame["name"], strict=True)
    }


@dataclass(frozen=True)
class _Placed:
    """One place of one project: position, name, precision and Gemeinde key ("" unknown)."""

    record: ProjectRecord
    lat: float
    lng: float
    name: str
    precision: str
    ags: str


def _placed(view: RoleView, records: list[ProjectRecord]) -> list[_Placed]:
    """Every place of the records with a position: a point where given, an offer's
    position (offers the user may see on a map), else a point inside the Gemeinde or VG."""
    if not records:  # nothing to place: no boundary work on a filter change
        return []
    data = view.district
    gemeinden = _inner_points(data.gemeinden, "ags")
    vgs = _inner_points(data.vgs[view.current_vintage], "rs")
    offers = privacy.drawable(view.active())
    offers = offers[offers.geometry.notna()]
    at_offer = {
        str(i): (float(g.y), float(g.x), str(n), str(p), str(a) if isinstance(a, str) else "")
        for i, g, n, p, a in zip(offers["id"], offers.geometry, offers["name"], offers["precision"],
                                 offers["located_ags"], strict=True)
    }  # fmt: skip
    out: list[_Placed] = []
    for r in records:
        for p in r.places:
            if p.kind == "point" and p.lat is not None and p.lon is not None:
                out.append(_Placed(r, p.lat, p.lon, p.label or r.title, "exact", ""))
            elif p.kind == "offer" and p.ref in at_offer:
                lat, lng, name, precision, ags = at_offer[p.ref]
                out.append(_Placed(r, lat, lng, name, precision, ags))
            elif p.kind == "gemeinde" and p.ref in gemeinden:
                lat, lng, name = gemeinden[p.ref]
                out.append(_Placed(r, lat, lng, name, "gemeinde", p.ref))
            elif p.kind == "vg" and p.ref in vgs:
                lat, lng, name = vgs[p.ref]
                out.append(_Placed(r, lat, lng, name, "gemeinde", ""))
    return out


def project_sites(view: RoleView, state: ViewState) -> list[Site]:
    """The sites of the projects a map of ``state`` shows, as the user may see them.

    Parameters
    ----------
    view
        What the user may see.
    state
        The map's view (vintage, selected VG, Handlungsfelder, project filters, language).
    """
    state = view.resolved(state)
    records = select(
        view.projects(), vg=state.vg, vg_of_ags=view.vg_of_ags(state.vintage),
        handlungsfelder=state.handlungsfelder, arbeitskreise=state.arbeitskreise,
        statuses=state.project_statuses,
    )  # fmt: skip
    return [
        Site(p.lat, p.lng, p.record.status, p.record.title, p.name,
             fmt_date(p.record.since(), state.lang), p.precision in APPROXIMATE)
        for p in _placed(view, records)
    ]  # fmt: skip


def resident_projects(view: RoleView, start: int) -> pd.DataFrame:
    """Running projects open to residents, one row per place, as the finder lists offers
    (category "Projektstandort"; columns of the located offers, index from ``start``).

    Only what the finder shows of an offer goes in: title, place, precision, lead
    organisation, contact, languages, target groups, source and date; never a note.
    """
    rows: list[dict[str, object]] = []
    for p in _placed(view, open_to_residents(view.projects())):
        r = p.record
        rows.append(
            {
                "id": f"{r.id}@{len(rows)}", "name": r.title, "category": "Projektstandort",
                "handlungsfelder": list(r.handlungsfelder), "status": "active",
                "precision": p.precision, "lat": p.lat, "lon": p.lng, "located_ags": p.ags,
                "street": "", "postcode": "", "place": p.name, "operator": r.lead_organisation,
                "contact": r.contact, "languages": list(r.languages),
                "target_groups": list(r.target_groups), "reference_date": r.reference_date,
                "source": r.source,
            }
        )  # fmt: skip
    return pd.DataFrame(rows, index=range(start, start + len(rows)))
