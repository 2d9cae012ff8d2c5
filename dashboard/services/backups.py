"""Backup and restore of the configured store (command line; see README "Backups").

:func:`backup_store` writes a consistent copy while the dashboard runs;
:func:`restore_store` replaces the whole store (facilities, history, proposals, accounts)
by a backup in one step and brings it to this release's schema.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard.config import Settings
from dashboard.data.backup import (
    BackupError,
    BackupInfo,
    backup,
    default_name,
    manifest_path,
    restore,
)
from dashboard.data.db import open_database
from dashboard.data.store import Store
from dashboard.services.stores import store

__all__ = ["BackupError", "BackupInfo", "backup_store", "prune_backups", "restore_store"]


def backup_store(settings: Settings, out: Path, now: dt.datetime | None = None) -> BackupInfo:
    """Back up the configured store.

    Parameters
    ----------
    settings
        Which store (``settings.store_location``).
    out
        The backup file, or an existing folder to write a time-stamped file into
        (``integrationsatlas-YYYYMMDD-HHMMSS.gpkg`` or ``.dump``).

    Raises
    ------
    BackupError
        If the copy could not be made.
    """
    db = store(settings).db
    target = out / default_name(db, now) if out.is_dir() else out
    return backup(db, target)


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups made by :func:`backup_store` in ``folder``.

    Returns
    -------
    list of pathlib.Path
        The files deleted.
    """
    if keep < 1:
        raise ValueError("keep must be at least 1")
    made = sorted(
        [p for p in folder.glob("integrationsatlas-*") if p.suffix in (".gpkg", ".dump")],
        key=lambda p: p.name,
    )
    old = made[:-keep]
    for p in old:
        p.unlink()
        manifest_path(p).unlink(missing_ok=True)
    return old


def restore_store(settings: Settings, backup_file: Path) -> int:
    """Replace the configured store by a backup, then upgrade it to this release.

    Running dashboard processes need no restart: the data version after the restore is
    greater than any they have seen, so their next page run reads the restored store.

    Returns
    -------
    int
        The store's data version after the restore.

    Raises
    ------
    BackupError
        If the file is not a fitting backup or the restore failed (store unchanged).
    """
    db = open_database(settings.store_location)
    version = restore(db, backup_file)
    Store(settings.store_location, settings.datasets_dir)  # an older backup is upgraded
    store.cache_clear()
    return version
