"""A throw-away PostgreSQL cluster with PostGIS for the tests (and nothing else).

``initdb`` in a temporary folder, its own port on 127.0.0.1 and its own socket folder,
password authentication with a random password, durability switched off (fsync) since the
data is thrown away; stopped and deleted afterwards. As root (CI) the server runs as the
``postgres`` system user that Debian's package creates (PostgreSQL refuses to run as root).

:func:`available` says why a cluster cannot be had (no binaries, no PostGIS); the store
tests then skip their PostGIS half with that reason, counted in the test summary.

Usable on its own for a manual check::

    python -m tests.pgcluster     # prints a URL, keeps the cluster until Enter
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: A server to use instead of starting one (the user must be allowed to create databases).
URL_ENV = "INTEGRATIONSATLAS_TEST_DATABASE_URL"
TEMPLATE = "ia_template"


def _bin_dir() -> Path | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name)
    )
    return found[-1].parent if found else None


def available() -> str | None:
    """``None`` if a cluster can be started here, else the reason why not."""
    if os.environ.get(URL_ENV):
        return None
    bin_dir = _bin_dir()
    if bin_dir is None:
        return (
            "PostgreSQL is not installed (Debian package postgresql; make test installs it as root)"
        )
    version = bin_dir.parent.name
    if not Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
        return f"PostGIS is not installed (Debian package postgresql-{version}-postgis-3)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running server: :attr:`url` of its maintenance database ``postgres``."""

    url: str
    base: str
    folder: Path | None = None
    bin_dir: Path | None = None
    user: str | None = None
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _admin(self) -> object:
        import psycopg

        return psycopg.connect(self.url, autocommit=True, connect_timeout=10)

    def prepare_template(self) -> None:
        """A template database with PostGIS, copied for every new database (fast)."""
        with self._admin() as conn:  # type: ignore[attr-defined]
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone():
                return
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        import psycopg

        with psycopg.connect(self._url_of(TEMPLATE), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")

    def _url_of(self, name: str) -> str:
        return f"{self.base}/{name}"

    def new_database(self, prefix: str = "t") -> str:
        """A new, empty database with PostGIS; its URL."""
        name = f"{prefix}_{os.getpid()}_{next(self._counter)}_{secrets.token_hex(3)}"
        with self._admin() as conn:  # type: ignore[attr-defined]
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        return self._url_of(name)

    def stop(self) -> None:
        """Stop the server and delete its folder (only a cluster this module started)."""
        if self.folder is None or self.bin_dir is None:
            return
        cmd = [str(self.bin_dir / "pg_ctl"), "stop", "-D", str(self.folder / "data"), "-m", "fast"]
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(_as(self.user, cmd), check=False, capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


def _as(user: str | None, cmd: list[str]) -> list[str]:
    return ["runuser", "-u", user, "--", *cmd] if user else cmd


def start() -> Cluster:
    """Start a throw-away cluster (or use :data:`URL_ENV`).

    Raises
    ------
    RuntimeError
        If it cannot be started; the message says why.
    """
    configured = os.environ.get(URL_ENV)
    if configured:
        base = configured.rsplit("/", 1)[0]
        cluster = Cluster(url=configured, base=base)
        cluster.prepare_template()
        return cluster
    reason = available()
    if reason:
        raise RuntimeError(reason)
    bin_dir = _bin_dir()
    assert bin_dir is not None
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="ia-pgtest-"))
    password = secrets.token_urlsafe(16)
    (folder / "pw").write_text(password + "\n", encoding="utf-8")
    (folder / "run").mkdir()
    if user:
        entry = pwd.getpwnam(user)
        for p in (folder, folder / "pw", folder / "run"):
            os.chown(p, entry.pw_uid, entry.pw_gid)
    os.chmod(folder, 0o700)
    port = _free_port()
    data = folder / "data"
    initdb = [
        str(bin_dir / "initdb"), "-D", str(data), "-U", "ia_test", "--auth=scram-sha-256",
        f"--pwfile={folder / 'pw'}", "--encoding=UTF8", "--locale=C", "--no-sync",
    ]  # fmt: skip
    subprocess.run(_as(user, initdb), check=True, capture_output=True, timeout=120)
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder / 'run'}"
        " -c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        " -c max_connections=400 -c shared_buffers=64MB"
    )
    cmd = [
        str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-w", "-t", "60",
        "-l", str(folder / "server.log"), "-o", options,
    ]  # fmt: skip
    result = subprocess.run(_as(user, cmd), capture_output=True, text=True, timeout=90)
    if result.returncode != 0:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"pg_ctl start failed: {result.stderr.strip()} {log[-500:]}")
    base = f"postgresql://ia_test:{password}@127.0.0.1:{port}"
    cluster = Cluster(url=f"{base}/postgres", base=base, folder=folder, bin_dir=bin_dir, user=user)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                cluster.prepare_template()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)  # polling interval while the server starts
    except BaseException:
        cluster.stop()
        raise
    return cluster


if __name__ == "__main__":  # pragma: no cover - manual use
    c = start()
    print(c.new_database("manual"))
    try:
        input("PostgreSQL is running; Enter stops it. ")
    finally:
        c.stop()
