"""Planners load their own indicator tables: validate row by row, write all or nothing.

:func:`plan_indicator_file` reads a CSV, XLSX or GeoJSON table and checks every row
(:func:`dashboard.data.indicator_table.plan_indicators`); :func:`write_indicators` writes
the values in one transaction with their history
(:class:`dashboard.data.indicator_loads.IndicatorLedger`), refusing the whole table if
any row is invalid unless only the valid rows are asked for. :func:`aggregations` shows
how each loaded indicator aggregates to the VGs of every vintage (counts summed from the
Gemeinden, shares recomputed from numerator and denominator or refused, with the reason).

An indicator the atlas does not know is loaded only once the planner has said what it is:
a count, a share or a rate (:attr:`IndicatorPlan.unknown_kinds`; the kind is stored with
it, and a share or rate is never summed nor divided per 1,000). :func:`known_indicators`
lists the known ones with their German or English label and role, so the page offers
labels, never two alike.

Rights: the Kreis-Redaktion and admins (as for importing offers).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd

from dashboard.analysis.indicators import Reaggregation, reaggregate
from dashboard.data.importer import ImportRejected
from dashboard.data.importer.readers import ReadError
from dashboard.data.importer.upload import read_upload_table
from dashboard.data.indicator_loads import IndicatorLedger
from dashboard.data.indicator_table import (
    IndicatorDefaults,
    IndicatorPlan,
    StatedKind,
    plan_indicators,
)
from dashboard.domain.indicators import INDICATORS, KINDS, ROLES
from dashboard.i18n.catalogue import N_, Nn_, t
from dashboard.services.workspace import Workspace

__all__ = [
    "ImportRejected",
    "IndicatorDefaults",
    "IndicatorPlan",
    "KINDS",
    "ReadError",
    "StatedKind",
    "aggregations",
    "known_indicators",
    "loads",
    "plan_indicator_file",
    "write_indicators",
]

#: File types a table may have.
FORMATS: tuple[str, ...] = ("csv", "txt", "xlsx", "geojson", "json")


def plan_indicator_file(
    ws: Workspace,
    data: bytes,
    name: str,
    defaults: IndicatorDefaults | None = None,
    kinds: dict[str, StatedKind] | None = None,
) -> IndicatorPlan:
    """Read and check an indicator table (writes nothing).

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    ReadError
        Unknown type, too large, or unreadable: the one bounded reader of outside files
        (:func:`dashboard.data.importer.upload.read_upload_table`).
    """
    ws.require_import()
    raw = read_upload_table(name, data, suffixes=tuple(f".{f}" for f in FORMATS))
    known = IndicatorLedger(ws.store.db).kinds() | dict(kinds or {})
    try:
        return plan_indicators(
            raw, ws.areas.membership, ws.view().indicators(), defaults, kinds=known,
            district_key=ws.config.key,
        )  # fmt: skip
    except ReadError as exc:  # a bound of the plan (rows): named in the user's language
        raise ReadError(N_("indload.err.unreadable"), file=name, detail=exc.message) from exc


def write_indicators(
    ws: Workspace,
    plan: IndicatorPlan,
    file_name: str,
    data: bytes,
    *,
    skip_invalid: bool = False,
    comment: str = "",
) -> int:
    """Write the valid values of a plan in one transaction with their history.

    Returns
    -------
    int
        Values written.

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    ImportRejected
        An indicator the atlas does not know whose kind nobody stated, or invalid rows and
        not ``skip_invalid``: nothing is written.
    """
    ws.require_import()
    if plan.unknown_kinds:
        raise ImportRejected(N_("indload.err.kind_needed"), names=sorted(plan.unknown_kinds))
    if plan.n_invalid and not skip_invalid:
        raise ImportRejected(Nn_("indload.err.rejected"), n=plan.n_invalid)
    values = plan.valid
    if not values:
        return 0
    at = ws.store.clock().isoformat(timespec="seconds")
    written = {v.indicator for v in values}
    kinds = {i: k for i, k in plan.kinds.items() if i in written}
    IndicatorLedger(ws.store.db).write(
        values, ws.user.name, at, file_name, hashlib.sha256(data).hexdigest(), comment, kinds
    )
    return len(values)


def loads(ws: Workspace) -> pd.DataFrame:
    """Every table loaded, newest first (Kreis-Redaktion, Admin)."""
    ws.require_import()
    return IndicatorLedger(ws.store.db).loads()


def aggregations(ws: Workspace, indicators: list[str]) -> list[Reaggregation]:
    """How each indicator aggregates to the VGs of every vintage (or why it does not)."""
    values = ws.view().indicators()
    return [reaggregate(values, ws.areas.membership, i) for i in indicators]


def today_text() -> str:
    """Today as ISO text (the default date offered on the page)."""
    return dt.date.today().isoformat()


def known_indicators(lang: str) -> list[tuple[str, str]]:
    """The indicators the atlas knows: (key, "label – role") in ``lang``, those with a role
    (population, the demand of Kitas, primary schools, language courses) first; no two
    labels alike."""
    rows = []
    for key in INDICATORS:
        name = t(f"ind.{key}", lang)
        role = ROLES.get(key)
        shown = f"{name} – {t(f'ind.role.{role}', lang)}" if role else name
        rows.append((0 if role else 1, shown.casefold(), key, shown))
    seen: set[str] = set()
    out = []
    for _, _, key, shown in sorted(rows):
        text = shown if shown not in seen else f"{shown} ({key})"
        seen.add(text)
        out.append((key, text))
    return out
