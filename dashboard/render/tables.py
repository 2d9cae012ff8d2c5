"""Display tables for the pages: localised columns, dates with every value, no HTML.

Tables are rendered by Streamlit as text (never as HTML), so names from data cannot
inject markup.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.analysis.population import Populations
from dashboard.data.boundaries import DistrictData
from dashboard.data.importer.labels import label_message
from dashboard.data.importer.plan import ImportPlan
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.precision import approximate_mask
from dashboard.domain.projects import ProjectRecord
from dashboard.i18n.catalogue import field_label, label, t, tn
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_date, fmt_datetime, fmt_float, fmt_int
from dashboard.render.profile import headline_texts


def _hf_names(codes: list[str], lang: str) -> str:
    return ", ".join(HANDLUNGSFELDER[c][lang] for c in codes)


def category_label(category: str, lang: str) -> str:
    """Localised category label."""
    return str(CATEGORIES[category][lang])


def facility_table(located: gpd.GeoDataFrame, lang: str, *, vintage: int) -> pd.DataFrame:
    """Facilities as a display table (one row each, localised column names).

    Parameters
    ----------
    located
        From :func:`dashboard.data.locate.locate`.
    lang
        ``de`` or ``en``.
    vintage
        The boundary vintage of the VG column (the district's current one).
    """
    vg_column = f"vg_{vintage}"
    rows = []
    for _, f in located.iterrows():
        address = ", ".join(x for x in (f["street"], f"{f['postcode']} {f['place']}".strip()) if x)
        rows.append(
            {
                t("field.name", lang): f["name"],
                t("col.category", lang): category_label(f["category"], lang),
                t("col.hf", lang): _hf_names(list(f["handlungsfelder"]), lang),
                t("col.operator", lang): f["operator"],
                t("col.address", lang): address,
                t("col.gemeinde", lang): f["gemeinde_name"]
                if isinstance(f["gemeinde_name"], str)
                else "",
                t("col.vg", lang, vintage=vintage): f[vg_column]
                if isinstance(f[vg_column], str)
                else "",
                t("col.precision", lang): t(f"precision.{f['precision']}", lang),
                t("col.languages", lang): ", ".join(f["languages"]),
                t("col.target_groups", lang): ", ".join(f["target_groups"]),
                t("field.source", lang): f["source"],
                t("field.population_date", lang): fmt_date(f["reference_date"], lang),
                t("col.last_verified", lang): fmt_date(f["last_verified"], lang),
                t("col.status", lang): t(f"status.{f['status']}", lang)
                + (" · " + t("status.unconfirmed", lang) if f.get("unconfirmed") else ""),
                t("col.outside", lang): t("yes", lang) if f["outside_district"] else "",
                "ID": f["id"],
            }
        )
    return pd.DataFrame(rows)


def dataset_summary(located: gpd.GeoDataFrame, lang: str) -> str:
    """One sentence on what the inventory covers and how old it is."""
    dates = sorted(str(d) for d in located["reference_date"])
    return tn(
        "fac.summary",
        len(located),
        lang,
        n=fmt_int(len(located), lang),
        located=fmt_int(located.geometry.notna().sum(), lang),
        approx=fmt_int(approximate_mask(located["precision"]).sum(), lang),
        city=fmt_int(located["in_city"].fillna(False).astype(bool).sum(), lang),
        oldest=fmt_date(dates[0] if dates else None, lang),
        newest=fmt_date(dates[-1] if dates else None, lang),
        unverified=fmt_int(located["last_verified"].isna().sum(), lang),
    )


def project_table(projects: list[ProjectRecord], lang: str) -> pd.DataFrame:
    """Projects as a display table."""
    return pd.DataFrame(
        [
            {
                t("col.title", lang): p.title,
                t("col.hf", lang): _hf_names(list(p.handlungsfelder), lang) or "–",
                t("col.hf_basis", lang): p.handlungsfeld_basis,
                t("col.status", lang): t(f"project.status.{p.status}", lang),
                t("col.lead", lang): p.lead_organisation or "–",
                t("field.source", lang): p.source,
                t("col.note", lang): p.note,
            }
            for p in projects
        ]
    )


def indicator_table(values: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Indicator values with their date and source (long format, localised)."""
    return pd.DataFrame(
        {
            t("col.indicator", lang): [getattr(spec(i), lang) for i in values["indicator"]],
            t("col.area", lang): values["area_name"].where(
                values["area_name"] != "", values["area_key"]
            ),
            t("col.value", lang): values["value"],
            t("col.unit", lang): [label("unit", u, lang) for u in values["unit"]],
            t("field.population_date", lang): [fmt_date(d, lang) for d in values["reference_date"]],
            t("field.source", lang): values["source"],
            t("col.note", lang): values["note"].fillna(""),
        }
    )


def history_table(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The change history for display."""
    return pd.DataFrame(
        {
            t("col.when", lang): [fmt_datetime(a, lang) for a in history["at"]],
            t("col.author", lang): history["author"],
            t("col.record", lang): history["record_id"],
            t("col.action", lang): [label("action", a, lang) for a in history["action"]],
            t("col.comment", lang): history["comment"].fillna(""),
        }
    )


def import_problems_table(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """The validation report: row as in the file, field, problem, value (in ``lang``)."""
    frame = plan.problems_frame(lang)
    frame["field"] = [field_label(f, lang) for f in frame["field"]]
    return frame.rename(
        columns={
            "row": t("imp.field.row", lang),
            "field": t("imp.field.field", lang),
            "problem": t("imp.field.problem", lang),
            "value": t("imp.field.value", lang),
        }
    )


def import_preview_table(plan: ImportPlan, lang: str) -> pd.DataFrame:
    """Rows that would be added or changed, with their outcome and changes."""
    rows = []
    for r in plan.rows:
        if r.facility is None or r.status == "invalid":
            continue
        f = r.facility
        rows.append(
            {
                t("imp.field.row", lang): label_message(r.row).text(lang),
                t("imp.status", lang): t(f"imp.status.{r.status}", lang),
                t("field.name", lang): f.name,
                t("col.category", lang): category_label(f.category, lang),
                t("col.precision", lang): t(f"precision.{f.precision}", lang),
                t("col.gemeinde", lang): f.place,
                t("field.population_date", lang): fmt_date(f.reference_date, lang),
                t("imp.changes", lang): "; ".join(
                    f"{field_label(k, lang)}: {a} → {b}" for k, (a, b) in r.diff.items()
                ),
            }
        )
    return pd.DataFrame(rows)


def vg_table(data: DistrictData, vintage: int, lang: str, populations: Populations) -> pd.DataFrame:
    """Key figures per VG of one vintage, as displayed (the handout's overview; the map's
    tooltips show the same figures, :func:`dashboard.render.profile.headline_texts`).

    Returns
    -------
    pandas.DataFrame
        Columns (localised): name, key, Gemeinden, area, population, date, validity.
    """
    validity = validity_text(vintage, lang)
    rows = []
    for _, vg in data.vgs[vintage].iterrows():
        number, date = headline_texts(populations.of("vg", str(vg["rs"]), vintage), lang)
        rows.append(
            {
                t("field.name", lang): str(vg["name"]),
                t("field.key", lang): str(vg["rs"]),
                t("field.gemeinden", lang): str(vg["n_gemeinden"]),
                t("field.area", lang): fmt_float(float(vg["area_km2"]), 1, lang),
                t("field.population", lang): number,
                t("field.population_date", lang): date,
                t("field.validity", lang): validity,
            }
        )
    return pd.DataFrame(rows)
