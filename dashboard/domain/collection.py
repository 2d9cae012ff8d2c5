"""The collection round's workbook: its sheets, columns and markers.

The Kreisverwaltung sends each Verbandsgemeinde one XLSX workbook with its current offers
(:func:`dashboard.export.collection.write_workbook`); the VG corrects it, adds new offers,
marks closed ones, states per category whether its list is complete and as of when, and
sends it back; the returned workbook is read back as a change set
(:func:`dashboard.data.collection_workbook.read_workbook`). Both sides use the names
below, so a workbook written by one release is read by the same rules.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable

from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES

#: Categories whose lists a VG delivers and whose completeness is recorded: the offer
#: categories without the sensitive one (its records are kept by the Kreisverwaltung) and
#: without project sites (no offer type).
LIST_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if c not in SENSITIVE_CATEGORIES and c != "Projektstandort"
)

#: Marker of a workbook of this application (hidden sheet :data:`SHEET_META`).
WORKBOOK_FORMAT = "integrationsatlas-erhebung"
WORKBOOK_VERSION = "2"

SHEET_GUIDE = "Anleitung"
SHEET_OFFERS = "Angebote"
SHEET_LISTS = "Vollständigkeit"
SHEET_CHOICES = "Auswahllisten"
SHEET_META = "Meta"

#: Facility fields in the offers sheet, in order (labels ``f.<field>`` in German).
#: Position, source and date are not asked: an unchanged row keeps the stored ones; a
#: changed or new row is located from its address and dated with the list's date.
OFFER_FIELDS: tuple[str, ...] = (
    "id", "name", "category", "handlungsfelder", "operator", "street", "postcode", "place",
    "languages", "target_groups", "contact", "capacity", "status", "unconfirmed", "note",
    "version",
)  # fmt: skip

#: Fields a VG fills in (compared with the stored record to find changed rows).
EDITABLE_FIELDS: tuple[str, ...] = OFFER_FIELDS[1:-1]

#: Address fields: when one of them changes, the offer is located anew from the address.
ADDRESS_FIELDS: tuple[str, ...] = ("street", "postcode", "place")

#: Words of the status and yes/no cells (German, as the importer reads them).
STATUS_WORDS: dict[str, str] = {"active": "aktiv", "closed": "geschlossen"}
YES, NO = "ja", "nein"

#: Labels of the cells of the lists sheet (row 1 holds the header of the category table).
LISTS_HEADER: tuple[str, ...] = ("Kategorie", "Liste vollständig", "Stand", "Bemerkung")
FILLED_BY = "Ausgefüllt von"
FILLED_ON = "Datum"

#: Keys of the meta sheet (``check``: the send's check value, :func:`send_check`).
META_KEYS: tuple[str, ...] = (
    "format", "version", "round", "vg_key", "vg_name", "send_id", "sent_at", "check",
)  # fmt: skip

#: Values the dropdowns of languages and target groups offer besides those in the data
#: (a choice list for the VG, not data; any other value may be typed).
SUGGESTED_LANGUAGES: tuple[str, ...] = (
    "Deutsch", "Englisch", "Arabisch", "Ukrainisch", "Russisch", "Türkisch", "Farsi", "Dari",
    "Paschtu", "Kurdisch", "Französisch", "Polnisch", "Rumänisch", "Bulgarisch", "Tigrinya",
    "Somali", "Albanisch", "Serbisch/Kroatisch/Bosnisch", "Spanisch", "Italienisch",
)  # fmt: skip
SUGGESTED_TARGET_GROUPS: tuple[str, ...] = (
    "Kinder", "Jugendliche", "Familien", "Frauen", "Männer", "Erwachsene", "Senioren",
    "Geflüchtete", "Neuzugewanderte", "Ehrenamtliche", "Fachkräfte",
)  # fmt: skip


def send_check(
    secret: str, vg_key: str, round_: str, send_id: int, record_ids: Iterable[str]
) -> str:
    """The check value of a send: an HMAC (SHA-256, 128 bits in hex) over the VG, the round,
    the send's id and the ids of the offers sent, keyed with the store's secret.

    A returned workbook carries it in its hidden sheet; whoever edits the VG, round, send
    id or check value there cannot make a matching one without the secret.

    Parameters
    ----------
    secret
        The store's secret (:data:`dashboard.data.collection.SECRET_KEY`).
    vg_key, round_, send_id
        The send.
    record_ids
        The ids of the offers the workbook listed (order does not matter).
    """
    text = "\n".join((WORKBOOK_FORMAT, vg_key, round_, str(send_id), ",".join(sorted(record_ids))))
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
