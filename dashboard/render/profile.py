"""The VG view: key figures, offers by category, projects and indicators of one VG.

Shown on the map page, in the Steckbrief PDF and in the presentation; the service
(:mod:`dashboard.services.view`) passes in what the user may see: the visible offers, the
headline population (:func:`dashboard.analysis.population.headline_population`) and the
count texts of sensitive categories (:func:`dashboard.domain.privacy.sensitive_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.indicators import values_for
from dashboard.analysis.population import OFFICIAL
from dashboard.data.boundaries import DistrictData
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable
from dashboard.domain.projects import ProjectRecord
from dashboard.i18n.catalogue import label, t, tn
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int
from dashboard.render.common.dates import date_span
from dashboard.render.projects_text import status_text
from dashboard.render.source_text import source_words


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


def headline_texts(row: Mapping[str, Any], lang: str) -> tuple[str, str]:
    """An area's headline population as shown everywhere: (number, date and basis).

    Parameters
    ----------
    row
        One row of :func:`dashboard.analysis.population.headline_population` (a Series
        or a record dict).
    lang
        ``de`` or ``en``.

    Returns
    -------
    tuple of str
        The number (``"26.205"``; ``"–"`` if unknown) and its date, with the basis when
        it is a sum of Gemeinden (``"30.05.2018 bis 31.12.2022 (Summe der Gemeinden)"``).
    """
    value = row["population"]
    if pd.isna(value):
        return "–", ""
    date = fmt_date(row["reference_date"], lang)
    if bool(row["dates_mixed"]):
        date = t("pop.date_range", lang, oldest=date, newest=fmt_date(row["date_newest"], lang))
    if row["basis"] != OFFICIAL:
        basis = t("pop.basis_sum", lang)
        date = f"{date} ({basis})"
    return fmt_int(int(round(float(value))), lang), date


def _count_text(counted: int, pending: int, lang: str) -> str:
    """``3``, or ``0 (+1 noch zu bestätigen)``: the count the analysis uses, and apart from
    it the offers still to be confirmed."""
    text = fmt_int(counted, lang)
    if not pending:
        return text
    return text + " " + tn("atlas.pending_short", pending, lang, n=fmt_int(pending, lang))


def vg_profile(
    key: str,
    vintage: int,
    data: DistrictData,
    located: gpd.GeoDataFrame,
    values: pd.DataFrame,
    projects: list[ProjectRecord],
    lang: str,
    *,
    population: pd.Series,
    sensitive: Mapping[str, str | None],
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
        The facilities the user may see, with their VGs (:func:`dashboard.data.locate.locate`).
    values
        Indicator values (long format).
    projects
        The projects.
    lang
        ``de`` or ``en``.
    population
        The VG's row of :func:`dashboard.analysis.population.headline_population`.
    sensitive
        Sensitive category -> count text for this VG (``None``: not given for this vintage).
    """
    vgs = data.vgs[vintage].set_index("rs")
    if key not in vgs.index:
        raise ValueError(
            f"unknown VG {key!r} for vintage {vintage}; expected one of {sorted(vgs.index)}"
        )
    vg = vgs.loc[key]
    offers = located[(located[f"vg_rs_{vintage}"] == key) & (located["status"] == "active")]
    offers = drawable(offers)  # sensitive categories: only as the count texts given
    # an offer still to be confirmed is listed, but counted apart (as in the analysis)
    pending = (
        offers["unconfirmed"].fillna(False).astype(bool).to_numpy()
        if "unconfirmed" in offers
        else np.zeros(len(offers), bool)
    )
    members = set(data.membership.loc[data.membership[f"vg_rs_{vintage}"] == key, "ags"])
    offer_ids = set(offers["id"])
    here = [p for p in projects if members & set(p.location_ags) or offer_ids & set(p.facility_ids)]
    return VgProfile(
        key, str(vg["name"]), _figures(vg, offers, pending, population, lang),
        _by_category(offers, pending, sensitive, lang), offers, _projects(here, lang),
        _indicators(values, data.membership, key, vintage, lang),
    )  # fmt: skip


def _figures(
    vg: pd.Series, offers: gpd.GeoDataFrame, pending: np.ndarray, population: pd.Series, lang: str
) -> pd.DataFrame:
    """The key figures: population, area, Gemeinden, offers (without those still to be
    confirmed) and offers per 1,000 inhabitants."""
    n_offers = int((~pending).sum())
    pop_text, pop_date = headline_texts(population, lang)
    people = float(population["population"])
    per_1000 = fmt_float(n_offers / people * 1000, 2, lang) if people > 0 else "–"
    note = t("atlas.offers_note", lang)
    if pending.any():
        n = int(pending.sum())
        note += " " + tn("atlas.offers_pending", n, lang, n=fmt_int(n, lang))
    return pd.DataFrame(
        [
            (t("field.population", lang), pop_text, pop_date),
            (t("field.area", lang), fmt_float(float(vg["area_km2"]), 1, lang), "VG250 (2016)"),
            (t("field.gemeinden", lang), fmt_int(int(vg["n_gemeinden"]), lang), ""),
            (t("atlas.offers", lang), fmt_int(n_offers, lang), note),
            (t("atlas.offers_per_1000", lang), per_1000,
             t("rate.dates", lang, numerator=t("rate.offers_now", lang), denominator=pop_date)),
        ],
        columns=[t("atlas.figure", lang), t("col.value", lang), t("field.population_date", lang)],
    )  # fmt: skip


def _by_category(
    offers: gpd.GeoDataFrame, pending: np.ndarray, sensitive: Mapping[str, str | None], lang: str
) -> pd.DataFrame:
    """Offers per category (sensitive categories as the count texts given)."""
    counts = offers[~pending]["category"].value_counts()
    waiting = offers[pending]["category"].value_counts()
    return pd.DataFrame(
        [
            (
                str(CATEGORIES[c][lang]),
                (sensitive.get(c) or "–") if c in SENSITIVE_CATEGORIES
                else _count_text(int(counts.get(c, 0)), int(waiting.get(c, 0)), lang),
            )
            for c in CATEGORIES
        ],
        columns=[t("col.category", lang), t("atlas.offers", lang)],
    )  # fmt: skip


def _projects(here: list[ProjectRecord], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        [(p.title, status_text(p, lang), source_words(p.source, lang)) for p in here],
        columns=[t("col.title", lang), t("col.status", lang), t("field.source", lang)],
    )


def _indicators(
    values: pd.DataFrame, membership: pd.DataFrame, key: str, vintage: int, lang: str
) -> pd.DataFrame:
    """Every indicator of the VG with its value, unit, dates (a range for a sum of several
    dates) and sources."""
    rows = []
    for indicator in sorted(set(values["indicator"])):
        v = values_for(values, membership, indicator, "vg", vintage)
        v = v[v["area_key"] == key]
        if v.empty or v["value"].isna().all():
            continue
        r = v.iloc[0]
        rows.append(
            (getattr(spec(indicator), lang), fmt_float(float(r["value"]), 1, lang, trim=True),
             label("unit", spec(indicator).unit, lang),
             date_span([r["reference_date"], r["date_newest"]], lang), source_words(r["sources"], lang),
             t("map.legend_derived", lang) if r["derived"] else "")
        )  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=[t("col.indicator", lang), t("col.value", lang), t("col.unit", lang),
                 t("field.population_date", lang), t("field.source", lang), t("col.note", lang)],
    )  # fmt: skip
