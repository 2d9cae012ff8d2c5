"""What the projects' records say, as numbers and codes: filters, the summary per
Handlungsfeld and Arbeitskreis, the timeline's status bands, the state on a day and what
changed between two days (the Sachstandsbericht), and how many of the concept's projects
are documented.

No words here: statuses, Handlungsfelder and Arbeitskreise stay codes; the renderers say
them in the reader's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from dashboard.domain.dates import span
from dashboard.domain.model import HANDLUNGSFELD_CODES
from dashboard.domain.projects import (
    ARBEITSKREISE,
    PROJECT_STATUSES,
    RUNNING,
    ProjectRecord,
    status_on,
)

#: How the summary and the timeline group projects.
GROUPINGS: tuple[str, ...] = ("handlungsfeld", "arbeitskreis")
#: The group of a project that names none.
NO_GROUP = ""


def vgs_of(record: ProjectRecord, vg_of_ags: Mapping[str, str]) -> set[str]:
    """The VGs (of the vintage of ``vg_of_ags``) a project takes place in."""
    return {vg_of_ags[a] for a in record.location_ags if a in vg_of_ags}


def select(
    records: Iterable[ProjectRecord],
    *,
    vg: str = "",
    vg_of_ags: Mapping[str, str] | None = None,
    handlungsfelder: Sequence[str] = (),
    arbeitskreise: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> list[ProjectRecord]:
    """The projects that match the filters (an empty filter keeps everything).

    Parameters
    ----------
    records
        Projects with ``location_ags``.
    vg, vg_of_ags
        Keep projects taking place in this VG (``vg_of_ags``: Gemeinde -> VG of the
        vintage the key belongs to).
    handlungsfelder, arbeitskreise, statuses
        Keep projects with one of these codes.
    """
    out = []
    for r in records:
        if vg and vg not in vgs_of(r, vg_of_ags or {}):
            continue
        if handlungsfelder and not set(handlungsfelder) & set(r.handlungsfelder):
            continue
        if arbeitskreise and r.arbeitskreis not in arbeitskreise:
            continue
        if statuses and r.status not in statuses:
            continue
        out.append(r)
    return out


def groups_of(record: ProjectRecord, by: str) -> list[str]:
    """The groups a project counts in: each of its Handlungsfelder, or its Arbeitskreis
    (:data:`NO_GROUP` when it names none)."""
    if by == "handlungsfeld":
        return list(record.handlungsfelder) or [NO_GROUP]
    if by == "arbeitskreis":
        return [record.arbeitskreis or NO_GROUP]
    raise ValueError(f"unknown grouping {by!r}; expected one of {GROUPINGS}")


def group_order(by: str) -> list[str]:
    """Every group of a grouping in the concept's order, "none" last."""
    return [*(HANDLUNGSFELD_CODES if by == "handlungsfeld" else ARBEITSKREISE), NO_GROUP]


def summary(records: Iterable[ProjectRecord], by: str, day: dt.date | None = None) -> pd.DataFrame:
    """How many projects of each status per Handlungsfeld or Arbeitskreis.

    Parameters
    ----------
    records
        The projects (a project with two Handlungsfelder counts in both).
    by
        ``handlungsfeld`` or ``arbeitskreis``.
    day
        Count the status each had on this day (default: the current status); projects not
        yet recorded then are left out.

    Returns
    -------
    pandas.DataFrame
        One row per group (every group of the concept, "none" only when used): ``group``,
        one column per status code of :data:`PROJECT_STATUSES`, ``total``.
    """
    counts: dict[str, dict[str, int]] = {
        g: dict.fromkeys(PROJECT_STATUSES, 0) for g in group_order(by)
    }
    for r in records:
        status = r.status if day is None else status_on(r, day)
        if status is None:
            continue
        for g in groups_of(r, by):
            counts[g][status] += 1
    rows: list[dict[str, object]] = []
    for g, c in counts.items():
        total = sum(c.values(), 0)
        if g != NO_GROUP or total:
            rows.append({"group": g, **c, "total": total})
    return pd.DataFrame(rows, columns=["group", *PROJECT_STATUSES, "total"])


def bands(records: Iterable[ProjectRecord], by: str, until: dt.date) -> pd.DataFrame:
    """The timeline: one band per project and status, from the first day of the change's
    date to the first day of the next change (the last band to ``until``).

    Returns
    -------
    pandas.DataFrame
        ``id``, ``title``, ``group``, ``status``, ``start``, ``end`` (dates), ``on`` (the
        change's date as its source gives it), one row per project, group and status, in
        the concept's order of the groups, then by title.
    """
    rows = []
    order = {g: i for i, g in enumerate(group_order(by))}
    for r in records:
        starts = [span(c.on)[0] for c in r.statuses]
        for i, change in enumerate(r.statuses):
            if starts[i] > until:
                break
            end = starts[i + 1] if i + 1 < len(starts) else until
            for g in groups_of(r, by):
                rows.append(
                    {"id": r.id, "title": r.title, "group": g, "status": change.status,
                     "start": starts[i], "end": max(end, starts[i]), "on": change.on,
                     "_order": order[g]}
                )  # fmt: skip
    columns = ["id", "title", "group", "status", "start", "end", "on"]
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows).sort_values(["_order", "title", "start"], kind="stable")
    return frame[columns].reset_index(drop=True)


@dataclass(frozen=True)
class StateRow:
    """One project in a Sachstandsbericht.

    Attributes
    ----------
    record
        The project.
    status, status_before
        Its status on the report's day and on the earlier day (``None``: not recorded then).
    changes
        The status changes after the earlier day up to the report's day.
    """

    record: ProjectRecord
    status: str | None
    status_before: str | None
    changes: tuple[int, ...]

    @property
    def is_new(self) -> bool:
        """Recorded by the report's day, but not by the earlier day."""
        return self.status is not None and self.status_before is None

    @property
    def changed(self) -> bool:
        """Whether its status changed between the two days (a new project included)."""
        return bool(self.changes) or self.is_new


def state(records: Iterable[ProjectRecord], day: dt.date, since: dt.date) -> list[StateRow]:
    """Every project's status on ``day`` and on ``since`` and the changes between.

    A change counts on the first day of its date's period; a change dated ``2025`` is
    after ``since`` when 1 January 2025 is. Projects not recorded by ``day`` are left out.

    Raises
    ------
    ValueError
        If ``since`` is after ``day``.
    """
    if since > day:
        raise ValueError("the earlier day must not be after the report's day")
    out = []
    for r in records:
        now = status_on(r, day)
        if now is None:
            continue
        between = tuple(
            i for i, c in enumerate(r.statuses) if since < span(c.on)[0] <= day and i > 0
        )
        out.append(StateRow(r, now, status_on(r, since), between))
    return sorted(out, key=lambda s: s.record.title.casefold())


def by_group(
    rows: Sequence[StateRow], by: str = "handlungsfeld"
) -> list[tuple[str, list[StateRow]]]:
    """A report's rows per group in the concept's order (a project in each of its
    Handlungsfelder); empty groups left out."""
    out = []
    for g in group_order(by):
        members = [s for s in rows if g in groups_of(s.record, by)]
        if members:
            out.append((g, members))
    return out


@dataclass(frozen=True)
class Documented:
    """How much of the concept is documented.

    Attributes
    ----------
    documented
        Projects in the store.
    proposed
        Projects the concept proposes (``None``: no concept frame is known for this
        district, e.g. a district without a council paper).
    source, reference_date
        Where ``proposed`` comes from.
    """

    documented: int
    proposed: int | None
    source: str = ""
    reference_date: str = ""


def open_to_residents(records: Iterable[ProjectRecord]) -> list[ProjectRecord]:
    """Running projects open to residents with a recorded place and contact (what the
    public finder lists)."""
    return [
        r
        for r in records
        if r.status in RUNNING and r.open_to_residents and r.places and r.contact.strip()
    ]
