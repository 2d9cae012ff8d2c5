"""An import killed with SIGKILL in the middle of its transaction leaves the store as it
was: no record of it, the same data version, an intact file that takes the next write."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dashboard.data.store import Change, Store
from tests.conftest import REPO

CHILD = """
import sys, time
from pathlib import Path
from dashboard.data.store import Change, Store

store = Store(Path(sys.argv[1]), Path(sys.argv[2]))
base = store.facilities()[0]
changes = [
    Change(base.model_copy(update={"id": f"kill-{i}", "name": f"Test-Abbruch {i}"}))
    for i in range(2000)
]
real = Store._history
calls = [0]

def history(self, *args, **kwargs):
    real(self, *args, **kwargs)
    calls[0] += 1
    if calls[0] == 500:  # in the middle of the one transaction
        Path(sys.argv[3]).write_text("ready")
        time.sleep(600)

Store._history = history
store.apply(changes, "test", "Abbruch")
"""


def test_kill_9_mid_import_rolls_back(tmp_path: Path) -> None:
    path, ready = tmp_path / "s.gpkg", tmp_path / "ready"
    store = Store(path, REPO / "datasets")
    version, count = store.data_version(), len(store.facilities())
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(REPO / "datasets"), str(ready)], cwd=REPO
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists():  # poll for the child's signal, no blind wait
            assert child.poll() is None, "the import ended before it was killed"
            assert time.monotonic() < deadline, "the import never reached its middle"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    after = Store(path, REPO / "datasets")
    assert after.data_version() == version and len(after.facilities()) == count
    assert not any(f.id.startswith("kill-") for f in after.facilities())
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    base = after.facilities()[0]
    after.apply([Change(base.model_copy(update={"id": "kill-after"}))], "test", "danach")
    assert after.data_version() > version and after.facility("kill-after") is not None
