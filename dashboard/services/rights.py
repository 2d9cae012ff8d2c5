"""Who may do what: the one place the service asks about a user's role and VGs.

:class:`Rights` is the part of :class:`~dashboard.services.workspace.Workspace` that
answers "may this user act in this VG" (:meth:`Rights.may_act_in`, after
:func:`dashboard.domain.roles.acts_in`) and "which VGs are this user's"
(:meth:`Rights.my_vgs`, :meth:`Rights.only_mine`). Pages and services ask these; they never
compare role names.
"""

from __future__ import annotations

import pandas as pd

from dashboard.data.areas import Areas
from dashboard.domain import roles
from dashboard.domain.roles import DISTRICT_ROLES, EDITOR_ROLES, User
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError, Message


class PermissionDenied(LocalizedError):
    """The user may not do this; the message says why (``exc.text(lang)``; German in
    ``str(exc)``)."""


class Rights:
    """The rights of one user (mixed into the workspace).

    Attributes
    ----------
    user
        Who acts.
    areas
        The boundaries that give each offer its VG and each VG its name.
    """

    user: User
    areas: Areas

    @property
    def role(self) -> str:
        """The user's role code (for showing it; rights are asked with the methods below)."""
        return self.user.role

    def can_propose(self) -> bool:
        """Whether the user may propose changes (any editor)."""
        return self.role in EDITOR_ROLES

    def can_apply(self) -> bool:
        """Whether the user may change directly and review proposals."""
        return self.role in DISTRICT_ROLES

    def import_allowed(self) -> bool:
        """Whether the user may import files (Kreis-Redaktion, Admin)."""
        return self.role in DISTRICT_ROLES

    def can_manage_users(self) -> bool:
        """Whether the user may manage accounts (Admin)."""
        return self.role == "admin"

    def acts_everywhere(self) -> bool:
        """Whether the user acts in every VG (Kreis-Redaktion, Admin)."""
        return roles.acts_everywhere(self.user)

    def may_act_in(self, vg_key: str | None) -> bool:
        """May this user act (propose, confirm, collect, edit) in VG ``vg_key`` of the
        current vintage (``None``: outside any VG)? :func:`dashboard.domain.roles.acts_in`."""
        return roles.acts_in(self.user, vg_key)

    def my_vgs(self) -> dict[str, str]:
        """The VGs that are this user's, key -> name: every VG for the Kreis-Redaktion
        (sorted by name), the own ones for a VG-Redaktion, none for the public."""
        names = self.areas.vg_names
        if self.acts_everywhere():
            return dict(sorted(names.items(), key=lambda kv: kv[1]))
        return {k: names[k] for k in self.user.vgs if k in names and self.may_act_in(k)}

    def only_mine(self, rows: pd.DataFrame, column: str = "") -> pd.DataFrame:
        """The rows of ``rows`` in VGs this user acts in (``column``: the VG key column,
        default ``vg_rs_<current vintage>``); all rows for the Kreis-Redaktion."""
        if self.acts_everywhere():
            return rows
        keys = rows[column or f"vg_rs_{self.areas.vintage}"]
        return rows.loc[keys.map(lambda k: isinstance(k, str) and self.may_act_in(k)).astype(bool)]

    def require_import(self) -> None:
        """Refuse unless the user may import.

        Raises
        ------
        PermissionDenied
        """
        if not self.import_allowed():
            raise PermissionDenied(N_("err.import_role"))

    def require_vg(self, vg_key: str | None, message: str) -> None:
        """Refuse unless the user may act in ``vg_key`` (``message``: a catalogue key with
        ``{vgs}``, the user's own VGs).

        Raises
        ------
        PermissionDenied
        """
        if not self.may_act_in(vg_key):
            raise PermissionDenied(message, vgs=self.own_vgs_label())

    def own_vgs_label(self) -> str:
        """The user's own VGs for a message (``"Altenglan, Kusel"``)."""
        return self.areas.vg_label(self.user.vgs)

    def _require_editor(self) -> None:
        if not self.can_propose():
            raise PermissionDenied(N_("err.sign_in_to_edit"))

    def _require_district(self, what: str) -> None:
        self._require_editor()
        if not self.acts_everywhere():
            raise PermissionDenied(N_("err.district_only"), what=Message.of(what))

    def _require_admin(self) -> None:
        if not self.can_manage_users():
            raise PermissionDenied(N_("err.admin_only"))
