"""What an output is made from: the district as one audience may see it.

The service (:meth:`dashboard.services.view.RoleView.render_context`) builds it from the
district context of the current data version, filtered by the privacy rules; the web map,
printable maps, Steckbrief, handout, offline HTML and presentation take nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.analysis.gaps import Thresholds
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
    populations
        Headline populations (:class:`dashboard.analysis.population.Populations`).
    sensitive
        Counts of sensitive offers per VG as the audience may see them
        (:func:`dashboard.domain.privacy.sensitive_counts`).
    version
        The data version the context was made from.
    """

    data: DistrictData
    located: gpd.GeoDataFrame
    values: pd.DataFrame
    projects: list[ProjectRecord]
    populations: Populations
    sensitive: pd.DataFrame
    version: int = 0


@dataclass(frozen=True, eq=False)
class GapReport:
    """The supply analysis a report prints, computed by the service (the same function as
    the page and the ``gaps`` file: a report never re-runs the analysis itself).

    Attributes
    ----------
    flags
        :func:`dashboard.analysis.gaps.gap_flags` of the report's categories at VG level.
    coverage
        :func:`dashboard.analysis.gaps.coverage_matrix` of the vintage.
    thresholds
        The thresholds the flags were computed with.
    """

    flags: pd.DataFrame
    coverage: pd.DataFrame
    thresholds: Thresholds
