"""Proposals and their review (mixed into the workspace): who sees which proposal, the
field-by-field comparison, and the Kreis-Redaktion's decision in the change's transaction."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from dashboard.data.proposals import Ledger, Proposal
from dashboard.data.store import Change, Connection, Store, StoreError
from dashboard.domain.model import FACILITY_FIELDS, Facility
from dashboard.i18n.catalogue import N_
from dashboard.services.rights import PermissionDenied, Rights


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


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

    def diff(self, proposal_id: int) -> pd.DataFrame:
        """Field-by-field comparison of a proposal with the stored record.

        Returns
        -------
        pandas.DataFrame
            Columns ``field``, ``before``, ``after`` (text), one row per differing field
            (all filled fields for an addition); versions are left out.

        Raises
        ------
        PermissionDenied
            If the user may not see the proposal.
        """
        self._require_editor()
        p = self._proposal(proposal_id)
        if p.id not in {q.id for q in self.proposals(status=None)}:
            raise PermissionDenied(N_("err.proposal_district"))
        current = self.store.facility(p.record_id) if p.kind != "add" else None
        before = current.model_dump(mode="json") if current else {}
        after = p.facility.model_dump(mode="json")
        rows = []
        for key in FACILITY_FIELDS:
            if key == "version":
                continue
            a, b = before.get(key), after.get(key)
            if key in ("lat", "lon") and a is not None and b is not None and abs(a - b) < 5e-7:
                continue
            if _shown(a) != _shown(b):
                rows.append({"field": key, "before": _shown(a), "after": _shown(b)})
        return pd.DataFrame(rows, columns=["field", "before", "after"])

    def review(self, proposal_id: int, approve: bool, comment: str = "") -> Proposal:
        """Approve (apply) or reject a pending proposal (Kreis-Redaktion, Admin).

        Approving applies the proposal through :meth:`dashboard.data.store.Store.apply` with the
        proposal's base version. Both decisions are recorded with reviewer, time and comment
        (in the proposal and in the history).

        Returns
        -------
        Proposal
            The decided proposal.

        Raises
        ------
        PermissionDenied
            For any other role.
        StaleVersionError
            The record changed since the proposal was made; the proposal stays pending.
        StoreError
            Unknown or already decided proposal, or the store refused the change.
        """
        self._require_district(N_("err.what.review"))
        p = self._proposal(proposal_id)
        if p.status != "pending":
            raise StoreError(N_("err.proposal_decided"), id=p.id, by=p.reviewer, at=p.reviewed_at)
        at = self.store.clock().isoformat(timespec="seconds")
        if approve:
            f = self._validated(p.facility)
            note = f"Vorschlag {p.id} von {p.author}"
            if p.comment:
                note += f" ({p.comment})"
            version_after = 1 if p.base_version is None else p.base_version + 1

            def mark_decided(conn: Connection) -> None:  # same transaction as the change
                if not self._ledger.decide_on(
                    conn, p, True, self.user.name, at, comment, version_after
                ):
                    raise StoreError(N_("err.proposal_meanwhile"), id=p.id)

            self.store.apply(
                [Change(f, p.base_version)],
                self.user.name,
                f"{comment} – {note}" if comment else note,
                on_commit=mark_decided,
            )
        elif not self._ledger.decide(p, False, self.user.name, at, comment, None):
            raise StoreError(N_("err.proposal_meanwhile"), id=p.id)
        return self._proposal(p.id)
