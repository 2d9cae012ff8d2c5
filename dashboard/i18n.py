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
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **kwargs: object) -> str:
    """Translate a message key.

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
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    text = MESSAGES[key][lang]
    return text.format(**kwargs) if kwargs else text


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
