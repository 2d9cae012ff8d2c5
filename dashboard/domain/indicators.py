"""What each indicator is: a count, a share or a rate; its unit, labels, role and bounds.

The kind decides what may be done with an indicator, everywhere (map, tables, PDF,
command line): a **count** (persons, schools, registrations) may be summed from Gemeinden
to VGs and divided by the population (per 1,000 inhabitants); a **share** (a part of a
whole, in percent or as a fraction) and a **rate** (per 1,000, per inhabitant, a change)
are never summed and never divided per 1,000 - a VG's value is recomputed from numerator
and denominator where both are known, else there is none.

Known indicators carry their kind in :data:`INDICATORS`; for any other the planner states
it when loading a table (stored with the indicator, ``indicator_kinds``); a value stored
before kinds were stated falls back to its unit (``%`` etc. is a share). Each kind has
plausible bounds (:func:`value_problem`): a count is a whole number from 0 to
:data:`MAX_COUNT`, a share in percent lies in 0..100 (as a fraction 0..1), no value is
beyond :func:`dashboard.data.indicator_table.indicator_maximum` (configurable).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from dashboard.i18n.catalogue import LANGUAGES, N_, t
from dashboard.i18n.message import LocalizedError, Message

#: The kinds of indicator (codes; words: messages ``ind.kind.<code>``).
KINDS: tuple[str, ...] = ("count", "share", "rate")

#: Largest count of anything in a district (persons, schools): a bound, not a statistic.
MAX_COUNT = 100_000_000


@dataclass(frozen=True)
class IndicatorSpec:
    """How an indicator behaves: a count, a share or a rate.

    ``de``/``en`` are its labels (from the catalogue, messages ``ind.<name>``); ``unit`` is
    a code (``persons``, ``percent``, ...), shown in words as ``unit.<code>``. A share or
    rate with ``numerator`` and ``denominator`` is recomputed for larger areas (times
    ``factor``).
    """

    de: str
    en: str
    unit: str
    kind: str = "count"  # one of KINDS
    numerator: str = ""
    denominator: str = ""
    factor: float = 1.0
    per_1000: bool = False  # a count that makes sense per 1,000 inhabitants


def _spec(name: str, unit: str, **rules: object) -> IndicatorSpec:
    """A spec whose labels are the catalogue's message ``ind.<name>``."""
    return IndicatorSpec(t(f"ind.{name}", "de"), t(f"ind.{name}", "en"), unit, **rules)  # type: ignore[arg-type]


INDICATORS: dict[str, IndicatorSpec] = {
    "population": _spec("population", "persons"),
    "population_census": _spec("population_census", "persons"),
    "refugees_ukraine": _spec("refugees_ukraine", "persons", per_1000=True),
    "asylum_seekers": _spec("asylum_seekers", "persons", per_1000=True),
    "foreign_population": _spec("foreign_population", "persons", per_1000=True),
    "foreign_population_share": _spec(
        "foreign_population_share",
        "percent",
        kind="share",
        numerator="foreign_population",
        denominator="population",
        factor=100.0,
    ),
    "population_under_6": _spec("population_under_6", "persons"),
    "population_6_to_9": _spec("population_6_to_9", "persons"),
    "primary_schools": _spec("primary_schools", "schools"),
    "primary_school_registrations": _spec("primary_school_registrations", "pupils", per_1000=True),
    "first_classes": _spec("first_classes", "classes"),
    "gap_severity": _spec("gap_severity", ""),
}

#: What a known indicator is used for (messages ``ind.role.<code>``): the population, and
#: the demand of the supply analysis per category (kept in step with
#: :data:`dashboard.analysis.demand.DEMAND`, checked by the tests).
ROLES: dict[str, str] = {
    "population": "population",
    "population_under_6": "demand_kita",
    "population_6_to_9": "demand_schule",
    "foreign_population": "demand_sprache",
}


def spec(indicator: str) -> IndicatorSpec:
    """The spec of an indicator; unknown names get a plain count spec labelled by name
    (its kind is :func:`kind_of`'s, never this default)."""
    return INDICATORS.get(indicator, IndicatorSpec(indicator, indicator, ""))


def is_known(indicator: str) -> bool:
    """Whether the atlas knows the indicator (its kind, labels and role)."""
    return indicator in INDICATORS


#: Units that make an indicator a share (never summed), as written in files.
SHARE_UNITS = frozenset({"percent", "%", "prozent", "share", "anteil"})
#: Units that make an indicator a rate (never summed).
RATE_UNITS = frozenset({"rate", "per_1000", "je_1000", "je 1000", "je 1.000", "‰", "promille"})


def kind_of(indicator: str, unit: str = "", stated: str = "") -> str:
    """``count``, ``share`` or ``rate``.

    Parameters
    ----------
    indicator
        The indicator; a known one has its spec's kind.
    unit
        Its unit, for an unknown indicator whose kind was never stated.
    stated
        The kind the planner stated for an unknown indicator (stored with it).
    """
    known = INDICATORS.get(indicator)
    if known is not None:
        return known.kind
    if stated in KINDS:
        return stated
    folded = unit.strip().casefold()
    if folded in SHARE_UNITS:
        return "share"
    return "rate" if folded in RATE_UNITS else "count"


def kind_in(values: pd.DataFrame, indicator: str) -> str:
    """The kind of an indicator as its stored values say it (the ``kind`` column the store
    joins from ``indicator_kinds``, else the unit of its first value)."""
    rows = values[values["indicator"] == indicator]
    if rows.empty:
        return kind_of(indicator)
    first = rows.iloc[0]
    stated = first.get("kind", "")
    return kind_of(indicator, str(first.get("unit", "") or ""), str(stated or ""))


def summable(kind: str) -> bool:
    """Whether values of this kind may be summed or divided per 1,000 (counts only)."""
    return kind == "count"


class IndicatorRefused(LocalizedError, ValueError):
    """An operation the indicator's kind does not allow (a share summed or per 1,000)."""


def refuse_per_1000(indicator: str, kind: str) -> None:
    """Refuse a per-1,000 figure of a share or rate, naming it.

    Raises
    ------
    IndicatorRefused
        Unless ``kind`` is a count.
    """
    _refuse_unless_count(N_("ind.err.per_1000"), indicator, kind)


def refuse_demand(indicator: str, kind: str) -> None:
    """Refuse a share or rate as the demand of a supply analysis (the people an offer
    serves are counted; a share of them is no number of people), naming it.

    Raises
    ------
    IndicatorRefused
        Unless ``kind`` is a count.
    """
    _refuse_unless_count(N_("ind.err.demand"), indicator, kind)


def _refuse_unless_count(key: str, indicator: str, kind: str) -> None:
    if not summable(kind):
        raise IndicatorRefused(key, name=indicator_name(indicator), kind=kind_name(kind))


def indicator_name(indicator: str) -> Message:
    """An indicator's label as a message (worded per language; an unknown one by name)."""
    return Message.of(f"ind.{indicator}") if is_known(indicator) else Message.plain(indicator)


def kind_name(kind: str) -> Message:
    """A kind in words (``Anzahl``, ``Anteil``, ``Rate``)."""
    return Message.of(f"ind.kind.{kind}")


# -- labels -> keys ---------------------------------------------------------------------------
def _fold(text: str) -> str:
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    return re.sub(r"[^a-z0-9]", "", text.replace("ß", "ss"))


_BY_LABEL: dict[str, str] = {
    _fold(label): key
    for key in INDICATORS
    for label in (key, *(t(f"ind.{key}", lang) for lang in LANGUAGES))
}


def indicator_key(text: str) -> str:
    """The known indicator a name or label means (``Kinder unter 6 Jahren`` ->
    ``population_under_6``, German or English, any case or spelling of umlauts); other
    names are returned as given (stripped)."""
    return _BY_LABEL.get(_fold(text), text.strip())


# -- bounds -----------------------------------------------------------------------------------
def value_problem(kind: str, unit: str, value: float, maximum: float) -> str:
    """Why a value is no plausible value of its kind (a problem code), or ``""``.

    Codes: ``not_finite``, ``negative``, ``not_whole``, ``over_count`` (a count above
    :data:`MAX_COUNT`), ``over_100`` (a share in percent), ``over_1`` (a share as a
    fraction), ``too_large`` (beyond ``maximum``, any kind).
    """
    if not math.isfinite(value):
        return "not_finite"
    if value < 0:
        return "negative"
    if abs(value) > maximum:
        return "too_large"
    if kind == "count":
        if not float(value).is_integer():
            return "not_whole"
        return "over_count" if value > MAX_COUNT else ""
    if kind == "share":
        percent = unit.strip().casefold() in ("percent", "%", "prozent")
        if percent and value > 100:
            return "over_100"
        if not percent and value > 1:
            return "over_1"
    return ""
