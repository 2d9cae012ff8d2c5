"""Read a returned collection workbook in a fresh process and print what it cost (JSON).

``python -m tests.hostile.measure_inputs FILE``: like :mod:`tests.hostile.measure`, but
through the collection round's reader
(:func:`dashboard.data.collection_workbook.read_workbook`), with the service layer loaded
as on the collection page.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from tests.hostile.measure import _rss_mb


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    import openpyxl  # noqa: F401 - loaded before measuring, as in a running server

    import dashboard.services.collection  # noqa: F401 - the page's imports
    from dashboard.data.collection_workbook import read_workbook
    from dashboard.data.importer.readers import ReadError

    data = path.read_bytes()
    before = _rss_mb()
    start = time.perf_counter()
    try:
        book = read_workbook(data, path.name)
        outcome = f"read {len(book.rows)} rows"
    except ReadError as exc:
        outcome = str(exc)
    seconds = time.perf_counter() - start
    print(json.dumps({"peak_rss_mb": round(_rss_mb(), 1), "rss_before_mb": round(before, 1),
                      "seconds": round(seconds, 3), "outcome": outcome}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
