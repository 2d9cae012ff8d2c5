"""The staleness rule: an offer nobody verified for 12 months is marked as not verified.

An offer counts as verified on its own ``last_verified`` date or on the latest date its
VG's list was confirmed as current ("our list is current"), whichever is later. The map's
red dot, the "verified within 12 months" filter and the editors' list of stale offers all
call :func:`stale_mask`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

#: An offer counts as stale when nobody verified it for this many months.
STALE_AFTER_MONTHS = 12


class Confirmations(dict[str, dt.date]):
    """VG key -> date of the latest "list is current" confirmation, for the VGs of one
    vintage (the district's current one: the VGs that confirm their lists).

    Parameters
    ----------
    vintage
        The vintage of the keys.
    dates
        VG key -> date.
    """

    def __init__(self, vintage: int, dates: Mapping[str, dt.date] | None = None) -> None:
        super().__init__(dates or {})
        self.vintage = vintage

    def copy(self) -> Confirmations:
        """A copy with the same vintage."""
        return Confirmations(self.vintage, self)


def verified_cutoff(today: dt.date) -> dt.date:
    """The day :data:`STALE_AFTER_MONTHS` months before ``today`` (end of month clamped)."""
    y, m = divmod(today.year * 12 + today.month - 1 - STALE_AFTER_MONTHS, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return dt.date(y, m + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def verified_dates(
    located: pd.DataFrame, confirmations: Mapping[str, dt.date] | None = None
) -> pd.Series:
    """Per offer, the date it last counts as verified (``NaT`` if never).

    Parameters
    ----------
    located
        Facilities with ``last_verified`` and ``vg_rs_<vintage>`` of the confirmations.
    confirmations
        VG key -> date of the latest "list is current" confirmation, with its vintage
        (:class:`Confirmations`; ``ValueError`` for a non-empty mapping without one).
    """
    verified = pd.to_datetime(located["last_verified"], errors="coerce")
    if confirmations and len(located):
        if not isinstance(confirmations, Confirmations):
            raise ValueError("confirmations without their vintage: use Confirmations")
        column = f"vg_rs_{confirmations.vintage}"
        vg_dates = pd.to_datetime(located[column].map(dict(confirmations)), errors="coerce")
        verified = pd.concat([verified, vg_dates], axis=1).max(axis=1)
    return verified


def stale_mask(
    located: pd.DataFrame,
    today: dt.date,
    confirmations: Mapping[str, dt.date] | None = None,
) -> pd.Series:
    """True for offers not verified within :data:`STALE_AFTER_MONTHS` months of ``today``."""
    verified = verified_dates(located, confirmations)
    return ~(verified.notna() & (verified >= pd.Timestamp(verified_cutoff(today))))
