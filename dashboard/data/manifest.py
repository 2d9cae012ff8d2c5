"""Provenance manifests: checksums and deterministic JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

MANIFEST_NAME = "MANIFEST.json"


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes.

    Parameters
    ----------
    path
        File to hash.

    Returns
    -------
    str
        64 hex digits.
    """
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dumps_manifest(manifest: dict[str, Any]) -> str:
    """Serialise a manifest deterministically (sorted keys, UTF-8, trailing newline)."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_manifest(directory: Path) -> dict[str, Any]:
    """Read ``MANIFEST.json`` of a data folder.

    Parameters
    ----------
    directory
        ``geodata/`` or ``datasets/``.

    Returns
    -------
    dict
        The parsed manifest; ``{"outputs": {}}`` if the folder has none.
    """
    path = directory / MANIFEST_NAME
    if not path.exists():
        return {"outputs": {}}
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest
