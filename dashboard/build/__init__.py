"""Data builds: raw sources -> ``geodata/`` and ``datasets/``, each with a MANIFEST."""

from __future__ import annotations


class BuildError(Exception):
    """A build cannot proceed; the message is one line naming the file and the expectation."""
