"""The concept's projects through the service: who may read, propose, change and review
them; the imported lists; the files and the Sachstandsbericht.

The public reads every project without internal notes and account names; a VG-Redaktion
proposes new projects placed in its own VG(s) and changes or status changes of projects
taking place there (and reads their internal notes); the Kreis-Redaktion and admins add,
change and move projects directly, review proposals and import lists. Pages and the
command line use :func:`project_desk`; what each user reads comes from
:meth:`dashboard.services.view.RoleView.projects` (:mod:`dashboard.domain.privacy`
decides), every write goes through :class:`dashboard.data.projects.ProjectLedger` in one
transaction with its history row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.analysis.projects import (
    Documented,
    StateRow,
    select,
    state,
    vgs_of,
)
from dashboard.data.importer import RawTable
from dashboard.data.importer.edits import InvalidEdit
from dashboard.data.importer.labels import FORM
from dashboard.data.project_import import (
    ProjectImportPlan,
    new_project_id,
    plan_project_import,
)
from dashboard.data.project_rows import PlaceBook, record_from_row
from dashboard.data.projects import (
    ProjectLedger,
    ProjectProposal,
    concept_frame,
    locate_projects,
)
from dashboard.domain import privacy
from dashboard.domain.projects import ProjectRecord, check_transition, with_status
from dashboard.domain.viewstate import ViewState
from dashboard.export.projects import list_file, xlsx_bytes
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, N_, Nn_, district_values
from dashboard.i18n.format import fmt_date
from dashboard.i18n.message import Message
from dashboard.render.print.sachstand import sachstand_pdf
from dashboard.render.projects_text import sachstand_sheets
from dashboard.services.project_files import read_list
from dashboard.services.view import RoleView
from dashboard.services.workspace import PermissionDenied, StoreError, Workspace

__all__ = [
    "InvalidProject",
    "ProjectDesk",
    "ProjectImportPlan",
    "ProjectProposal",
    "ProjectRecord",
    "Saved",
    "project_desk",
]


#: The values of a form are invalid; ``problems`` names field, problem and value (the
#: edit form's error, :class:`dashboard.data.importer.edits.InvalidEdit`).
InvalidProject = InvalidEdit


@dataclass(frozen=True)
class Saved:
    """What a save did: ``stored`` (written directly) or ``proposal`` (waiting for review)."""

    stored: ProjectRecord | None = None
    proposal: ProjectProposal | None = None


class ProjectDesk:
    """The projects as one user may see and change them.

    Parameters
    ----------
    ws
        The user's workspace (store, user, boundaries).
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.ledger = ProjectLedger(ws.store.db)

    # -- reading ---------------------------------------------------------------------------
    @property
    def role(self) -> str:
        """The user's role code."""
        return self.ws.role

    def view(self) -> RoleView:
        """The user's view at the store's current data version."""
        return self.ws.view()

    def records(self) -> list[ProjectRecord]:
        """Every project as the user may see it, ordered by id."""
        return self.view().projects()

    def record(self, project_id: str) -> ProjectRecord | None:
        """One project as the user may see it, or ``None``."""
        return next((r for r in self.records() if r.id == project_id), None)

    def filtered(
        self, state_: ViewState, statuses: Iterable[str] = (), arbeitskreise: Iterable[str] = ()
    ) -> list[ProjectRecord]:
        """The projects matching the shared view (VG of its vintage, Handlungsfelder) and
        the page's own filters (statuses, Arbeitskreise)."""
        view = self.view()
        state_ = view.resolved(state_)
        return select(
            view.projects(), vg=state_.vg, vg_of_ags=view.vg_of_ags(state_.vintage),
            handlungsfelder=state_.handlungsfelder, arbeitskreise=tuple(arbeitskreise),
            statuses=tuple(statuses),
        )  # fmt: skip

    def project_vgs(self, record: ProjectRecord, vintage: int | None = None) -> set[str]:
        """The VGs (of ``vintage``; default the current one) a project takes place in."""
        return vgs_of(record, self.view().vg_of_ags(vintage))

    def documented(self) -> Documented:
        """How many projects are documented, of how many the concept proposes."""
        proposed, source, date = concept_frame(self.ws.store.datasets_dir)
        return Documented(len(self.records()), proposed, source, date)

    # -- rights (the workspace's one rule, :mod:`dashboard.services.rights`) ---------------
    def can_apply(self) -> bool:
        """Whether the user changes projects directly (Kreis-Redaktion, Admin)."""
        return self.ws.can_apply()

    def can_propose(self) -> bool:
        """Whether the user may propose projects (any editor)."""
        return self.ws.can_propose()

    def may_change(self, record: ProjectRecord) -> bool:
        """Whether the user may change (or propose a change of) a stored project: one that
        takes place in a VG the user acts in (every project for the Kreis-Redaktion)."""
        if self.ws.acts_everywhere():
            return True
        return self.can_propose() and any(self.ws.may_act_in(v) for v in self.project_vgs(record))

    def _require_editor(self) -> None:
        if not self.can_propose():
            raise PermissionDenied(N_("err.sign_in_to_edit"))

    def _require_district(self, what: str) -> None:
        self._require_editor()
        if not self.ws.acts_everywhere():
            raise PermissionDenied(N_("err.district_only"), what=Message.of(what))

    def _own_vgs(self, record: ProjectRecord) -> set[str]:
        """A VG-Redaktion's check: the record (as it would be) lies in VGs it acts in only."""
        located = locate_projects([record], self.ws.areas, self.view().facilities())[0]
        vgs = self.project_vgs(located)
        if not vgs or not all(self.ws.may_act_in(v) for v in vgs):
            raise PermissionDenied(N_("proj.err.own_vg"), vgs=self.ws.own_vgs_label())
        return vgs

    # -- forms -----------------------------------------------------------------------------
    def book(self) -> PlaceBook:
        """What the places of a form or list are checked against (the user's offers)."""
        geo = self.ws.areas.geocoder
        offers = frozenset(self.view().facilities()["id"].astype(str))
        return PlaceBook(geo.find_gemeinde, self.ws.areas.vg_names, offers, geo.ags_at)

    def _now(self) -> str:
        return self.ws.store.clock().isoformat(timespec="seconds")

    def from_form(self, values: Mapping[str, object], base: ProjectRecord | None) -> ProjectRecord:
        """A record from the form's values (text or lists), checked like a list's row.

        Raises
        ------
        InvalidProject
            With one problem per invalid field.
        """
        row = {
            k: "; ".join(map(str, v))
            if isinstance(v, list | tuple)
            else ("" if v is None else str(v))
            for k, v in values.items()
        }
        stored = self.ledger.record(base.id) if base is not None else None
        taken = {r.id for r in self.ledger.records()}
        new_id = new_project_id(row.get("title", ""), taken) if stored is None else ""
        record, problems = record_from_row(
            row, self.book(), label=FORM, base=stored, new_id=new_id, author=self.ws.user.name, at=self._now()
        )  # fmt: skip
        if record is None:
            raise InvalidProject(problems)
        return record

    # -- writing ---------------------------------------------------------------------------
    def save(self, record: ProjectRecord, expected_version: int | None, comment: str = "") -> Saved:
        """Save a new or changed project (Kreis-Redaktion) or propose it (VG-Redaktion).

        Raises
        ------
        PermissionDenied
            The public; a VG-Redaktion for a project outside its own VG(s).
        StaleVersionError, StoreError
            The project changed since it was loaded, or its id is taken or gone.
        """
        self._require_editor()
        checked = ProjectRecord.model_validate(record.model_dump())
        if self.can_apply():
            (stored,) = self.ledger.save(
                [(checked, expected_version)], self.ws.user.name, self._now(), comment
            )
            return Saved(stored=stored)
        current = self.ledger.record(checked.id) if expected_version is not None else None
        if current is not None:
            self._own_vgs(current)
        vgs = self._own_vgs(checked)
        kind = "add" if expected_version is None else "change"
        pid = self.ledger.add_proposal(
            kind, checked, expected_version, sorted(vgs), self.ws.user.name, self._now(), comment
        )
        return Saved(proposal=self.ledger.proposal(pid))

    def move(
        self,
        project_id: str,
        status: str,
        on: str,
        note: str,
        expected_version: int,
        comment: str = "",
    ) -> Saved:
        """Move a project to another status with its date and a note (or propose it).

        Raises
        ------
        PermissionDenied, StaleVersionError, StoreError
            As :meth:`save`; a change that is not allowed (``proj.err.transition``).
        """
        self._require_editor()
        current = self.ledger.record(project_id)
        if current is None:
            raise StoreError(N_("err.gone"), id=project_id)
        try:
            check_transition(current.status, status)
        except ValueError as exc:
            raise StoreError(
                N_("proj.err.transition"),
                before=Message.of(f"project.status.{current.status}"),
                after=Message.of(f"project.status.{status}"),
            ) from exc
        try:
            moved = with_status(current, status, on, self.ws.user.name, note, self._now())
        except ValueError as exc:
            raise StoreError(
                N_("proj.err.status_date"), date=fmt_date(current.since(), DEFAULT_LANGUAGE)
            ) from exc
        if self.can_apply():
            (stored,) = self.ledger.save(
                [(moved, expected_version)],
                self.ws.user.name,
                self._now(),
                comment or note,
                action="status",
            )
            return Saved(stored=stored)
        vgs = self._own_vgs(current)
        pid = self.ledger.add_proposal(
            "status",
            moved,
            expected_version,
            sorted(vgs),
            self.ws.user.name,
            self._now(),
            comment or note,
        )
        return Saved(proposal=self.ledger.proposal(pid))

    def proposals(self, status: str | None = "pending") -> list[ProjectProposal]:
        """Proposals the user may see: all for the Kreis-Redaktion; a VG-Redaktion those of
        its VG(s) and its own.

        Raises
        ------
        PermissionDenied
            For the public.
        """
        self._require_editor()
        found = self.ledger.proposals(status)
        if self.can_apply():
            return found
        own = set(self.ws.user.vgs)
        return [p for p in found if own & set(p.vg_keys) or p.author == self.ws.user.name]

    def review(self, proposal_id: int, approve: bool, comment: str = "") -> ProjectProposal:
        """Approve (write) or reject a pending proposal (Kreis-Redaktion, Admin).

        Raises
        ------
        PermissionDenied
            For any other role.
        StaleVersionError
            The project changed since the proposal was made; it stays pending.
        StoreError
            Unknown or decided proposal.
        """
        self._require_district(N_("err.what.review"))
        p = self.ledger.proposal(proposal_id)
        if p is None:
            raise StoreError(N_("err.no_proposal"), id=proposal_id)
        if p.status != "pending":
            raise StoreError(N_("err.proposal_decided"), id=p.id, by=p.reviewer, at=p.reviewed_at)
        at, who = self._now(), self.ws.user.name
        note = f"Vorschlag {p.id} von {p.author}" + (f" ({p.comment})" if p.comment else "")
        with self.ledger.write() as conn:
            if approve:
                action = (
                    "status"
                    if p.kind == "status"
                    else ("add" if p.base_version is None else "change")
                )
                self.ledger.save_on(
                    conn,
                    p.record,
                    p.base_version,
                    who,
                    at,
                    f"{comment} – {note}" if comment else note,
                    action,
                )
            if not self.ledger.decide_on(conn, p, approve, who, at, comment):
                raise StoreError(N_("err.proposal_meanwhile"), id=p.id)
        decided = self.ledger.proposal(p.id)
        assert decided is not None
        return decided

    def history(self, project_id: str | None = None) -> pd.DataFrame:
        """The projects' change history (editors; a VG-Redaktion for the projects of its
        VG(s) only, since it holds internal notes and account names).

        Raises
        ------
        PermissionDenied
            For the public; for a VG-Redaktion asking for the whole history or another
            VG's project.
        """
        if not privacy.may_read_history(self.role):
            raise PermissionDenied(N_("err.history_editors"))
        if not self.can_apply():
            record = self.record(project_id) if project_id else None
            if record is None or not self.may_change(record):
                raise PermissionDenied(N_("err.history_whole"))
        return self.ledger.history(project_id)

    # -- lists -----------------------------------------------------------------------------
    def plan_upload(self, name: str, data: bytes) -> ProjectImportPlan:
        """Read an uploaded project list (XLSX or CSV) and check every row (writes nothing).

        Raises
        ------
        PermissionDenied, dashboard.services.importing.ReadError
        """
        self.ws.require_import()
        return self._plan(*read_list(name, data))

    def plan_file(self, path: Path) -> ProjectImportPlan:
        """:meth:`plan_upload` for a file on the server's disk (the command line)."""
        self.ws.require_import()
        return self._plan(*read_list(path, None))

    def _plan(self, name: str, raw: RawTable) -> ProjectImportPlan:
        return plan_project_import(
            raw, name, self.book(), self.ledger.records(), author=self.ws.user.name, at=self._now()
        )

    def import_list(self, plan: ProjectImportPlan, *, skip_invalid: bool, comment: str = "") -> int:
        """Write a checked list in one transaction: every row, or with ``skip_invalid`` the
        valid ones; nothing when a row is invalid and ``skip_invalid`` is not set.

        Raises
        ------
        PermissionDenied
            Unless Kreis-Redaktion or Admin.
        StoreError
            Invalid rows without ``skip_invalid`` (``proj.err.rows``); nothing written.
        StaleVersionError
            A listed project changed since the list was checked; nothing written.
        """
        self.ws.require_import()
        if plan.problems and not skip_invalid:
            raise StoreError(Nn_("proj.err.rows"), n=plan.n_invalid, file=plan.name)
        rows = [(r.record, r.base_version) for r in plan.valid if r.record is not None]
        if not rows:
            return 0
        note = comment or f"Liste {plan.name}"
        return len(self.ledger.save(rows, self.ws.user.name, self._now(), note))

    # -- reports ---------------------------------------------------------------------------
    def names(self) -> dict[str, str]:
        """Gemeinde, VG (current vintage) and offer keys -> names, for places in words."""
        geo = self.ws.areas.geocoder
        areas = self.ws.areas
        out = {str(a): geo.gemeinde_name(str(a)) for a in areas.membership["ags"]}
        out |= {k: v for k, v in areas.vg_names.items()}
        offers = self.view().facilities()
        out |= dict(zip(offers["id"].astype(str), offers["name"].astype(str), strict=True))
        return out

    def may_read_internal(self) -> bool:
        """Whether the user may make the internal version of a file or report (the
        Kreisverwaltung: every internal note)."""
        return privacy.sees_all(self.role)

    def _readable(self, internal: bool) -> list[ProjectRecord]:
        if internal and not self.may_read_internal():
            raise PermissionDenied(N_("proj.err.internal"))
        records = self.records()
        if internal:
            return records
        return [privacy.project_for(r, "public", (), ()) for r in records]

    def state(self, day: dt.date, since: dt.date, *, internal: bool = False) -> list[StateRow]:
        """Every project's status on ``day`` and ``since`` and the changes between: as the
        public sees them, or (``internal``, the Kreisverwaltung only) with internal notes.

        Raises
        ------
        PermissionDenied
            ``internal`` for anyone but the Kreis-Redaktion or an admin.
        """
        if since > day:
            raise StoreError(N_("proj.report.order"))
        return state(self._readable(internal), day, since)

    def list_file(self, lang: str, fmt: str = "xlsx", *, internal: bool = False) -> bytes:
        """The project list as XLSX or CSV (the import reads it back); public unless
        ``internal`` (Kreisverwaltung only)."""
        return list_file(self._readable(internal), self.names(), lang, fmt, internal=internal)

    def sachstand(
        self, day: dt.date, since: dt.date, lang: str, fmt: str = "pdf", *, internal: bool = False
    ) -> bytes:
        """The Sachstandsbericht on ``day`` with the changes since ``since``, as ``pdf`` or
        ``xlsx``: the public version, or (``internal``) the Kreisverwaltung's with notes.

        Raises
        ------
        PermissionDenied
            ``internal`` for anyone but the Kreis-Redaktion or an admin.
        StoreError
            ``since`` after ``day``.
        ValueError
            An unknown format.
        """
        rows = self.state(day, since, internal=internal)
        documented, names = self.documented(), self.names()
        if fmt == "pdf":
            return sachstand_pdf(
                rows, day=day, since=since, documented=documented, names=names,
                district=district_values(lang)["district"], lang=lang, internal=internal,
            )  # fmt: skip
        if fmt == "xlsx":
            sheets = sachstand_sheets(
                rows, day=day, since=since, documented=documented, names=names, lang=lang,
                internal=internal,
            )  # fmt: skip
            return xlsx_bytes(sheets)
        raise ValueError(f"unknown format {fmt!r}; expected pdf or xlsx")


def project_desk(ws: Workspace) -> ProjectDesk:
    """The projects of a workspace's store as its user may see and change them."""
    return ProjectDesk(ws)
