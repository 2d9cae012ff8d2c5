"""Reviewing a proposal: what it changes against now, worded as the form words it."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.model import Facility
from dashboard.domain.review import FieldChange, proposal_delta, rebased
from dashboard.i18n.message import Message, moment
from dashboard.ui.review import delta_table, value_text

BASE = Facility(
    id="test-kita",
    name="Test-Kita",
    category="Kita",
    handlungsfelder=["kita_schule"],
    postcode="67685",
    ags="07335024",
    lat=49.4812345,
    lon=7.6354321,
    precision="gemeinde",
    source="Testdaten",
    reference_date="2024-08",
)


def test_only_the_proposals_own_changes_count() -> None:
    proposed = BASE.model_copy(update={"languages": ["Deutsch", "Türkisch"]})
    now = BASE.model_copy(update={"contact": "kita@example.org", "version": 2})
    delta = proposal_delta(BASE, now, proposed)
    assert delta.changes == (FieldChange("languages", [], ["Deutsch", "Türkisch"]),)
    merged = rebased(now, delta)
    assert merged.contact == "kita@example.org" and merged.languages == ["Deutsch", "Türkisch"]


def test_applied_and_conflicting_changes() -> None:
    proposed = BASE.model_copy(update={"status": "closed"})
    assert proposal_delta(BASE, proposed.model_copy(update={"version": 2}), proposed).applied
    other = BASE.model_copy(update={"postcode": "67661"})
    delta = proposal_delta(BASE, other, BASE.model_copy(update={"postcode": "67657"}))
    assert delta.conflicts == ("postcode",) and not delta.applied
    # a position within centimetres is the same place
    moved = BASE.model_copy(update={"lat": BASE.lat + 1e-7})
    assert proposal_delta(BASE, BASE, moved).applied
    # an addition: every field it fills
    added = proposal_delta(None, None, BASE)
    assert {"name", "category", "lat"} <= {c.field for c in added.changes}


def test_values_in_the_forms_language() -> None:
    assert value_text("handlungsfelder", ["sprache", "kita_schule"], "de") == (
        "Sprache, Kindertagesstätten und Schulen"
    )
    assert value_text("category", "Kita", "en") == "Day-care centre"
    assert value_text("status", "active", "de") == "aktiv"
    assert value_text("unconfirmed", False, "de") == "nein"
    assert value_text("unconfirmed", True, "en") == "yes"
    assert value_text("lat", 49.4812345, "de") == "49,48123"
    assert value_text("reference_date", "2024-08", "de") == "08.2024"
    assert value_text("last_verified", dt.date(2025, 3, 1), "de") == "01.03.2025"
    assert value_text("ags", "07335024", "de", {"07335024": "Weilerbach"}.get) == "Weilerbach"
    assert value_text("contact", "", "de") == "–"


def test_table_has_labels_not_field_names() -> None:
    proposed = BASE.model_copy(
        update={"handlungsfelder": ["sprache"], "unconfirmed": True, "lat": 49.5, "lon": 7.6}
    )
    frame = delta_table(proposal_delta(BASE, BASE, proposed), "de")
    text = frame.to_csv()
    assert list(frame.columns) == ["Feld", "jetzt", "Vorschlag"]
    for raw in ("handlungsfelder", "kita_schule", "unconfirmed", "True", "False", "49.4812345"):
        assert raw not in text, raw
    assert "Kindertagesstätten und Schulen" in text and "ja" in text and "49,48123" in text


def test_messages_word_moments_as_local_time() -> None:
    at = moment("2025-03-01T09:00:00+00:00")
    message = Message.of("err.proposal_decided", id=3, by="kurt", at=at)
    assert message.text("de") == "Der Vorschlag 3 ist schon entschieden (kurt, 01.03.2025 10:00)."
    assert "2025-03-01 10:00" in message.text("en")
    assert moment("nie") == "nie"


def test_somebodys_words_are_marked_and_escaped() -> None:
    from dashboard.ui.text import theirs

    shown = theirs("<script>alert(1)</script> *fett* Sprachen ergänzt")
    assert shown.startswith('<span lang="de">') and shown.endswith("</span>")
    assert shown.count("<script") == shown.count("\\<script") == 1  # shown as text, not a tag
    assert "\\*fett\\*" in shown
