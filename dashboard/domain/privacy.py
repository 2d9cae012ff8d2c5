"""The privacy rules: who may see which offer, and what the others see instead.

This module is the only home of these rules; the service
(:mod:`dashboard.services.view`) applies them to every page, export, report,
presentation and command-line output.

* **Sensitive categories** (:data:`SENSITIVE_CATEGORIES`, the categories marked
  ``sensitive`` in :data:`dashboard.domain.model.CATEGORIES`: today "Unterkunft",
  accommodation for refugees) are never drawn as points, for anyone.
* **Records**: the Kreis-Redaktion and admins see every record. A VG-Redaktion sees
  sensitive records of its own VG(s) only. The public never receives a sensitive record:
  not as a point, a list row, a search hit, a filter option, a download, an analysis input
  or a report line (:func:`visible`).
* **Counts**: whoever may not see a sensitive record gets it only as a count per VG of the
  current boundary vintage and category, with 1 to 4 shown as ``"<5"``
  (:func:`sensitive_counts`); no total over VGs and no count below VG level, so a hidden
  count cannot be worked out by subtraction.
* **History**: the change history holds earlier positions, comments and account names; it
  is for editors only (:func:`may_read_history`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from dashboard.domain.model import CATEGORIES, Facility
from dashboard.domain.roles import DISTRICT_ROLES, EDITOR_ROLES, User, acts_in
from dashboard.i18n.format import fmt_int

#: Categories that are never shown as points and never reach the public as records.
SENSITIVE_CATEGORIES: frozenset[str] = frozenset(
    c for c, v in CATEGORIES.items() if v.get("sensitive")
)
#: Smallest count of sensitive offers shown exactly to someone who may not see them.
MIN_PUBLIC_COUNT = 5
#: Counts of sensitive offers are given per VG of one vintage only, the district's current
#: one (VGs of other vintages overlap them, and differences of overlapping counts would
#: reveal smaller areas); :func:`sensitive_counts` records it in ``counts.attrs``.
COUNT_VINTAGE_ATTR = "vintage"


def sees_all(role: str) -> bool:
    """Whether a role sees every record, sensitive ones included (Kreis-Redaktion, Admin)."""
    return role in DISTRICT_ROLES


def sees_sensitive_somewhere(role: str) -> bool:
    """Whether a role sees sensitive records at all (in its own VGs at least): editors."""
    return role in EDITOR_ROLES


def may_read_history(role: str) -> bool:
    """Whether a role may read the change history at all (editors only)."""
    return role in EDITOR_ROLES


def is_sensitive(frame: pd.DataFrame) -> pd.Series:
    """Rows of a facility table whose category is sensitive."""
    return frame["category"].isin(SENSITIVE_CATEGORIES)


def is_sensitive_record(facility: Facility) -> bool:
    """Whether one record belongs to a sensitive category."""
    return facility.category in SENSITIVE_CATEGORIES


def may_see(role: str, user_vgs: Iterable[str], category: str, vg_key: str | None) -> bool:
    """Whether a user may see one record of ``category`` located in VG ``vg_key``.

    Parameters
    ----------
    role
        Role code (``public``, ``vg_editor``, ``district_editor``, ``admin``).
    user_vgs
        The user's own VG keys (current vintage).
    category
        The record's category.
    vg_key
        The current-vintage VG of the record's location (``None``: outside or unknown).
    """
    if category not in SENSITIVE_CATEGORIES or sees_all(role):
        return True
    return acts_in(User("", role, tuple(user_vgs)), vg_key)  # the VG-Redaktion: its own VG


def visible(
    located: pd.DataFrame, role: str, user_vgs: Iterable[str], vintage: int
) -> pd.DataFrame:
    """The records of a located facility table that a user may see.

    Parameters
    ----------
    located
        Facilities with ``category`` and ``vg_rs_<current vintage>``
        (:func:`dashboard.data.locate.locate`).
    role, user_vgs
        As for :func:`may_see`.
    vintage
        The vintage of the user's VG keys (the district's current one).

    Returns
    -------
    pandas.DataFrame
        A copy without the rows the user may not see (same type as ``located``).
    """
    if sees_all(role):
        return located.copy()
    keep = ~is_sensitive(located)
    user = User("", role, tuple(user_vgs))
    keep |= located[f"vg_rs_{vintage}"].map(lambda k: isinstance(k, str) and acts_in(user, k))
    return located.loc[keep].copy()


def drawable(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that may be drawn as points on any map: never a sensitive category."""
    return frame.loc[~is_sensitive(frame)]


def format_count(n: int, lang: str = "de") -> str:
    """A count of sensitive offers for someone who may not see them: ``"<5"`` for 1 to 4.

    Raises
    ------
    ValueError
        For a negative count.
    """
    if n < 0:
        raise ValueError("count must not be negative")
    return "<5" if 0 < n < MIN_PUBLIC_COUNT else fmt_int(n, lang)


def sensitive_counts(
    located: pd.DataFrame,
    role: str,
    user_vgs: Iterable[str] = (),
    lang: str = "de",
    *,
    vintage: int,
) -> pd.DataFrame:
    """Active sensitive offers per VG (current vintage) and category, as a user may see them.

    Parameters
    ----------
    located
        ALL facilities with ``category``, ``status`` and ``vg_rs_<current vintage>``; the
        counting happens here, so nothing but the result leaves this function.
    role, user_vgs
        Whose count table: exact counts where the user may see the records (own VG of a
        VG-Redaktion; everything for the Kreis-Redaktion), ``"<5"`` for 1 to 4 elsewhere.
    lang
        Language of the number format.
    vintage
        The district's current vintage: the only one counts are given for.

    Returns
    -------
    pandas.DataFrame
        Columns ``vg_rs`` (empty for offers outside the district or without a place),
        ``category``, ``count`` (text), one row per VG and sensitive category with at
        least one offer, sorted by VG key (outside last) and category.
    """
    rows = located.loc[is_sensitive(located) & (located["status"] == "active")]
    frame = pd.DataFrame(
        {
            "vg_rs": rows[f"vg_rs_{vintage}"].fillna("").astype(str).to_numpy(),
            "category": rows["category"].astype(str).to_numpy(),
        }
    )
    counts = frame.groupby(["vg_rs", "category"], sort=False).size().rename("n").reset_index()
    own = set(user_vgs)
    counts["count"] = [
        fmt_int(int(n), lang)
        if may_see(role, own, str(cat), str(vg) or None)
        else format_count(int(n), lang)
        for vg, cat, n in zip(counts["vg_rs"], counts["category"], counts["n"], strict=True)
    ]
    counts["_outside"] = counts["vg_rs"] == ""
    counts = counts.sort_values(["_outside", "vg_rs", "category"]).reset_index(drop=True)
    out = counts[["vg_rs", "category", "count"]].copy()
    out.attrs[COUNT_VINTAGE_ATTR] = vintage
    return out


def sensitive_count_for(
    counts: pd.DataFrame, vg_key: str, category: str, vintage: int
) -> str | None:
    """One cell of :func:`sensitive_counts` for a VG view: ``"0"``, ``"<5"``, a number, or
    ``None`` when the VG belongs to another vintage (no count is given there)."""
    if vintage != counts.attrs.get(COUNT_VINTAGE_ATTR):
        return None
    hit = counts.loc[(counts["vg_rs"] == vg_key) & (counts["category"] == category), "count"]
    return str(hit.iloc[0]) if len(hit) else "0"
