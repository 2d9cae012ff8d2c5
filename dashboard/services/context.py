"""The district context: everything derived from the store, loaded once per data version.

Boundaries, membership and the geometry of the analysis areas never change while the
server runs; they are loaded once per process (:func:`load_boundaries`). Facilities
(located in their Gemeinde and VGs), indicators (and with them the headline populations
and the analysis areas' populations), projects and the VG confirmations change with every
committed write; :func:`district_context` keys them by the store's data version
(:meth:`dashboard.data.store.Store.data_version`), which every committed write advances
in the same transaction. Every server process reads that version on each use, so an edit
made in one process, or by the command line, is visible in all of them on the next rerun,
and every output (map, VG view, analysis, presentation, PDF, HTML, downloads) is made from
the same context.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TypeVar, cast

import geopandas as gpd
import pandas as pd

from dashboard.analysis import gaps
from dashboard.analysis.population import Populations
from dashboard.config import District, Settings
from dashboard.data.areas import Areas
from dashboard.data.boundaries import DistrictData, load_district_data
from dashboard.data.collection import CollectionLedger
from dashboard.data.projects import ProjectLedger
from dashboard.data.proposals import Ledger
from dashboard.data.store import Store
from dashboard.domain.projects import ProjectRecord
from dashboard.domain.staleness import Confirmations

#: Contexts kept per process (the newest data versions of each store).
_KEEP = 2
#: Derived results kept per context (see :meth:`DistrictContext.memo`).
_MEMO_SIZE = 256
T = TypeVar("T")
_lock = threading.Lock()
_contexts: OrderedDict[tuple[str, District, int], DistrictContext] = OrderedDict()


@dataclass(frozen=True, eq=False)
class Boundaries:
    """What never changes while the server runs.

    Attributes
    ----------
    district
        Web-simplified boundaries of every vintage, Gemeinde population and membership.
    areas
        Full-resolution boundaries for placing facilities (and the import's geocoder).
    config
        The district these boundaries are of (keys, vintages, context areas).
    """

    district: DistrictData
    areas: Areas
    config: District

    @cached_property
    def analysis(self) -> gaps.Areas:
        """The geometry of the supply analysis (representative points, polygons, the
        distance cache); without population: :attr:`DistrictContext.analysis` puts the
        population of each data version on it."""
        return gaps.make_areas(
            self.areas.gemeinden, pd.Series(dtype=float), self.areas.membership,
            city=self.areas.city, district_key=self.config.key,
            district_name=self.config.name, current_vintage=self.config.current_vintage,
        )  # fmt: skip


@lru_cache(maxsize=4)
def load_boundaries(settings: Settings) -> Boundaries:
    """The boundaries of ``settings``, loaded once per process."""
    return Boundaries(
        load_district_data(settings), Areas.from_settings(settings), settings.district
    )


@dataclass(frozen=True, eq=False)
class DistrictContext:
    """The district at one data version (all records; the service filters per user).

    Attributes
    ----------
    store_id
        Which store (its location).
    version
        The store's data version this context was read at.
    boundaries
        :class:`Boundaries`.
    located
        Every facility, with Gemeinde and VGs (:func:`dashboard.data.locate.locate`).
    indicators
        Indicator values in long format.
    projects
        The projects of the integration concept as stored (internal notes included; the
        service gives each user their view, :meth:`dashboard.services.view.RoleView.projects`).
    confirmations
        Current VG key -> date of the latest "our list is current" confirmation.
    list_marks
        The effective completeness mark per VG and category, with the return it came
        from (:meth:`dashboard.data.collection.CollectionLedger.effective_marks`).
    """

    store_id: str
    version: int
    boundaries: Boundaries
    located: gpd.GeoDataFrame
    indicators: pd.DataFrame
    projects: tuple[ProjectRecord, ...]
    confirmations: Confirmations
    _memo: OrderedDict[Hashable, object] = field(default_factory=OrderedDict, repr=False)
    _memo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def config(self) -> District:
        """The district of this context (:attr:`Boundaries.config`)."""
        return self.boundaries.config

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """A result derived from this context, built once per data version and process.

        Every new session would otherwise compute the same overlays and option lists again
        (the cost of a new session falls with it). ``key`` must name everything the result
        depends on besides this context (e.g. the audience for filtered results); results
        are shared, so callers must not change them. At most 256 are kept (least recently
        used dropped).
        """
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return cast(T, self._memo[key])
        value = build()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > _MEMO_SIZE:
                self._memo.popitem(last=False)
        return value

    list_marks: pd.DataFrame = field(default_factory=pd.DataFrame)

    @cached_property
    def populations(self) -> Populations:
        """The headline populations of this data version
        (:func:`dashboard.analysis.population.headline_population`): every page, file and
        the analysis take an area's population from here."""
        return Populations(self.indicators, self.boundaries.district.membership, self.config.key)

    @cached_property
    def analysis(self) -> gaps.Areas:
        """The analysis areas with the headline population of this data version: a
        population or demand table loaded into the store reaches the analysis on the next
        run."""
        return gaps.with_population(self.boundaries.analysis, self.populations)


def _read(store: Store, boundaries: Boundaries, version: int) -> DistrictContext:
    frame = Ledger(store.db).confirmations()
    confirmations = Confirmations(
        boundaries.config.current_vintage,
        {
            str(k): dt.date.fromisoformat(str(v)[:10])
            for k, v in zip(frame["vg_key"], frame["confirmed_at"], strict=True)
        },
    )
    return DistrictContext(
        store_id=store.id,
        version=version,
        boundaries=boundaries,
        located=boundaries.areas.locate(store.facilities()),
        indicators=store.indicators(),
        projects=tuple(ProjectLedger(store.db).records()),
        confirmations=confirmations,
        list_marks=CollectionLedger(store.db).effective_marks(),
    )


def district_context(store: Store, boundaries: Boundaries) -> DistrictContext:
    """The context at the store's current data version (built once per version).

    A write that commits while the context is read makes the versions before and after
    the read differ; the read is then repeated, so a context never claims a version whose
    data it does not hold.
    """
    for _ in range(5):
        version = store.data_version()
        key = (store.id, boundaries.config, version)
        with _lock:
            found = _contexts.get(key)
            if found is not None:
                _contexts.move_to_end(key)
                return found
        ctx = _read(store, boundaries, version)
        if store.data_version() != version:
            continue
        with _lock:
            _contexts[key] = ctx
            while len(_contexts) > _KEEP:
                _contexts.popitem(last=False)
        return ctx
    return _read(store, boundaries, store.data_version())
