"""The store of a process: opened once per settings, shared by every session and command.

Opening creates or upgrades the store (SQLite file or PostgreSQL database) and imports a
JSON user file of an earlier release once (:func:`dashboard.data.users.import_legacy_file`).
Nothing else opens the configured store.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from dashboard.config import Settings
from dashboard.data import users as accounts
from dashboard.data.store import Store

log = logging.getLogger("integrationsatlas")


@lru_cache(maxsize=4)
def store(settings: Settings) -> Store:
    """The store of ``settings`` (``settings.store_location``), opened once per process.

    Raises
    ------
    dashboard.data.store.StoreError
        If it cannot be opened (no store, too new, upgrade failed, server unreachable).
    """
    opened = Store(settings.store_location, settings.datasets_dir)
    legacy = accounts.users_path()
    imported = accounts.import_legacy_file(opened.db, legacy)
    if imported:
        log.warning(
            "imported %d accounts from %s into the store; the file is no longer used",
            imported,
            legacy,
        )
    return opened
