"""Who may see and change what, enforced in the data layer.

:class:`Workspace` wraps the :class:`~dashboard.data.store.Store` for one user; every view and
every change of the dashboard goes through it. Refused actions raise
:class:`PermissionDenied` with a plain German message.

=================  =========================================================================
Role               Rights
=================  =========================================================================
Öffentlich         facilities without sensitive categories; those only as counts per VG
VG-Redaktion       propose additions, changes, closures in the own VG(s); confirm the own
                   VG's list as current; see own proposals and the VG's stale offers
Kreis-Redaktion    change directly, review proposals, import, confirm any VG
Admin              as Kreis-Redaktion, plus user management
=================  =========================================================================

The VG of an offer is always derived from its location (:func:`dashboard.data.locate.locate`),
for the stored position and for a proposed new one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.config import CURRENT_VINTAGE
from dashboard.data import users as auth
from dashboard.data.areas import Areas
from dashboard.data.importer import ImportPlan, changes_of
from dashboard.data.proposals import Ledger, Proposal
from dashboard.data.store import (
    Change,
    Connection,
    StaleVersionError,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from dashboard.domain import privacy
from dashboard.domain.model import Facility
from dashboard.domain.review import Delta, proposal_delta, rebased
from dashboard.domain.roles import DISTRICT_ROLES, EDITOR_ROLES, PUBLIC, User
from dashboard.domain.staleness import stale_mask, verified_dates
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import LocalizedError, Message, moment
from dashboard.services.context import Boundaries, district_context
from dashboard.services.signin import Session
from dashboard.services.view import RoleView

_VG = f"vg_{CURRENT_VINTAGE}"
_VG_RS = f"vg_rs_{CURRENT_VINTAGE}"


__all__ = [
    "CheckedProposal",
    "PermissionDenied",
    "StaleVersionError",
    "StoreBusy",
    "StoreError",
    "StoreUnavailable",
    "UserError",
    "Workspace",
]

UserError = auth.UserError


class PermissionDenied(LocalizedError):
    """The user may not do this; the message says why (``exc.text(lang)``; German in
    ``str(exc)``)."""


@dataclass(frozen=True)
class CheckedProposal:
    """A proposal that passed every check of :meth:`Workspace.propose_change`."""

    kind: str
    payload: Facility
    vg_key: str | None
    current: Facility | None


class Workspace:
    """The store as one user may see and change it.

    Parameters
    ----------
    store
        The embedded store.
    user
        The signed-in user; ``None`` for the public.
    boundaries
        The district's boundaries (:func:`dashboard.services.context.load_boundaries`).
        Accounts (user management by an admin) live in the store's database.
    """

    def __init__(self, store: Store, user: User | None, boundaries: Boundaries) -> None:
        self.store = store
        self.user = user or PUBLIC
        self.boundaries = boundaries

    @property
    def areas(self) -> Areas:
        """Full-resolution boundaries that place an offer in its Gemeinde and VG."""
        return self.boundaries.areas

    def view(self) -> RoleView:
        """Everything this user may read, at the store's current data version."""
        return RoleView(district_context(self.store, self.boundaries), self.user)

    @classmethod
    def for_session(
        cls,
        store: Store,
        session: Session | None,
        now: dt.datetime,
        boundaries: Boundaries,
    ) -> Workspace:
        """The workspace of a session; an expired session is refused.

        Raises
        ------
        PermissionDenied
            If the session has expired.
        """
        if session is None:
            return cls(store, None, boundaries)
        if not session.is_valid(now):
            raise PermissionDenied(N_("err.session_expired"))
        return cls(store, session.user, boundaries)

    @cached_property
    def _ledger(self) -> Ledger:
        return Ledger(self.store.db)

    # -- rights ----------------------------------------------------------------------------
    @property
    def role(self) -> str:
        """The user's role code."""
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

    def require_import(self) -> None:
        """Refuse unless the user may import.

        Raises
        ------
        PermissionDenied
        """
        if not self.import_allowed():
            raise PermissionDenied(N_("err.import_role"))

    def _require_editor(self) -> None:
        if self.role not in EDITOR_ROLES:
            raise PermissionDenied(N_("err.sign_in_to_edit"))

    def _require_district(self, what: str) -> None:
        self._require_editor()
        if self.role not in DISTRICT_ROLES:
            raise PermissionDenied(N_("err.district_only"), what=Message.of(what))

    def _require_admin(self) -> None:
        if not self.can_manage_users():
            raise PermissionDenied(N_("err.admin_only"))

    def _own_vgs(self) -> str:
        return self.areas.vg_label(self.user.vgs)

    def _check_place(self, current: Facility | None, new: Facility | None) -> str | None:
        """Refuse a VG-Redaktion outside its VG(s); return the new position's VG key."""
        new_vg = self.areas.vg_of(new) if new is not None else None
        if self.role != "vg_editor":
            return new_vg
        own = set(self.user.vgs)
        if current is not None and self.areas.vg_of(current) not in own:
            raise PermissionDenied(N_("err.own_vg_change"), vgs=self._own_vgs())
        if new is not None and new_vg not in own:
            if current is None:
                raise PermissionDenied(N_("err.own_vg_add"), vgs=self._own_vgs())
            raise PermissionDenied(N_("err.move_vg"), vg=self.areas.vg_label([new_vg]))
        return new_vg

    def _validated(self, facility: Facility) -> Facility:
        """The import's rules: pydantic validation and a position inside the area."""
        f = Facility.model_validate(facility.model_dump())
        if f.lat is not None and f.lon is not None:
            ags = self.areas.geocoder.ags_at(f.lat, f.lon)
            if ags is None:
                raise StoreError(N_("err.outside"))
            if f.ags and f.ags != ags:
                raise StoreError(
                    N_("err.ags_mismatch"),
                    ags=f.ags,
                    gemeinde=self.areas.geocoder.gemeinde_name(ags),
                )
        return f

    def _stale(self, record_id: str, expected: int, actual: int) -> StaleVersionError:
        with self._ledger.connect() as conn:
            row = conn.one(
                "SELECT updated_by, updated_at FROM facilities WHERE id = ?", (record_id,)
            )
        by, at = (row["updated_by"], row["updated_at"]) if row else ("?", "?")
        return StaleVersionError(record_id, expected, actual, by or "?", at or "?")

    # -- reading ---------------------------------------------------------------------------
    def _sees(self, f: Facility) -> bool:
        vg = self.areas.vg_of(f) if privacy.is_sensitive_record(f) else None
        return privacy.may_see(self.role, self.user.vgs, f.category, vg)

    def facility(self, record_id: str) -> Facility | None:
        """One facility if this user may see it, else ``None``."""
        f = self.store.facility(record_id)
        return f if f is not None and self._sees(f) else None

    def history(self, record_id: str | None = None) -> pd.DataFrame:
        """The change history (editors only: it holds earlier positions).

        Raises
        ------
        PermissionDenied
            For the public, and for a VG-Redaktion asking for the whole history or a record
            it may not see.
        """
        if not privacy.may_read_history(self.role):
            raise PermissionDenied(N_("err.history_editors"))
        if self.role == "vg_editor":
            if record_id is None:
                raise PermissionDenied(N_("err.history_whole"))
            f = self.store.facility(record_id)
            if f is not None and not self._sees(f):
                raise PermissionDenied(N_("err.district_visible"))
        return self.store.history(record_id)

    # -- changing --------------------------------------------------------------------------
    def propose_change(
        self, facility: Facility, expected_version: int | None, comment: str = ""
    ) -> Proposal:
        """Propose a new facility (``expected_version`` None), a change or a closure.

        Parameters
        ----------
        facility
            The record as it should be (e.g. from
            :func:`dashboard.data.importer.edits.facility_from_values`); ``status='closed'`` closes it.
        expected_version
            The version the editor loaded; ``None`` for a new facility.
        comment
            Why; kept with the proposal and in the history.

        Returns
        -------
        Proposal
            Pending, until the Kreis-Redaktion reviews it.

        Raises
        ------
        PermissionDenied
            Not an editor; for a VG-Redaktion: the offer or its new position lies outside the
            own VG(s).
        StaleVersionError
            The record changed since it was loaded.
        StoreError
            Invalid record, unknown or duplicate id, or nothing changed.
        """
        checked = self.check_proposal(facility, expected_version)
        at = self.store.clock().isoformat(timespec="seconds")
        pid = self._ledger.add_proposal(
            checked.kind, checked.payload, expected_version, checked.vg_key, self.user.name, at,
            comment, checked.current,
        )  # fmt: skip
        proposal = self._ledger.proposal(pid)
        assert proposal is not None
        return proposal

    def check_proposal(self, facility: Facility, expected_version: int | None) -> CheckedProposal:
        """Every check of :meth:`propose_change`, without writing (for a change set that is
        written in one transaction, e.g. a returned collection workbook).

        Raises
        ------
        PermissionDenied, StaleVersionError, StoreError
            As :meth:`propose_change`.
        """
        self._require_editor()
        f = self._validated(facility)
        current = self.store.facility(f.id)
        vg = self._check_place(current, f)  # rights first: no hints about other VGs' records
        if expected_version is None:
            if current is not None:
                raise StoreError(N_("err.id_taken"), id=f.id)
            kind = "add"
        else:
            if current is None:
                raise StoreError(N_("err.gone"), id=f.id)
            if current.version != expected_version:
                raise self._stale(f.id, expected_version, current.version)
            if f.model_copy(update={"version": current.version}) == current:
                raise StoreError(N_("err.unchanged"))
            kind = "close" if current.status == "active" and f.status == "closed" else "change"
        payload = f.model_copy(update={"version": expected_version or 1})
        return CheckedProposal(kind, payload, vg, current)

    def propose_close(self, record_id: str, expected_version: int, comment: str = "") -> Proposal:
        """Propose closing an offer (it stays in the history, marked closed).

        Raises
        ------
        PermissionDenied, StaleVersionError, StoreError
            As :meth:`propose_change`.
        """
        self._require_editor()
        current = self.store.facility(record_id)
        if current is None:
            raise StoreError(N_("err.gone"), id=record_id)
        return self.propose_change(
            current.model_copy(update={"status": "closed"}), expected_version, comment
        )

    def apply_change(
        self, facility: Facility, expected_version: int | None, comment: str = ""
    ) -> Facility:
        """Save a new or changed facility directly (Kreis-Redaktion, Admin).

        Returns
        -------
        Facility
            The stored record with its new version.

        Raises
        ------
        PermissionDenied
            For any other role.
        StaleVersionError, StoreError
            As :meth:`dashboard.data.store.Store.apply`, or an invalid record.
        """
        self._require_district(N_("err.what.apply"))
        f = self._validated(facility)
        self.store.apply([Change(f, expected_version)], self.user.name, comment)
        stored = self.store.facility(f.id)
        assert stored is not None
        return stored

    def apply_changes(self, changes: Iterable[Change], comment: str = "") -> int:
        """Apply several changes in one transaction (Kreis-Redaktion, Admin), e.g. an import.

        Raises
        ------
        PermissionDenied
            For any other role.
        """
        self._require_district(N_("err.what.apply"))
        checked = [Change(self._validated(c.facility), c.expected_version) for c in changes]
        return self.store.apply(checked, self.user.name, comment)

    # -- proposals -------------------------------------------------------------------------
    def proposals(self, status: str | None = "pending") -> list[Proposal]:
        """Proposals this user may see: all for the Kreis-Redaktion, for a VG-Redaktion those
        of its VG(s) and its own.

        Raises
        ------
        PermissionDenied
            For the public.
        """
        self._require_editor()
        found = self._ledger.proposals(status)
        if self.role in DISTRICT_ROLES:
            return found
        own = set(self.user.vgs)
        return [p for p in found if p.vg_key in own or p.author == self.user.name]

    def _proposal(self, proposal_id: int) -> Proposal:
        p = self._ledger.proposal(proposal_id)
        if p is None:
            raise StoreError(N_("err.no_proposal"), id=proposal_id)
        return p

    def _base(self, p: Proposal) -> Facility | None:
        """The record a proposal was made on (kept in its history entry)."""
        if p.kind == "add":
            return None
        history = self.store.history(p.record_id)
        made = history.loc[(history["action"] == "proposal") & (history["at"] == p.created)]
        before = made["before"].dropna()
        return Facility.model_validate_json(before.iloc[0]) if len(before) else None

    def delta(self, proposal_id: int) -> Delta:
        """What approving a proposal would change in the record now
        (:func:`dashboard.domain.review.proposal_delta`): empty if it is already applied.

        Raises
        ------
        PermissionDenied
            If the user may not see the proposal.
        """
        self._require_editor()
        p = self._proposal(proposal_id)
        if p.id not in {q.id for q in self.proposals(status=None)}:
            raise PermissionDenied(N_("err.proposal_district"))
        return proposal_delta(self._base(p), self.store.facility(p.record_id), p.facility)

    def review(self, proposal_id: int, approve: bool, comment: str = "") -> Proposal:
        """Approve (apply) or reject a pending proposal (Kreis-Redaktion, Admin).

        Approving puts the proposal's own changes onto the record as it is now
        (:meth:`delta`): what others changed since stays. Both decisions are recorded with
        reviewer, time and comment (in the proposal and in the history).

        Returns
        -------
        Proposal
            The decided proposal.

        Raises
        ------
        PermissionDenied
            For any other role.
        StaleVersionError
            The record changed while the reviewer looked; the proposal stays pending.
        StoreError
            Unknown or already decided proposal; the changes are already in the record
            (close it with :meth:`close_done`); somebody else changed the same fields since
            (conflict); or the store refused the change.
        """
        self._require_district(N_("err.what.review"))
        p = self._pending(proposal_id)
        at = self.store.clock().isoformat(timespec="seconds")
        if not approve:
            if not self._ledger.decide(p, False, self.user.name, at, comment, None):
                raise StoreError(N_("err.proposal_meanwhile"), id=p.id)
            return self._proposal(p.id)
        current = self.store.facility(p.record_id)
        delta = self.delta(p.id)
        if delta.applied:
            raise StoreError(N_("err.proposal_applied"), id=p.id)
        if delta.conflicts:
            fields = [Message.of(f"f.{f}") for f in delta.conflicts]
            raise StoreError(N_("err.proposal_conflict"), id=p.id, fields=fields)
        if p.kind == "add" and current is not None:
            raise StoreError(N_("err.id_taken"), id=p.record_id)
        f = self._validated(p.facility if current is None else rebased(current, delta))
        expected = None if current is None else current.version
        note = f"Vorschlag {p.id} von {p.author}" + (f" ({p.comment})" if p.comment else "")

        def mark_decided(conn: Connection) -> None:  # same transaction as the change
            after = 1 if expected is None else expected + 1
            if not self._ledger.decide_on(conn, p, True, self.user.name, at, comment, after):
                raise StoreError(N_("err.proposal_meanwhile"), id=p.id)

        self.store.apply(
            [Change(f, expected)],
            self.user.name,
            f"{comment} – {note}" if comment else note,
            on_commit=mark_decided,
        )
        return self._proposal(p.id)

    def close_done(self, proposal_id: int, comment: str = "") -> Proposal:
        """Close a pending proposal whose changes are already in the record (approved,
        nothing written to the record).

        Raises
        ------
        PermissionDenied
            For any other role than Kreis-Redaktion and Admin.
        StoreError
            Unknown or already decided proposal, or the record does not hold its changes.
        """
        self._require_district(N_("err.what.review"))
        p = self._pending(proposal_id)
        if not self.delta(p.id).applied:
            raise StoreError(N_("err.proposal_not_applied"), id=p.id)
        current = self.store.facility(p.record_id)
        at = self.store.clock().isoformat(timespec="seconds")
        version = current.version if current is not None else None
        if not self._ledger.decide(p, True, self.user.name, at, comment, version):
            raise StoreError(N_("err.proposal_meanwhile"), id=p.id)
        return self._proposal(p.id)

    def _pending(self, proposal_id: int) -> Proposal:
        p = self._proposal(proposal_id)
        if p.status != "pending":
            reviewed = moment(p.reviewed_at or "")
            raise StoreError(N_("err.proposal_decided"), id=p.id, by=p.reviewer, at=reviewed)
        return p

    # -- keeping the list current ------------------------------------------------------------
    def confirm_current(self, vg_key: str, comment: str = "") -> None:
        """Record that a VG's list of offers is current (date and person).

        Raises
        ------
        PermissionDenied
            For the public, and for a VG-Redaktion of another VG.
        StoreError
            Unknown VG key.
        """
        self._require_editor()
        if vg_key not in self.areas.vg_names:
            raise StoreError(N_("err.unknown_vg"), vg=vg_key)
        if self.role == "vg_editor" and vg_key not in self.user.vgs:
            raise PermissionDenied(N_("err.own_vg_confirm"), vgs=self._own_vgs())
        at = self.store.clock().isoformat(timespec="seconds")
        self._ledger.confirm(vg_key, self.user.name, at, comment)

    def confirmations(self) -> pd.DataFrame:
        """The latest confirmation per VG (``vg_key, vg, confirmed_by, confirmed_at, comment``).

        Raises
        ------
        PermissionDenied
            For the public.
        """
        self._require_editor()
        out = self._ledger.confirmations()
        out.insert(1, "vg", out["vg_key"].map(self.areas.vg_names))
        return out

    def stale_offers(self, today: dt.date) -> pd.DataFrame:
        """Active offers nobody verified for 12 months, per VG
        (:func:`dashboard.domain.staleness.stale_mask`).

        Parameters
        ----------
        today
            The reference day.

        Returns
        -------
        pandas.DataFrame
            ``vg_rs, vg, id, name, category, last_verified, vg_confirmed`` sorted by VG and
            name; a VG-Redaktion gets only its own VG(s).

        Raises
        ------
        PermissionDenied
            For the public.
        """
        self._require_editor()
        ctx = district_context(self.store, self.boundaries)
        rows = RoleView(ctx, self.user).active()
        if self.role == "vg_editor":
            rows = rows.loc[rows[_VG_RS].isin(self.user.vgs)]
        rows = rows.loc[stale_mask(rows, today, ctx.confirmations)]
        confirmed = pd.to_datetime(rows[_VG_RS].map(ctx.confirmations), errors="coerce")
        last = verified_dates(rows)
        out = pd.DataFrame(
            {
                "vg_rs": rows[_VG_RS].fillna("").astype(str),
                "vg": rows[_VG].fillna("").astype(str),
                "id": rows["id"],
                "name": rows["name"],
                "category": rows["category"],
                "last_verified": [None if pd.isna(d) else d.date() for d in last],
                "vg_confirmed": [None if pd.isna(d) else d.date() for d in confirmed],
            }
        )
        return out.sort_values(["vg", "name"]).reset_index(drop=True)

    # -- import (Kreis-Redaktion, Admin) ---------------------------------------------------
    def import_plan(self, plan: ImportPlan, *, skip_invalid: bool, comment: str) -> int:
        """Write the rows of a checked import plan in one transaction.

        Parameters
        ----------
        plan
            From :func:`dashboard.data.importer.plan_import` (against this store).
        skip_invalid
            Write the valid rows even if some are invalid (otherwise all or nothing).
        comment
            Kept in the history.

        Returns
        -------
        int
            Records written.

        Raises
        ------
        PermissionDenied
            Unless Kreis-Redaktion or Admin.
        ImportRejected
            Invalid rows and ``skip_invalid`` not set; nothing is written.
        StaleVersionError, StoreError
            The store refused; nothing is written.
        """
        self.require_import()
        return self.apply_changes(changes_of(plan, skip_invalid=skip_invalid), comment)

    # -- user management (Admin) -----------------------------------------------------------
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
            raise auth.UserError(f"Unbekannte Verbandsgemeinde: {', '.join(unknown)}")
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
