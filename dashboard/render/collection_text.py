"""Words of the collection round and of indicator loads, made at the edge in the user's
language: the change set of a returned workbook, the status board, the row report of an
indicator table and how its indicators aggregate."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from dashboard.analysis.indicators import Reaggregation
from dashboard.data.collection_workbook import ReturnPlan
from dashboard.data.importer.labels import label_message
from dashboard.data.indicator_table import IndicatorPlan
from dashboard.i18n.catalogue import field_label, label, t, tn
from dashboard.i18n.format import fmt_date, fmt_exact, fmt_int


def changeset_table(plan: ReturnPlan, lang: str) -> pd.DataFrame:
    """One row per proposal the return would make: row, kind, offer, changes."""
    rows = []
    for r in plan.plan.rows:
        if r.status not in ("add", "change") or r.facility is None:
            continue
        stale = plan.stale.get(r.row)
        kind = "add" if r.status == "add" else (
            "close" if r.diff.get("status", ("", ""))[1] == "closed" else "change"
        )  # fmt: skip
        changes = "; ".join(
            f"{field_label(k, lang)}: {a or '–'} → {b or '–'}"
            for k, (a, b) in r.diff.items()
            if k not in ("source", "reference_date", "lat", "lon", "precision", "ags")
        )
        rows.append(
            {
                t("collect.col.row", lang): label_message(r.row).text(lang),
                t("collect.col.kind", lang): t(f"kind.{kind}", lang),
                t("collect.col.offer", lang): r.facility.name,
                t("collect.col.changes", lang): changes,
                t("collect.col.note", lang): stale.text(lang) if stale else "",
            }
        )
    return pd.DataFrame(rows)


def problems_table(plan: ReturnPlan, lang: str) -> pd.DataFrame:
    """The problems of a returned workbook: row, field, problem, value."""
    return pd.DataFrame(
        [
            {
                t("collect.col.row", lang): label_message(p.row).text(lang),
                t("collect.col.field", lang): field_label(p.field, lang),
                t("collect.col.problem", lang): p.problem_text(lang),
                t("collect.col.value", lang): p.value,
            }
            for p in plan.problems
        ]
    )


def marks_table(plan: ReturnPlan, lang: str) -> pd.DataFrame:
    """The completeness the VG stated, per category."""
    return pd.DataFrame(
        [
            {
                t("col.category", lang): t(f"cat.{m.category}", lang),
                t("collect.col.complete", lang): t("yes", lang) if m.complete else t("no", lang),
                t("collect.col.as_of", lang): fmt_date(m.as_of, lang) if m.as_of else "–",
            }
            for m in plan.book.marks
        ]
    )


def status_board_table(board: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The status board in words: per VG sent, returned, reviewed, confirmed, age."""
    rows = []
    for _, r in board.iterrows():
        pending = int(r["pending"])
        reviewed = fmt_date(r["reviewed"], lang) if r["reviewed"] else (
            t("collect.pending", lang, n=pending) if pending else "–"
        )  # fmt: skip
        rows.append(
            {
                t("gaps.col.vg", lang): r["vg"],
                t("collect.col.sent", lang): fmt_date(r["sent"], lang) if r["sent"] else "–",
                t("collect.col.returned", lang): fmt_date(r["returned"], lang)
                if r["returned"]
                else "–",
                t("collect.col.proposals", lang): fmt_int(r["proposals"], lang),
                t("collect.col.reviewed", lang): reviewed,
                t("collect.col.confirmed", lang): fmt_date(r["confirmed"], lang)
                if r["confirmed"]
                else "–",
                t("collect.col.lists", lang): fmt_int(r["complete"], lang),
                t("collect.col.age", lang): "–"
                if pd.isna(r["age_days"])
                else tn("collect.days", r["age_days"], lang, n=fmt_int(r["age_days"], lang)),
            }
        )
    return pd.DataFrame(rows)


def round_state_text(row: Mapping[str, object], lang: str) -> str:
    """Where one VG's collection round stands, in words (a row of
    :func:`dashboard.services.collection.status_board`): ``noch keine Arbeitsmappe
    verschickt``, ``Arbeitsmappe verschickt am 03.11.2026, noch kein Rücklauf``, ``Rücklauf vom
    10.11.2026: 3 Vorschläge offen``, ...."""
    sent, returned = str(row.get("sent") or ""), str(row.get("returned") or "")
    if returned and returned >= sent:
        day = fmt_date(returned, lang)
        pending = int(row.get("pending") or 0)  # type: ignore[call-overload]
        if row.get("confirmed"):
            confirmed = fmt_date(str(row["confirmed"]), lang)
            return t("collect.state.confirmed", lang, returned=day, confirmed=confirmed)
        if pending:
            return tn(
                "collect.state.pending", pending, lang, returned=day, n=fmt_int(pending, lang)
            )
        return t("collect.state.reviewed", lang, returned=day)
    if sent:
        return t("collect.state.sent", lang, sent=fmt_date(sent, lang))
    return t("collect.state.none", lang)


def indicator_problem(code: str, field: str, value: str, detail: str, lang: str) -> str:
    """One problem of an indicator row in words."""
    return t(f"indload.problem.{code}", lang, value=value, detail=detail, field=field)


def indicator_report(plan: IndicatorPlan, lang: str) -> pd.DataFrame:
    """The row report of an indicator table: row, field, problem, value."""
    return pd.DataFrame(
        [
            {
                t("collect.col.row", lang): p.row,
                t("collect.col.field", lang): t(f"indload.field.{p.field}", lang),
                t("collect.col.problem", lang): indicator_problem(
                    p.code, p.field, p.value, p.detail, lang
                ),
                t("collect.col.value", lang): p.value,
            }
            for p in plan.problems
        ],
        columns=[
            t("collect.col.row", lang),
            t("collect.col.field", lang),
            t("collect.col.problem", lang),
            t("collect.col.value", lang),
        ],  # fmt: skip
    )


def aggregation_lines(results: list[Reaggregation], lang: str) -> list[str]:
    """Per indicator: how it aggregates to the VGs of each vintage, or why it does not."""
    lines = []
    for r in results:
        name = label("ind", r.indicator, lang)
        if r.refused:
            parts = ", ".join(label("ind", p, lang) for p in r.parts) or "–"
            lines.append(t(f"indload.refused.{r.refused}", lang, name=name, parts=parts))
            continue
        found = []
        for vintage, frame in r.by_vintage.items():
            known = frame["value"].notna()
            total = frame.loc[known, "value"].sum() if r.kind == "count" else None
            found.append(
                t("indload.vintage", lang, vintage=vintage, n=int(known.sum()), total=len(frame))
                + (f" ({fmt_exact(round(float(total), 3), lang)})" if total is not None else "")
            )
        key = "indload.summed" if r.kind == "count" else "indload.recomputed"
        lines.append(t(key, lang, name=name, vintages="; ".join(found)))
    return lines
