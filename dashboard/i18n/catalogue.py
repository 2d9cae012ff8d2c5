"""User-facing text: German by default, English on request.

Every label, legend and message the user sees comes from :data:`MESSAGES` through
:func:`t`; numbers and dates are formatted per language by :func:`fmt_int` and
:func:`fmt_date`.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES: tuple[str, ...] = ("de", "en")
DEFAULT_LANGUAGE = "de"

MESSAGES: dict[str, dict[str, str]] = {
    "app.title": {
        "de": "Integrationsatlas Landkreis Kaiserslautern",
        "en": "Integration atlas, district of Kaiserslautern",
    },
    "nav.map": {"de": "Karte", "en": "Map"},
    "nav.data": {"de": "Daten & Quellen", "en": "Data & sources"},
    "lang.label": {"de": "Sprache", "en": "Language"},
    "lang.de": {"de": "Deutsch", "en": "German"},
    "lang.en": {"de": "Englisch", "en": "English"},
    "map.heading": {"de": "Karte des Landkreises", "en": "Map of the district"},
    "map.intro": {
        "de": "Verbandsgemeinden und Gemeinden des Landkreises Kaiserslautern; die kreisfreie Stadt Kaiserslautern ist als Kontext grau dargestellt.",
        "en": "Verbandsgemeinden and Gemeinden of the district of Kaiserslautern; the independent city of Kaiserslautern is shown in grey as context.",
    },
    "vintage.label": {
        "de": "Gebietsstand der Verbandsgemeinden",
        "en": "Boundary vintage of the Verbandsgemeinden",
    },
    "vintage.2013": {"de": "2013 (9 VG, bis 30.06.2014)", "en": "2013 (9 VGs, until 30 Jun 2014)"},
    "vintage.2014": {
        "de": "2014 (7 VG, 01.07.2014–30.06.2019)",
        "en": "2014 (7 VGs, 1 Jul 2014 – 30 Jun 2019)",
    },
    "vintage.2019": {
        "de": "2019 (6 VG, seit 01.07.2019, aktuell)",
        "en": "2019 (6 VGs, since 1 Jul 2019, current)",
    },
    "layers.label": {"de": "Ebenen", "en": "Layers"},
    "layer.vg": {"de": "Verbandsgemeinden", "en": "Verbandsgemeinden"},
    "layer.gemeinden": {"de": "Gemeindegrenzen", "en": "Gemeinde boundaries"},
    "layer.city": {
        "de": "Stadt Kaiserslautern (Kontext)",
        "en": "City of Kaiserslautern (context)",
    },
    "basemap.label": {"de": "Hintergrundkarte", "en": "Basemap"},
    "basemap.none": {"de": "keine (offline)", "en": "none (offline)"},
    "basemap.osm": {"de": "OpenStreetMap (online)", "en": "OpenStreetMap (online)"},
    "basemap.basemap.de": {"de": "basemap.de (online)", "en": "basemap.de (online)"},
    "basemap.online_note": {
        "de": "Die Hintergrundkarte wird aus dem Internet geladen. Ohne Netz bleibt die Karte ohne Hintergrund vollständig nutzbar.",
        "en": "The basemap is loaded from the internet. Without a network the map stays fully usable without it.",
    },
    "field.name": {"de": "Name", "en": "Name"},
    "field.key": {"de": "Schlüssel", "en": "Key"},
    "field.ags": {"de": "Gemeindeschlüssel", "en": "Municipality key"},
    "field.kind": {"de": "Art", "en": "Type"},
    "field.vg": {"de": "Verbandsgemeinde", "en": "Verbandsgemeinde"},
    "field.population": {"de": "Einwohner", "en": "Population"},
    "field.population_date": {"de": "Stand", "en": "As of"},
    "field.source": {"de": "Quelle", "en": "Source"},
    "field.area": {"de": "Fläche (km²)", "en": "Area (km²)"},
    "field.gemeinden": {"de": "Gemeinden", "en": "Gemeinden"},
    "field.validity": {"de": "Gültig", "en": "Valid"},
    "pop.sum_note": {
        "de": "Summe der Gemeinden; Stand der Werte {newest} bis {oldest}, es gilt der älteste Stand",
        "en": "sum of the Gemeinden; values dated {newest} to {oldest}, the oldest date applies",
    },
    "kind.Stadt": {"de": "Stadt", "en": "Town"},
    "kind.Gemeinde": {"de": "Gemeinde", "en": "Municipality"},
    "kind.city": {
        "de": "Kreisfreie Stadt, nicht Teil des Landkreises",
        "en": "Independent city, not part of the district",
    },
    "validity.from_to": {"de": "{start} bis {end}", "en": "{start} to {end}"},
    "validity.until": {"de": "bis {end}", "en": "until {end}"},
    "validity.since": {"de": "seit {start}", "en": "since {start}"},
    "table.vg_heading": {
        "de": "Verbandsgemeinden ({vintage})",
        "en": "Verbandsgemeinden ({vintage})",
    },
    "table.gemeinden_heading": {"de": "Gemeinden", "en": "Gemeinden"},
    "sources.caption": {
        "de": "Grenzen: {bkg}, VG250 (Gebietsstand 2016; VG-Gebietsstände aus der Zuordnungstabelle abgeleitet). Einwohner: je Gemeinde mit eigenem Stand (2018 bis 2023), Quellen auf der Seite „Daten & Quellen“.",
        "en": "Boundaries: {bkg}, VG250 (2016; VG vintages derived from the membership table). Population: per Gemeinde with its own date (2018 to 2023); sources on the page “Data & sources”.",
    },
    "data.heading": {"de": "Daten & Quellen", "en": "Data & sources"},
    "data.intro": {
        "de": "Jede Zahl, Grenze und Einrichtung stammt aus einer benannten Quelle mit Stand. Hier steht, was der Datenbestand umfasst, wie alt er ist und woher er kommt.",
        "en": "Every figure, boundary and facility comes from a named source with a date. This page shows what the data covers, how old it is and where it comes from.",
    },
    "data.geodata": {"de": "Geodaten (geodata/)", "en": "Geodata (geodata/)"},
    "data.datasets": {"de": "Datensätze (datasets/)", "en": "Datasets (datasets/)"},
    "data.population": {"de": "Einwohner je Gemeinde", "en": "Population per Gemeinde"},
    "data.assets": {
        "de": "Kartenbibliotheken (offline ausgeliefert)",
        "en": "Map libraries (served offline)",
    },
    "data.col.file": {"de": "Datei", "en": "File"},
    "data.col.title": {"de": "Inhalt", "en": "Content"},
    "data.col.source": {"de": "Quelle", "en": "Source"},
    "data.col.licence": {"de": "Lizenz", "en": "Licence"},
    "data.col.date": {"de": "Stand", "en": "Reference date"},
    "data.col.count": {"de": "Anzahl", "en": "Count"},
    "data.population_dates": {
        "de": "Die Einwohnerzahlen haben unterschiedliche Stände ({dates}). Sie werden nie ohne ihren Stand gezeigt.",
        "en": "Population figures have different dates ({dates}). They are never shown without their date.",
    },
    "nav.facilities": {"de": "Datenbestand", "en": "Data inventory"},
    "nav.import": {"de": "Import", "en": "Import"},
    "fac.heading": {
        "de": "Datenbestand: Einrichtungen, Projekte, Indikatoren",
        "en": "Data inventory: facilities, projects, indicators",
    },
    "fac.summary": {
        "de": "{n} Einrichtungen im Bestand ({located} mit Standort, davon {approx} nur ungefähr auf Gemeinde- oder PLZ-Ebene; {city} in der Stadt Kaiserslautern, die den Landkreis mitversorgen). Stand der Angaben: {oldest} bis {newest}; {unverified} noch nie geprüft.",
        "en": "{n} facilities in the inventory ({located} located, {approx} of them only approximately at Gemeinde or postcode level; {city} in the city of Kaiserslautern, serving the district). Data dated {oldest} to {newest}; {unverified} never verified.",
    },
    "fac.shipped_note": {
        "de": "Ausgeliefert werden nur Einrichtungen, deren Existenz eine öffentliche Quelle belegt (Presse, Landtag, Beschlussvorlage 0285/2013) – ohne Adressen, daher nur mit Gemeinde-Genauigkeit. Eigene Listen der Kreis- und VG-Verwaltungen kommen über die Seite „Import“ (CSV, Excel, GeoJSON, GeoPackage, OpenStreetMap) oder `python -m dashboard import DATEI` hinzu.",
        "en": "Shipped are only facilities whose existence a public source documents (press, Landtag, council paper 0285/2013) – without addresses, hence only at Gemeinde precision. Add the administrations' own lists on the page “Import” (CSV, Excel, GeoJSON, GeoPackage, OpenStreetMap) or with `python -m dashboard import FILE`.",
    },
    "fac.store": {"de": "Speicher: {path}", "en": "Store: {path}"},
    "filter.vg": {"de": "Verbandsgemeinde", "en": "Verbandsgemeinde"},
    "filter.category": {"de": "Kategorie", "en": "Category"},
    "filter.hf": {"de": "Handlungsfeld", "en": "Field of action"},
    "filter.all": {"de": "alle", "en": "all"},
    "fac.list": {"de": "Einrichtungen ({n})", "en": "Facilities ({n})"},
    "fac.download": {"de": "Herunterladen als {fmt}", "en": "Download as {fmt}"},
    "fac.projects": {
        "de": "Projekte des Integrationskonzepts",
        "en": "Projects of the integration concept",
    },
    "fac.projects_note": {
        "de": "Die Beschlussvorlage schlägt 23 Projekte in neun Handlungsfeldern vor und benennt drei davon; nur diese sind hinterlegt.",
        "en": "The council paper proposes 23 projects in nine fields of action and names three of them; only these are recorded.",
    },
    "fac.indicators": {"de": "Indikatoren", "en": "Indicators"},
    "fac.history": {"de": "Änderungsverlauf", "en": "Change history"},
    "fac.history_empty": {"de": "Noch keine Änderungen.", "en": "No changes yet."},
    "col.category": {"de": "Kategorie", "en": "Category"},
    "col.hf": {"de": "Handlungsfelder", "en": "Fields of action"},
    "col.operator": {"de": "Träger", "en": "Operator"},
    "col.address": {"de": "Adresse", "en": "Address"},
    "col.gemeinde": {"de": "Gemeinde", "en": "Gemeinde"},
    "col.vg": {"de": "VG (2019)", "en": "VG (2019)"},
    "col.precision": {"de": "Lagegenauigkeit", "en": "Location precision"},
    "col.languages": {"de": "Sprachen", "en": "Languages"},
    "col.target_groups": {"de": "Zielgruppen", "en": "Target groups"},
    "col.last_verified": {"de": "Zuletzt geprüft", "en": "Last verified"},
    "col.status": {"de": "Status", "en": "Status"},
    "col.outside": {"de": "Außerhalb des Kreises", "en": "Outside the district"},
    "col.title": {"de": "Titel", "en": "Title"},
    "col.lead": {"de": "Federführung", "en": "Lead"},
    "col.hf_basis": {"de": "Zuordnung", "en": "Assignment"},
    "col.indicator": {"de": "Indikator", "en": "Indicator"},
    "col.area": {"de": "Gebiet", "en": "Area"},
    "col.value": {"de": "Wert", "en": "Value"},
    "col.unit": {"de": "Einheit", "en": "Unit"},
    "col.note": {"de": "Hinweis", "en": "Note"},
    "col.when": {"de": "Zeitpunkt", "en": "When"},
    "col.author": {"de": "Von", "en": "By"},
    "col.action": {"de": "Aktion", "en": "Action"},
    "col.comment": {"de": "Kommentar", "en": "Comment"},
    "col.record": {"de": "Datensatz", "en": "Record"},
    "precision.exact": {"de": "genau", "en": "exact"},
    "precision.address": {"de": "Adresse", "en": "address"},
    "precision.postcode": {"de": "PLZ (ungefähr)", "en": "postcode (approximate)"},
    "precision.gemeinde": {"de": "Gemeinde (ungefähr)", "en": "Gemeinde (approximate)"},
    "precision.unknown": {"de": "unbekannt", "en": "unknown"},
    "status.active": {"de": "aktiv", "en": "active"},
    "status.closed": {"de": "geschlossen", "en": "closed"},
    "yes": {"de": "ja", "en": "yes"},
    "no": {"de": "nein", "en": "no"},
    "imp.heading": {"de": "Listen importieren", "en": "Import lists"},
    "imp.intro": {
        "de": "CSV (Semikolon oder Komma, UTF-8 oder Windows-1252), Excel (XLSX), GeoJSON, GeoPackage oder OpenStreetMap (.osm, .osm.pbf). Jede Zeile wird geprüft; Fehler werden mit Zeile, Feld und Grund gemeldet. Standardmäßig wird nur importiert, wenn alle Zeilen gültig sind.",
        "en": "CSV (semicolon or comma, UTF-8 or Windows-1252), Excel (XLSX), GeoJSON, GeoPackage or OpenStreetMap (.osm, .osm.pbf). Every row is checked; problems are reported with row, field and reason. By default the import runs only if all rows are valid.",
    },
    "imp.file": {"de": "Datei", "en": "File"},
    "imp.read_info": {
        "de": "Gelesen: {fmt}, {rows} Zeilen. {info}",
        "en": "Read: {fmt}, {rows} rows. {info}",
    },
    "imp.mapping": {"de": "Spaltenzuordnung prüfen", "en": "Check the column mapping"},
    "imp.mapping_help": {
        "de": "Jede Spalte der Datei einem Feld zuordnen oder ignorieren.",
        "en": "Map each column of the file to a field, or ignore it.",
    },
    "imp.ignore": {"de": "(ignorieren)", "en": "(ignore)"},
    "imp.defaults": {
        "de": "Vorgaben für Zeilen ohne Angabe",
        "en": "Defaults for rows without a value",
    },
    "imp.default_source": {"de": "Quelle", "en": "Source"},
    "imp.default_date": {
        "de": "Stand (z. B. 31.12.2024)",
        "en": "Reference date (e.g. 31.12.2024)",
    },
    "imp.counts": {
        "de": "Neu: {add} · Geändert: {change} · Unverändert: {unchanged} · Fehlerhaft: {invalid}",
        "en": "New: {add} · Changed: {change} · Unchanged: {unchanged} · Invalid: {invalid}",
    },
    "imp.problems": {"de": "Prüfbericht", "en": "Validation report"},
    "imp.preview": {"de": "Vorschau der gültigen Zeilen", "en": "Preview of the valid rows"},
    "imp.author": {
        "de": "Ihr Name (für den Änderungsverlauf)",
        "en": "Your name (for the change history)",
    },
    "imp.skip_invalid": {
        "de": "Nur die gültigen Zeilen übernehmen",
        "en": "Import only the valid rows",
    },
    "imp.run": {"de": "Importieren", "en": "Import"},
    "imp.done": {"de": "{n} Datensätze gespeichert.", "en": "{n} records saved."},
    "imp.nothing": {"de": "Nichts zu speichern.", "en": "Nothing to save."},
    "imp.report_download": {"de": "Prüfbericht als CSV", "en": "Validation report as CSV"},
    "imp.field.row": {"de": "Zeile", "en": "Row"},
    "imp.field.field": {"de": "Feld", "en": "Field"},
    "imp.field.problem": {"de": "Problem", "en": "Problem"},
    "imp.field.value": {"de": "Wert", "en": "Value"},
    "imp.status": {"de": "Ergebnis", "en": "Outcome"},
    "imp.status.add": {"de": "neu", "en": "new"},
    "imp.status.change": {"de": "geändert", "en": "changed"},
    "imp.status.unchanged": {"de": "unverändert", "en": "unchanged"},
    "imp.changes": {"de": "Änderungen", "en": "Changes"},
    "map.approx_marker": {"de": "Lage ungefähr", "en": "approximate location"},
    "map.outside_marker": {
        "de": "außerhalb des Landkreises, versorgt ihn mit",
        "en": "outside the district, serves it",
    },
    "map.more_sources": {
        "de": "und {n} weitere (Tabelle neben der Karte)",
        "en": "and {n} more (table beside the map)",
    },
    "map.stale_marker": {
        "de": "seit über 12 Monaten nicht geprüft",
        "en": "not verified for over 12 months",
    },
    "map.legend_stale": {
        "de": "roter Punkt: seit über 12 Monaten nicht geprüft",
        "en": "red dot: not verified for over 12 months",
    },
    "map.no_data": {"de": "keine Daten", "en": "no data"},
    "map.per_1000": {"de": "je 1.000 Einwohner", "en": "per 1,000 inhabitants"},
    "map.legend_date": {"de": "Stand: {date}", "en": "As of: {date}"},
    "map.legend_date_mixed": {
        "de": "Stand: ab {date} (Werte mit verschiedenen Ständen, ältester genannt)",
        "en": "As of: {date} or later (values with different dates, oldest given)",
    },
    "map.legend_derived": {
        "de": "aus Gemeindewerten summiert",
        "en": "summed from Gemeinde values",
    },
    "map.legend_facilities": {"de": "Angebote", "en": "Offers"},
    "map.legend_approx": {
        "de": "hohl, gestrichelt: Lage ungefähr (Gemeinde/PLZ)",
        "en": "hollow, dashed: approximate location (Gemeinde/postcode)",
    },
    "atlas.url_ignored": {
        "de": "Aus dem Link nicht übernommen (unbekannt oder veraltet): {items}",
        "en": "Not taken from the link (unknown or outdated): {items}",
    },
    "atlas.gemeinde": {"de": "Gemeinde", "en": "Gemeinde"},
    "atlas.search": {"de": "Name suchen", "en": "Search by name"},
    "atlas.filters": {"de": "Filter", "en": "Filters"},
    "atlas.verified": {"de": "Zuletzt geprüft", "en": "Last verified"},
    "atlas.verified.all": {"de": "alle", "en": "all"},
    "atlas.verified.12m": {"de": "in den letzten 12 Monaten", "en": "within the last 12 months"},
    "atlas.verified.never": {
        "de": "seit über 12 Monaten nicht oder nie",
        "en": "not within 12 months, or never",
    },
    "atlas.needs": {"de": "Bedarf (Flächenfärbung)", "en": "Needs (area shading)"},
    "atlas.level": {"de": "Ebene", "en": "Level"},
    "atlas.level.vg": {"de": "Verbandsgemeinden", "en": "Verbandsgemeinden"},
    "atlas.level.gemeinde": {"de": "Gemeinden", "en": "Gemeinden"},
    "atlas.indicator": {"de": "Indikator", "en": "Indicator"},
    "atlas.scheme": {"de": "Klasseneinteilung", "en": "Classification"},
    "atlas.scheme.quantiles": {"de": "Quantile", "en": "Quantiles"},
    "atlas.scheme.natural_breaks": {
        "de": "Natürliche Brüche (Jenks)",
        "en": "Natural breaks (Jenks)",
    },
    "atlas.scheme.equal_interval": {"de": "Gleiche Abstände", "en": "Equal intervals"},
    "atlas.scheme.manual": {"de": "Eigene Grenzen", "en": "Manual breaks"},
    "atlas.k": {"de": "Anzahl Klassen", "en": "Number of classes"},
    "atlas.breaks": {
        "de": "Klassengrenzen (z. B. 5; 10; 20)",
        "en": "Class breaks (e.g. 5; 10; 20)",
    },
    "atlas.breaks_error": {
        "de": "Klassengrenzen bitte als Zahlen, getrennt durch Semikolon.",
        "en": "Please give class breaks as numbers separated by semicolons.",
    },
    "atlas.layer.facilities": {"de": "Angebote", "en": "Offers"},
    "atlas.layer.choropleth": {"de": "Bedarf (Flächenfärbung)", "en": "Needs (area shading)"},
    "atlas.layer.gemeinden": {"de": "Gemeindegrenzen", "en": "Gemeinde boundaries"},
    "atlas.layer.city": {
        "de": "Stadt Kaiserslautern (Kontext)",
        "en": "City of Kaiserslautern (context)",
    },
    "atlas.heading": {"de": "Karte: Angebote und Bedarf", "en": "Map: offers and needs"},
    "atlas.count": {
        "de": "{shown} von {total} Angeboten auf der Karte",
        "en": "{shown} of {total} offers on the map",
    },
    "atlas.unlocated": {
        "de": "{n} passende Angebote ohne bekannten Standort (nur in der Liste)",
        "en": "{n} matching offers without a known location (list only)",
    },
    "atlas.sensitive": {
        "de": "{n} Angebote der Kategorie Unterkunft werden nie als Punkt gezeigt, nur als Anzahl je VG.",
        "en": "{n} offers of the category accommodation are never shown as points, only as counts per VG.",
    },
    "atlas.hits": {
        "de": "{n} Treffer für „{q}“; die Karte zeigt: {name}",
        "en": "{n} hits for “{q}”; the map shows: {name}",
    },
    "atlas.no_hits": {
        "de": "Kein Angebot mit „{q}“ im Namen (bei den aktuellen Filtern).",
        "en": "No offer with “{q}” in its name (with the current filters).",
    },
    "atlas.share": {
        "de": "Die Adresszeile enthält diese Ansicht: kopieren und teilen stellt sie wieder her.",
        "en": "The address bar holds this view: copy and share it to restore it.",
    },
    "atlas.values_heading": {"de": "Werte der Flächenfärbung", "en": "Values of the area shading"},
    "atlas.click_hint": {
        "de": "Klick in eine Verbandsgemeinde öffnet ihre Übersicht.",
        "en": "Click a Verbandsgemeinde to open its overview.",
    },
    "atlas.vg_heading": {
        "de": "Verbandsgemeinde {name} ({vg_key})",
        "en": "Verbandsgemeinde {name} ({vg_key})",
    },
    "atlas.figure": {"de": "Kennzahl", "en": "Figure"},
    "atlas.offers": {"de": "Angebote", "en": "Offers"},
    "atlas.offers_note": {
        "de": "aktive Angebote im Bestand",
        "en": "active offers in the inventory",
    },
    "atlas.offers_per_1000": {
        "de": "Angebote je 1.000 Einwohner",
        "en": "Offers per 1,000 inhabitants",
    },
    "atlas.oldest_of_parts": {
        "de": "(ältester Stand der Gemeinden)",
        "en": "(oldest date of the Gemeinden)",
    },
    "atlas.by_category": {"de": "Angebote nach Kategorie", "en": "Offers by category"},
    "atlas.offer_list": {
        "de": "Liste der Angebote – bitte prüfen und Korrekturen melden",
        "en": "List of offers – please check and report corrections",
    },
    "atlas.projects": {"de": "Projekte in der VG", "en": "Projects in the VG"},
    "atlas.no_projects": {
        "de": "Keinem Projekt ist bisher ein Ort in dieser VG zugeordnet.",
        "en": "No project has been located in this VG yet.",
    },
    "atlas.indicators": {"de": "Indikatoren mit Stand", "en": "Indicators with dates"},
    "atlas.no_choropleth": {
        "de": "Für diese Ebene gibt es keinen Indikator.",
        "en": "No indicator for this level.",
    },
    "nav.gaps": {"de": "Versorgungsanalyse", "en": "Supply analysis"},
    "gaps.heading": {
        "de": "Versorgungsanalyse: wo Bedarf hoch und Angebot dünn ist",
        "en": "Supply analysis: where need is high and supply is thin",
    },
    "gaps.data_warning": {
        "de": "Achtung: Der ausgelieferte Bestand umfasst nur {n} öffentlich belegte Einrichtungen. Eine „Lücke“ kann daher auch eine Lücke im Datenbestand sein. Vor Verwendung im Kreistag die Listen der Verwaltungen importieren (Seite „Import“).",
        "en": "Caution: the shipped inventory holds only {n} publicly documented facilities. A “gap” may therefore be a gap in the data. Import the administrations' lists (page “Import”) before using this in the Kreistag.",
    },
    "gaps.selector": {
        "de": "Angebot (Kategorie oder Handlungsfeld)",
        "en": "Offer (category or field of action)",
    },
    "gaps.level": {"de": "Ebene", "en": "Level"},
    "gaps.thresholds": {"de": "Schwellenwerte", "en": "Thresholds"},
    "gaps.max_distance": {
        "de": "Max. Entfernung zum nächsten Angebot (km)",
        "en": "Max. distance to the nearest offer (km)",
    },
    "gaps.min_per_1000": {
        "de": "Min. Angebote je 1.000 Einwohner",
        "en": "Min. offers per 1,000 inhabitants",
    },
    "gaps.radius": {"de": "Radius für Erreichbarkeit (km)", "en": "Radius of reach (km)"},
    "gaps.outside": {
        "de": "Angebote jenseits der Kreisgrenze mitzählen",
        "en": "Count offers beyond the district border",
    },
    "gaps.explain": {"de": "Was die Kennzahlen bedeuten", "en": "What the measures mean"},
    "gaps.flags": {"de": "Lücken, nach Schweregrad", "en": "Gaps, by severity"},
    "gaps.none": {
        "de": "Keine Lücke bei diesen Schwellenwerten.",
        "en": "No gap at these thresholds.",
    },
    "gaps.table": {"de": "Alle Kennzahlen (sortierbar)", "en": "All measures (sortable)"},
    "gaps.matrix": {
        "de": "Abdeckung Verbandsgemeinde × Handlungsfeld (Angebote / Projekte)",
        "en": "Coverage Verbandsgemeinde × field of action (offers / projects)",
    },
    "gaps.matrix_note": {
        "de": "Rot: weder Angebot noch Projekt; gelb: eines von beiden fehlt. Bedeutung beim Überfahren in der Liste darunter.",
        "en": "Red: neither offer nor project; yellow: one of them missing. Meanings in the list below.",
    },
    "gaps.empty_cells": {
        "de": "Leere Felder und ihre Bedeutung",
        "en": "Empty cells and their meaning",
    },
    "gaps.whatif": {
        "de": "Was wäre, wenn? Geplante Einrichtung (wird nicht gespeichert)",
        "en": "What if? Planned facility (not saved)",
    },
    "gaps.whatif_on": {"de": "Geplante Einrichtung einrechnen", "en": "Include a planned facility"},
    "gaps.whatif_click": {
        "de": "Oder in die Karte klicken, um den Ort zu setzen.",
        "en": "Or click the map to set the place.",
    },
    "gaps.whatif_changes": {
        "de": "Veränderungen durch die geplante Einrichtung",
        "en": "Changes caused by the planned facility",
    },
    "gaps.whatif_none": {
        "de": "Die geplante Einrichtung ändert keine Markierung.",
        "en": "The planned facility changes no flag.",
    },
    "gaps.planned_name": {"de": "Geplant (nicht gespeichert)", "en": "Planned (not saved)"},
    "gaps.lat": {"de": "Breitengrad", "en": "Latitude"},
    "gaps.lon": {"de": "Längengrad", "en": "Longitude"},
    "gaps.capacity": {"de": "Kapazität (optional)", "en": "Capacity (optional)"},
    "gaps.population_dates": {
        "de": "Einwohnerzahlen je Gemeinde mit Stand {oldest} bis {newest}.",
        "en": "Population per Gemeinde dated {oldest} to {newest}.",
    },
    "gaps.download": {"de": "Herunterladen als {fmt}", "en": "Download as {fmt}"},
    "nav.presentation": {"de": "Präsentation", "en": "Presentation"},
    "pres.overview": {"de": "Landkreis (Überblick)", "en": "District (overview)"},
    "pres.overview_title": {
        "de": "Landkreis Kaiserslautern: Angebote und Bedarf",
        "en": "District of Kaiserslautern: offers and needs",
    },
    "pres.overview_sub": {
        "de": "Integrationskonzept (Beschlussvorlage 0285/2013): Überblick über alle Verbandsgemeinden",
        "en": "Integration concept (council paper 0285/2013): overview of all Verbandsgemeinden",
    },
    "pres.vg_sub": {
        "de": "Angebote, Kennzahlen und Einwohner mit Stand",
        "en": "Offers, key figures and population with dates",
    },
    "pres.hf_sub": {
        "de": "{n} Angebote im Bestand, {p} Projekte des Konzepts",
        "en": "{n} offers in the inventory, {p} projects of the concept",
    },
    "pres.vgs": {"de": "Verbandsgemeinden", "en": "Verbandsgemeinden"},
    "pres.footer_population": {
        "de": "Einwohner: Stand {oldest} bis {newest}",
        "en": "Population: dated {oldest} to {newest}",
    },
    "pres.footer_facilities": {
        "de": "Einrichtungen: Stand {oldest} bis {newest} (öffentliche Quellen, Datenbestand)",
        "en": "Facilities: dated {oldest} to {newest} (public sources, inventory)",
    },
    "pres.prev": {"de": "◀ zurück", "en": "◀ previous"},
    "pres.next": {"de": "weiter ▶", "en": "next ▶"},
    "pres.position": {"de": "Ansicht {i} von {n}", "en": "View {i} of {n}"},
    "pres.compose": {"de": "Ablauf zusammenstellen", "en": "Assemble the sequence"},
    "pres.compose_help": {
        "de": "Ansichten auswählen und ordnen; der Link startet die Präsentation und kann gespeichert werden.",
        "en": "Choose and order the views; the link starts the presentation and can be saved.",
    },
    "pres.start": {"de": "Präsentation starten", "en": "Start the presentation"},
    "pres.edit": {"de": "Ablauf ändern", "en": "Change the sequence"},
    "exp.heading": {"de": "Export und Druck", "en": "Export and print"},
    "exp.paper": {"de": "Papier", "en": "Paper"},
    "exp.orientation": {"de": "Ausrichtung", "en": "Orientation"},
    "exp.landscape": {"de": "quer", "en": "landscape"},
    "exp.portrait": {"de": "hoch", "en": "portrait"},
    "exp.format": {"de": "Format", "en": "Format"},
    "exp.make_map": {
        "de": "Druckkarte dieser Ansicht erstellen (300 dpi)",
        "en": "Make a printable map of this view (300 dpi)",
    },
    "exp.make_html": {
        "de": "Interaktive Karte als HTML-Datei (offline) erstellen",
        "en": "Make the interactive map as an HTML file (offline)",
    },
    "exp.make_vg": {
        "de": "Steckbrief {name} (PDF) erstellen",
        "en": "Make the profile of {name} (PDF)",
    },
    "exp.make_all": {
        "de": "Handout aller Verbandsgemeinden (PDF) erstellen",
        "en": "Make the handout of all Verbandsgemeinden (PDF)",
    },
    "exp.drawing": {"de": "Karte wird gezeichnet", "en": "drawing the map"},
    "exp.download": {"de": "{fmt} herunterladen", "en": "Download {fmt}"},
    # -- service layer (lead) ----------------------------------------------------------------
    "pop.basis_sum": {"de": "Summe der Gemeinden", "en": "sum of the Gemeinden"},
    "pop.date_range": {"de": "{oldest} bis {newest}", "en": "{oldest} to {newest}"},
    "error.unexpected": {
        "de": "Das hat leider nicht geklappt. Bitte die Seite neu laden; bleibt der Fehler, der Kreisverwaltung die Fehlernummer {id} nennen.",
        "en": "Sorry, something went wrong. Please reload the page; if it persists, tell the district administration the error number {id}.",
    },
}


def translate(messages: dict[str, dict[str, str]], key: str, lang: str, **kwargs: object) -> str:
    """Look up ``key`` in a message table and fill its ``{placeholders}``.

    Raises
    ------
    ValueError
        For an unknown language.
    KeyError
        For an unknown key (so gaps surface in tests).
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    text = messages[key][lang]
    return text.format(**kwargs) if kwargs else text


def t(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    """Translate a message key of :data:`MESSAGES`.

    Parameters
    ----------
    key
        Key in :data:`MESSAGES`.
    lang
        ``de`` or ``en``.
    **kwargs
        Values for ``{placeholders}``.

    Returns
    -------
    str
        The message; raises ``KeyError`` for an unknown key so gaps surface in tests.
    """
    return translate(MESSAGES, key, lang, **kwargs)


def fmt_int(value: int | float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a whole number with the language's thousands separator (``–`` if missing)."""
    if value is None or value != value:  # NaN
        return "–"
    text = f"{round(value):,}"
    return text.replace(",", ".") if lang == "de" else text


def fmt_float(value: float | None, decimals: int = 1, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format a decimal number (German: decimal comma, dot for thousands)."""
    if value is None or value != value:
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def fmt_date(value: str | dt.date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Format an ISO date as ``31.12.2022`` (de) or ``2022-12-31`` (en)."""
    if value is None or value == "":
        return "–"
    date = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return date.strftime("%d.%m.%Y") if lang == "de" else date.isoformat()
