"""Texts of the printable maps and handouts: German by default, English on request.

Kept beside the reports (not in :mod:`dashboard.i18n.catalogue`) because they only appear on paper;
labels shared with the pages (field names, categories, precisions) still come from
:func:`dashboard.i18n.catalogue.t`.
"""

from __future__ import annotations

from dashboard.i18n.catalogue import translate

REPORT_MESSAGES: dict[str, dict[str, str]] = {
    "map.title": {
        "de": "Integrationsatlas Landkreis Kaiserslautern",
        "en": "Integration atlas, district of Kaiserslautern",
    },
    "map.subtitle": {
        "de": "Verbandsgemeinden, Gebietsstand {vintage} ({validity})",
        "en": "Verbandsgemeinden, boundary vintage {vintage} ({validity})",
    },
    "map.subtitle_vg": {
        "de": "Verbandsgemeinde {name} ({vg_key}), Gebietsstand {vintage}",
        "en": "Verbandsgemeinde {name} ({vg_key}), boundary vintage {vintage}",
    },
    "legend.boundaries": {"de": "Grenzen", "en": "Boundaries"},
    "legend.vg": {
        "de": "Verbandsgemeinde (Gebietsstand {vintage})",
        "en": "Verbandsgemeinde (vintage {vintage})",
    },
    "legend.gemeinde": {"de": "Gemeinde", "en": "Gemeinde"},
    "legend.city": {
        "de": "Stadt Kaiserslautern (kreisfrei, Kontext)",
        "en": "City of Kaiserslautern (independent, context)",
    },
    "legend.selected": {"de": "ausgewählte Verbandsgemeinde", "en": "selected Verbandsgemeinde"},
    "legend.no_offers": {"de": "keine Angebote mit Standort", "en": "no located offers"},
    "legend.stacked": {
        "de": "Angebote am selben Ort sind im Kreis um ihn verteilt.",
        "en": "Offers at the same place are fanned out around it.",
    },
    "legend.sensitive": {
        "de": "Unterkünfte werden nie als Punkt gezeigt.",
        "en": "Accommodation is never shown as points.",
    },
    "city.label": {"de": "Stadt Kaiserslautern", "en": "City of Kaiserslautern"},
    "scale": {"de": "Maßstab 1 : {n}", "en": "Scale 1 : {n}"},
    "north": {"de": "N", "en": "N"},
    "crs": {
        "de": "Darstellung in ETRS89 / UTM Zone 32N (EPSG:25832)",
        "en": "Drawn in ETRS89 / UTM zone 32N (EPSG:25832)",
    },
    "footer.dates": {"de": "Stand der Daten", "en": "Data as of"},
    "footer.boundaries": {
        "de": "Grenzen VG250 (Gebietsstand 2016), Verbandsgemeinden Gebietsstand {vintage} ({validity})",
        "en": "boundaries VG250 (2016), Verbandsgemeinden vintage {vintage} ({validity})",
    },
    "footer.indicator": {"de": "{title}: {date}", "en": "{title}: {date}"},
    "footer.mixed": {
        "de": "{date} (ältester von mehreren Ständen)",
        "en": "{date} (oldest of several dates)",
    },
    "footer.offers": {"de": "Angebote: {dates}", "en": "offers: {dates}"},
    "footer.population": {"de": "Einwohner: {dates}", "en": "population: {dates}"},
    "footer.sources": {"de": "Quellen", "en": "Sources"},
    "footer.more_sources": {
        "de": "und {n} weitere (Seite „Datenbestand“)",
        "en": "and {n} more (page “Data inventory”)",
    },
    "footer.licence": {
        "de": "Geometrie: {bkg}, Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "en": "Geometry: {bkg}, Data licence Germany – attribution – version 2.0",
    },
    "footer.page": {"de": "Seite {n}", "en": "Page {n}"},
    "dates.range": {"de": "{oldest} bis {newest}", "en": "{oldest} to {newest}"},
    "report.title": {
        "de": "Steckbrief Verbandsgemeinde {name}",
        "en": "Profile of the Verbandsgemeinde {name}",
    },
    "report.handout_title": {
        "de": "Integrationsatlas: Steckbriefe der Verbandsgemeinden",
        "en": "Integration atlas: profiles of the Verbandsgemeinden",
    },
    "report.handout_intro": {
        "de": "Landkreis Kaiserslautern, Gebietsstand {vintage} ({validity}): {n} Verbandsgemeinden, je ein Abschnitt mit Karte, Kennzahlen, Angeboten, Projekten, Versorgungslücken und Quellen.",
        "en": "District of Kaiserslautern, boundary vintage {vintage} ({validity}): {n} Verbandsgemeinden, one section each with map, key figures, offers, projects, supply gaps and sources.",
    },
    "report.overview": {"de": "Übersicht", "en": "Overview"},
    "report.key_line": {
        "de": "Schlüssel {vg_key} · Gebietsstand {vintage} ({validity}) · {n} Gemeinden",
        "en": "Key {vg_key} · boundary vintage {vintage} ({validity}) · {n} Gemeinden",
    },
    "report.figures": {"de": "Kennzahlen", "en": "Key figures"},
    "report.by_category": {"de": "Angebote nach Kategorie", "en": "Offers by category"},
    "report.offer_list": {"de": "Liste der Angebote", "en": "List of offers"},
    "report.offer_list_note": {
        "de": "Bitte prüfen und Korrekturen an die Kreisverwaltung melden. Unterkünfte werden nicht einzeln aufgeführt.",
        "en": "Please check and report corrections to the district administration. Accommodation is not listed individually.",
    },
    "report.no_offers": {
        "de": "Keine aktiven Angebote im Bestand.",
        "en": "No active offers in the inventory.",
    },
    "report.projects": {"de": "Projekte", "en": "Projects"},
    "report.no_projects": {
        "de": "Keinem Projekt ist bisher ein Ort in dieser VG zugeordnet.",
        "en": "No project has been located in this VG yet.",
    },
    "report.indicators": {"de": "Indikatoren mit Stand", "en": "Indicators with dates"},
    "report.no_indicators": {
        "de": "Keine Indikatorwerte für diese VG.",
        "en": "No indicator values for this VG.",
    },
    "report.gaps": {"de": "Versorgungslücken", "en": "Supply gaps"},
    "report.gaps_note": {
        "de": "Je Kategorie: Angebote in der VG, je 1.000 Einwohner und bevölkerungsgewichtete Luftlinie vom Gemeindezentrum zum nächsten Angebot. Schwellen: {thresholds}.",
        "en": "Per category: offers in the VG, per 1,000 inhabitants and population-weighted straight-line distance from the Gemeinde centre to the nearest offer. Thresholds: {thresholds}.",
    },
    "report.gap_yes": {"de": "Lücke", "en": "gap"},
    "report.gap_no": {"de": "–", "en": "–"},
    "report.col.flag": {"de": "Befund", "en": "Finding"},
    "report.col.reason": {"de": "Begründung", "en": "Reason"},
    "report.col.distance": {"de": "Entfernung (km)", "en": "Distance (km)"},
    "report.col.per_1000": {"de": "je 1.000 EW", "en": "per 1,000"},
    "report.col.hf": {"de": "Handlungsfeld", "en": "Field of action"},
    "report.col.projects": {"de": "Projekte", "en": "Projects"},
    "report.col.meaning": {"de": "Bedeutung", "en": "Meaning"},
    "report.coverage": {
        "de": "Abdeckung nach Handlungsfeld",
        "en": "Coverage by field of action",
    },
    "report.coverage_note": {
        "de": "Aktive Angebote und Projekte je Handlungsfeld des Integrationskonzepts (Vorlage 0285/2013).",
        "en": "Active offers and projects per field of action of the integration concept (paper 0285/2013).",
    },
    "report.sources": {"de": "Daten und Quellen", "en": "Data and sources"},
    "report.col.what": {"de": "Daten", "en": "Data"},
    "report.src.boundaries": {
        "de": "Grenzen (VG250, Gebietsstand 2016)",
        "en": "Boundaries (VG250, 2016)",
    },
    "report.src.population": {"de": "Einwohner der Gemeinden", "en": "Population of the Gemeinden"},
    "report.src.offers": {"de": "Angebote", "en": "Offers"},
    "report.src.projects": {"de": "Projekte", "en": "Projects"},
    "report.src.indicators": {"de": "Indikatoren", "en": "Indicators"},
    "report.sources_footer": {
        "de": "Einwohner, Angebote, Projekte und Indikatoren mit Quelle und Stand im Abschnitt „Daten und Quellen“ jeder VG ({n} Quellen)",
        "en": "population, offers, projects and indicators with source and date in the section “Data and sources” of each VG ({n} sources)",
    },
    "report.progress.load": {"de": "Daten laden", "en": "Loading data"},
    "report.progress.vg": {"de": "Steckbrief {name}", "en": "Profile {name}"},
    "report.progress.write": {"de": "PDF schreiben", "en": "Writing PDF"},
    "report.progress.done": {"de": "fertig", "en": "done"},
    "reason.none": {
        "de": "{category}: kein Angebot im berücksichtigten Gebiet (Schwelle {limit} km)",
        "en": "{category}: no offer in the area considered (threshold {limit} km)",
    },
    "reason.far": {
        "de": "{category}: nächstes Angebot {km} km entfernt (Schwelle {limit} km)",
        "en": "{category}: nearest offer {km} km away on average (threshold {limit} km)",
    },
    "reason.few": {
        "de": "{value} Angebote je 1.000 Einwohner (Schwelle {limit})",
        "en": "{value} offers per 1,000 inhabitants (threshold {limit})",
    },
    "thresholds": {
        "de": "max. Entfernung {d} km; min. {p} Angebote je 1.000 Einwohner; Radius {r} km",
        "en": "max. distance {d} km; min. {p} offers per 1,000 inhabitants; radius {r} km",
    },
}


def rt(key: str, lang: str = "de", **kwargs: object) -> str:
    """Translate a report message key of :data:`REPORT_MESSAGES` (see :func:`dashboard.i18n.catalogue.translate`)."""
    return translate(REPORT_MESSAGES, key, lang, **kwargs)
