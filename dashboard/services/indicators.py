"""Planners load their own indicator tables: validate row by row, write all or nothing.

:func:`plan_indicator_file` reads a CSV, XLSX or GeoJSON table and checks every row
(:func:`dashboard.data.indicator_table.plan_indicators`); :func:`write_indicators` writes
the values in one transaction with their history
(:class:`dashboard.data.indicator_loads.IndicatorLedger`), refusing the whole table if
any row is invalid unless only the valid rows are asked for. :func:`aggregations` shows
how each loaded indicator aggregates to the VGs of every vintage (counts summed from the
Gemeinden, shares recomputed from numerator and denominator or refused, with the reason).

Rights: the Kreis-Redaktion and admins (as for importing offers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.analysis.indicators import Reaggregation, reaggregate
from dashboard.data.importer import ImportRejected
from dashboard.data.importer.readers import ReadError, read_table
from dashboard.data.indicator_loads import IndicatorLedger
from dashboard.data.indicator_table import IndicatorDefaults, IndicatorPlan, plan_indicators
from dashboard.services.workspace import Workspace

__all__ = [
    "ImportRejected",
    "IndicatorDefaults",
    "IndicatorPlan",
    "ReadError",
    "aggregations",
    "loads",
    "plan_indicator_file",
    "write_indicators",
]

#: File types a table may have.
FORMATS: tuple[str, ...] = ("csv", "txt", "xlsx", "geojson", "json")

#: Largest table read (bytes).
MAX_BYTES = 50 * 1024 * 1024


def plan_indicator_file(
    ws: Workspace, data: bytes, name: str, defaults: IndicatorDefaults | None = None
) -> IndicatorPlan:
    """Read and check an indicator table (writes nothing).

    Raises
    ------
    PermissionDenied
        Unless Kreis-Redaktion or Admin.
    ReadError
        Unknown type, too large, or unreadable.
    """
    ws.require_import()
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ReadError(f"{name}: expected one of {', '.join(FORMATS)}")
    if len(data) > MAX_BYTES:
        raise ReadError(f"{name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    with tempfile.TemporaryDirectory(prefix="integrationsatlas-") as tmp:
        path = Path(tmp) / f"table.{suffix}"
        path.write_bytes(data)
        raw = read_table(path)
    try:
        return plan_indicators(
            raw, ws.areas.membership, ws.view().indicators(), defaults,
            district_key=ws.config.key,
        )  # fmt: skip
    except ValueError as exc:
        raise ReadError(f"{name}: {exc}") from exc


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
        Invalid rows and not ``skip_invalid``: nothing is written.
    """
    ws.require_import()
    if plan.n_invalid and not skip_invalid:
        raise ImportRejected(
            f"{plan.n_invalid} fehlerhafte Zeile(n): nichts geladen. Bitte die Fehler beheben "
            "oder nur die gültigen Zeilen laden."
        )
    values = plan.valid
    if not values:
        return 0
    at = ws.store.clock().isoformat(timespec="seconds")
    IndicatorLedger(ws.store.db).write(
        values, ws.user.name, at, file_name, hashlib.sha256(data).hexdigest(), comment
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
