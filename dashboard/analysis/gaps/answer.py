"""The answer first: what one analysis says, and what a planned facility changes, as facts.

:func:`summarise` reduces the rows of :func:`~dashboard.analysis.gaps.gap_flags` to what a
person asks first: how many areas have a gap, are uncertain, have none, are unknown; which
ones; why they are unknown (the Verbandsgemeinden whose lists of the selection are not
confirmed, or no list covers the selection at all); whether the demand indicator was
missing. :func:`whatif_effects` reduces :attr:`~dashboard.analysis.gaps.WhatIf.changes` to
what changes per area: the status, the distance to the nearest offer, the population newly
within the radius (for certain, or possibly), the offers counted in it.

Codes and numbers only: the sentences are made by :mod:`dashboard.render.gaps_text.answer`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.analysis.coverage import ListMarks, categories_of
from dashboard.analysis.gaps.areas import Areas
from dashboard.analysis.gaps.flags import STATUS_CODES

#: A distance bound counts as changed from this many kilometres on (the text shows 0.1 km).
DISTANCE_STEP_KM = 0.05


@dataclass(frozen=True)
class MissingList:
    """A Verbandsgemeinde (of the current vintage) whose lists of the selection are not
    confirmed complete, so the areas in it are ``unknown``.

    Attributes
    ----------
    vg_key, vg_name
        The VG.
    categories
        The categories whose list is not confirmed (of
        :func:`dashboard.analysis.coverage.categories_of` the selection).
    areas
        How many ``unknown`` areas of the result lie (wholly or partly) in it.
    """

    vg_key: str
    vg_name: str
    categories: tuple[str, ...]
    areas: int


@dataclass(frozen=True)
class Summary:
    """What one analysis says, for its first sentences.

    Attributes
    ----------
    selector, level
        What was analysed, per Gemeinde (``gemeinde``), VG (``vg``) or district.
    total
        Number of areas.
    counts
        Status code -> number of areas (every code of
        :data:`~dashboard.analysis.gaps.STATUS_CODES`).
    names
        Status code -> the names of its areas (gaps most severe first, the others by
        population, largest first).
    offers
        Offers of the selection counted in the areas.
    missing
        The VGs whose lists are missing, by name.
    categories
        The categories whose lists decide the selection (empty: no list covers it, so it
        is never known).
    demand_chosen, demand_used, demand_missing
        The demand indicator asked for, the one used (the population where the chosen one
        lacks values) and for how many Gemeinden it lacks a value.
    """

    selector: str
    level: str
    total: int
    counts: Mapping[str, int]
    names: Mapping[str, tuple[str, ...]]
    offers: int
    missing: tuple[MissingList, ...]
    categories: tuple[str, ...]
    demand_chosen: str
    demand_used: str
    demand_missing: int

    @property
    def demand_fallback(self) -> bool:
        """Whether the population stands in for a missing demand indicator."""
        return self.demand_used != self.demand_chosen


def _names(flags: pd.DataFrame, status: str) -> tuple[str, ...]:
    part = flags[flags["status"] == status]
    if status == "gap":
        part = part.sort_values(["severity", "population"], ascending=[False, False])
    else:
        part = part.sort_values("population", ascending=False)
    return tuple(str(n) for n in part["name"])


def _current_vgs(flags: pd.DataFrame, areas: Areas) -> list[set[str]]:
    """The current VG(s) each row lies in (a VG of an older vintage may span several)."""
    current = f"vg_rs_{areas.current_vintage}"
    table = areas.table
    out = []
    for key, level, vintage in zip(flags["key"], flags["level"], flags["vintage"], strict=True):
        if level == "gemeinde":
            out.append({str(table.loc[str(key), current])} if str(key) in table.index else set())
        elif level == "vg":
            column = f"vg_rs_{int(vintage)}"
            out.append(set(table.loc[table[column].astype(str) == str(key), current].astype(str)))
        else:
            out.append(set(table[current].astype(str)))
    return out


def _missing(
    flags: pd.DataFrame, areas: Areas, marks: ListMarks | None, categories: tuple[str, ...]
) -> tuple[MissingList, ...]:
    unknown = flags["status"] == "unknown"
    if not unknown.any() or not categories:
        return ()
    found = marks.lookup() if marks is not None else {}
    names = dict(
        zip(
            areas.table[f"vg_rs_{areas.current_vintage}"].astype(str),
            areas.table[f"vg_{areas.current_vintage}"].astype(str),
            strict=True,
        )
    )
    per_vg: dict[str, int] = {}
    for vgs, is_unknown in zip(_current_vgs(flags, areas), unknown, strict=True):
        for vg in vgs if is_unknown else ():
            per_vg[vg] = per_vg.get(vg, 0) + 1
    out = []
    for vg, n in per_vg.items():
        lacking = tuple(c for c in categories if not found.get((vg, c), (False, ""))[0])
        if lacking:
            out.append(MissingList(vg, names.get(vg, vg), lacking, n))
    return tuple(sorted(out, key=lambda m: (m.vg_name.casefold(), m.vg_key)))


def summarise(flags: pd.DataFrame, areas: Areas, marks: ListMarks | None) -> Summary:
    """What the rows of one analysis say (:class:`Summary`).

    Parameters
    ----------
    flags
        :func:`~dashboard.analysis.gaps.gap_flags` of one selection and level.
    areas
        The analysis areas (their VGs of every vintage).
    marks
        The lists' completeness marks the analysis used (``None``: every list complete).

    Raises
    ------
    ValueError
        For an empty result or one of several selections.
    """
    if flags.empty:
        raise ValueError("an empty analysis has nothing to summarise")
    selectors = flags["selector"].astype(str).unique()
    if len(selectors) != 1:
        raise ValueError(f"one selection expected, got {', '.join(selectors)}")
    first = flags.iloc[0]
    categories = categories_of(str(selectors[0]))
    return Summary(
        selector=str(selectors[0]),
        level=str(first["level"]),
        total=len(flags),
        counts={c: int((flags["status"] == c).sum()) for c in STATUS_CODES},
        names={c: _names(flags, c) for c in STATUS_CODES},
        offers=int(flags["offers"].sum()),
        missing=_missing(flags, areas, marks, categories),
        categories=categories,
        demand_chosen=str(first["demand_chosen"]),
        demand_used=str(first["demand_indicator"]),
        demand_missing=int(first["demand_missing"]),
    )


# -- what a planned facility changes ---------------------------------------------------------
@dataclass(frozen=True)
class Effect:
    """What a planned facility changes in one area.

    Attributes
    ----------
    key, name
        The area.
    status
        ``(before, after)`` status codes when the status changes, else ``None``.
    nearest
        ``((low, high), (low, high))`` km to the nearest offer before and after, when a
        bound moves by :data:`DISTANCE_STEP_KM` or more (``inf``: no offer), else ``None``.
    approx
        ``(before, after)``: whether each distance is a range (positions approximate).
    covered
        Inhabitants newly within the radius for certain (the farthest point of the
        nearest offer's range lies within).
    possibly
        Inhabitants newly possibly within the radius (only the nearest point lies within).
    offers
        ``(before, after)`` offers counted in the area when that changes, else ``None``.
    """

    key: str
    name: str
    status: tuple[str, str] | None
    nearest: tuple[tuple[float, float], tuple[float, float]] | None
    approx: tuple[bool, bool]
    covered: float
    possibly: float
    offers: tuple[int, int] | None

    @property
    def gained_km(self) -> float:
        """How much nearer the nearest offer came (the larger move of the two bounds;
        ``inf`` where there was none before)."""
        if self.nearest is None:
            return 0.0
        gains = [0.0]
        for before, after in zip(*self.nearest, strict=True):
            if math.isfinite(after):
                gains.append(before - after)
        return max(gains)


@dataclass(frozen=True)
class WhatIfEffects:
    """What a planned facility changes, most important first.

    Attributes
    ----------
    place
        The Gemeinde the planned facility lies in (name; ``""`` if in none).
    level, radius_km
        Of the analysis.
    effects
        One :class:`Effect` per area with a change: status changes first, then by the
        inhabitants newly within the radius, then by how much nearer the nearest offer came.
    """

    place: str
    level: str
    radius_km: float
    effects: tuple[Effect, ...]

    @property
    def status_changes(self) -> int:
        """Areas whose status changes."""
        return sum(e.status is not None for e in self.effects)

    @property
    def covered(self) -> float:
        """Inhabitants newly within the radius for certain, in all areas."""
        return float(sum(e.covered for e in self.effects))

    @property
    def possibly(self) -> float:
        """Inhabitants newly possibly within the radius, in all areas."""
        return float(sum(e.possibly for e in self.effects))


def _bounds(row: pd.Series, suffix: str) -> tuple[float, float]:
    low, high = float(row[f"distance_km_low{suffix}"]), float(row[f"distance_km_high{suffix}"])
    return (math.inf if math.isnan(low) else low, math.inf if math.isnan(high) else high)


def _moved(before: tuple[float, float], after: tuple[float, float]) -> bool:
    for a, b in zip(before, after, strict=True):
        if math.isinf(a) != math.isinf(b):
            return True
        if math.isfinite(a) and abs(a - b) >= DISTANCE_STEP_KM:
            return True
    return False


def _gain(row: pd.Series, column: str) -> float:
    before, after = row.get(f"{column}_before"), row.get(f"{column}_after")
    if before is None or after is None:
        return 0.0
    b, a = float(before), float(after)
    if not (np.isfinite(a) and np.isfinite(b)):
        return 0.0
    return max(0.0, a - b)


def _effect(row: pd.Series) -> Effect | None:
    status = (str(row["status_before"]), str(row["status_after"]))
    before, after = _bounds(row, "_before"), _bounds(row, "_after")
    offers = (int(row["offers_before"]), int(row["offers_after"]))
    effect = Effect(
        key=str(row["key"]),
        name=str(row["name"]),
        status=status if status[0] != status[1] else None,
        nearest=(before, after) if _moved(before, after) else None,
        approx=(bool(row["distance_approx_before"]), bool(row["distance_approx_after"])),
        covered=_gain(row, "population_covered_low"),
        possibly=_gain(row, "population_covered_high"),
        offers=offers if offers[0] != offers[1] else None,
    )
    parts = (effect.status, effect.nearest, effect.offers, effect.covered, effect.possibly)
    return effect if any(bool(p) for p in parts) else None


def whatif_effects(
    changes: pd.DataFrame, place: str, level: str, radius_km: float
) -> WhatIfEffects:
    """What a planned facility changes (:class:`WhatIfEffects`).

    Parameters
    ----------
    changes
        :attr:`dashboard.analysis.gaps.WhatIf.changes` of one selection.
    place
        The name of the Gemeinde the planned facility lies in.
    level, radius_km
        Of the analysis.
    """
    found = [e for _, row in changes.iterrows() if (e := _effect(row)) is not None]
    found.sort(key=lambda e: (e.status is None, -e.covered, -e.possibly, -e.gained_km, e.name))
    return WhatIfEffects(place, level, float(radius_km), tuple(found))
