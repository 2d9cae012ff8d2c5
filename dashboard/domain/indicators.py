"""What each indicator is: a count or a rate of two counts, its unit and labels."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndicatorSpec:
    """How an indicator behaves: a count, or a rate of two counts."""

    de: str
    en: str
    unit: str
    kind: str = "count"  # "count" or "rate"
    numerator: str = ""
    denominator: str = ""
    factor: float = 1.0
    per_1000: bool = False  # a count that makes sense per 1,000 inhabitants


INDICATORS: dict[str, IndicatorSpec] = {
    "population": IndicatorSpec("Einwohner", "Population", "persons"),
    "population_census": IndicatorSpec("Einwohner (Zensus)", "Population (census)", "persons"),
    "refugees_ukraine": IndicatorSpec(
        "Geflüchtete aus der Ukraine", "Refugees from Ukraine", "persons", per_1000=True
    ),
    "asylum_seekers": IndicatorSpec("Asylbewerber", "Asylum seekers", "persons", per_1000=True),
    "foreign_population": IndicatorSpec(
        "Ausländische Bevölkerung", "Foreign population", "persons", per_1000=True
    ),
    "foreign_population_share": IndicatorSpec(
        "Ausländeranteil",
        "Share of foreign nationals",
        "percent",
        kind="rate",
        numerator="foreign_population",
        denominator="population",
        factor=100.0,
    ),
    "primary_schools": IndicatorSpec("Grundschulen", "Primary schools", "schools"),
    "primary_school_registrations": IndicatorSpec(
        "Schulanmeldungen (1. Klasse)", "First-year registrations", "pupils", per_1000=True
    ),
    "first_classes": IndicatorSpec("Erste Klassen", "First-year classes", "classes"),
    "gap_severity": IndicatorSpec(
        "Versorgungslücke (Schweregrad, 0 = keine)", "Supply gap (severity, 0 = none)", ""
    ),
}


def spec(indicator: str) -> IndicatorSpec:
    """The spec of an indicator; unknown names get a plain count spec labelled by name."""
    return INDICATORS.get(indicator, IndicatorSpec(indicator, indicator, ""))
