"""Data builds: raw sources -> ``geodata/`` and ``datasets/``, each with a MANIFEST."""

from __future__ import annotations

from pathlib import Path

from dashboard.config import REPO_ROOT
from dashboard.data.manifest import sha256_file


class BuildError(Exception):
    """A build cannot proceed; the message is one line naming the file and the expectation."""


def input_entry(path: Path) -> dict[str, str]:
    """The MANIFEST record of a build input: its path and its sha256.

    Parameters
    ----------
    path
        An input file; inside the repository (``raw/...``) it is recorded by its path
        relative to the repository, so the MANIFEST is the same on every checkout.

    Returns
    -------
    dict
        ``{"file": ..., "sha256": ...}``; an input outside the repository (an
        ``INTEGRATIONSATLAS_REFERENCE`` override) keeps its absolute path.
    """
    resolved = path.resolve()
    try:
        name = resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        name = resolved.as_posix()
    return {"file": name, "sha256": sha256_file(path)}
