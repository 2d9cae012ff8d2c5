"""What an output is made from: the district as one audience may see it.

The service (:meth:`dashboard.services.view.RoleView.render_context`) builds it from the
district context of the current data version, filtered by the privacy rules; the web map,
printable maps, Steckbrief, handout, offline HTML and presentation take nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.analysis import gaps
from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.demand import Demand
from dashboard.analysis.population import Populations
from dashboard.data.boundaries import DistrictData
from dashboard.domain.projects import ProjectRecord


@dataclass(frozen=True, eq=False)
class ReportContext:
    """Everything an output needs, for one audience at one data version.

    Attributes
    ----------
    data
        Web boundaries, Gemeinde population and membership.
    located
        The facilities the audience may see, with Gemeinde and VGs
        (:func:`dashboard.data.locate.locate`).
    values
        Indicator values (long format).
    projects
        The projects.
    areas
        Gemeinden prepared for the supply analysis.
    populations
        Headline populations (:class:`dashboard.analysis.population.Populations`).
    sensitive
        Counts of sensitive offers per VG as the audience may see them
        (:func:`dashboard.domain.privacy.sensitive_counts`).
    version
        The data version the context was made from.
    lists
        Completeness of the lists (``None``: every list counts as complete).
    demands
        The demand of each gap category (``None``: each Gemeinde's population).
    """

    data: DistrictData
    located: gpd.GeoDataFrame
    values: pd.DataFrame
    projects: list[ProjectRecord]
    areas: gaps.Areas
    populations: Populations
    sensitive: pd.DataFrame
    version: int = 0
    lists: ListMarks | None = None
    demands: Mapping[str, Demand] | None = None
