"""What each indicator is: a count or a rate of two counts, its unit and labels."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n.catalogue import t


@dataclass(frozen=True)
class IndicatorSpec:
    """How an indicator behaves: a count, or a rate of two counts.

    ``de``/``en`` are its labels (from the catalogue, messages ``ind.<name>``); ``unit`` is
    a code (``persons``, ``percent``, ...), shown in words as ``unit.<code>``.
    """

    de: str
    en: str
    unit: str
    kind: str = "count"  # "count" or "rate"
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
        kind="rate",
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


def spec(indicator: str) -> IndicatorSpec:
    """The spec of an indicator; unknown names get a plain count spec labelled by name."""
    return INDICATORS.get(indicator, IndicatorSpec(indicator, indicator, ""))


#: Units that make an indicator a share or rate (never summed), as written in files.
SHARE_UNITS = frozenset(
    {"percent", "%", "prozent", "share", "anteil", "rate", "per_1000", "je_1000"}
)


def kind_of(indicator: str, unit: str = "") -> str:
    """``count`` (additive: sums of areas are meaningful) or ``share`` (a share or rate:
    never summed). Known indicators keep their spec; others follow their unit."""
    known = INDICATORS.get(indicator)
    if known is not None:
        return "count" if known.kind == "count" else "share"
    return "share" if unit.strip().casefold() in SHARE_UNITS else "count"
