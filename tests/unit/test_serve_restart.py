"""The convenience run's restart policy: a growing delay, and a limit after which it gives
up with a message instead of restarting a broken process forever."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from dashboard.cli.serve import Cluster, RestartPolicy, ServeConfig, ServeError


def test_the_delay_grows_and_the_policy_gives_up() -> None:
    policy = RestartPolicy(first_delay=1.0, max_delay=8.0, burst=5, interval=300.0)
    history: list[float] = []
    delays = []
    for now in (0.0, 10.0, 20.0, 30.0, 40.0):
        delays.append(policy.delay(history, now))
        history.append(now)
    assert delays == [1.0, 2.0, 4.0, 8.0, 8.0]
    assert policy.delay(history, 50.0) is None  # a sixth ending within five minutes
    assert policy.delay(history, 305.0) == 8.0  # the first has left the window: 4 recent
    assert policy.delay(history, 400.0) == 1.0  # long ago: counted afresh


class _Dead:
    """A process that has ended."""

    pid = 0
    returncode = -9

    def poll(self) -> int:
        return self.returncode


def test_supervise_restarts_then_gives_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = ServeConfig(processes=1, first_port=9100, run_dir=tmp_path)
    cluster = Cluster(cfg, env={}, policy=RestartPolicy(first_delay=0.01, burst=2))
    cluster.apps = {9100: _Dead()}  # type: ignore[dict-item]
    started: list[int] = []

    def start(port: int) -> None:  # every restart ends at once again
        started.append(port)
        cluster.apps[port] = _Dead()  # type: ignore[assignment]

    monkeypatch.setattr(cluster, "_start_app", start)
    timer = threading.Timer(30, cluster.stop)  # never hang the test
    timer.start()
    try:
        with pytest.raises(ServeError, match="3-mal in 300 s beendet"):
            cluster.supervise(interval=0.01)
    finally:
        timer.cancel()
    assert started == [9100, 9100]  # two restarts, then it gave up
    assert cluster.env["FORWARDED_ALLOW_IPS"] == ""  # uvicorn believes no forwarded address
    assert cluster.env["INTEGRATIONSATLAS_TRUSTED_PROXIES"] == "127.0.0.1,::1"
