"""Import of facilities: read, match columns, geocode offline, validate, then write all or nothing.

Typical use (the service writes the plan: :meth:`dashboard.services.workspace.Workspace.import_plan`)::

    raw = read_table(path)
    plan = plan_import(raw, match_columns(list(raw.frame.columns)), geocoder, existing)
    changes = changes_of(plan, skip_invalid=False)
"""

from __future__ import annotations

from pathlib import Path

from dashboard.config import Settings
from dashboard.data.boundaries import load_layer
from dashboard.data.importer.columns import match_columns
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.importer.limits import Limits, import_limits
from dashboard.data.importer.plan import Defaults, ImportPlan, plan_import
from dashboard.data.importer.readers import RawTable, ReadError, read_table
from dashboard.data.store import Change
from dashboard.domain.model import Facility
from dashboard.i18n.catalogue import Nn_
from dashboard.i18n.message import LocalizedError, Message

__all__ = [
    "Defaults",
    "Geocoder",
    "ImportPlan",
    "ImportRejected",
    "Limits",
    "RawTable",
    "ReadError",
    "changes_of",
    "default_geocoder",
    "import_limits",
    "match_columns",
    "plan_file",
    "plan_import",
    "read_table",
]


class ImportRejected(LocalizedError):
    """The import has invalid rows and ``skip_invalid`` was not chosen: nothing was written."""


def default_geocoder(settings: Settings) -> Geocoder:
    """A geocoder over the shipped full-resolution boundaries."""
    return Geocoder(
        load_layer(settings.geodata_dir, "gemeinden"),
        load_layer(settings.geodata_dir, "context"),
    )


def plan_file(
    path: Path,
    existing: list[Facility],
    geocoder: Geocoder,
    defaults: Defaults | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportPlan:
    """Read a file and plan its import against the store (writes nothing).

    Parameters
    ----------
    path
        The file to import.
    existing
        The stored facilities (for ids and duplicates).
    geocoder
        Offline geocoder.
    defaults
        Source and reference date for rows without them.
    mapping
        Header -> canonical field; proposed automatically if ``None``.

    Returns
    -------
    ImportPlan
        The per-row outcome.
    """
    raw = read_table(path)
    if mapping is None:
        mapping = match_columns(list(raw.frame.columns))
    return plan_import(raw, mapping, geocoder, existing, defaults)


def changes_of(plan: ImportPlan, *, skip_invalid: bool = False) -> list[Change]:
    """The changes a plan would write (new records and updates of stored ones).

    Parameters
    ----------
    plan
        From :func:`plan_import`.
    skip_invalid
        Take exactly the valid rows even if others are invalid. Without it, any invalid
        row rejects the whole import.

    Returns
    -------
    list of Change
        To be written in one transaction.

    Raises
    ------
    ImportRejected
        Invalid rows and not ``skip_invalid``.
    """
    invalid = plan.count("invalid")
    if invalid and not skip_invalid:
        raise ImportRejected(Message.counted(Nn_("err.import_rejected"), invalid, n=invalid))
    return [Change(r.facility, r.expected_version) for r in plan.valid if r.facility]
