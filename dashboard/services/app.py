"""Opening the service: one store and one set of boundaries per process, a workspace per
user.

Pages (through :mod:`dashboard.ui.session`) and the command line call
:func:`workspace_for`; nothing else opens the store.
"""

from __future__ import annotations

import getpass
from functools import lru_cache
from pathlib import Path

from dashboard.config import Settings, get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace


@lru_cache(maxsize=4)
def _store(settings: Settings) -> Store:
    return Store(settings.store_path, settings.datasets_dir)


def workspace_for(
    user: User | None, settings: Settings | None = None, users_file: Path | None = None
) -> Workspace:
    """The workspace of a user (``None``: the public) on the configured store.

    Parameters
    ----------
    user
        Who acts; rights and privacy follow from the role.
    settings
        Default :func:`dashboard.config.get_settings` (store, boundaries).
    users_file
        The account file an admin manages; default the configured one.
    """
    s = settings or get_settings()
    return Workspace(_store(s), user, load_boundaries(s), users_file)


def command_line_user(author: str | None = None, role: str = "admin") -> User:
    """The acting user of a command-line call: someone with shell access to the server.

    Parameters
    ----------
    author
        Name recorded in the history; default ``cli:<operating-system user>``.
    role
        ``admin`` for changes; ``public`` for outputs meant for the public.
    """
    return User(name=author or f"cli:{getpass.getuser()}", role=role)
