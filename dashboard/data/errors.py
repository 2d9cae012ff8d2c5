"""Errors of the data layer that callers show to the user as one line."""

from __future__ import annotations

from dashboard.i18n.message import LocalizedError


class StoreError(LocalizedError):
    """A write was refused or the store cannot be opened; the message says why in plain words.

    Raised with a catalogue key and its values (``StoreError(N_("err.id_taken"), id=...)``),
    so a page words it in the user's language (``exc.text(lang)``); ``str(exc)`` is German.
    """


class SchemaError(StoreError):
    """The store's file cannot be used by this release (too new, not a store, or an upgrade
    failed); the file is left unchanged."""
