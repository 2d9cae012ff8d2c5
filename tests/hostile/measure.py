"""Read one corpus file in a fresh process and print what it cost (JSON on stdout).

``python -m tests.hostile.measure FILE [--tracemalloc] [--service]``: the peak resident
memory of the whole process (``VmHWM``, else ``resource.getrusage``; interpreter and
libraries included), the memory it had before reading, the wall time of the read, the
peak of Python's own allocations during the read (with ``--tracemalloc``; slower), and
the outcome (the message of the refusal, or the rows read).

By default the process loads only the readers (pandas, openpyxl), so the peak is the
import's own cost plus a lean interpreter; ``--service`` reads through the service's
``read_upload`` (as the import page does), with the whole service layer loaded.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path


def _rss_mb() -> float:
    """Peak resident memory of this process (MB).

    ``VmHWM`` of ``/proc/self/status`` where there is one: Linux keeps ``ru_maxrss`` of
    ``resource.getrusage`` across ``exec``, so a process started by a large parent (pytest)
    would report the parent's peak. Elsewhere ``ru_maxrss``.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    trace = "--tracemalloc" in argv
    import openpyxl  # noqa: F401 - loaded before measuring, as in a running server

    from dashboard.data.importer.readers import ReadError, read_table

    read = read_table
    if "--service" in argv:
        from dashboard.services.importing import read_upload

        def read(p: Path) -> object:  # type: ignore[misc]
            return read_upload(p.name, p.read_bytes()).raw

    before = _rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        raw = read(path)
        outcome = f"read {len(raw.row_labels)} rows"  # type: ignore[attr-defined]
    except ReadError as exc:
        outcome = str(exc)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    print(
        json.dumps(
            {
                "peak_rss_mb": round(_rss_mb(), 1),
                "rss_before_mb": round(before, 1),
                "seconds": round(seconds, 3),
                "traced_peak_mb": None if traced is None else round(traced, 1),
                "outcome": outcome,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
