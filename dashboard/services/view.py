"""What one user may read: every figure, list, map layer and output, already filtered.

A :class:`RoleView` wraps the :class:`~dashboard.services.context.DistrictContext` of the
current data version for one user. Pages, exports, reports, the presentation and the
command line read through it only; the filtering follows
:mod:`dashboard.domain.privacy`, so filter options, search hits, captions, counts and
report tables are always computed from the user's view of the data, never from all
records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from functools import cached_property

import geopandas as gpd
import pandas as pd

from dashboard.analysis import gaps
from dashboard.analysis.classify import Choropleth, available_indicators, build_choropleth
from dashboard.analysis.coverage import ListMarks
from dashboard.analysis.demand import (
    POPULATION,
    Demand,
    build_demand,
    default_indicator,
    demand_indicators,
)
from dashboard.analysis.filters import apply_filters, options, search
from dashboard.analysis.gapview import GapResult, analyse, selected_offers
from dashboard.analysis.population import Populations
from dashboard.config import District
from dashboard.data.boundaries import DistrictData
from dashboard.data.projects import locate_projects
from dashboard.domain import privacy
from dashboard.domain.collection import LIST_CATEGORIES
from dashboard.domain.indicators import (
    IndicatorRefused,
    kind_in,
    refuse_demand,
    refuse_per_1000,
    summable,
)
from dashboard.domain.model import CATEGORIES
from dashboard.domain.projects import ProjectRecord
from dashboard.domain.roles import User
from dashboard.domain.staleness import Confirmations, stale_mask
from dashboard.domain.viewstate import ViewState
from dashboard.domain.vintages import carry_vg
from dashboard.export.facilities import filter_facilities
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import Refused
from dashboard.render.context import ReportContext
from dashboard.render.profile import VgProfile, vg_profile
from dashboard.services.context import DistrictContext


class RoleView:
    """The district as one user may see it, at one data version.

    Parameters
    ----------
    ctx
        The district context (all records).
    user
        Whose view; :data:`dashboard.domain.roles.PUBLIC` for the public.
    """

    def __init__(self, ctx: DistrictContext, user: User) -> None:
        self._ctx = ctx
        self.user = user

    # -- identity --------------------------------------------------------------------------
    @property
    def version(self) -> int:
        """The data version this view was made from."""
        return self._ctx.version

    @property
    def role(self) -> str:
        """The user's role code."""
        return self.user.role

    @property
    def audience(self) -> tuple[str, tuple[str, ...]]:
        """What distinguishes this view from others (role and own VGs): a cache key part."""
        return (self.role, tuple(self.user.vgs))

    @property
    def key(self) -> tuple[str, int, tuple[str, tuple[str, ...]]]:
        """Everything an output of this view depends on besides its own parameters: the
        store, its data version and the audience (the key of caches)."""
        return (self._ctx.store_id, self._ctx.version, self.audience)

    @property
    def config(self) -> District:
        """The district (keys, vintages, context areas): :attr:`DistrictContext.config`."""
        return self._ctx.config

    @property
    def current_vintage(self) -> int:
        """The district's current vintage (editing, counts, the presentation)."""
        return self._ctx.config.current_vintage

    @property
    def district(self) -> DistrictData:
        """Web boundaries, membership and Gemeinde population (nothing sensitive)."""
        return self._ctx.boundaries.district

    def vg_names(self, vintage: int | None = None) -> dict[str, str]:
        """VG key -> name for one vintage (default: the current one)."""
        vgs = self.district.vgs[self.current_vintage if vintage is None else vintage]
        return dict(zip(vgs["rs"].astype(str), vgs["name"].astype(str), strict=True))

    def carry_vg(self, key: str, source: int, target: int) -> str:
        """The VG of vintage ``target`` that continues VG ``key`` of ``source`` ("" if
        none): the same VG, or the one holding most of its population
        (:func:`dashboard.domain.vintages.carry_vg`)."""
        pop = self.district.population
        people = dict(zip(pop["ags"].astype(str), pop["population"].astype(int), strict=True))
        return carry_vg(key, source, target, self.district.membership, people)

    # -- facilities ------------------------------------------------------------------------
    @cached_property
    def _visible(self) -> gpd.GeoDataFrame:
        return privacy.visible(self._ctx.located, self.role, self.user.vgs, self.current_vintage)

    def facilities(self) -> gpd.GeoDataFrame:
        """Every record the user may see (active and closed), located."""
        return self._visible.copy()

    def active(self) -> gpd.GeoDataFrame:
        """The active records the user may see."""
        return self._visible.loc[self._visible["status"] == "active"].copy()

    def n_drawable(self) -> int:
        """Active offers of categories a map may draw (the map page's "of N")."""
        return len(privacy.drawable(self.active()))

    def resolved(self, state: ViewState) -> ViewState:
        """``state`` with a vintage: one not chosen (0) is the district's current one."""
        return state if state.vintage else replace(state, vintage=self.current_vintage)

    def filtered(self, state: ViewState, today: dt.date) -> gpd.GeoDataFrame:
        """The active records that match a view's filters."""
        state = self.resolved(state)
        return apply_filters(self._visible, state, today, self._ctx.confirmations)

    def points(self, state: ViewState, today: dt.date) -> gpd.GeoDataFrame:
        """What a map of the view draws: matching, drawable offers with a ``stale`` flag."""
        shown = privacy.drawable(self.filtered(state, today))
        return shown.assign(stale=stale_mask(shown, today, self._ctx.confirmations))

    def search(self, state: ViewState, today: dt.date) -> gpd.GeoDataFrame:
        """Name search within the view's matching records (never a record the user may not
        see)."""
        return search(self.filtered(state, today), state.search)

    def filter_options(self, column: str) -> list[str]:
        """Values of a list column (languages, target groups) among the visible active
        records."""
        return self._ctx.memo(
            ("filter_options", self.audience, column), lambda: options(self.active(), column)
        )

    def confirmations(self) -> Confirmations:
        """Current VG key -> date its list was last confirmed as current (counts as a check
        of its offers, :func:`dashboard.domain.staleness.verified_dates`)."""
        return self._ctx.confirmations.copy()

    def sensitive_counts(self, lang: str = "de") -> pd.DataFrame:
        """Active sensitive offers per VG as this user may see them
        (:func:`dashboard.domain.privacy.sensitive_counts`)."""
        return privacy.sensitive_counts(
            self._ctx.located, self.role, self.user.vgs, lang, vintage=self.current_vintage
        )

    def sensitive_note(self, state: ViewState, lang: str) -> str | None:
        """The count of sensitive offers for the map caption, or ``None``.

        Given only for a whole VG of the current vintage (no Gemeinde, no other filter),
        so that no count below VG level reaches anyone who may not see the records.
        """
        state = self.resolved(state)
        if not state.vg or state.vintage != self.current_vintage or state.gemeinde:
            return None
        if state.categories and not set(state.categories) & privacy.SENSITIVE_CATEGORIES:
            return None
        counts = self.sensitive_counts(lang)
        texts = [
            privacy.sensitive_count_for(counts, state.vg, c, state.vintage) or "0"
            for c in sorted(privacy.SENSITIVE_CATEGORIES)
        ]
        shown = [t for t in texts if t != "0"]
        return ", ".join(shown) if shown else None

    # -- figures ---------------------------------------------------------------------------
    def indicators(self) -> pd.DataFrame:
        """Indicator values (long format) with date and source."""
        return self._ctx.indicators.copy()

    def projects(self) -> list[ProjectRecord]:
        """The projects of the integration concept as this user may see them
        (:func:`dashboard.domain.privacy.project_places`, :func:`~dashboard.domain.privacy.project_for`),
        each with the Gemeinden its places touch
        (:func:`dashboard.data.projects.locate_projects`, on the offers the user may see)."""

        def build() -> list[ProjectRecord]:
            offers = set(self._visible["id"].astype(str))
            mine = [privacy.project_places(p, offers) for p in self._ctx.projects]
            located = locate_projects(mine, self._ctx.boundaries.areas, self._visible)
            vg_of = self.vg_of_ags(self.current_vintage)
            return [
                privacy.project_for(
                    p, self.role, self.user.vgs, {vg_of[a] for a in p.location_ags if a in vg_of}
                )
                for p in located
            ]

        return list(self._ctx.memo(("projects", self.audience), build))

    def vg_of_ags(self, vintage: int | None = None) -> dict[str, str]:
        """Gemeinde key -> key of its VG in ``vintage`` (default: the current one)."""
        vintage = vintage or self.current_vintage
        m = self.district.membership
        return dict(zip(m["ags"].astype(str), m[f"vg_rs_{vintage}"].astype(str), strict=True))

    @cached_property
    def populations(self) -> Populations:
        """Headline populations (:func:`dashboard.analysis.population.headline_population`)
        of the data version (:attr:`DistrictContext.populations`)."""
        return self._ctx.populations

    def indicator_choices(self, level: str, vintage: int) -> list[str]:
        """Indicators that have values for a level and vintage."""
        return available_indicators(self._ctx.indicators, level, vintage)

    def absent_demand(self, level: str, vintage: int) -> dict[str, tuple[str, ...]]:
        """Demand indicators of the analysis (:func:`dashboard.analysis.demand.demand_indicators`)
        that have no values for a level and vintage, each with the selectors needing it
        (the map cannot offer them as a layer, the analysis falls back to the population)."""
        present = set(self.indicator_choices(level, vintage))
        return {i: s for i, s in demand_indicators().items() if i not in present}

    def choropleth(self, state: ViewState) -> Choropleth | None:
        """The classified needs overlay of a view (``None``: off or no values)."""
        state = self.resolved(state)
        if "choropleth" not in state.layers or not state.indicator:
            return None
        data = self.district
        keys = list(
            data.gemeinden["ags"] if state.level == "gemeinde" else data.vgs[state.vintage]["rs"]
        )

        def build() -> Choropleth | None:
            try:
                return build_choropleth(
                    self._ctx.indicators, data.membership, keys, state.indicator, state.level,
                    state.vintage, state.per_1000, state.scheme, state.k, state.breaks,
                )  # fmt: skip
            except ValueError:
                return None

        # indicators are not filtered per user: one overlay per view parameters and version
        params = (state.indicator, state.level, state.vintage, state.per_1000, state.scheme,
                  state.k, tuple(state.breaks or ()))  # fmt: skip
        return self._ctx.memo(("choropleth", params), build)

    def choropleth_refusal(self, state: ViewState) -> IndicatorRefused | None:
        """Why the needs overlay of a view is not drawn although asked for: a share or rate
        per 1,000 (a link may ask for it); ``None`` if nothing is refused."""
        if "choropleth" not in state.layers or not state.indicator or not state.per_1000:
            return None
        try:
            refuse_per_1000(state.indicator, kind_in(self._ctx.indicators, state.indicator))
        except IndicatorRefused as exc:
            return exc
        return None

    def vg_profile(self, key: str, vintage: int, lang: str) -> VgProfile:
        """The VG view: figures, offers by category (sensitive ones as count texts), list,
        projects and indicators."""
        counts = self.sensitive_counts(lang)
        return vg_profile(
            key, vintage, self.district, self._visible, self._ctx.indicators,
            self.projects(), lang,
            population=self.populations.of("vg", key, vintage),
            sensitive={
                c: privacy.sensitive_count_for(counts, key, c, vintage)
                for c in privacy.SENSITIVE_CATEGORIES
            },
        )  # fmt: skip

    # -- analysis --------------------------------------------------------------------------
    def gap_selectors(self) -> list[str]:
        """Categories and Handlungsfelder the user may analyse (the public: no sensitive
        category)."""
        if privacy.sees_sensitive_somewhere(self.role):
            return list(gaps.SELECTORS)
        return [s for s in gaps.SELECTORS if s not in privacy.SENSITIVE_CATEGORIES]

    @cached_property
    def list_marks(self) -> ListMarks:
        """The effective completeness marks of the lists (per VG and category)."""
        return ListMarks.of(self._ctx.list_marks)

    def coverage_summary(self) -> pd.DataFrame:
        """Which VG has delivered or confirmed which list, and as of when.

        Returns
        -------
        pandas.DataFrame
            One row per current VG and category the user may analyse: ``vg_key``,
            ``vg``, ``category``, ``complete`` (bool), ``as_of``, ``marked_at``, and for
            editors ``marked_by`` (account names are never public).
        """
        marks = self.list_marks.lookup()
        extra = self._ctx.list_marks
        info = (
            {}
            if extra.empty
            else {
                (str(v), str(c)): (str(a), str(b))
                for v, c, a, b in zip(
                    extra["vg_key"],
                    extra["category"],
                    extra["marked_at"],
                    extra["marked_by"],
                    strict=True,
                )
            }
        )
        rows = []
        for key, name in self.vg_names().items():
            for category in self.list_categories():
                complete, as_of = marks.get((key, category), (False, ""))
                at, by = info.get((key, category), ("", ""))
                rows.append(
                    {"vg_key": key, "vg": name, "category": category, "complete": complete,
                     "as_of": as_of, "marked_at": at, "marked_by": by}
                )  # fmt: skip
        out = pd.DataFrame(
            rows,
            columns=["vg_key", "vg", "category", "complete", "as_of", "marked_at", "marked_by"],
        )
        return out if privacy.may_read_history(self.role) else out.drop(columns="marked_by")

    def unconfirmed_count(self, selector: str) -> int:
        """Active offers of a selection whose source says they are still to be confirmed."""
        rows = selected_offers(self.active(), selector)
        return int(rows["unconfirmed"].fillna(False).astype(bool).sum())

    def list_categories(self) -> list[str]:
        """Categories whose lists a VG delivers
        (:data:`dashboard.domain.collection.LIST_CATEGORIES`)."""
        return list(LIST_CATEGORIES)

    def demand(
        self, selector: str, indicator: str | None = None, as_of: dt.date | None = None
    ) -> Demand:
        """The demand of an analysis (:func:`dashboard.analysis.demand.build_demand`): the
        selector's configured indicator, or ``indicator``, with the population beyond the
        border (the district's context areas)."""
        if indicator and indicator != POPULATION:
            refuse_demand(indicator, kind_in(self._ctx.indicators, indicator))
        areas = self._ctx.analysis
        table = areas.table
        return build_demand(
            self._ctx.indicators, list(table.index), table["population"].to_list(),
            table["population_date"].to_list(), list(areas.border.index),
            indicator=indicator or default_indicator(selector), as_of=as_of,
            population_sources=table["population_source"].to_list(),
        )  # fmt: skip

    def analysis_areas(self) -> gaps.Areas:
        """The Gemeinden of the analysis at this data version (names, representative
        points, the district's area: where a planned facility may stand)."""
        return self._ctx.analysis

    def demand_choices(self) -> list[str]:
        """Counts with values for every Gemeinde (usable as demand), population first; a
        share or a rate is no number of people and never demand (:func:`refuse_demand`)."""
        values = self._ctx.indicators
        gem = values[values["area_level"] == "gemeinde"]
        n = len(self._ctx.analysis.table)
        counts = gem.groupby("indicator")["area_key"].nunique()
        found = sorted(
            i for i, c in counts.items()
            if c >= n and i != POPULATION and summable(kind_in(values, str(i)))
        )  # fmt: skip
        return [POPULATION, *found]

    def analyse(
        self,
        selector: str,
        thresholds: gaps.Thresholds,
        *,
        level: str,
        vintage: int,
        include_outside: bool,
        planned: tuple[float, float, int | None] | None = None,
        demand: str | None = None,
        include_unconfirmed: bool = False,
    ) -> GapResult:
        """Gap flags, the offers to draw and the what-if, on the user's records, with the
        store's list marks and the selector's demand (``demand`` overrides its indicator).

        Raises
        ------
        ValueError
            For a selector the user may not analyse.
        """
        if selector not in self.gap_selectors():
            raise Refused(N_("err.unknown_selector"), selector=selector)
        result = analyse(
            self._ctx.analysis, self._visible, selector, thresholds, level=level,
            vintage=vintage, include_outside=include_outside, planned=planned,
            demand=self.demand(selector, demand), lists=self.list_marks,
            include_unconfirmed=include_unconfirmed,
        )  # fmt: skip
        return replace(result, offers=privacy.drawable(result.offers))

    def coverage_matrix(self, vintage: int, include_unconfirmed: bool = False) -> pd.DataFrame:
        """Offers and projects per VG and Handlungsfeld (on the user's records), with the
        completeness of the lists behind each cell."""
        return gaps.coverage_matrix(
            self._ctx.analysis, self._visible, self.projects(), vintage,
            lists=self.list_marks, include_unconfirmed=include_unconfirmed,
        )  # fmt: skip

    def gaps_table(
        self,
        selector: str,
        thresholds: gaps.Thresholds,
        *,
        level: str,
        vintage: int,
        include_outside: bool = False,
        decay: str = "gaussian",
        demand: str | None = None,
        include_unconfirmed: bool = False,
    ) -> pd.DataFrame:
        """The flat analysis table of :func:`dashboard.analysis.gaps.gaps_table` for the
        command line and downloads, on the user's records, with the store's list marks and
        the selector's demand."""
        if selector not in self.gap_selectors():
            raise Refused(N_("err.unknown_selector"), selector=selector)
        return gaps.gaps_table(
            self._ctx.analysis, self._visible, selector, thresholds, vintage=vintage,
            level=level, include_outside=include_outside, decay=decay,
            demand=self.demand(selector, demand), lists=self.list_marks,
            include_unconfirmed=include_unconfirmed,
        )  # fmt: skip

    # -- outputs ---------------------------------------------------------------------------
    @cached_property
    def render_context(self) -> ReportContext:
        """What every output of this view is made from (maps, PDFs, HTML, presentation)."""
        return ReportContext(
            data=self.district,
            located=self._visible,
            values=self._ctx.indicators,
            projects=self.projects(),
            populations=self.populations,
            sensitive=self.sensitive_counts(),
            version=self.version,
        )

    def categories(self) -> Sequence[str]:
        """Categories the user may filter by and see listed."""
        if privacy.sees_sensitive_somewhere(self.role):
            return list(CATEGORIES)
        return [c for c in CATEGORIES if c not in privacy.SENSITIVE_CATEGORIES]

    def inventory(
        self, vg: str | None = None, category: str | None = None, handlungsfeld: str | None = None
    ) -> gpd.GeoDataFrame:
        """The records the user may see, filtered by VG (current vintage, name or key),
        category and Handlungsfeld (as the inventory page and ``export`` do).

        Raises
        ------
        ValueError
            For an unknown VG, category or Handlungsfeld, listing the valid values.
        """
        if category is not None and category not in self.categories():
            matches = [c for c in self.categories() if c.casefold() == category.casefold()]
            if not matches:
                raise ValueError(
                    f"unknown category {category!r}; expected one of: "
                    + ", ".join(self.categories())
                )
        return filter_facilities(
            self._visible, vg=vg, category=category, handlungsfeld=handlungsfeld,
            vintage=self.config.current_vintage, membership=self.district.membership,
        )  # fmt: skip
