"""The map's "Projektstandorte" layer: added to a map's spec when the view shows it.

Kept apart from the map component (:mod:`dashboard.ui.mapview`), which calls
:func:`add_project_layer` once: the layer is one more resource (the sites,
:func:`dashboard.render.web.project_sites.sites_resource`), one legend section and a
switch in the spec; ``static/projects.js`` draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dashboard.domain.viewstate import ViewState
from dashboard.render.web.project_sites import legend_section, sites_resource
from dashboard.render.web.resources import Resource
from dashboard.services.project_sites import project_sites
from dashboard.services.view import RoleView


def add_project_layer(
    spec: dict[str, Any], view: RoleView, state: ViewState, publish: Callable[[Resource], Resource]
) -> None:
    """Add the project sites of ``state`` to a map spec (resource name, layer switch, legend).

    Parameters
    ----------
    spec
        The spec of :func:`dashboard.render.web.atlas.map_args` (changed in place).
    view, state
        What the user may see; the map's view.
    publish
        Writes a resource where the browser loads it (the map component's).
    """
    sites = project_sites(view, state)
    spec["layers"]["projects"] = bool(sites)
    spec["res"]["projects"] = publish(sites_resource(sites, state.lang)).name if sites else None
    section = legend_section(sites, state.lang)
    if section is not None:
        spec["legend"]["sections"].insert(max(0, len(spec["legend"]["sections"]) - 1), section)
