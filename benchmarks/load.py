"""Load benchmark: N new sessions open the map at once, against a running server on localhost.

``python -m benchmarks --load`` starts the shipped deployment
(:class:`dashboard.cli.serve.Cluster`: nginx and 1 or 2 Streamlit processes on 127.0.0.1,
a fresh SQLite store in a temporary folder), warms each process with one session, then
for each N opens N sessions at the same moment and reports:

* time to map, p50 and p95: from opening the WebSocket until the map element has arrived
  (the session is a WebSocket client that performs Streamlit's handshake: it connects to
  ``/_stcore/stream``, asks for a run of the start page as a browser does, and reads the
  protobuf messages until the delta with the map's component, which carries the whole map
  (boundaries, offers, legend); drawing it in the browser takes another ~0.2 s, measured
  by ``python -m benchmarks``);
* server CPU-seconds per session: user + system time of all app processes
  (``/proc/<pid>/stat``) during the batch, divided by N (the whole first page run of each
  session, the map included);
* sessions that failed or timed out (none expected).

"Streamlit defaults" is the same single process with Streamlit's defaults for the file
watcher and the garbage collection after each run (what the app ran with before).

Bounded: at most 200 sessions per batch, each given ``timeout`` seconds; the cluster is
stopped at the end. Only addresses on 127.0.0.1 are contacted.
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_SESSIONS = 200
#: Streamlit's defaults for what the shipped configuration switches off.
STREAMLIT_DEFAULTS = ("--server.fileWatcherType", "auto", "--runner.postScriptGC", "true")


@dataclass(frozen=True)
class SessionResult:
    """One session: seconds until the map arrived and until the page run finished."""

    to_map: float | None
    to_finish: float | None
    error: str = ""


def open_map(ws_url: str, route: str, timeout: float) -> SessionResult:
    """One new session that opens the start page (the map), as a browser does.

    Parameters
    ----------
    ws_url
        ``ws://127.0.0.1:PORT/_stcore/stream``.
    route
        The sticky-session cookie value (a new browser's random one).
    timeout
        Seconds until the session counts as failed.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    start = time.monotonic()
    to_map = None
    try:
        with connect(
            ws_url,
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers={"Cookie": f"ia_route={route}"},
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,  # a busy server answers late; the timeout below bounds it
        ) as ws:
            request = BackMsg()
            request.rerun_script.query_string = ""
            request.rerun_script.page_script_hash = ""
            ws.send(request.SerializeToString())
            while True:
                left = timeout - (time.monotonic() - start)
                if left <= 0:
                    return SessionResult(to_map, None, "timeout")
                msg = ForwardMsg()
                msg.ParseFromString(ws.recv(timeout=left))
                kind = msg.WhichOneof("type")
                if (
                    to_map is None
                    and kind == "delta"
                    and msg.delta.WhichOneof("type") == "new_element"
                    and msg.delta.new_element.WhichOneof("type") == "component_instance"
                    and len(msg.delta.new_element.component_instance.json_args) > 10_000
                ):
                    to_map = time.monotonic() - start
                if kind == "script_finished":
                    if to_map is None:
                        return SessionResult(None, time.monotonic() - start, "no map")
                    return SessionResult(to_map, time.monotonic() - start)
    except Exception as exc:  # noqa: BLE001 - a failed session is a result, not a crash
        return SessionResult(to_map, None, type(exc).__name__)


def _cpu_seconds(pids: Sequence[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[index]


@dataclass(frozen=True)
class Batch:
    """The outcome of N simultaneous sessions."""

    processes: int
    label: str
    sessions: int
    p50: float
    p95: float
    cpu_per_session: float
    failed: int


def _batch(
    ws_url: str, pids: Sequence[int], n: int, timeout: float
) -> tuple[list[SessionResult], float]:
    results: list[SessionResult] = [SessionResult(None, None, "not run")] * n
    go = threading.Event()

    def one(i: int) -> None:
        go.wait()
        results[i] = open_map(ws_url, secrets.token_hex(16), timeout)

    threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(n)]
    for th in threads:
        th.start()
    before = _cpu_seconds(pids)
    go.set()
    for th in threads:
        th.join(timeout + 30)
    time.sleep(0.5)  # let the processes finish sending (the CPU counters settle)
    return results, _cpu_seconds(pids) - before


def _warm(cluster: object, timeout: float) -> None:
    """One session per process, directly on its port (loads boundaries, fills caches)."""
    for port in cluster.cfg.ports:  # type: ignore[attr-defined]
        result = open_map(f"ws://127.0.0.1:{port}/_stcore/stream", "warm", timeout)
        if result.error:
            raise RuntimeError(f"warm-up of the process on port {port} failed: {result.error}")


def measure(
    processes: int,
    sessions: Sequence[int],
    timeout: float,
    label: str,
    streamlit_args: Sequence[str] = (),
) -> list[Batch]:
    """Start a cluster of ``processes`` on a fresh store and run one batch per N."""
    import socket

    from dashboard.cli.serve import Cluster, ServeConfig

    with tempfile.TemporaryDirectory(prefix="ia-load-") as tmp:
        folder = Path(tmp)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = int(s.getsockname()[1]) % 20000 + 30000
        cfg = ServeConfig(
            processes=processes,
            listen=f"127.0.0.1:{base + processes}",
            first_port=base,
            run_dir=folder / "serve",
            streamlit_args=tuple(streamlit_args),
        )
        env = {
            **os.environ,
            "INTEGRATIONSATLAS_STORE": str(folder / "store.gpkg"),
            "INTEGRATIONSATLAS_USERS": str(folder / "no-users.json"),
            "INTEGRATIONSATLAS_BASEMAP": "none",
        }
        env.pop("INTEGRATIONSATLAS_DATABASE_URL", None)
        out = []
        with Cluster(cfg, env) as cluster:
            _warm(cluster, timeout)
            ws_url = cfg.url.replace("http://", "ws://") + "/_stcore/stream"
            for n in sessions:
                results, cpu = _batch(ws_url, cluster.pids(), n, timeout)
                times = [r.to_map for r in results if r.to_map is not None and not r.error]
                failed = sum(1 for r in results if r.error)
                out.append(
                    Batch(
                        processes, label, n,
                        _percentile(times, 0.5) if times else float("nan"),
                        _percentile(times, 0.95) if times else float("nan"),
                        cpu / n, failed,
                    )
                )  # fmt: skip
                time.sleep(2)  # a pause between batches
        return out


def run_load(
    sessions: Sequence[int] = (1, 20, 50),
    processes: Sequence[int] = (1, 2),
    timeout: float = 120.0,
    baseline: bool = True,
) -> str:
    """Run the load benchmark and return a Markdown table.

    Parameters
    ----------
    sessions
        Batch sizes (each at most :data:`MAX_SESSIONS`).
    processes
        App process counts to measure.
    timeout
        Seconds per session before it counts as failed.
    baseline
        Also measure one process with Streamlit's defaults (file watcher, forced GC).
    """
    if any(not 1 <= n <= MAX_SESSIONS for n in sessions):
        raise ValueError(f"sessions must be between 1 and {MAX_SESSIONS}")
    batches: list[Batch] = []
    if baseline:
        batches += measure(1, sessions, timeout, "Streamlit defaults", STREAMLIT_DEFAULTS)
    for p in processes:
        batches += measure(p, sessions, timeout, "shipped")
    lines = [
        "| app processes | configuration | sessions at once | time to map p50 (s) "
        "| time to map p95 (s) | server CPU-s per session | failed |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for b in batches:
        lines.append(
            f"| {b.processes} | {b.label} | {b.sessions} | {b.p50:.2f} | {b.p95:.2f} "
            f"| {b.cpu_per_session:.3f} | {b.failed} |"
        )
    cores = os.cpu_count() or 0
    lines.append("")
    lines.append(
        f"{cores} cores; sessions: WebSocket clients doing Streamlit's handshake through nginx; "
        f"median of CPU over sessions: {statistics.median(b.cpu_per_session for b in batches):.3f} s"
    )
    return "\n".join(lines)
