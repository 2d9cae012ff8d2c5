"""Editing offers through the form: validated like an import row, then saved or proposed.

The edit page calls :func:`save_form` and :func:`close`; the rights are the workspace's
(:class:`~dashboard.services.workspace.Workspace`): the Kreis-Redaktion saves directly, a
VG-Redaktion proposes for review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd

from dashboard.data.importer.edits import InvalidEdit, facility_from_values
from dashboard.data.proposals import Proposal
from dashboard.domain.model import Facility
from dashboard.services.workspace import Workspace

__all__ = [
    "InvalidEdit", "Outcome", "Proposal", "close", "editable_offers", "own_vgs", "pending_for",
    "save_form",
]  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What happened: ``stored`` (saved directly) or ``proposal`` (waiting for review)."""

    stored: Facility | None = None
    proposal: Proposal | None = None


def editable_offers(ws: Workspace) -> gpd.GeoDataFrame:
    """The offers this user may pick for editing, sorted by name: for a VG-Redaktion only
    those in its own VG(s), since it may change nothing else."""
    rows = ws.only_mine(ws.view().facilities())
    return rows.sort_values(["name", "id"]).reset_index(drop=True)


def pending_for(ws: Workspace, record_id: str) -> Proposal | None:
    """The newest proposal for a record still waiting for review that this user may see
    (``None``: none, or the user may not see proposals)."""
    if not record_id or not ws.can_propose():
        return None
    waiting = [p for p in ws.proposals("pending") if p.record_id == record_id]
    return max(waiting, key=lambda p: (p.created, p.id)) if waiting else None


def own_vgs(ws: Workspace) -> dict[str, str]:
    """VGs whose list the user may confirm: its own (VG-Redaktion) or all (Kreis-Redaktion)."""
    return ws.my_vgs()


def save_form(
    ws: Workspace, base: Facility | None, values: Mapping[str, object], comment: str
) -> Outcome:
    """Validate form values like an import row, then save (Kreis-Redaktion) or propose.

    Raises
    ------
    InvalidEdit
        Invalid values (one problem per field).
    dashboard.services.workspace.PermissionDenied, dashboard.services.workspace.StoreError
        Refused by the workspace (rights, stale version, nothing changed, ...).
    """
    record = facility_from_values(values, ws.areas.geocoder, base)
    version = base.version if base else None
    if ws.can_apply():
        return Outcome(stored=ws.apply_change(record, version, comment))
    return Outcome(proposal=ws.propose_change(record, version, comment))


def close(ws: Workspace, base: Facility, comment: str) -> Outcome:
    """Close an offer (Kreis-Redaktion) or propose its closure.

    Raises
    ------
    dashboard.services.workspace.PermissionDenied, dashboard.services.workspace.StoreError
        Refused by the workspace.
    """
    if ws.can_apply():
        closed = base.model_copy(update={"status": "closed"})
        return Outcome(stored=ws.apply_change(closed, base.version, comment))
    return Outcome(proposal=ws.propose_close(base.id, base.version, comment))
