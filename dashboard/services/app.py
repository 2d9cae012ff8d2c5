"""Opening the service: one store and one set of boundaries per process, a workspace per
user.

Pages (through :mod:`dashboard.ui.session`) and the command line call
:func:`workspace_for`; nothing else opens the store.
"""

from __future__ import annotations

import getpass

from dashboard.config import Settings, get_settings
from dashboard.domain.roles import User
from dashboard.services.context import load_boundaries
from dashboard.services.stores import store as _store
from dashboard.services.workspace import Workspace


def workspace_for(user: User | None, settings: Settings | None = None) -> Workspace:
    """The workspace of a user (``None``: the public) on the configured store.

    Parameters
    ----------
    user
        Who acts; rights and privacy follow from the role.
    settings
        Default :func:`dashboard.config.get_settings` (store, boundaries).
    """
    s = settings or get_settings()
    return Workspace(_store(s), user, load_boundaries(s))


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
