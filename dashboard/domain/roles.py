"""Roles and accounts: who someone is, and what each role may do in principle.

The rights are checked by the service (:class:`dashboard.services.workspace.Workspace`);
the privacy rules that follow from the role are in :mod:`dashboard.domain.privacy`.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Role codes (ASCII, stored) and their German labels (shown).
ROLES: dict[str, str] = {
    "public": "Öffentlich",
    "vg_editor": "VG-Redaktion",
    "district_editor": "Kreis-Redaktion",
    "admin": "Admin",
}
#: Roles a user account can have (``public`` is everyone who is not signed in).
ACCOUNT_ROLES: tuple[str, ...] = ("vg_editor", "district_editor", "admin")
#: Roles that may propose changes.
EDITOR_ROLES: frozenset[str] = frozenset({"vg_editor", "district_editor", "admin"})
#: Roles that may change directly, review proposals and import (the Kreisverwaltung).
DISTRICT_ROLES: frozenset[str] = frozenset({"district_editor", "admin"})


@dataclass(frozen=True)
class User:
    """A signed-in person (or the anonymous public).

    Attributes
    ----------
    name
        Sign-in name (for OIDC: the e-mail address); recorded as author in the history.
    role
        One of :data:`ROLES`.
    vgs
        9-digit keys (``vg_rs_2019``) of the Verbandsgemeinden a VG-Redaktion works for.
    created
        ISO timestamp of the account's creation.
    """

    name: str
    role: str
    vgs: tuple[str, ...] = ()
    created: str = ""

    @property
    def role_label(self) -> str:
        """The role's German label."""
        return ROLES[self.role]


#: Everyone who is not signed in.
PUBLIC = User(name="", role="public")


def acts_everywhere(user: User) -> bool:
    """Whether the user acts for the whole district (Kreis-Redaktion, Admin)."""
    return user.role in DISTRICT_ROLES


def acts_in(user: User, vg_key: str | None) -> bool:
    """The one permission rule: may ``user`` act in VG ``vg_key`` (current vintage)?

    The Kreis-Redaktion and admins act in every VG (and outside any); a VG-Redaktion only
    in its own VG(s); the public in none. Proposing, confirming a list, reading a
    collection workbook, editing and the sensitive records of a VG follow from it
    (asked through :meth:`dashboard.services.workspace.Workspace.may_act_in`).
    """
    if acts_everywhere(user):
        return True
    return user.role in EDITOR_ROLES and vg_key is not None and vg_key in user.vgs
