"""Proposals and their review (mixed into the workspace): who sees which proposal, what a
proposal would change in the record now (:mod:`dashboard.domain.review`), and the
Kreis-Redaktion's decision in the change's transaction."""

from __future__ import annotations

from functools import cached_property

from dashboard.data.proposals import Ledger, Proposal
from dashboard.data.store import Change, Connection, Store, StoreError
from dashboard.domain.model import Facility
from dashboard.domain.review import Delta, proposal_delta, rebased
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import Message, moment
from dashboard.services.rights import PermissionDenied, Rights


class ProposalReview(Rights):
    """The proposals as one user may see and decide them."""

    store: Store

    @cached_property
    def _ledger(self) -> Ledger:
        return Ledger(self.store.db)

    def _validated(self, facility: Facility) -> Facility:
        raise NotImplementedError  # the workspace's checks of a record

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
        return [p for p in found if self.may_act_in(p.vg_key) or p.author == self.user.name]

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
