"""Texts of sign-in, editing, review and user management (German default, English).

Same shape as :data:`dashboard.i18n.catalogue.MESSAGES`, kept apart so it can be merged later.
"""

from __future__ import annotations

from dashboard.i18n.catalogue import LANGUAGES

MESSAGES: dict[str, dict[str, str]] = {
    # -- navigation ---------------------------------------------------------------------------
    "nav.edit": {"de": "Angebote bearbeiten", "en": "Edit offers"},
    "nav.review": {"de": "Vorschläge prüfen", "en": "Review proposals"},
    "nav.users": {"de": "Benutzer", "en": "Users"},
    # -- sign-in ------------------------------------------------------------------------------
    "auth.heading": {"de": "Anmeldung", "en": "Sign in"},
    "auth.name": {"de": "Name", "en": "Name"},
    "auth.password": {"de": "Passwort", "en": "Password"},
    "auth.submit": {"de": "Anmelden", "en": "Sign in"},
    "auth.failed": {"de": "Anmeldung fehlgeschlagen.", "en": "Sign-in failed."},
    "auth.throttled": {
        "de": "Zu viele Versuche, bitte in {seconds} s erneut versuchen.",
        "en": "Too many attempts, please try again in {seconds} s.",
    },
    "auth.expired": {
        "de": "Die Sitzung ist abgelaufen. Bitte neu anmelden.",
        "en": "The session has expired. Please sign in again.",
    },
    "auth.signed_in": {
        "de": "Angemeldet als **{name}** ({role})",
        "en": "Signed in as **{name}** ({role})",
    },
    "auth.vgs": {"de": "Verbandsgemeinde(n): {vgs}", "en": "Verbandsgemeinde(n): {vgs}"},
    "auth.signout": {"de": "Abmelden", "en": "Sign out"},
    "auth.oidc_login": {
        "de": "Mit Dienstkonto anmelden",
        "en": "Sign in with organisation account",
    },
    "auth.oidc_no_role": {
        "de": "Angemeldet als {name}, aber ohne Rolle im Integrationsatlas: Sie sehen die "
        "öffentliche Ansicht.",
        "en": "Signed in as {name}, but without a role in the integration atlas: you see the "
        "public view.",
    },
    "auth.local": {"de": "Lokale Anmeldung", "en": "Local sign-in"},
    "auth.denied": {"de": "Keine Berechtigung", "en": "No permission"},
    "role.public": {"de": "Öffentlich", "en": "Public"},
    "role.vg_editor": {"de": "VG-Redaktion", "en": "VG editors"},
    "role.district_editor": {"de": "Kreis-Redaktion", "en": "District editors"},
    "role.admin": {"de": "Admin", "en": "Admin"},
    # -- facility fields ----------------------------------------------------------------------
    "f.id": {"de": "ID", "en": "ID"},
    "f.name": {"de": "Name", "en": "Name"},
    "f.category": {"de": "Kategorie", "en": "Category"},
    "f.handlungsfelder": {"de": "Handlungsfelder", "en": "Fields of action"},
    "f.operator": {"de": "Träger", "en": "Operator"},
    "f.street": {"de": "Straße und Hausnummer", "en": "Street and number"},
    "f.postcode": {"de": "PLZ", "en": "Postcode"},
    "f.place": {"de": "Ort", "en": "Place"},
    "f.gemeinde": {"de": "Gemeinde", "en": "Gemeinde"},
    "f.ags": {"de": "Gemeindeschlüssel", "en": "Municipality key"},
    "f.lat": {"de": "Breitengrad", "en": "Latitude"},
    "f.lon": {"de": "Längengrad", "en": "Longitude"},
    "f.east": {"de": "Rechtswert", "en": "Easting"},
    "f.north": {"de": "Hochwert", "en": "Northing"},
    "f.location": {"de": "Standort", "en": "Location"},
    "f.geometry": {"de": "Geometrie", "en": "Geometry"},
    "f.precision": {"de": "Lagegenauigkeit", "en": "Location precision"},
    "f.languages": {"de": "Sprachen", "en": "Languages"},
    "f.target_groups": {"de": "Zielgruppen", "en": "Target groups"},
    "f.contact": {"de": "Kontakt", "en": "Contact"},
    "f.capacity": {"de": "Kapazität", "en": "Capacity"},
    "f.source": {"de": "Quelle", "en": "Source"},
    "f.reference_date": {"de": "Stand", "en": "Reference date"},
    "f.last_verified": {"de": "Zuletzt geprüft", "en": "Last verified"},
    "f.status": {"de": "Status", "en": "Status"},
    "f.note": {"de": "Hinweis", "en": "Note"},
    "f.version": {"de": "Version", "en": "Version"},
    "f.record": {"de": "Datensatz", "en": "Record"},
    "f.list_help": {
        "de": "mehrere durch Komma oder Semikolon trennen",
        "en": "separate several by comma or semicolon",
    },
    "f.choose": {"de": "Bitte wählen", "en": "Choose options"},
    "f.date_help": {"de": "z. B. 31.12.2024", "en": "e.g. 31.12.2024 or 2024-12-31"},
    # -- editing ------------------------------------------------------------------------------
    "edit.heading": {"de": "Angebote bearbeiten", "en": "Edit offers"},
    "edit.intro_vg": {
        "de": "Sie können Angebote in {vgs} vorschlagen, ändern oder schließen. Die "
        "Kreis-Redaktion prüft jeden Vorschlag, bevor er erscheint.",
        "en": "You can propose new offers, changes and closures in {vgs}. The district "
        "editors review every proposal before it appears.",
    },
    "edit.intro_district": {
        "de": "Änderungen werden sofort gespeichert und im Verlauf mit Ihrem Namen vermerkt.",
        "en": "Changes are saved at once and recorded in the history with your name.",
    },
    "edit.pick": {"de": "Angebot", "en": "Offer"},
    "edit.new": {"de": "+ Neues Angebot anlegen", "en": "+ Add a new offer"},
    "edit.closed_suffix": {"de": "geschlossen", "en": "closed"},
    "edit.version": {
        "de": "Version {version}, Stand {date}",
        "en": "Version {version}, dated {date}",
    },
    "edit.position": {"de": "Standort festlegen", "en": "Set the location"},
    "edit.pos.keep": {"de": "unverändert", "en": "unchanged"},
    "edit.pos.coords": {"de": "Koordinaten", "en": "Coordinates"},
    "edit.pos.address": {"de": "Adresse (PLZ und Ort)", "en": "Address (postcode and place)"},
    "edit.pos.map": {"de": "Klick in die Karte", "en": "Click on the map"},
    "edit.pos.current": {
        "de": "Aktueller Standort: {lat}, {lon} ({precision})",
        "en": "Current location: {lat}, {lon} ({precision})",
    },
    "edit.pos.none": {"de": "Bisher ohne Standort.", "en": "No location yet."},
    "edit.pos.address_help": {
        "de": "PLZ und Ort aus dem Formular werden offline verortet (PLZ-Mittelpunkt, sonst "
        "Gemeinde).",
        "en": "Postcode and place from the form are located offline (postcode centre, else "
        "the Gemeinde).",
    },
    "edit.pos.click_help": {
        "de": "In die Karte klicken, um den Standort zu setzen.",
        "en": "Click on the map to set the location.",
    },
    "edit.pos.clicked": {"de": "Gewählt: {lat}, {lon}", "en": "Chosen: {lat}, {lon}"},
    "edit.pos.no_click": {"de": "Noch kein Punkt gewählt.", "en": "No point chosen yet."},
    "edit.comment": {"de": "Kommentar (Grund der Änderung)", "en": "Comment (reason)"},
    "edit.propose": {"de": "Vorschlagen", "en": "Propose"},
    "edit.save": {"de": "Speichern", "en": "Save"},
    "edit.close": {"de": "Angebot schließen", "en": "Close offer"},
    "edit.proposed": {
        "de": "Vorschlag Nr. {id} gespeichert; die Kreis-Redaktion prüft ihn.",
        "en": "Proposal no. {id} saved; the district editors will review it.",
    },
    "edit.saved": {
        "de": "Gespeichert: {name} (Version {version}).",
        "en": "Saved: {name} (version {version}).",
    },
    "edit.problems": {
        "de": "Nicht gespeichert – bitte korrigieren:",
        "en": "Not saved – please correct:",
    },
    "edit.col.field": {"de": "Feld", "en": "Field"},
    "edit.col.problem": {"de": "Problem", "en": "Problem"},
    "edit.col.value": {"de": "Wert", "en": "Value"},
    "edit.nothing": {
        "de": "Sie dürfen in keiner Verbandsgemeinde Angebote ändern.",
        "en": "You may not change offers in any Verbandsgemeinde.",
    },
    "edit.current_heading": {"de": "Liste aktuell halten", "en": "Keeping the list current"},
    "edit.confirm": {"de": "Unsere Liste ist aktuell", "en": "Our list is current"},
    "edit.confirm_vg": {"de": "Verbandsgemeinde", "en": "Verbandsgemeinde"},
    "edit.confirm_last": {
        "de": "{vg}: zuletzt bestätigt am {date} von {by}",
        "en": "{vg}: last confirmed on {date} by {by}",
    },
    "edit.confirm_never": {"de": "{vg}: noch nie bestätigt", "en": "{vg}: never confirmed"},
    "edit.confirmed": {
        "de": "Bestätigt: die Liste von {vg} ist aktuell.",
        "en": "Confirmed: the list of {vg} is current.",
    },
    "edit.stale_heading": {
        "de": "Seit 12 Monaten nicht geprüft ({n})",
        "en": "Not verified for 12 months ({n})",
    },
    "edit.stale_none": {
        "de": "Alle Angebote wurden in den letzten 12 Monaten geprüft.",
        "en": "All offers were verified in the last 12 months.",
    },
    "edit.my_proposals": {"de": "Meine Vorschläge", "en": "My proposals"},
    "edit.col.vg_confirmed": {"de": "Liste bestätigt", "en": "List confirmed"},
    # -- proposals and review -----------------------------------------------------------------
    "kind.add": {"de": "neu", "en": "new"},
    "kind.change": {"de": "Änderung", "en": "change"},
    "kind.close": {"de": "Schließung", "en": "closure"},
    "pstatus.pending": {"de": "offen", "en": "pending"},
    "pstatus.approved": {"de": "übernommen", "en": "approved"},
    "pstatus.rejected": {"de": "abgelehnt", "en": "rejected"},
    "rev.heading": {"de": "Vorschläge prüfen", "en": "Review proposals"},
    "rev.pending": {"de": "Offene Vorschläge ({n})", "en": "Pending proposals ({n})"},
    "rev.none": {"de": "Keine offenen Vorschläge.", "en": "No pending proposals."},
    "rev.item": {
        "de": "Nr. {id} · {kind}: {name} · {vg} · von {author}, {at}",
        "en": "No. {id} · {kind}: {name} · {vg} · by {author}, {at}",
    },
    "rev.author_comment": {"de": "Begründung: {comment}", "en": "Reason: {comment}"},
    "rev.col.before": {"de": "bisher", "en": "before"},
    "rev.col.after": {"de": "neu", "en": "after"},
    "rev.comment": {"de": "Kommentar zur Entscheidung", "en": "Comment on the decision"},
    "rev.approve": {"de": "Übernehmen", "en": "Approve"},
    "rev.reject": {"de": "Ablehnen", "en": "Reject"},
    "rev.approved": {
        "de": "Vorschlag Nr. {id} übernommen.",
        "en": "Proposal no. {id} approved.",
    },
    "rev.rejected": {"de": "Vorschlag Nr. {id} abgelehnt.", "en": "Proposal no. {id} rejected."},
    "rev.decided": {"de": "Entschiedene Vorschläge", "en": "Decided proposals"},
    "rev.decided_none": {"de": "Noch keine Entscheidungen.", "en": "No decisions yet."},
    "rev.history": {"de": "Änderungsverlauf", "en": "Change history"},
    "rev.history_empty": {"de": "Noch keine Änderungen.", "en": "No changes yet."},
    "col.no": {"de": "Nr.", "en": "No."},
    "col.kind": {"de": "Art", "en": "Kind"},
    "col.offer": {"de": "Angebot", "en": "Offer"},
    "col.vg": {"de": "Verbandsgemeinde", "en": "Verbandsgemeinde"},
    "col.author": {"de": "Von", "en": "By"},
    "col.created": {"de": "Eingereicht", "en": "Submitted"},
    "col.comment": {"de": "Begründung", "en": "Reason"},
    "col.status": {"de": "Status", "en": "Status"},
    "col.reviewer": {"de": "Geprüft von", "en": "Reviewed by"},
    "col.reviewed_at": {"de": "Geprüft am", "en": "Reviewed at"},
    "col.review_comment": {"de": "Kommentar", "en": "Comment"},
    "col.when": {"de": "Zeitpunkt", "en": "When"},
    "col.action": {"de": "Aktion", "en": "Action"},
    "action.add": {"de": "angelegt", "en": "added"},
    "action.change": {"de": "geändert", "en": "changed"},
    "action.close": {"de": "geschlossen", "en": "closed"},
    "action.proposal": {"de": "vorgeschlagen", "en": "proposed"},
    "action.approve": {"de": "übernommen", "en": "approved"},
    "action.reject": {"de": "abgelehnt", "en": "rejected"},
    # -- user management ----------------------------------------------------------------------
    "users.heading": {"de": "Benutzer", "en": "Users"},
    "users.file": {"de": "Benutzerdatei: {path}", "en": "User file: {path}"},
    "users.list": {"de": "Konten ({n})", "en": "Accounts ({n})"},
    "users.col.name": {"de": "Name", "en": "Name"},
    "users.col.role": {"de": "Rolle", "en": "Role"},
    "users.col.vgs": {"de": "Verbandsgemeinden", "en": "Verbandsgemeinden"},
    "users.col.created": {"de": "Angelegt", "en": "Created"},
    "users.add": {"de": "Konto anlegen", "en": "Add account"},
    "users.role": {"de": "Rolle", "en": "Role"},
    "users.vgs": {
        "de": "Verbandsgemeinden (nur VG-Redaktion)",
        "en": "Verbandsgemeinden (VG editors only)",
    },
    "users.password": {"de": "Passwort (mind. 10 Zeichen)", "en": "Password (min. 10 characters)"},
    "users.password2": {"de": "Passwort wiederholen", "en": "Repeat password"},
    "users.oidc_only": {
        "de": "Nur über das Dienstkonto anmelden (ohne Passwort)",
        "en": "Signs in only with the organisation account (no password)",
    },
    "users.mismatch": {
        "de": "Die Passwörter stimmen nicht überein.",
        "en": "The passwords do not match.",
    },
    "users.added": {"de": "Konto {name} angelegt.", "en": "Account {name} added."},
    "users.remove": {"de": "Konto entfernen", "en": "Remove account"},
    "users.remove_confirm": {
        "de": "Ja, dieses Konto entfernen",
        "en": "Yes, remove this account",
    },
    "users.removed": {"de": "Konto {name} entfernt.", "en": "Account {name} removed."},
    "users.reset": {"de": "Passwort zurücksetzen", "en": "Reset password"},
    "users.reset_done": {
        "de": "Neues Passwort für {name} gesetzt.",
        "en": "New password set for {name}.",
    },
    "users.account": {"de": "Konto", "en": "Account"},
    "users.none": {"de": "Noch keine Konten.", "en": "No accounts yet."},
}


def tx(key: str, lang: str = "de", **kwargs: object) -> str:
    """Translate a key of :data:`MESSAGES` (like :func:`dashboard.i18n.catalogue.t`).

    Raises
    ------
    KeyError
        For an unknown key, so gaps surface in tests.
    ValueError
        For an unknown language.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {LANGUAGES}")
    text = MESSAGES[key][lang]
    return text.format(**kwargs) if kwargs else text


def field_label(name: str, lang: str) -> str:
    """Label of a facility field (the field name itself if none is defined)."""
    entry = MESSAGES.get(f"f.{name}")
    return entry[lang] if entry else name
