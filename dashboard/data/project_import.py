"""An imported project list checked row by row: what would be written, and every problem.

The file is read by the project's bounded readers (:mod:`dashboard.data.importer`: size,
rows, columns and cells bounded, XLSX checked part by part); :func:`plan_project_import`
maps its headers (German or English, :func:`dashboard.data.project_rows.match_headers`),
checks every row with :func:`dashboard.data.project_rows.record_from_row`, and reports a
title found twice (in the file, or already in the store without the stored id) instead of
writing a second project. Nothing is written here: the service writes the valid rows in
one transaction, all or nothing, or only the valid ones when asked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from dashboard.data.importer import RawTable
from dashboard.data.importer.labels import label_message
from dashboard.data.importer.plan import Problem
from dashboard.data.project_rows import (
    ROW_FIELDS,
    PlaceBook,
    header,
    match_headers,
    record_from_row,
)
from dashboard.domain.formula import unescape_formula
from dashboard.domain.projects import ProjectRecord
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_, t
from dashboard.i18n.message import Message


@dataclass(frozen=True)
class ProjectRow:
    """One row of the list: where it is, the record it gives (``None``: invalid) and the
    version of the stored record it changes (``None``: a new project)."""

    label: str
    record: ProjectRecord | None
    base_version: int | None


@dataclass
class ProjectImportPlan:
    """The checked list.

    Attributes
    ----------
    name
        The file as the user knows it.
    rows
        Every data row.
    problems
        Every problem (row, field, message, value).
    mapping
        File column -> field.
    """

    name: str
    rows: list[ProjectRow]
    problems: list[Problem] = field(default_factory=list)
    mapping: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> list[ProjectRow]:
        """The rows that would be written."""
        return [r for r in self.rows if r.record is not None]

    @property
    def n_invalid(self) -> int:
        """Rows with at least one problem."""
        return len({p.row for p in self.problems})

    def problems_frame(self, lang: str = DEFAULT_LANGUAGE) -> pd.DataFrame:
        """The row report (row, field, problem, value) in ``lang``."""
        return pd.DataFrame(
            [
                (label_message(p.row).text(lang), _field_name(p.field, lang), p.problem_text(lang), p.value)
                for p in self.problems
            ],
            columns=[t("imp.field.row", lang), t("imp.field.field", lang), t("imp.field.problem", lang), t("imp.field.value", lang)],
        )  # fmt: skip


def _field_name(name: str, lang: str) -> str:
    return header(name, lang) if name in ROW_FIELDS else name


def _slug(title: str) -> str:
    text = unicodedata.normalize("NFKD", title.casefold())
    text = text.replace("ß", "ss")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:48] or "projekt"


def new_project_id(title: str, taken: set[str]) -> str:
    """An id for a new project from its title (``proj-sprachpaten-im-verein``), unique
    among ``taken`` (which it joins)."""
    base = f"proj-{_slug(title)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _fold_title(title: str) -> str:
    return " ".join(title.casefold().split())


def plan_project_import(
    raw: RawTable,
    name: str,
    book: PlaceBook,
    existing: Iterable[ProjectRecord],
    *,
    author: str,
    at: str,
) -> ProjectImportPlan:
    """Check every row of a read project list against the store (writes nothing).

    Parameters
    ----------
    raw
        The file's rows (:func:`dashboard.data.importer.read_table`).
    name
        The file's name as the user knows it.
    book
        What places are checked against.
    existing
        The stored projects (a row with a stored id changes that project).
    author, at
        Who records the status changes of the list, and when.
    """
    stored = {r.id: r for r in existing}
    mapping = match_headers([str(c) for c in raw.frame.columns])
    plan = ProjectImportPlan(name, [], [], mapping)
    if "title" not in mapping.values():
        plan.problems.append(
            Problem(name, "title", Message.of(N_("proj.prob.no_title_column")), ", ".join(map(str, raw.frame.columns))[:200])
        )  # fmt: skip
        return plan
    taken = set(stored)
    titles = {_fold_title(r.title): r.id for r in stored.values()}
    seen: dict[str, str] = {}
    for index, (label, cells) in enumerate(
        zip(raw.row_labels, raw.frame.to_dict("records"), strict=True)
    ):
        row = {f: str(cells.get(c, "") or "") for c, f in mapping.items()}
        if raw.fmt == "csv":  # a list written by this app protects text from spreadsheets
            row = {k: unescape_formula(v) for k, v in row.items()}
        problems = [
            Problem(label, mapping[col], message, value)
            for col, message, value in raw.cell_problems.get(index, [])
            if col in mapping
        ]
        pid = row.get("id", "").strip()
        base = stored.get(pid) if pid else None
        if pid and base is None:
            problems.append(Problem(label, "id", Message.of(N_("proj.prob.id_unknown")), pid))
        folded = _fold_title(row.get("title", ""))
        if folded and base is None and folded in titles:
            problems.append(
                Problem(label, "title", Message.of(N_("proj.prob.title_stored"), id=titles[folded]), row["title"])
            )  # fmt: skip
        if folded and folded in seen:
            problems.append(
                Problem(label, "title", Message.of(N_("proj.prob.title_twice"), other=seen[folded]), row["title"])
            )  # fmt: skip
        seen.setdefault(folded, label)
        new_id = "" if base is not None else new_project_id(row.get("title", ""), taken)
        record, found = record_from_row(
            row, book, label=label, base=base, new_id=new_id, author=author, at=at
        )
        problems += found
        plan.problems += problems
        ok = record is not None and not problems
        plan.rows.append(
            ProjectRow(label, record if ok else None, base.version if base is not None else None)
        )
    return plan
