"""Display helpers for the Versorgungsanalyse page: severity map colours, matrix, texts."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd

from dashboard.analysis.classify import Choropleth
from dashboard.analysis.gaps import Areas, Thresholds, gap_flags, measures, what_if
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER

#: Severity classes (upper bounds) and colours (ColorBrewer YlOrRd, colour-blind safe).
SEVERITY_BOUNDS = [0.0, 1.0, 3.0, 11.0]
SEVERITY_COLORS = ["#f7f7f7", "#fecc5c", "#fd8d3c", "#e31a1c"]

EXPLANATIONS: dict[str, dict[str, str]] = {
    "offers": {
        "de": "**Angebote**: aktive Einrichtungen der Auswahl, deren Standort in der Gemeinde liegt.",
        "en": "**Offers**: active facilities of the selection located in the Gemeinde.",
    },
    "per_1000": {
        "de": "**Angebote je 1.000 Einwohner**: Angebote geteilt durch die Einwohnerzahl (Stand je Gemeinde) mal 1.000.",
        "en": "**Offers per 1,000 inhabitants**: offers divided by the population (dated per Gemeinde) times 1,000.",
    },
    "distance": {
        "de": "**Entfernung zum nächsten Angebot**: Luftlinie in km (gemessen in ETRS89/UTM 32N) vom Mittelpunkt der Gemeinde zum nächsten Angebot, auch in der Stadt Kaiserslautern; für VG das einwohnergewichtete Mittel der Gemeinden.",
        "en": "**Distance to the nearest offer**: straight line in km (measured in ETRS89/UTM 32N) from the Gemeinde's centre to the nearest offer, including the city of Kaiserslautern; for VGs the population-weighted mean of the Gemeinden.",
    },
    "share": {
        "de": "**Anteil im Radius**: Anteil der Einwohner, deren Gemeindemittelpunkt im gewählten Radius um ein Angebot liegt.",
        "en": "**Share within the radius**: share of the population whose Gemeinde centre lies within the chosen radius of an offer.",
    },
    "2sfca": {
        "de": "**Erreichbarkeit (2SFCA/E2SFCA)**: Angebot je 1.000 Einwohner im Einzugsbereich, wobei jedes Angebot auf alle Einwohner in seinem Radius verteilt wird (Two-Step Floating Catchment Area; E2SFCA gewichtet nahe Einwohner stärker). Kapazitäten zählen, wo bekannt, sonst 1.",
        "en": "**Accessibility (2SFCA/E2SFCA)**: supply per 1,000 inhabitants in reach, each offer shared among all inhabitants within its radius (two-step floating catchment area; E2SFCA weights nearby people more). Capacities count where known, else 1.",
    },
    "flag": {
        "de": "**Lücke**: markiert, wenn das nächste Angebot weiter als die Schwelle entfernt ist oder es zu wenige Angebote je 1.000 Einwohner gibt. Der Schweregrad addiert die Überschreitung der Entfernung und den Fehlbetrag je 1.000 Einwohner.",
        "en": "**Gap**: flagged when the nearest offer is farther than the threshold or there are too few offers per 1,000 inhabitants. Severity adds the distance excess and the per-1,000 shortfall.",
    },
}


def severity_choropleth(
    flags: pd.DataFrame, keys: list[str], population_dates: dict[str, str]
) -> Choropleth:
    """Areas coloured by gap severity (class 0: no gap), for the atlas map builder."""
    by_key = flags.set_index("key")
    values, classes = {}, {}
    for key in keys:
        if key not in by_key.index:
            values[key], classes[key] = math.nan, -1
            continue
        row = by_key.loc[key]
        sev = float(row["severity"]) if bool(row["flagged"]) else 0.0
        values[key] = sev
        classes[key] = 0 if sev <= 0 else (1 if sev <= 1 else (2 if sev <= 3 else 3))
    dates = {k: population_dates.get(k, "") for k in keys}
    shown = sorted(d for d in dates.values() if d)
    return Choropleth(
        values=values, classes=classes, lower=0.0, bounds=SEVERITY_BOUNDS, colors=SEVERITY_COLORS,
        indicator="gap_severity", unit="", per_1000=False,
        reference_date=shown[0] if shown else "", dates=dates, dates_mixed=len(set(shown)) > 1,
        sources=["Versorgungsanalyse des Integrationsatlas (Bestand und Einwohner mit Stand)"],
        derived=False,
    )  # fmt: skip


def matrix_pivot(matrix: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """VG x Handlungsfeld cells "offers / projects", and a same-shaped frame of meanings."""
    matrix = matrix.assign(hf=matrix["handlungsfeld"].map(lambda c: HANDLUNGSFELDER[c][lang]))
    cells = matrix.assign(
        cell=matrix["offers"].astype(str) + " / " + matrix["projects"].astype(str)
    )
    order = [HANDLUNGSFELDER[c][lang] for c in HANDLUNGSFELDER]
    table = cells.pivot(index="vg", columns="hf", values="cell").reindex(columns=order)
    meaning = (
        cells.pivot(index="vg", columns="hf", values="meaning").reindex(columns=order).fillna("")
    )
    return table, meaning


def selected_offers(facilities: gpd.GeoDataFrame, selector: str) -> gpd.GeoDataFrame:
    """Facilities of a category, or of a Handlungsfeld (by code)."""
    if selector in HANDLUNGSFELDER:
        return facilities[facilities["handlungsfelder"].map(lambda hs: selector in hs)]
    return facilities[facilities["category"] == selector]


def analyse(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    selector: str,
    thresholds: Thresholds,
    *,
    level: str,
    vintage: int,
    include_outside: bool,
    planned: tuple[float, float, int | None] | None = None,
    planned_name: str = "Geplant",
) -> tuple[pd.DataFrame, gpd.GeoDataFrame, pd.DataFrame | None]:
    """Flags for a selection, the offers to draw, and the what-if changes (if planned).

    Parameters
    ----------
    planned
        ``(lat, lon, capacity)`` of a hypothetical facility (never stored), or ``None``.

    Returns
    -------
    tuple
        Gap flags, offers of the selection (with the planned one), what-if changes.
    """
    common = {"level": level, "vintage": vintage, "include_outside": include_outside}
    if planned is None:
        frame = measures(areas, facilities, selector, radius_km=thresholds.radius_km, **common)
        return gap_flags(frame, thresholds), selected_offers(facilities, selector), None
    lat, lon, capacity = planned
    is_category = selector in CATEGORIES
    scenario = what_if(
        areas, facilities, selector if is_category else "Projektstandort", lat, lon, capacity,
        handlungsfelder=None if is_category else [selector], selectors=selector,
        thresholds=thresholds, **common,
    )  # fmt: skip
    extra = scenario.facility.assign(name=planned_name)
    shown = gpd.GeoDataFrame(pd.concat([facilities, extra], ignore_index=True), crs=facilities.crs)
    return scenario.after, selected_offers(shown, selector), scenario.changes
