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

import pandas as pd

from dashboard.config import District
from dashboard.data import users as auth
from dashboard.data.importer import ImportPlan, changes_of
from dashboard.data.proposals import Proposal
from dashboard.data.store import (
    Change,
    StaleVersionError,
    Store,
    StoreBusy,
    StoreError,
    StoreUnavailable,
)
from dashboard.domain import privacy
from dashboard.domain.model import Facility
from dashboard.domain.roles import PUBLIC, User
from dashboard.domain.staleness import stale_mask, verified_dates
from dashboard.i18n.catalogue import N_, speak_for
from dashboard.services.accounts import AccountAdmin
from dashboard.services.context import Boundaries, district_context
from dashboard.services.review import ProposalReview
from dashboard.services.rights import PermissionDenied
from dashboard.services.signin import Session
from dashboard.services.view import RoleView

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


@dataclass(frozen=True)
class CheckedProposal:
    """A proposal that passed every check of :meth:`Workspace.propose_change`."""

    kind: str
    payload: Facility
    vg_key: str | None
    current: Facility | None


class Workspace(AccountAdmin, ProposalReview):
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
        self.areas = boundaries.areas  # places an offer in its Gemeinde and VG
        speak_for(boundaries.config)  # the messages of this session name its district

    @property
    def config(self) -> District:
        """The district of this workspace (keys, vintages, context areas)."""
        return self.boundaries.config

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

    def _check_place(self, current: Facility | None, new: Facility | None) -> str | None:
        """Refuse a change of an offer outside the user's VG(s), or a move out of them;
        return the new position's VG key."""
        new_vg = self.areas.vg_of(new) if new is not None else None
        if current is not None and not self.may_act_in(self.areas.vg_of(current)):
            raise PermissionDenied(N_("err.own_vg_change"), vgs=self.own_vgs_label())
        if new is not None and not self.may_act_in(new_vg):
            if current is None:
                raise PermissionDenied(N_("err.own_vg_add"), vgs=self.own_vgs_label())
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
        if not self.acts_everywhere():
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
        self.require_vg(vg_key, N_("err.own_vg_confirm"))
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
        rows = self.only_mine(RoleView(ctx, self.user).active())
        rows = rows.loc[stale_mask(rows, today, ctx.confirmations)]
        vg_rs, vg = f"vg_rs_{self.areas.vintage}", f"vg_{self.areas.vintage}"
        confirmed = pd.to_datetime(rows[vg_rs].map(ctx.confirmations), errors="coerce")
        last = verified_dates(rows)
        out = pd.DataFrame(
            {
                "vg_rs": rows[vg_rs].fillna("").astype(str),
                "vg": rows[vg].fillna("").astype(str),
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
