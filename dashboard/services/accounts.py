"""Account management of the workspace (Admin): list, add, remove, passwords, old files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dashboard.data import users as auth
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.i18n.catalogue import N_
from dashboard.services.rights import Rights


class AccountAdmin(Rights):
    """The accounts as an admin may manage them (mixed into the workspace)."""

    store: Store

    def list_users(self) -> list[User]:
        """All accounts (Admin).

        Raises
        ------
        PermissionDenied
        """
        self._require_admin()
        return auth.list_users(self.store.db)

    def add_user(self, name: str, password: str | None, role: str, vgs: Iterable[str] = ()) -> User:
        """Create an account (Admin); VG keys must be VGs of the district.

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        vgs = tuple(vgs)
        unknown = [v for v in vgs if v not in self.areas.vg_names]
        if unknown:
            raise auth.UserError(N_("users.err.unknown_vg"), keys=", ".join(unknown))
        return auth.add_user(self.store.db, name, password, role, vgs, clock=self.store.clock)

    def remove_user(self, name: str) -> None:
        """Delete an account (Admin).

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        auth.remove_user(self.store.db, name)

    def import_users(self, path: Path) -> int:
        """Import a JSON user file of an earlier release, once per store (Admin).

        Returns
        -------
        int
            Accounts imported (0 if this store imported a user file before).

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        return auth.import_legacy_file(self.store.db, path)

    def set_password(self, name: str, password: str) -> None:
        """Set a new password for an account (Admin).

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        auth.set_password(self.store.db, name, password)
