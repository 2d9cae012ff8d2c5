"""The projects in words: statuses, places, periods, tables for the page, the files and
the Sachstandsbericht, in the reader's language.

Every output that names a project's status, place, period, funding or figure takes the
words from here, so the page, the VG view, the Steckbrief, the presentation, the XLSX
list and the Sachstandsbericht say the same.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from dashboard.analysis.projects import NO_GROUP, Documented, StateRow, by_group, summary
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.domain.projects import PROJECT_STATUSES, ProjectRecord
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_datetime, fmt_float, fmt_int


def status_label(code: str | None, lang: str) -> str:
    """A status code in words ("in Vorbereitung"); ``–`` for none."""
    return t(f"project.status.{code}", lang) if code else "–"


def group_label(code: str, by: str, lang: str) -> str:
    """A Handlungsfeld or Arbeitskreis in words ("ohne Angabe" for none)."""
    if code == NO_GROUP:
        return t("proj.group.none", lang)
    return HANDLUNGSFELDER[code][lang] if by == "handlungsfeld" else t(f"ak.{code}", lang)


def status_text(record: ProjectRecord, lang: str) -> str:
    """The current status with its date: "laufend seit 01.02.2025"."""
    return t(
        "proj.status_since", lang, status=status_label(record.status, lang),
        date=fmt_date(record.since(), lang),
    )  # fmt: skip


def period_text(start: str | None, end: str | None, lang: str) -> str:
    """A period in words: "03.2025 – 12.2026", "ab 2025", "bis 2026", or ``–``."""
    if start and end:
        return f"{fmt_date(start, lang)} – {fmt_date(end, lang)}"
    if start:
        return t("proj.from", lang, date=fmt_date(start, lang))
    if end:
        return t("proj.until", lang, date=fmt_date(end, lang))
    return "–"


def places_text(record: ProjectRecord, names: Mapping[str, str], lang: str) -> str:
    """The places of a project: Gemeinden and VGs by name, offers by name (or id), points
    by their label ("ohne Ort" when none is recorded)."""
    parts = []
    for p in record.places:
        if p.kind == "point":
            parts.append(p.label or t("proj.place.point", lang))
        else:
            parts.append(names.get(p.ref, p.ref))
    return "; ".join(parts) if parts else t("proj.place.none", lang)


def funding_text(record: ProjectRecord, lang: str) -> str:
    """Programme and amount ("Demokratie leben! (12.500 EUR)"), or ``–``."""
    amount = (
        t("proj.amount", lang, amount=fmt_float(record.funding_amount, 2, lang, trim=True))
        if record.funding_amount is not None
        else ""
    )
    if record.funding_programme and amount:
        return f"{record.funding_programme} ({amount})"
    return record.funding_programme or amount or "–"


def figures_text(record: ProjectRecord, lang: str) -> str:
    """Each figure as "Teilnehmende: Ziel 40, erreicht 25 (Stand 12.2025)"."""
    out = []
    for f in record.figures:
        bits = []
        if f.target is not None:
            bits.append(t("proj.figure.target", lang, n=fmt_float(f.target, 2, lang, trim=True)))
        if f.achieved is not None:
            bits.append(
                t("proj.figure.achieved", lang, n=fmt_float(f.achieved, 2, lang, trim=True))
            )
        text = f"{f.label}: {', '.join(bits)}"
        if f.as_of:
            text += " (" + t("proj.as_of", lang, date=fmt_date(f.as_of, lang)) + ")"
        out.append(text)
    return "; ".join(out) or "–"


def hf_text(record: ProjectRecord, lang: str) -> str:
    """The Handlungsfelder in words (``–`` for none)."""
    return ", ".join(HANDLUNGSFELDER[c][lang] for c in record.handlungsfelder) or "–"


def documented_text(doc: Documented, lang: str) -> str:
    """ "3 von 23 dokumentiert" (or "3 Projekte dokumentiert" without a concept frame)."""
    if doc.proposed is None:
        return tn("proj.documented_plain", doc.documented, lang, n=fmt_int(doc.documented, lang))
    return t(
        "proj.documented", lang, n=fmt_int(doc.documented, lang),
        total=fmt_int(doc.proposed, lang),
    )  # fmt: skip


def project_table(
    records: Iterable[ProjectRecord], names: Mapping[str, str], lang: str, *, internal: bool
) -> pd.DataFrame:
    """The projects as a table (page, files): one row each; the internal note only in an
    internal table (and only as the records hold it: the service strips it for whoever
    may not read it)."""
    rows = []
    for r in records:
        row = {
            t("pcol.title", lang): r.title,
            t("pcol.status", lang): status_text(r, lang),
            t("pcol.handlungsfelder", lang): hf_text(r, lang),
            t("pcol.arbeitskreis", lang): t(f"ak.{r.arbeitskreis}", lang)
            if r.arbeitskreis
            else "–",
            t("pcol.lead_organisation", lang): r.lead_organisation or "–",
            t("proj.col.places", lang): places_text(r, names, lang),
            t("proj.col.planned", lang): period_text(r.planned_start, r.planned_end, lang),
            t("proj.col.actual", lang): period_text(r.actual_start, r.actual_end, lang),
            t("pcol.funding_programme", lang): funding_text(r, lang),
            t("pcol.figure", lang): figures_text(r, lang),
            t("pcol.source", lang): r.source,
            t("pcol.reference_date", lang): fmt_date(r.reference_date, lang),
        }
        if internal:
            row[t("pcol.internal_note", lang)] = r.internal_note
        rows.append(row)
    columns = [
        t(k, lang) for k in (
            "pcol.title", "pcol.status", "pcol.handlungsfelder", "pcol.arbeitskreis",
            "pcol.lead_organisation", "proj.col.places", "proj.col.planned", "proj.col.actual",
            "pcol.funding_programme", "pcol.figure", "pcol.source", "pcol.reference_date",
        )
    ]  # fmt: skip
    if internal:
        columns.append(t("pcol.internal_note", lang))
    return pd.DataFrame(rows, columns=columns)


def history_table(record: ProjectRecord, lang: str) -> pd.DataFrame:
    """The status history of a project, oldest first: status, since, note, who (empty
    where the record holds no account names)."""
    return pd.DataFrame(
        [
            {
                t("pcol.status", lang): status_label(c.status, lang),
                t("proj.col.since", lang): fmt_date(c.on, lang),
                t("pcol.status_note", lang): c.note,
                t("proj.col.by", lang): c.by,
                t("proj.col.recorded", lang): fmt_datetime(c.recorded_at, lang)
                if c.recorded_at
                else "",
            }
            for c in record.statuses
        ]
    )


def summary_table(summary: pd.DataFrame, by: str, lang: str) -> pd.DataFrame:
    """:func:`dashboard.analysis.projects.summary` with words: one row per group, one
    column per status, the total."""
    out = pd.DataFrame(
        {t(f"proj.by.{by}", lang): [group_label(g, by, lang) for g in summary["group"]]}
    )
    for code in PROJECT_STATUSES:
        out[status_label(code, lang)] = [fmt_int(v, lang) for v in summary[code]]
    out[t("proj.col.total", lang)] = [fmt_int(v, lang) for v in summary["total"]]
    return out


def change_lines(row: StateRow, lang: str) -> list[str]:
    """What changed for a project between the report's two days, one line each ("neu",
    "beschlossen → laufend am 01.02.2025: Auftakt")."""
    lines = []
    if row.is_new:
        lines.append(t("proj.report.new", lang, status=status_label(row.status, lang)))
    for i in row.changes:
        change = row.record.statuses[i]
        before = row.record.statuses[i - 1].status
        text = t(
            "proj.report.moved", lang, before=status_label(before, lang),
            after=status_label(change.status, lang), date=fmt_date(change.on, lang),
        )  # fmt: skip
        lines.append(f"{text}: {change.note}" if change.note else text)
    return lines


def state_table(
    rows: Sequence[StateRow], names: Mapping[str, str], lang: str, *, internal: bool
) -> pd.DataFrame:
    """The rows of a Sachstandsbericht: project, status then and now, what changed,
    places, lead, source and date (the internal note only in an internal report)."""
    out = []
    for s in rows:
        row = {
            t("pcol.title", lang): s.record.title,
            t("proj.report.col.before", lang): status_label(s.status_before, lang),
            t("proj.report.col.now", lang): status_label(s.status, lang),
            t("proj.report.col.changes", lang): "; ".join(change_lines(s, lang)) or "–",
            t("proj.col.places", lang): places_text(s.record, names, lang),
            t("pcol.lead_organisation", lang): s.record.lead_organisation or "–",
            t(
                "pcol.source", lang
            ): f"{s.record.source} ({fmt_date(s.record.reference_date, lang)})",
        }
        if internal:
            row[t("pcol.internal_note", lang)] = s.record.internal_note
        out.append(row)
    return pd.DataFrame(out)


def sachstand_sheets(
    rows: Sequence[StateRow],
    *,
    day: dt.date,
    since: dt.date,
    documented: Documented,
    names: Mapping[str, str],
    lang: str,
    internal: bool,
) -> list[tuple[str, pd.DataFrame]]:
    """The sheets of the Sachstandsbericht's workbook: the state per project (grouped by
    Handlungsfeld), the summary per Handlungsfeld, each project's status history (who
    recorded it only in the internal version), and what the report is (days, documented
    of proposed, public or internal)."""
    state_frames = []
    for group, members in by_group(rows, "handlungsfeld"):
        frame = state_table(members, names, lang, internal=internal)
        frame.insert(0, t("proj.by.handlungsfeld", lang), group_label(group, "handlungsfeld", lang))
        state_frames.append(frame)
    state = pd.concat(state_frames, ignore_index=True) if state_frames else pd.DataFrame()
    records = [r.record for r in rows]
    overview = summary_table(summary(records, "handlungsfeld", day), "handlungsfeld", lang)
    history = []
    for r in records:
        h = history_table(r, lang)
        if not internal:
            h = h.drop(columns=[t("proj.col.by", lang), t("proj.col.recorded", lang)])
        h.insert(0, t("pcol.title", lang), r.title)
        history.append(h)
    about = pd.DataFrame(
        {
            t("proj.report.col.what", lang): [
                t("proj.report.col.day", lang), t("proj.report.col.since", lang),
                t("proj.report.col.documented", lang), t("proj.report.col.version", lang),
            ],
            t("proj.report.col.value", lang): [
                fmt_date(day.isoformat(), lang), fmt_date(since.isoformat(), lang),
                documented_text(documented, lang),
                (t("proj.report.internal", lang) if internal else t("proj.report.public", lang)),
            ],
        }
    )  # fmt: skip
    return [
            (t("proj.sheet.state", lang), state),
            (t("proj.sheet.summary", lang), overview),
            (t("proj.sheet.history", lang), pd.concat(history, ignore_index=True) if history else pd.DataFrame()),
            (t("proj.sheet.about", lang), about),
    ]  # fmt: skip


def with_project_rows(figures: pd.DataFrame, projects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A VG's key figures with one row per project of the VG (title, status with its
    date, source) for the presentation's VG view
    (:func:`dashboard.render.profile.vg_profile`'s ``projects``)."""
    if projects.empty:
        return figures
    rows = pd.DataFrame(
        [
            (t("proj.pres_row", lang, title=r[0]), r[1], r[2])
            for r in projects.itertuples(index=False)
        ],
        columns=figures.columns,
    )
    return pd.concat([figures, rows], ignore_index=True)
