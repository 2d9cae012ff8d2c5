"""Import of facilities: read, match columns, geocode offline, validate, then write all or nothing.

Typical use::

    raw = read_table(path)
    plan = plan_import(raw, match_columns(list(raw.frame.columns)), geocoder, store.facilities())
    written = execute(plan, store, author="...", skip_invalid=False)
"""

from __future__ import annotations

from pathlib import Path

from dashboard.config import Settings
from dashboard.data.boundaries import load_layer
from dashboard.data.importer.columns import match_columns
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.importer.plan import Defaults, ImportPlan, plan_import
from dashboard.data.importer.readers import RawTable, ReadError, read_table
from dashboard.data.store import Change, Store

__all__ = [
    "Defaults",
    "Geocoder",
    "ImportPlan",
    "ImportRejected",
    "RawTable",
    "ReadError",
    "default_geocoder",
    "execute",
    "match_columns",
    "plan_file",
    "plan_import",
    "read_table",
]


class ImportRejected(Exception):
    """The import has invalid rows and ``skip_invalid`` was not chosen: nothing was written."""


def default_geocoder(settings: Settings) -> Geocoder:
    """A geocoder over the shipped full-resolution boundaries."""
    return Geocoder(
        load_layer(settings.geodata_dir, "gemeinden"),
        load_layer(settings.geodata_dir, "kaiserslautern_stadt"),
    )


def plan_file(
    path: Path,
    store: Store,
    geocoder: Geocoder,
    defaults: Defaults | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportPlan:
    """Read a file and plan its import against the store (writes nothing).

    Parameters
    ----------
    path
        The file to import.
    store
        The store (for ids and duplicates).
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
    return plan_import(raw, mapping, geocoder, store.facilities(), defaults)


def execute(
    plan: ImportPlan, store: Store, author: str, skip_invalid: bool = False, comment: str = ""
) -> int:
    """Write the plan's valid rows in one transaction.

    Parameters
    ----------
    plan
        From :func:`plan_import`.
    store
        Target store.
    author
        Recorded in the history.
    skip_invalid
        Write exactly the valid rows even if others are invalid. Without it, any invalid
        row rejects the whole import.
    comment
        History comment (e.g. the file name).

    Returns
    -------
    int
        Records written (added + changed).

    Raises
    ------
    ImportRejected
        Invalid rows and not ``skip_invalid``: nothing written.
    """
    invalid = plan.count("invalid")
    if invalid and not skip_invalid:
        raise ImportRejected(
            f"{invalid} fehlerhafte Zeile(n): nichts importiert. Fehler beheben oder nur die "
            "gültigen Zeilen übernehmen (--skip-invalid)."
        )
    changes = [Change(r.facility, r.expected_version) for r in plan.valid if r.facility]
    if not changes:
        return 0
    return store.apply(changes, author, comment)
