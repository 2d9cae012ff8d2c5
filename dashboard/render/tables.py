"""Display tables for the pages: localised columns, dates with every value, no HTML.

Tables are rendered by Streamlit as text (never as HTML), so names from data cannot
inject markup.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from dashboard.config import CONTEXT_AGS, CURRENT_VINTAGE
from dashboard.data.importer.plan import ImportPlan
from dashboard.domain.indicators import spec
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.projects import ProjectRecord
from dashboard.i18n.catalogue import field_label, label, t, tn
from dashboard.i18n.format import fmt_date, fmt_datetime, fmt_int

#: The current vintage's VG name column of located facilities.
_VG = f"vg_{CURRENT_VINTAGE}"


def _hf_names(codes: list[str], lang: str) -> str:
    return ", ".join(HANDLUNGSFELDER[c][lang] for c in codes)


def category_label(category: str, lang: str) -> str:
    """Localised category label."""
    return str(CATEGORIES[category][lang])


def facility_table(located: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """Facilities as a display table (one row each, localised column names).

    Parameters
    ----------
    located
        From :func:`dashboard.data.locate.locate`.
    lang
        ``de`` or ``en``.
    """
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
                t("col.vg", lang): f[_VG] if isinstance(f[_VG], str) else "",
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
        approx=fmt_int(located["precision"].isin(["gemeinde", "postcode"]).sum(), lang),
        city=fmt_int(located["located_ags"].isin(CONTEXT_AGS).sum(), lang),
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
                t("imp.field.row", lang): r.row,
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
