"""Write a set of build outputs so that a failed build changes nothing."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def publish(target: Path, write: Callable[[Path], None]) -> None:
    """Let ``write`` fill a staging folder, then move its files into ``target``.

    Everything is computed and validated inside ``write``; only when it returns
    without error are the files moved into place (``os.replace`` per file, same
    file system). If ``write`` raises, ``target`` is untouched.

    Parameters
    ----------
    target
        The output folder, created if missing.
    write
        Callback that writes every output file into the staging folder it is given
        (sub-folders allowed).
    """
    target.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    try:
        write(staging)
        for src in sorted(p for p in staging.rglob("*") if p.is_file()):
            dst = target / src.relative_to(staging)
            dst.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dst)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
