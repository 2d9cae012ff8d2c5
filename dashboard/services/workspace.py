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
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.config import CURRENT_VINTAGE, Settings
from dashboard.data import users as auth
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.locate import locate
from dashboard.data.proposals import Ledger, Proposal
from dashboard.data.store import Change, StaleVersionError, Store, StoreError
from dashboard.data.users import PUBLIC, Session, User
from dashboard.domain.model import FACILITY_FIELDS, SENSITIVE_CATEGORIES, Facility
from dashboard.domain.privacy import public_view, sensitive_counts

EDITORS = frozenset({"vg_editor", "district_editor", "admin"})
DISTRICT = frozenset({"district_editor", "admin"})
#: An offer counts as stale when nobody verified it for this long.
STALE_AFTER_MONTHS = 12
_VG = f"vg_{CURRENT_VINTAGE}"
_VG_RS = f"vg_rs_{CURRENT_VINTAGE}"


class PermissionDenied(Exception):
    """The user may not do this; the message says why in plain German."""


@dataclass(frozen=True)
class Areas:
    """The boundaries that place a facility in its Gemeinde and VG.

    Attributes
    ----------
    gemeinden, city
        Full-resolution boundaries (EPSG:4326) with ``ags`` and ``name``.
    membership
        Gemeinde -> VG table (:func:`dashboard.data.population.load_membership`).
    """

    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    membership: pd.DataFrame

    @classmethod
    def from_settings(cls, settings: Settings) -> Areas:
        """The shipped boundaries and membership table."""
        from dashboard.data.boundaries import load_layer
        from dashboard.data.population import load_membership

        return cls(
            load_layer(settings.geodata_dir, "gemeinden"),
            load_layer(settings.geodata_dir, "kaiserslautern_stadt"),
            load_membership(settings.datasets_dir),
        )

    @cached_property
    def vg_names(self) -> dict[str, str]:
        """Current VG key -> name."""
        return dict(zip(self.membership[_VG_RS], self.membership[_VG], strict=True))

    @cached_property
    def geocoder(self) -> Geocoder:
        """The import's geocoder over these boundaries."""
        return Geocoder(self.gemeinden, self.city)

    def locate(self, facilities: Iterable[Facility]) -> gpd.GeoDataFrame:
        """:func:`dashboard.data.locate.locate` against these boundaries."""
        return locate(list(facilities), self.gemeinden, self.city, self.membership)

    def vg_of(self, facility: Facility) -> str | None:
        """The current VG key a facility lies in (``None``: outside or no location)."""
        value = self.locate([facility])[_VG_RS].iloc[0]
        return None if pd.isna(value) else str(value)

    def vg_label(self, keys: Iterable[str | None]) -> str:
        """VG names for a message (``"Weilerbach, Landstuhl"``)."""
        names = [self.vg_names.get(k, k) if k else "ohne Verbandsgemeinde" for k in keys]
        return ", ".join(names)


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(y, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


class Workspace:
    """The store as one user may see and change it.

    Parameters
    ----------
    store
        The embedded store.
    user
        The signed-in user; ``None`` for the public.
    areas
        Boundaries for deriving the VG of a facility (:meth:`Areas.from_settings`).
    users_file
        The user file (for user management by an admin); default :func:`auth.users_path`.
    """

    def __init__(
        self,
        store: Store,
        user: User | None,
        areas: Areas,
        users_file: Path | None = None,
    ) -> None:
        self.store = store
        self.user = user or PUBLIC
        self.areas = areas
        self._users_file = users_file

    @classmethod
    def for_session(
        cls,
        store: Store,
        session: Session | None,
        now: dt.datetime,
        areas: Areas,
        users_file: Path | None = None,
    ) -> Workspace:
        """The workspace of a session; an expired session is refused.

        Raises
        ------
        PermissionDenied
            If the session has expired.
        """
        if session is None:
            return cls(store, None, areas, users_file)
        if not session.is_valid(now):
            raise PermissionDenied("Die Sitzung ist abgelaufen. Bitte neu anmelden.")
        return cls(store, session.user, areas, users_file)

    @cached_property
    def _ledger(self) -> Ledger:
        return Ledger(self.store.path)

    # -- rights ----------------------------------------------------------------------------
    @property
    def role(self) -> str:
        """The user's role code."""
        return self.user.role

    def can_propose(self) -> bool:
        """Whether the user may propose changes (any editor)."""
        return self.role in EDITORS

    def can_apply(self) -> bool:
        """Whether the user may change directly and review proposals."""
        return self.role in DISTRICT

    def import_allowed(self) -> bool:
        """Whether the user may import files (Kreis-Redaktion, Admin)."""
        return self.role in DISTRICT

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
            raise PermissionDenied("Importieren darf nur die Kreis-Redaktion oder ein Admin.")

    def _require_editor(self) -> None:
        if self.role not in EDITORS:
            raise PermissionDenied("Zum Ändern bitte als Redaktion anmelden.")

    def _require_district(self, what: str) -> None:
        self._require_editor()
        if self.role not in DISTRICT:
            raise PermissionDenied(f"{what} darf nur die Kreis-Redaktion oder ein Admin.")

    def _require_admin(self) -> None:
        if not self.can_manage_users():
            raise PermissionDenied("Benutzer verwalten darf nur ein Admin.")

    def _own_vgs(self) -> str:
        return self.areas.vg_label(self.user.vgs)

    def _check_place(self, current: Facility | None, new: Facility | None) -> str | None:
        """Refuse a VG-Redaktion outside its VG(s); return the new position's VG key."""
        new_vg = self.areas.vg_of(new) if new is not None else None
        if self.role != "vg_editor":
            return new_vg
        own = set(self.user.vgs)
        if current is not None and self.areas.vg_of(current) not in own:
            raise PermissionDenied(
                f"Nur Angebote in der eigenen Verbandsgemeinde ({self._own_vgs()}) können "
                "geändert werden."
            )
        if new is not None and new_vg not in own:
            if current is None:
                raise PermissionDenied(
                    f"Neue Angebote können nur in der eigenen Verbandsgemeinde "
                    f"({self._own_vgs()}) angelegt werden."
                )
            raise PermissionDenied(
                "Ein Angebot kann nicht in eine andere Verbandsgemeinde "
                f"({self.areas.vg_label([new_vg])}) verschoben werden; das kann nur die "
                "Kreis-Redaktion."
            )
        return new_vg

    def _validated(self, facility: Facility) -> Facility:
        """The import's rules: pydantic validation and a position inside the area."""
        f = Facility.model_validate(facility.model_dump())
        if f.lat is not None and f.lon is not None:
            ags = self.areas.geocoder.ags_at(f.lat, f.lon)
            if ags is None:
                raise StoreError(
                    "Nicht gespeichert: der Standort liegt außerhalb des Landkreises und der "
                    "Stadt Kaiserslautern."
                )
            if f.ags and f.ags != ags:
                raise StoreError(
                    f"Nicht gespeichert: der Gemeindeschlüssel {f.ags} passt nicht zum Standort "
                    f"({self.areas.geocoder.gemeinde_name(ags)})."
                )
        return f

    def _stale(self, record_id: str, expected: int, actual: int) -> StaleVersionError:
        conn = self._ledger.connect()
        try:
            row = conn.execute(
                "SELECT updated_by, updated_at FROM facilities WHERE id = ?", (record_id,)
            ).fetchone()
        finally:
            conn.close()
        by, at = (row["updated_by"], row["updated_at"]) if row else ("?", "?")
        return StaleVersionError(record_id, expected, actual, by or "?", at or "?")

    # -- reading ---------------------------------------------------------------------------
    def _sees(self, f: Facility) -> bool:
        if not f.sensitive or self.role in DISTRICT:
            return True
        return self.role == "vg_editor" and self.areas.vg_of(f) in set(self.user.vgs)

    def visible_facilities(self, include_closed: bool = True) -> list[Facility]:
        """The facilities this user may see as records (points).

        The public never gets a sensitive facility; a VG-Redaktion gets sensitive ones only
        in its own VG(s); the Kreis-Redaktion and admins get all.
        """
        facilities = self.store.facilities(include_closed=include_closed)
        if self.role in DISTRICT:
            return facilities
        if self.role == "public":
            return [f for f in facilities if not f.sensitive]
        sensitive = [f for f in facilities if f.sensitive]
        if not sensitive:
            return facilities
        located = self.areas.locate(sensitive)
        vgs = dict(zip(located["id"], located[_VG_RS], strict=True))
        own = set(self.user.vgs)
        return [f for f in facilities if not f.sensitive or vgs.get(f.id) in own]

    def visible_located(self, located: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        """A located frame (:func:`dashboard.data.locate.locate`) filtered like
        :meth:`visible_facilities`; for the public this is :func:`public_view`.
        """
        if self.role in DISTRICT:
            return located
        if self.role == "public":
            return public_view(located)
        keep = ~located["category"].isin(SENSITIVE_CATEGORIES) | located[_VG_RS].isin(self.user.vgs)
        return located.loc[keep].copy()

    def sensitive_counts(self, located: pd.DataFrame) -> pd.DataFrame:
        """The public count table of sensitive facilities per VG (:func:`sensitive_counts`)."""
        return sensitive_counts(located)

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
        self._require_editor()
        if self.role == "vg_editor":
            if record_id is None:
                raise PermissionDenied(
                    "Den gesamten Verlauf sieht nur die Kreis-Redaktion; bitte ein Angebot wählen."
                )
            f = self.store.facility(record_id)
            if f is not None and not self._sees(f):
                raise PermissionDenied("Dieses Angebot ist nur für die Kreis-Redaktion sichtbar.")
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
        self._require_editor()
        f = self._validated(facility)
        current = self.store.facility(f.id)
        vg = self._check_place(current, f)  # rights first: no hints about other VGs' records
        if expected_version is None:
            if current is not None:
                raise StoreError(f"Nicht gespeichert: die ID {f.id} ist schon vergeben.")
            kind = "add"
        else:
            if current is None:
                raise StoreError(f"Nicht gespeichert: {f.id} gibt es nicht (mehr).")
            if current.version != expected_version:
                raise self._stale(f.id, expected_version, current.version)
            if f.model_copy(update={"version": current.version}) == current:
                raise StoreError("Nichts vorzuschlagen: der Datensatz ist unverändert.")
            kind = "close" if current.status == "active" and f.status == "closed" else "change"
        at = self.store.clock().isoformat(timespec="seconds")
        payload = f.model_copy(update={"version": expected_version or 1})
        pid = self._ledger.add_proposal(
            kind, payload, expected_version, vg, self.user.name, at, comment, current
        )
        proposal = self._ledger.proposal(pid)
        assert proposal is not None
        return proposal

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
            raise StoreError(f"Nicht gespeichert: {record_id} gibt es nicht (mehr).")
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
        self._require_district("Direkt ändern")
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
        self._require_district("Direkt ändern")
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
        if self.role in DISTRICT:
            return found
        own = set(self.user.vgs)
        return [p for p in found if p.vg_key in own or p.author == self.user.name]

    def _proposal(self, proposal_id: int) -> Proposal:
        p = self._ledger.proposal(proposal_id)
        if p is None:
            raise StoreError(f"Den Vorschlag {proposal_id} gibt es nicht.")
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
            raise PermissionDenied("Diesen Vorschlag sieht nur die Kreis-Redaktion.")
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
        self._require_district("Vorschläge prüfen")
        p = self._proposal(proposal_id)
        if p.status != "pending":
            raise StoreError(
                f"Der Vorschlag {p.id} ist schon entschieden ({p.reviewer}, {p.reviewed_at})."
            )
        at = self.store.clock().isoformat(timespec="seconds")
        if approve:
            f = self._validated(p.facility)
            note = f"Vorschlag {p.id} von {p.author}"
            if p.comment:
                note += f" ({p.comment})"
            version_after = 1 if p.base_version is None else p.base_version + 1

            def mark_decided(conn: sqlite3.Connection) -> None:  # same transaction as the change
                if not self._ledger.decide_on(
                    conn, p, True, self.user.name, at, comment, version_after
                ):
                    raise StoreError(f"Der Vorschlag {p.id} wurde inzwischen entschieden.")

            self.store.apply(
                [Change(f, p.base_version)],
                self.user.name,
                f"{comment} – {note}" if comment else note,
                on_commit=mark_decided,
            )
        elif not self._ledger.decide(p, False, self.user.name, at, comment, None):
            raise StoreError(f"Der Vorschlag {p.id} wurde inzwischen entschieden.")
        return self._proposal(p.id)

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
            raise StoreError(f"Unbekannte Verbandsgemeinde {vg_key!r}.")
        if self.role == "vg_editor" and vg_key not in self.user.vgs:
            raise PermissionDenied(
                f"Nur die eigene Verbandsgemeinde ({self._own_vgs()}) kann als aktuell "
                "bestätigt werden."
            )
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

    def stale_offers(self, located: pd.DataFrame, today: dt.date) -> pd.DataFrame:
        """Active offers nobody verified for 12 months, per VG.

        An offer counts as verified on its ``last_verified`` date or on the last date its
        VG's list was confirmed as current (:meth:`confirm_current`), whichever is later.

        Parameters
        ----------
        located
            Facilities with VG columns (:func:`dashboard.data.locate.locate`).
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
        rows = self.visible_located(located)
        if "status" in rows:
            rows = rows.loc[rows["status"] == "active"]
        if self.role == "vg_editor":
            rows = rows.loc[rows[_VG_RS].isin(self.user.vgs)]
        confirmed = {
            row.vg_key: dt.date.fromisoformat(row.confirmed_at[:10])
            for row in self._ledger.confirmations().itertuples()
        }
        cutoff = _months_before(today, STALE_AFTER_MONTHS)
        records = []
        for row in rows.itertuples():
            vg_rs = getattr(row, _VG_RS)
            vg_rs = "" if pd.isna(vg_rs) else str(vg_rs)
            last = _as_date(row.last_verified)
            vg_confirmed = confirmed.get(vg_rs)
            days = [d for d in (last, vg_confirmed) if d is not None]
            if days and max(days) >= cutoff:
                continue
            vg = getattr(row, _VG)
            records.append(
                {
                    "vg_rs": vg_rs,
                    "vg": "" if pd.isna(vg) else str(vg),
                    "id": row.id,
                    "name": row.name,
                    "category": row.category,
                    "last_verified": last,
                    "vg_confirmed": vg_confirmed,
                }
            )
        columns = ["vg_rs", "vg", "id", "name", "category", "last_verified", "vg_confirmed"]
        out = pd.DataFrame(records, columns=columns)
        return out.sort_values(["vg", "name"]).reset_index(drop=True)

    # -- user management (Admin) -----------------------------------------------------------
    @property
    def users_file(self) -> Path:
        """The user file this workspace manages."""
        return self._users_file or auth.users_path()

    def list_users(self) -> list[User]:
        """All accounts (Admin).

        Raises
        ------
        PermissionDenied
        """
        self._require_admin()
        return auth.list_users(self.users_file)

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
        return auth.add_user(self.users_file, name, password, role, vgs, clock=self.store.clock)

    def remove_user(self, name: str) -> None:
        """Delete an account (Admin).

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        auth.remove_user(self.users_file, name)

    def set_password(self, name: str, password: str) -> None:
        """Set a new password for an account (Admin).

        Raises
        ------
        PermissionDenied, auth.UserError
        """
        self._require_admin()
        auth.set_password(self.users_file, name, password)
