"""Validation of the analysis's arguments: one early, precise error naming the argument."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER

#: Valid selectors: facility categories, then Handlungsfeld codes.
SELECTORS: tuple[str, ...] = (*CATEGORIES, *HANDLUNGSFELDER)

#: Aggregation levels of :func:`dashboard.analysis.gaps.measures`.
LEVELS: tuple[str, ...] = ("gemeinde", "vg", "landkreis")

#: Distance-decay functions of the enhanced 2SFCA.
DECAYS: tuple[str, ...] = ("gaussian", "step")


def check_selector(selector: str) -> str:
    """Return ``selector`` if it is a category or Handlungsfeld code, else raise.

    Raises
    ------
    ValueError
        Naming the valid categories and Handlungsfeld codes.
    """
    if selector not in SELECTORS:
        raise ValueError(
            f"unknown selector {selector!r}; expected a category "
            f"({', '.join(CATEGORIES)}) or a Handlungsfeld code ({', '.join(HANDLUNGSFELDER)})"
        )
    return selector


def check_level(level: str) -> str:
    """Return ``level`` if it is one of :data:`LEVELS`, else raise ``ValueError``."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    return level


def check_decay(decay: str) -> str:
    """Return ``decay`` if it is one of :data:`DECAYS`, else raise ``ValueError``."""
    if decay not in DECAYS:
        raise ValueError(f"unknown decay {decay!r}; expected one of {', '.join(DECAYS)}")
    return decay


def check_positive(name: str, value: float, allow_zero: bool = False) -> float:
    """``value`` as a float if it is a finite number > 0 (``>= 0`` with ``allow_zero``).

    Raises
    ------
    ValueError
        Naming ``name`` and the value given.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return value


def selectors_of(selectors: str | Sequence[str] | None) -> list[str]:
    """The selectors asked for, checked and without repeats (``None``: all of them)."""
    if selectors is None:
        return list(SELECTORS)
    items = [selectors] if isinstance(selectors, str) else list(selectors)
    if not items:
        raise ValueError("no selector given")
    return [check_selector(s) for s in dict.fromkeys(items)]
