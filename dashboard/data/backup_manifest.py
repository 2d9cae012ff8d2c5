"""The manifest beside every backup: what the file is, and its size and SHA-256.

``integrationsatlas-20250301-020000.gpkg.manifest.json``::

    {"format": "integrationsatlas-backup/1", "backend": "sqlite", "file": "...gpkg",
     "size": 1234567, "sha256": "...", "schema_version": 5, "data_version": 812,
     "created": "2025-03-01T02:00:00+00:00"}

A restore reads the manifest first (small, strictly checked), then copies the backup into
a private file while hashing it: a file whose size or checksum differs from the manifest
is refused before anything is changed, and the checked private copy is what the restore
reads (the original may change meanwhile without effect).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from dashboard.data.errors import StoreError
from dashboard.i18n.catalogue import N_

MANIFEST_FORMAT = "integrationsatlas-backup/1"
MANIFEST_SUFFIX = ".manifest.json"
#: A manifest is a few hundred bytes; anything much larger is not one.
_MAX_MANIFEST_BYTES = 16 * 1024
_CHUNK = 1 << 20


class ManifestError(StoreError):
    """A backup has no usable manifest, or the file does not match it."""


@dataclass(frozen=True)
class Manifest:
    """What a backup's manifest records.

    Attributes
    ----------
    backend
        ``sqlite`` or ``postgresql``.
    file
        The backup's file name when it was made.
    size
        Bytes of the file.
    sha256
        Hex SHA-256 of the file.
    schema_version, data_version
        Of the store when it was copied.
    created
        When (ISO 8601, UTC).
    """

    backend: str
    file: str
    size: int
    sha256: str
    schema_version: int
    data_version: int
    created: str

    @classmethod
    def of_file(
        cls, path: Path, name: str, backend: str, schema_version: int, data_version: int
    ) -> Manifest:
        """The manifest of a finished backup file at ``path``, to be published as ``name``."""
        size, digest = _hash(path)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        return cls(backend, name, size, digest, schema_version, data_version, now)


def manifest_path(backup: Path) -> Path:
    """Where the manifest of ``backup`` lives: beside it, ``<name>.manifest.json``."""
    return backup.with_name(backup.name + MANIFEST_SUFFIX)


def _hash(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_manifest(manifest: Manifest, path: Path) -> None:
    """Write a manifest atomically, mode ``0600``."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"format": MANIFEST_FORMAT, **asdict(manifest)}, fh, indent=2)
            fh.write("\n")
        os.chmod(name, 0o600)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)


def read_manifest(backup: Path) -> Manifest:
    """The manifest beside ``backup``, checked field by field.

    Raises
    ------
    ManifestError
        Missing, too large, not JSON, another format, or a field missing or of the wrong
        kind.
    """
    path = manifest_path(backup)
    try:
        with path.open("rb") as fh:
            raw = fh.read(_MAX_MANIFEST_BYTES + 1)
    except FileNotFoundError:
        raise ManifestError(
            N_("backup.err.no_manifest"), file=str(backup), name=path.name
        ) from None
    except OSError as exc:
        raise ManifestError(N_("backup.err.unreadable"), file=str(path)) from exc
    if len(raw) > _MAX_MANIFEST_BYTES:
        raise ManifestError(N_("backup.err.manifest_too_large"), file=str(path))
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(N_("backup.err.not_manifest"), file=str(path), detail=str(exc)) from exc
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        raise ManifestError(N_("backup.err.not_our_manifest"), file=str(path))
    return _fields(data, path)


def _fields(data: dict[str, object], path: Path) -> Manifest:
    texts = {k: data.get(k) for k in ("backend", "file", "sha256", "created")}
    numbers = {k: data.get(k) for k in ("size", "schema_version", "data_version")}
    strings = {k: v for k, v in texts.items() if isinstance(v, str)}
    counts = {k: v for k, v in numbers.items() if type(v) is int and v >= 0}
    bad = sorted((set(texts) - set(strings)) | (set(numbers) - set(counts)))
    sha = strings.get("sha256", "")
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        bad.append("sha256")
    if strings.get("backend") not in ("sqlite", "postgresql"):
        bad.append("backend")
    if bad:
        raise ManifestError(
            N_("backup.err.manifest_fields"), file=str(path), fields=sorted(set(bad))
        )
    return Manifest(
        backend=strings["backend"],
        file=strings["file"],
        size=int(counts["size"]),
        sha256=sha,
        schema_version=int(counts["schema_version"]),
        data_version=int(counts["data_version"]),
        created=strings["created"],
    )


def copy_checked(backup: Path, manifest: Manifest, copy: Path) -> None:
    """Copy ``backup`` to ``copy`` (mode ``0600``), refusing it unless size and checksum are
    those of the manifest.

    Raises
    ------
    ManifestError
        The file is larger, smaller or otherwise different than the manifest says (the
        copy is then removed).
    """
    digest = hashlib.sha256()
    size = 0
    fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with backup.open("rb") as src, os.fdopen(fd, "wb") as dst:
            for chunk in iter(lambda: src.read(_CHUNK), b""):
                size += len(chunk)
                if size > manifest.size:
                    break
                digest.update(chunk)
                dst.write(chunk)
        os.chmod(copy, 0o600)
        if size != manifest.size or digest.hexdigest() != manifest.sha256:
            raise ManifestError(N_("backup.err.checksum"), file=str(backup))
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
