"""Message keys the code looks up through a variable, such as ``t(f"cat.{code}", lang)``.

``pybabel extract`` finds keys written as literals in :func:`~dashboard.i18n.catalogue.t`
and :func:`~dashboard.i18n.catalogue.tn` calls; the keys below are built at run time or
kept in a table first, so they are marked here with :func:`~dashboard.i18n.catalogue.N_`
(extracted with ``-k N_``). With them, the extracted template holds exactly the ids of
the catalogue and ``pybabel update`` keeps every message.

``tests/unit/test_catalogue.py`` checks this list against the tables the keys are built
from and against the catalogue.
"""

from __future__ import annotations

from dashboard.i18n.catalogue import N_

RUNTIME_KEYS: tuple[str, ...] = (
    # history actions of the store (dashboard/ui/editorial.py, history_display)
    N_("action.add"),
    N_("action.approve"),
    N_("action.change"),
    N_("action.close"),
    N_("action.proposal"),
    N_("action.reject"),
    # map layers, dashboard.domain.viewstate.LAYERS (dashboard/ui/atlas.py)
    N_("atlas.layer.choropleth"),
    N_("atlas.layer.city"),
    N_("atlas.layer.facilities"),
    N_("atlas.layer.gemeinden"),
    # levels of the area shading (dashboard/ui/atlas.py, dashboard/ui/gaps.py)
    N_("atlas.level.gemeinde"),
    N_("atlas.level.vg"),
    # classification schemes, dashboard.domain.viewstate.SCHEMES
    N_("atlas.scheme.equal_interval"),
    N_("atlas.scheme.manual"),
    N_("atlas.scheme.natural_breaks"),
    N_("atlas.scheme.quantiles"),
    # filter of the last check, dashboard.domain.viewstate.VERIFIED
    N_("atlas.verified.12m"),
    N_("atlas.verified.all"),
    N_("atlas.verified.never"),
    # basemaps, dashboard.config.BASEMAPS
    N_("basemap.basemap.de"),
    N_("basemap.none"),
    N_("basemap.osm"),
    # facility categories, dashboard.domain.model.CATEGORIES
    N_("cat.Beratungsstelle"),
    N_("cat.Gesundheit"),
    N_("cat.Kita"),
    N_("cat.Projektstandort"),
    N_("cat.Religion"),
    N_("cat.Schule"),
    N_("cat.Sprachkurs"),
    N_("cat.Unterkunft"),
    N_("cat.Verein"),
    # columns of the proposals table (dashboard/ui/editorial.py, proposals_table)
    N_("col.created"),
    N_("col.kind"),
    N_("col.no"),
    N_("col.reason"),
    N_("col.reviewed_at"),
    N_("col.reviewer"),
    # ways to place an offer, dashboard.ui.editorial.POSITION_MODES
    N_("edit.pos.address"),
    N_("edit.pos.coords"),
    N_("edit.pos.keep"),
    N_("edit.pos.map"),
    # paper orientations, dashboard.render.print.static_map.ORIENTATIONS
    N_("exp.landscape"),
    N_("exp.portrait"),
    # facility fields (dashboard.i18n.catalogue.field_label)
    N_("f.ags"),
    N_("f.capacity"),
    N_("f.contact"),
    N_("f.east"),
    N_("f.gemeinde"),
    N_("f.geometry"),
    N_("f.handlungsfelder"),
    N_("f.languages"),
    N_("f.lat"),
    N_("f.location"),
    N_("f.lon"),
    N_("f.north"),
    N_("f.note"),
    N_("f.operator"),
    N_("f.place"),
    N_("f.postcode"),
    N_("f.precision"),
    N_("f.reference_date"),
    N_("f.source"),
    N_("f.status"),
    N_("f.street"),
    N_("f.target_groups"),
    N_("f.unconfirmed"),
    N_("f.version"),
    # columns of the gap tables, dashboard.render.gaps_text.COLUMNS
    N_("gaps.col.access_2sfca_per_1000"),
    N_("gaps.col.access_e2sfca_per_1000"),
    N_("gaps.col.decay"),
    N_("gaps.col.distance_km"),
    N_("gaps.col.distance_km_max"),
    N_("gaps.col.flagged"),
    N_("gaps.col.include_outside"),
    N_("gaps.col.key"),
    N_("gaps.col.level"),
    N_("gaps.col.n_gemeinden"),
    N_("gaps.col.name"),
    N_("gaps.col.offers"),
    N_("gaps.col.per_1000"),
    N_("gaps.col.population"),
    N_("gaps.col.population_covered"),
    N_("gaps.col.radius_km"),
    N_("gaps.col.rank"),
    N_("gaps.col.reason"),
    N_("gaps.col.selector"),
    N_("gaps.col.selector_label"),
    N_("gaps.col.severity"),
    N_("gaps.col.share_covered"),
    N_("gaps.col.thresholds"),
    N_("gaps.col.vg"),
    N_("gaps.col.vg_rs"),
    N_("gaps.col.vintage"),
    # E2SFCA weightings, dashboard.analysis.gaps.DECAYS
    N_("gaps.decay.gaussian"),
    N_("gaps.decay.step"),
    # topics, dashboard.render.gaps_text.EXPLAINED
    N_("gaps.explain.2sfca"),
    N_("gaps.explain.distance"),
    N_("gaps.explain.flag"),
    N_("gaps.explain.offers"),
    N_("gaps.explain.per_1000"),
    N_("gaps.explain.share"),
    # levels of the analysis, dashboard.analysis.gaps.LEVELS
    N_("gaps.level.gemeinde"),
    N_("gaps.level.landkreis"),
    N_("gaps.level.vg"),
    # meaning codes of the coverage matrix, dashboard.analysis.gaps.MEANING_CODES
    N_("gaps.meaning.no_offer"),
    N_("gaps.meaning.no_project"),
    N_("gaps.meaning.none"),
    N_("gaps.meaning.unknown"),
    N_("gaps.meaning.unknown_offer"),
    # categories (dashboard/render/gaps_text.py)
    N_("gaps.nearest.Beratungsstelle"),
    N_("gaps.nearest.Gesundheit"),
    N_("gaps.nearest.Kita"),
    N_("gaps.nearest.Projektstandort"),
    N_("gaps.nearest.Religion"),
    N_("gaps.nearest.Schule"),
    N_("gaps.nearest.Sprachkurs"),
    N_("gaps.nearest.Unterkunft"),
    N_("gaps.nearest.Verein"),
    # categories (dashboard/render/gaps_text.py)
    N_("gaps.no_offer.Beratungsstelle"),
    N_("gaps.no_offer.Gesundheit"),
    N_("gaps.no_offer.Kita"),
    N_("gaps.no_offer.Projektstandort"),
    N_("gaps.no_offer.Religion"),
    N_("gaps.no_offer.Schule"),
    N_("gaps.no_offer.Sprachkurs"),
    N_("gaps.no_offer.Unterkunft"),
    N_("gaps.no_offer.Verein"),
    # Handlungsfelder, dashboard.domain.model.HANDLUNGSFELDER
    N_("hf.arbeit_wirtschaft"),
    N_("hf.asyl"),
    N_("hf.gesundheit"),
    N_("hf.interkulturelle_oeffnung"),
    N_("hf.kita_schule"),
    N_("hf.religion"),
    N_("hf.soziales"),
    N_("hf.sprache"),
    N_("hf.verein_ehrenamt"),
    # outcomes of an import row (dashboard/render/tables.py)
    N_("imp.status.add"),
    N_("imp.status.change"),
    N_("imp.status.unchanged"),
    # indicators, dashboard.analysis.indicators.INDICATORS
    N_("ind.asylum_seekers"),
    N_("ind.first_classes"),
    N_("ind.foreign_population"),
    N_("ind.foreign_population_share"),
    N_("ind.gap_severity"),
    N_("ind.population"),
    N_("ind.population_census"),
    N_("ind.primary_school_registrations"),
    N_("ind.primary_schools"),
    N_("ind.refugees_ukraine"),
    # kinds of Gemeinde (membership table) and of proposals, dashboard.data.proposals.KINDS
    N_("kind.Gemeinde"),
    N_("kind.Stadt"),
    N_("kind.add"),
    N_("kind.change"),
    N_("kind.close"),
    # pages, dashboard.ui.session.PAGES
    N_("nav.data"),
    N_("nav.edit"),
    N_("nav.facilities"),
    N_("nav.import"),
    N_("nav.map"),
    N_("nav.presentation"),
    N_("nav.review"),
    N_("nav.users"),
    # location precisions, dashboard.domain.model.PRECISIONS
    N_("precision.address"),
    N_("precision.exact"),
    N_("precision.gemeinde"),
    N_("precision.postcode"),
    N_("precision.unknown"),
    # project statuses, dashboard.domain.model.ProjectStatus
    N_("project.status.abgeschlossen"),
    N_("project.status.geplant"),
    N_("project.status.laufend"),
    N_("project.status.vorgeschlagen"),
    # proposal statuses, dashboard.data.proposals.STATUSES
    N_("pstatus.approved"),
    N_("pstatus.pending"),
    N_("pstatus.rejected"),
    # outcome of a review (app_pages/pruefen.py)
    N_("rev.approved"),
    N_("rev.rejected"),
    # roles, dashboard.data.users.ROLES
    N_("role.admin"),
    N_("role.district_editor"),
    N_("role.public"),
    N_("role.vg_editor"),
    # facility statuses, dashboard.domain.model.Status
    N_("status.active"),
    N_("status.closed"),
    # indicator units (dashboard.analysis.indicators, datasets/indicators.csv)
    N_("unit.classes"),
    N_("unit.percent"),
    N_("unit.persons"),
    N_("unit.pupils"),
    N_("unit.schools"),
    # boundary vintages, dashboard.config.VINTAGES
    N_("vintage.2013"),
    N_("vintage.2014"),
)
