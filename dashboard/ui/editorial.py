"""What the editing, review and user pages show: offer labels, form values, display tables.

No rights decisions here: the rights are
:class:`dashboard.services.workspace.Workspace`'s; these functions only shape what a
workspace returns for display (text only, never HTML).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.domain.model import CATEGORIES, Facility
from dashboard.domain.roles import User
from dashboard.i18n.catalogue import field_label, label, t
from dashboard.i18n.format import fmt_date, fmt_datetime
from dashboard.services.editorial import InvalidEdit, Proposal

#: How a position is set in the form.
POSITION_MODES: tuple[str, ...] = ("keep", "coords", "address", "map")


def offer_label(row: Mapping[str, object], lang: str) -> str:
    """``Name (Gemeinde)``, marked when closed."""
    place = row.get("gemeinde_name") or row.get("place") or ""
    label = f"{row['name']} ({place})" if isinstance(place, str) and place else str(row["name"])
    if row.get("status") == "closed":
        label += " – " + t("edit.closed_suffix", lang)
    return label


def _date_text(value: dt.date | str | None) -> str:
    """A date as typed into the form (German notation, which the form reads in every language)."""
    return fmt_date(value, "de") if value else ""


def form_defaults(facility: Facility | None) -> dict[str, object]:
    """Start values of the edit form: the stored record, or empty for a new offer."""
    if facility is None:
        return {
            "name": "", "category": "Verein", "handlungsfelder": [], "operator": "",
            "street": "", "postcode": "", "place": "", "languages": "", "target_groups": "",
            "contact": "", "capacity": "", "source": "",
            "reference_date": _date_text(dt.date.today()), "last_verified": "",
            "status": "active",
        }  # fmt: skip
    return {
        "name": facility.name,
        "category": facility.category,
        "handlungsfelder": list(facility.handlungsfelder),
        "operator": facility.operator,
        "street": facility.street,
        "postcode": facility.postcode,
        "place": facility.place,
        "languages": ", ".join(facility.languages),
        "target_groups": ", ".join(facility.target_groups),
        "contact": facility.contact,
        "capacity": "" if facility.capacity is None else str(facility.capacity),
        "source": facility.source,
        "reference_date": _date_text(facility.reference_date),
        "last_verified": _date_text(facility.last_verified),
        "status": facility.status,
    }


def position_values(
    mode: str, lat: float | None = None, lon: float | None = None
) -> dict[str, object]:
    """Values that place the offer, for :func:`dashboard.data.importer.edits.facility_from_values`.

    Parameters
    ----------
    mode
        ``keep`` (the stored position), ``coords`` or ``map`` (``lat``/``lon``, exact), or
        ``address`` (PLZ and Ort of the form through the geocoder).
    lat, lon
        WGS84 for ``coords`` and ``map``.
    """
    if mode not in POSITION_MODES:
        raise ValueError(f"unknown position mode {mode!r}")
    if mode == "keep":
        return {}
    if mode == "address":
        return {"lat": "", "lon": ""}
    return {
        "lat": "" if lat is None else round(float(lat), 6),
        "lon": "" if lon is None else round(float(lon), 6),
    }


def problems_table(error: InvalidEdit, lang: str) -> pd.DataFrame:
    """One row per problem: field (label), reason, value."""
    return pd.DataFrame(
        [
            {
                t("edit.col.field", lang): field_label(p.field, lang),
                t("edit.col.problem", lang): p.problem_text(lang),
                t("edit.col.value", lang): p.value,
            }
            for p in error.problems
        ],
        columns=[
            t("edit.col.field", lang),
            t("edit.col.problem", lang),
            t("edit.col.value", lang),
        ],
    )


def proposal_title(p: Proposal, vg_names: Mapping[str, str], lang: str) -> str:
    """One line naming a proposal: number, kind, offer, VG, author, time."""
    return t(
        "rev.item",
        lang,
        id=p.id,
        kind=t(f"kind.{p.kind}", lang),
        name=p.facility.name,
        vg=vg_names.get(p.vg_key or "", "–"),
        author=p.author,
        at=fmt_datetime(p.created, lang),
    )


def proposals_table(
    proposals: Iterable[Proposal], vg_names: Mapping[str, str], lang: str
) -> pd.DataFrame:
    """Proposals with their review (newest decision first)."""
    items = sorted(proposals, key=lambda p: (p.reviewed_at or p.created, p.id), reverse=True)
    columns = [
        "col.no", "col.kind", "col.offer", "col.vg_name", "col.author", "col.created", "col.reason",
        "col.status", "col.reviewer", "col.reviewed_at", "col.review_comment",
    ]  # fmt: skip
    rows = [
        [
            p.id,
            t(f"kind.{p.kind}", lang),
            p.facility.name,
            vg_names.get(p.vg_key or "", ""),
            p.author,
            fmt_datetime(p.created, lang),
            p.comment,
            t(f"pstatus.{p.status}", lang),
            p.reviewer or "",
            fmt_datetime(p.reviewed_at, lang),
            p.review_comment or "",
        ]
        for p in items
    ]
    return pd.DataFrame(rows, columns=[t(c, lang) for c in columns])


def _record_name(after: object, before: object) -> str:
    for text in (after, before):
        if isinstance(text, str) and text:
            try:
                return str(json.loads(text).get("name", ""))
            except ValueError:
                continue
    return ""


def history_display(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The change history: when, who, what, which offer (name and id), comment."""

    return pd.DataFrame(
        {
            t("col.when", lang): [fmt_datetime(a, lang) for a in history["at"]],
            t("col.author", lang): list(history["author"]),
            t("col.action", lang): [label("action", a, lang) for a in history["action"]],
            t("col.offer", lang): [
                _record_name(a, b) for a, b in zip(history["after"], history["before"], strict=True)
            ],
            t("f.record", lang): list(history["record_id"]),
            t("col.review_comment", lang): list(history["comment"].fillna("")),
        }
    )


def stale_table(stale: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:meth:`Workspace.stale_offers` for display."""
    return pd.DataFrame(
        {
            t("col.vg_name", lang): list(stale["vg"]),
            t("f.name", lang): list(stale["name"]),
            t("f.category", lang): [str(CATEGORIES[c][lang]) for c in stale["category"]],
            t("f.last_verified", lang): [fmt_date(d, lang) for d in stale["last_verified"]],
            t("edit.col.vg_confirmed", lang): [fmt_date(d, lang) for d in stale["vg_confirmed"]],
            t("f.id", lang): list(stale["id"]),
        }
    )


def confirmation_line(confirmations: pd.DataFrame, vg_key: str, vg: str, lang: str) -> str:
    """When and by whom a VG's list was last confirmed as current."""
    rows = confirmations.loc[confirmations["vg_key"] == vg_key]
    if rows.empty:
        return t("edit.confirm_never", lang, vg=vg)
    row = rows.iloc[-1]
    return t(
        "edit.confirm_last",
        lang,
        vg=vg,
        date=fmt_datetime(str(row["confirmed_at"]), lang),
        by=row["confirmed_by"],
    )


def users_table(users: Iterable[User], vg_names: Mapping[str, str], lang: str) -> pd.DataFrame:
    """Accounts without any secret: name, role, VGs, creation date."""
    return pd.DataFrame(
        [
            {
                t("users.col.name", lang): u.name,
                t("users.col.role", lang): t(f"role.{u.role}", lang),
                t("users.col.vgs", lang): ", ".join(vg_names.get(v, v) for v in u.vgs),
                t("users.col.created", lang): fmt_datetime(u.created, lang),
            }
            for u in users
        ],
        columns=[
            t("users.col.name", lang),
            t("users.col.role", lang),
            t("users.col.vgs", lang),
            t("users.col.created", lang),
        ],
    )
