"""Flexible column matching: the many ways offices name the same column.

One table, :data:`ALIASES`: canonical field -> accepted header spellings. Headers are
compared case-insensitively with umlauts folded and punctuation removed.
"""

from __future__ import annotations

import re

#: Canonical import fields and the header spellings that map to them.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "kennung", "einrichtungsid", "objektid", "datensatzid"),
    "name": (
        "name",
        "einrichtung",
        "namedereinrichtung",
        "bezeichnung",
        "nameeinrichtung",
        "nameundbezeichnung",
        "titel",
        "angebot",
        "einrichtungsname",
    ),
    "category": ("kategorie", "category", "art", "typ", "einrichtungsart", "angebotsart"),
    "handlungsfelder": ("handlungsfeld", "handlungsfelder", "fieldofaction", "fieldsofaction"),
    "operator": ("trager", "traeger", "operator", "betreiber", "tragerschaft", "traegerschaft"),
    "street": (
        "strasse",
        "str",
        "street",
        "adresse",
        "anschrift",
        "strasseundhausnummer",
        "strassehausnummer",
        "address",
        "streetandnumber",
    ),
    "housenumber": ("hausnummer", "hnr", "hausnr", "housenumber"),
    "postcode": ("plz", "postleitzahl", "postcode", "zip", "zipcode"),
    "place": ("ort", "stadt", "place", "city", "ortsname", "wohnort"),
    "gemeinde": ("gemeinde", "ortsgemeinde", "kommune", "municipality", "gemeindename"),
    "ags": (
        "ags",
        "gemeindeschlussel",
        "gemeindeschluessel",
        "gkz",
        "amtlichergemeindeschlussel",
        "amtlichergemeindeschluessel",
        "municipalitykey",
    ),
    "lat": ("lat", "latitude", "breitengrad", "breite", "geogrbreite", "y", "ykoordinate"),
    "lon": (
        "lon",
        "lng",
        "long",
        "longitude",
        "langengrad",
        "laengengrad",
        "lange",
        "laenge",
        "x",
        "xkoordinate",
    ),
    "east": ("rechtswert", "east", "easting", "utmx", "xutm", "ostwert"),
    "north": ("hochwert", "north", "northing", "utmy", "yutm", "nordwert"),
    "precision": (
        "genauigkeit",
        "precision",
        "lagegenauigkeit",
        "positionsgenauigkeit",
        "locationprecision",
    ),
    "languages": ("sprachen", "languages", "angebotenesprachen", "sprache", "language"),
    "target_groups": ("zielgruppen", "zielgruppe", "targetgroups", "targetgroup"),
    "contact": (
        "kontakt",
        "contact",
        "telefon",
        "tel",
        "email",
        "mail",
        "website",
        "internet",
        "ansprechpartner",
        "ansprechperson",
        "homepage",
    ),
    "capacity": (
        "kapazitat",
        "kapazitaet",
        "platze",
        "plaetze",
        "capacity",
        "anzahlplatze",
        "anzahlplaetze",
    ),
    "source": ("quelle", "source", "datenquelle", "herkunft"),
    "reference_date": ("stand", "stichtag", "referencedate", "datum", "datenstand", "standvom"),
    "last_verified": (
        "gepruftam",
        "geprueftam",
        "zuletztgepruft",
        "zuletztgeprueft",
        "lastverified",
        "uberpruftam",
        "ueberprueftam",
        "verifiziertam",
    ),
    "status": ("status", "zustand"),
    "unconfirmed": (
        "unbestatigt",
        "unbestaetigt",
        "bestatigungausstehend",
        "bestaetigungausstehend",
        "nochzubestatigen",
        "nochzubestaetigen",
        "tobeconfirmed",
        "unconfirmed",
    ),
    "note": ("bemerkung", "anmerkung", "notiz", "note", "hinweis", "bemerkungen", "kommentar"),
    "osm_id": ("osmid",),
}

#: Fields that may be filled from several columns (joined with "; ").
MULTI = frozenset({"contact", "note"})

IGNORE = ""


def fold(text: str) -> str:
    """Lower-case, umlauts folded, everything but letters and digits removed."""
    text = text.lower().replace("ä", "a").replace("ö", "o").replace("ü", "u").replace("ß", "ss")
    return re.sub(r"[^a-z0-9]", "", text)


_LOOKUP = {alias: canon for canon, aliases in ALIASES.items() for alias in aliases}
_LOOKUP.update({fold(canon): canon for canon in ALIASES})
# "ae"/"oe"/"ue" spellings of headers fold to the same keys as the umlauts
_LOOKUP.update(
    {
        a.replace("ae", "a").replace("oe", "o").replace("ue", "u"): c
        for a, c in list(_LOOKUP.items())
    }
)


def match_columns(headers: list[str]) -> dict[str, str]:
    """Propose a mapping from file headers to canonical fields.

    Parameters
    ----------
    headers
        Column names as in the file.

    Returns
    -------
    dict
        Header -> canonical field, or ``""`` (ignored). A single-valued field is taken by
        the first header that matches it; later ones are ignored.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        key = fold(header)
        canon = _LOOKUP.get(key) or _LOOKUP.get(
            key.replace("ae", "a").replace("oe", "o").replace("ue", "u"), ""
        )
        if canon and canon in taken and canon not in MULTI:
            canon = IGNORE
        mapping[header] = canon
        if canon:
            taken.add(canon)
    return mapping
