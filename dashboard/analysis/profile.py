"""The VG view: key figures, offers by category, projects and indicators of one VG."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.analysis.indicators import spec, values_for
from dashboard.data.boundaries import DistrictData
from dashboard.data.population import aggregate_population
from dashboard.domain.model import CATEGORIES, SENSITIVE_CATEGORIES, Project
from dashboard.i18n.catalogue import label, t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int

#: Counts below this are shown as "<5" where sensitive categories are concerned.
SMALL_COUNT = 5


@dataclass(frozen=True)
class VgProfile:
    """What the VG view shows."""

    key: str
    name: str
    figures: pd.DataFrame
    by_category: pd.DataFrame
    offers: gpd.GeoDataFrame
    projects: pd.DataFrame
    indicators: pd.DataFrame


def _count_text(n: int, category: str, lang: str) -> str:
    if category in SENSITIVE_CATEGORIES and 0 < n < SMALL_COUNT:
        return f"<{SMALL_COUNT}"
    return fmt_int(n, lang)


def vg_profile(
    key: str,
    vintage: int,
    data: DistrictData,
    located: gpd.GeoDataFrame,
    values: pd.DataFrame,
    projects: list[Project],
    lang: str,
) -> VgProfile:
    """Assemble the VG view from the same functions the map and reports use.

    Parameters
    ----------
    key
        9-digit VG key of ``vintage``.
    vintage
        Boundary vintage.
    data
        Boundaries, population and membership.
    located
        All facilities with their VGs (:func:`dashboard.data.locate.locate`).
    values
        Indicator values (long format).
    projects
        The projects.
    lang
        ``de`` or ``en``.
    """
    vgs = data.vgs[vintage].set_index("rs")
    if key not in vgs.index:
        raise ValueError(
            f"unknown VG {key!r} for vintage {vintage}; expected one of {sorted(vgs.index)}"
        )
    vg = vgs.loc[key]
    pop = aggregate_population(data.population, data.membership, vintage).set_index("rs").loc[key]
    offers = located[(located[f"vg_rs_{vintage}"] == key) & (located["status"] == "active")]
    n_offers = int(
        (~offers["category"].isin(SENSITIVE_CATEGORIES)).sum()
    )  # sensitive: by category, "<5"
    figures = pd.DataFrame(
        [
            (t("field.population", lang), fmt_int(pop["population"], lang),
             fmt_date(pop["date_oldest"], lang) + (" " + t("atlas.oldest_of_parts", lang) if pop["dates_mixed"] else "")),
            (t("field.area", lang), fmt_float(float(vg["area_km2"]), 1, lang), "VG250 (2016)"),
            (t("field.gemeinden", lang), fmt_int(int(vg["n_gemeinden"]), lang), ""),
            (t("atlas.offers", lang), fmt_int(n_offers, lang), t("atlas.offers_note", lang)),
            (t("atlas.offers_per_1000", lang), fmt_float(n_offers / pop["population"] * 1000, 2, lang),
             fmt_date(pop["date_oldest"], lang)),
        ],
        columns=[t("atlas.figure", lang), t("col.value", lang), t("field.population_date", lang)],
    )  # fmt: skip
    counts = offers["category"].value_counts()
    by_category = pd.DataFrame(
        [
            (str(CATEGORIES[c][lang]), _count_text(int(counts.get(c, 0)), c, lang))
            for c in CATEGORIES
        ],
        columns=[t("col.category", lang), t("atlas.offers", lang)],
    )
    members = set(data.membership.loc[data.membership[f"vg_rs_{vintage}"] == key, "ags"])
    offer_ids = set(offers["id"])
    here = [p for p in projects if members & set(p.location_ags) or offer_ids & set(p.facility_ids)]
    project_frame = pd.DataFrame(
        [(p.title, t(f"project.status.{p.status}", lang), p.source) for p in here],
        columns=[t("col.title", lang), t("col.status", lang), t("field.source", lang)],
    )
    rows = []
    for indicator in sorted(set(values["indicator"])):
        v = values_for(values, data.membership, indicator, "vg", vintage)
        v = v[v["area_key"] == key]
        if v.empty or v["value"].isna().all():
            continue
        r = v.iloc[0]
        rows.append(
            (getattr(spec(indicator), lang), fmt_float(float(r["value"]), 1, lang, trim=True),
             label("unit", spec(indicator).unit, lang), fmt_date(r["reference_date"], lang), r["sources"],
             t("map.legend_derived", lang) if r["derived"] else "")
        )  # fmt: skip
    indicators = pd.DataFrame(
        rows,
        columns=[t("col.indicator", lang), t("col.value", lang), t("col.unit", lang),
                 t("field.population_date", lang), t("field.source", lang), t("col.note", lang)],
    )  # fmt: skip
    return VgProfile(key, str(vg["name"]), figures, by_category, offers, project_frame, indicators)
