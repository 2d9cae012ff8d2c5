"""What a proposal changes: measured against the record it was made on, shown against now.

A VG-Redaktion proposes a change on the record as it was (the *base*); by the time the
Kreis-Redaktion reviews it, the record may have changed (another proposal approved, a
direct edit). :func:`proposal_delta` tells the three apart:

* the fields the proposal changes: where it differs from its base (for an addition, every
  field it fills);
* of these, what approving would still change now: where it differs from the current
  record (empty: the change is already in the record, the proposal can be closed as done);
* conflicts: fields that somebody else changed since, to another value than proposed
  (approving would overwrite their edit, so it is refused until the reviewer decides).

Everything else somebody changed since stays as it is: :func:`rebased` puts only the
proposal's own changes onto the current record.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.domain.model import FACILITY_FIELDS, Facility

#: Positions closer than this (degrees, about 5 cm) are the same place.
_SAME_PLACE = 5e-7


@dataclass(frozen=True)
class FieldChange:
    """One field a proposal would change now.

    Attributes
    ----------
    field
        Facility field name.
    now
        The current value (``None`` for a record that does not exist yet).
    proposed
        The proposed value.
    conflict
        Somebody else changed this field since the proposal was made (to another value).
    """

    field: str
    now: object
    proposed: object
    conflict: bool = False


@dataclass(frozen=True)
class Delta:
    """What approving a proposal would change now."""

    changes: tuple[FieldChange, ...]

    @property
    def applied(self) -> bool:
        """The proposal's changes are all in the current record already."""
        return not self.changes

    @property
    def conflicts(self) -> tuple[str, ...]:
        """Fields somebody else changed since, to another value than proposed."""
        return tuple(c.field for c in self.changes if c.conflict)


def _values(f: Facility | None) -> dict[str, object]:
    return {} if f is None else f.model_dump()


def same(field: str, a: object, b: object) -> bool:
    """Whether two values of a field are the same (positions within about 5 cm; empty text,
    an empty list and a missing value alike)."""
    if field in ("lat", "lon") and isinstance(a, float) and isinstance(b, float):
        return abs(a - b) < _SAME_PLACE
    return (a if a not in ("", [], None) else None) == (b if b not in ("", [], None) else None)


def proposal_delta(base: Facility | None, current: Facility | None, proposed: Facility) -> Delta:
    """What approving ``proposed`` would change in ``current``.

    Parameters
    ----------
    base
        The record the proposal was made on; ``None`` for an addition (or if unknown: then
        every field where the proposal differs from the current record counts as its own).
    current
        The record now; ``None`` if it does not exist (an addition).
    proposed
        The proposed record.

    Returns
    -------
    Delta
        One :class:`FieldChange` per field the proposal changes and the current record does
        not hold yet, in the order of the facility's fields.
    """
    before, now, after = _values(base), _values(current), _values(proposed)
    out = []
    for field in FACILITY_FIELDS:
        if field == "version":
            continue
        own = base is None or not same(field, before.get(field), after.get(field))
        if not own or same(field, now.get(field), after.get(field)):
            continue
        changed_since = base is not None and not same(field, before.get(field), now.get(field))
        out.append(FieldChange(field, now.get(field), after.get(field), changed_since))
    return Delta(tuple(out))


def rebased(current: Facility, delta: Delta) -> Facility:
    """The current record with the proposal's changes (and nothing else) put onto it."""
    return current.model_copy(update={c.field: c.proposed for c in delta.changes})
