"""Errors of the data layer that callers show to the user as one line."""

from __future__ import annotations


class StoreError(Exception):
    """A write was refused or the store cannot be opened; the message says why in plain words."""


class SchemaError(StoreError):
    """The store's file cannot be used by this release (too new, not a store, or an upgrade
    failed); the file is left unchanged."""
