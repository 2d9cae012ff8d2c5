"""``python -m dashboard serve``: several Streamlit processes behind nginx, sticky sessions.

What only ``serve`` does:

* render the nginx configuration (``deploy/nginx.conf.template``; ``--print-config``), for
  the system's nginx or the units in ``deploy/``;
* a local convenience run: N Streamlit processes on 127.0.0.1 (ports ``first_port`` ...),
  all on the same store, and Debian's nginx in front, stopped together on SIGTERM or
  Ctrl-C. A process that ends is restarted with a growing delay and at most
  :attr:`RestartPolicy.burst` times within :attr:`RestartPolicy.interval`; then the run
  gives up with a message instead of restarting forever (``tests/e2e/test_restart.py``
  kills a process and sees it come back).

A server is supervised by systemd instead: ``deploy/integrationsatlas-app@.service`` (one
unit per app process, ``Restart=on-failure`` with start limits) and
``deploy/integrationsatlas-nginx.service`` (deploy/README.md); ``serve`` is not run under
systemd, so no process has two supervisors.

The rendered nginx configuration:

* sticky sessions: a route cookie set on the first response sends every later request of
  that browser (the WebSocket included) to the same process;
* the Host header is checked against ``--server-name`` (others get 421), the security
  headers of :mod:`dashboard.domain.webpolicy` are sent, ``/_stcore/metrics`` is hidden;
* it listens on 127.0.0.1:8080 unless told otherwise; with ``--tls-cert``/``--tls-key`` it
  speaks HTTPS (HSTS included) and ``--http-redirect`` adds a redirect from plain HTTP;
* the access log holds no query strings and no session ids (the upload path's session id
  is replaced by ``-``); logs are created ``0640``;
* while a process is down its browsers get a short page in German and English ("startet
  neu"), never nginx's own error page.

The processes share one cookie secret (XSRF tokens stay valid on any of them) and believe
``X-Forwarded-For`` from nginx only (``INTEGRATIONSATLAS_TRUSTED_PROXIES``, uvicorn's own
forwarding off). Every process reads the store's data version on each page run, so an edit
made through one process is in the next page of every other one
(``tests/e2e/test_proxy.py``).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import BinaryIO

from dashboard.cli.texts import spoken
from dashboard.config import REPO_ROOT
from dashboard.domain.webpolicy import LOCAL_HOSTS, SECURITY_HEADERS
from dashboard.i18n.catalogue import N_, t, tn
from dashboard.i18n.message import LocalizedError, Message

NGINX_TEMPLATE = REPO_ROOT / "deploy" / "nginx.conf.template"
_NAME = re.compile(r"^(\*\.)?[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:]+\]?$")


#: What the app processes of a cluster believe about forwarded addresses: nginx on this
#: machine is the only proxy, and uvicorn applies no ``X-Forwarded-For`` of its own.
PROXY_ENV = {"INTEGRATIONSATLAS_TRUSTED_PROXIES": "127.0.0.1,::1", "FORWARDED_ALLOW_IPS": ""}
#: Mode of the log files (nginx's and the processes'): not readable by others.
LOG_MODE = 0o640


class ServeError(LocalizedError, RuntimeError):
    """The cluster could not be started or gave up; the message names what is missing."""


@dataclass(frozen=True)
class RestartPolicy:
    """How the convenience run restarts an app process that ended (the systemd units do the
    same with ``RestartSec`` and ``StartLimitBurst``/``StartLimitIntervalSec``).

    Attributes
    ----------
    first_delay
        Seconds before the first restart; doubled for each further one within
        ``interval``, up to ``max_delay``.
    burst
        Restarts allowed within ``interval``; one more ending gives up.
    interval
        Seconds over which restarts are counted.
    """

    first_delay: float = 1.0
    max_delay: float = 30.0
    burst: int = 5
    interval: float = 300.0

    def delay(self, restarts: Sequence[float], now: float) -> float | None:
        """Seconds to wait before the next restart, given the times of the earlier ones;
        ``None``: too many within the interval (give up)."""
        recent = [r for r in restarts if now - r < self.interval]
        if len(recent) >= self.burst:
            return None
        return float(min(self.first_delay * 2 ** len(recent), self.max_delay))


@dataclass(frozen=True)
class ServeConfig:
    """How to run the cluster.

    Attributes
    ----------
    processes
        Streamlit processes (1 to 16; one per core is a good start).
    listen
        nginx's address, ``host:port`` (default ``127.0.0.1:8080``: this machine only).
    server_names
        Host names the public uses; any other Host header is refused.
    first_port
        Port of the first Streamlit process (the others follow), on 127.0.0.1.
    run_dir
        nginx configuration, pid, logs, temporary files and the processes' logs.
    tls_cert, tls_key
        Certificate chain and key for HTTPS (both or neither).
    http_redirect
        With TLS: an address (``0.0.0.0:80``) that redirects plain HTTP to HTTPS.
    max_upload_mb
        Largest request body (imports), in MB.
    entry
        The script each process serves (``asgi.py``: Streamlit behind the HTTP guard).
    streamlit_args
        Further ``streamlit run`` options for every process (benchmarks compare settings).
    """

    processes: int = 2
    listen: str = "127.0.0.1:8080"
    server_names: tuple[str, ...] = ("localhost", "127.0.0.1")
    first_port: int = 8601
    run_dir: Path = field(default_factory=lambda: REPO_ROOT / "var" / "serve")
    tls_cert: Path | None = None
    tls_key: Path | None = None
    http_redirect: str | None = None
    max_upload_mb: int = 25
    entry: str = "asgi.py"
    streamlit_args: tuple[str, ...] = ()

    def check(self) -> None:
        """Reject a configuration that cannot work, with a precise message.

        Raises
        ------
        ServeError
        """
        if not 1 <= self.processes <= 16:
            raise ServeError(N_("serve.err.processes"), processes=str(self.processes))
        _split_listen(self.listen)
        bad = [n for n in self.server_names if not _NAME.match(n)]
        if not self.server_names or bad:
            raise ServeError(N_("serve.err.server_name"), name=bad[0] if bad else "–")
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ServeError(N_("serve.err.tls_pair"))
        for path in (self.tls_cert, self.tls_key):
            if path is not None and not path.is_file():
                raise ServeError(N_("serve.err.missing"), path=str(path))
        if self.http_redirect and self.tls_cert is None:
            raise ServeError(N_("serve.err.redirect"))
        if not 1 <= self.max_upload_mb <= 1024:
            raise ServeError(N_("serve.err.upload"))

    @property
    def ports(self) -> list[int]:
        """The Streamlit processes' ports."""
        return [self.first_port + i for i in range(self.processes)]

    @property
    def url(self) -> str:
        """Where the cluster answers (for ``localhost``-style checks)."""
        host, port = _split_listen(self.listen)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        shown = "[::1]" if shown in ("::", "[::]") else shown
        scheme = "https" if self.tls_cert else "http"
        return f"{scheme}://{shown}:{port}"

    @property
    def allowed_hosts(self) -> tuple[str, ...]:
        """Host names the app processes accept (the public names and local checks)."""
        return tuple(dict.fromkeys([*self.server_names, *LOCAL_HOSTS]))


def _split_listen(listen: str) -> tuple[str, int]:
    match = re.fullmatch(r"(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})", listen.strip())
    if not match or not 0 < int(match.group(2)) < 65536:
        raise ServeError(N_("serve.err.listen"), listen=listen)
    return match.group(1) or "0.0.0.0", int(match.group(2))


def _worker_user() -> str | None:
    """The user nginx's workers run as when started by root (``www-data`` on Debian)."""
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    return None


def render_nginx_config(cfg: ServeConfig, user: str | None = None) -> str:
    """The nginx configuration of a cluster (``deploy/nginx.conf.template`` filled in).

    Parameters
    ----------
    cfg
        The cluster.
    user
        nginx's worker user when the master runs as root.
    """
    cfg.check()
    tls = cfg.tls_cert is not None
    headers = dict(SECURITY_HEADERS)
    if tls:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    header_lines = "\n".join(
        f'        add_header {name} "{value}" always;' for name, value in headers.items()
    )
    tls_lines = ""
    if tls:
        tls_lines = (
            f"        ssl_certificate {cfg.tls_cert};\n"
            f"        ssl_certificate_key {cfg.tls_key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
            "        ssl_session_cache shared:ia_tls:10m;"
        )
    redirect = ""
    if cfg.http_redirect:
        redirect = (
            "    server {\n"
            f"        listen {cfg.http_redirect};\n"
            f"        server_name {' '.join(cfg.server_names)};\n"
            "        return 301 https://$host$request_uri;\n"
            "    }\n"
            "    server {\n"
            f"        listen {cfg.http_redirect} default_server;\n"
            "        server_name _;\n"
            "        return 421;\n"
            "    }"
        )
    upstreams = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in cfg.ports
    )
    values = {
        "USER": f"user {user};" if user else "",
        "RUN_DIR": str(cfg.run_dir),
        "MAX_UPLOAD": f"{cfg.max_upload_mb}m",
        "COOKIE_SECURE": "; Secure" if tls else "",
        "UPSTREAMS": upstreams,
        "LISTEN": cfg.listen,
        "LISTEN_OPTS": " ssl" if tls else "",
        "TLS": tls_lines,
        "SERVER_NAMES": " ".join(cfg.server_names),
        "HEADERS": header_lines,
        "REDIRECT": redirect,
    }
    text = NGINX_TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    leftover = re.findall(r"@[A-Z_]+@", text)
    if leftover:  # pragma: no cover - template and code changed apart
        raise ServeError(N_("serve.err.template"), names=", ".join(leftover))
    return text


def find_nginx() -> str:
    """Debian's nginx (``scripts/ensure-nginx`` installs it).

    Raises
    ------
    ServeError
        If it is not installed.
    """
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise ServeError(N_("serve.err.no_nginx"))
    return found


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _log_file(path: Path) -> BinaryIO:
    """A log file opened for appending, mode :data:`LOG_MODE` however it was created."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, LOG_MODE)
    os.fchmod(fd, LOG_MODE)
    return os.fdopen(fd, "ab")


def _healthy(url: str, host: str, timeout: float = 2.0) -> bool:
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310 - local
            return bool(resp.read().decode().strip() == "ok")
    except OSError:
        return False


class Cluster:
    """N Streamlit processes and nginx; use as a context manager (stops everything on exit).

    Parameters
    ----------
    cfg
        The cluster.
    env
        Environment of the app processes (default: this process's); the store settings
        (``INTEGRATIONSATLAS_STORE`` or ``INTEGRATIONSATLAS_DATABASE_URL``) come from it.
    """

    def __init__(
        self,
        cfg: ServeConfig,
        env: dict[str, str] | None = None,
        policy: RestartPolicy | None = None,
    ) -> None:
        cfg.check()
        self.cfg = cfg
        self.env = dict(os.environ if env is None else env)
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        for name, value in PROXY_ENV.items():
            self.env.setdefault(name, value)
        self.policy = policy or RestartPolicy()
        self.apps: dict[int, subprocess.Popen[bytes]] = {}
        self.nginx: subprocess.Popen[bytes] | None = None
        self.restarts: dict[int, list[float]] = {}
        self._stopping = threading.Event()

    # -- processes ---------------------------------------------------------------------
    def _app_command(self, port: int) -> list[str]:
        cmd = [
            sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / self.cfg.entry),
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        for host in self.cfg.allowed_hosts:
            cmd += ["--server.allowedHosts", host.strip("[]")]
        return [*cmd, *self.cfg.streamlit_args]

    def _start_app(self, port: int) -> None:
        log = _log_file(self.cfg.run_dir / f"app-{port}.log")
        self.apps[port] = subprocess.Popen(
            self._app_command(port), cwd=REPO_ROOT, env=self.env, stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()

    def _wait(
        self, url: str, host: str, proc: subprocess.Popen[bytes], what: str | Message
    ) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ServeError(
                    N_("serve.err.ended"), what=what, status=str(proc.returncode),
                    folder=str(self.cfg.run_dir),
                )  # fmt: skip
            if _healthy(url, host):
                return
            time.sleep(0.2)  # polling interval while starting
        raise ServeError(N_("serve.err.no_answer"), what=what, folder=str(self.cfg.run_dir))

    def start(self) -> Cluster:
        """Start the processes and nginx; return when the proxy answers.

        Raises
        ------
        ServeError
            A port is taken, nginx is missing or refuses the configuration, or a process
            does not come up (its log is in the run folder).
        """
        nginx = find_nginx()
        cfg = self.cfg
        busy = [p for p in cfg.ports if not _port_free(p)]
        if busy:
            raise ServeError(N_("serve.err.port_busy"), port=str(busy[0]))
        cfg.run_dir.mkdir(parents=True, exist_ok=True)
        user = _worker_user()
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (cfg.run_dir / sub).mkdir(exist_ok=True)
            if user:
                entry = pwd.getpwnam(user)
                os.chown(cfg.run_dir / sub, entry.pw_uid, entry.pw_gid)
        conf = cfg.run_dir / "nginx.conf"
        conf.write_text(render_nginx_config(cfg, user), encoding="utf-8")
        for name in ("nginx-access.log", "nginx-error.log"):  # nginx keeps a file's mode
            _log_file(cfg.run_dir / name).close()
        try:
            for port in cfg.ports:
                self._start_app(port)
            for port, proc in self.apps.items():
                self._wait(
                    f"http://127.0.0.1:{port}",
                    "127.0.0.1",
                    proc,
                    Message.of(N_("serve.process"), port=str(port)),
                )
            test = subprocess.run(
                [nginx, "-t", "-q", "-p", str(cfg.run_dir), "-c", str(conf)],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            if test.returncode != 0:
                raise ServeError(N_("serve.err.nginx_config"), detail=test.stderr.strip())
            log = _log_file(cfg.run_dir / "nginx-stderr.log")
            self.nginx = subprocess.Popen(
                [nginx, "-p", str(cfg.run_dir), "-c", str(conf)],
                stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            log.close()
            host = cfg.server_names[0]
            self._wait(cfg.url, host, self.nginx, "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def supervise(self, interval: float = 0.5) -> None:
        """Run until :meth:`stop` (or a signal): restart a process that ended, after the
        delay of :attr:`policy`.

        Raises
        ------
        ServeError
            nginx ended, or a process ended more often than the policy allows.
        """
        due: dict[int, float] = {}
        while not self._stopping.wait(interval):
            if self.nginx is not None and self.nginx.poll() is not None:
                raise ServeError(N_("serve.err.nginx_ended"), status=str(self.nginx.returncode))
            now = time.monotonic()
            for port, proc in list(self.apps.items()):
                if self._stopping.is_set():
                    return
                if port in due:
                    if now >= due[port]:
                        del due[port]
                        self.restarts.setdefault(port, []).append(now)
                        self._start_app(port)
                    continue
                if proc.poll() is None:
                    continue
                delay = self.policy.delay(self.restarts.get(port, []), now)
                if delay is None:
                    raise ServeError(
                        N_("serve.err.gave_up"), port=str(port), times=str(self.policy.burst + 1),
                        seconds=f"{self.policy.interval:.0f}",
                        log=str(self.cfg.run_dir / f"app-{port}.log"),
                    )  # fmt: skip
                print(t("serve.restart", spoken(), port=str(port), status=str(proc.returncode),
                        seconds=f"{delay:.0f}"), file=sys.stderr)  # fmt: skip
                due[port] = now + delay

    def stop(self) -> None:
        """Stop nginx and the processes (terminate, then kill after 10 s)."""
        self._stopping.set()
        procs = [p for p in [self.nginx, *self.apps.values()] if p is not None]
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)

    def pids(self) -> list[int]:
        """The process ids of the app processes (for CPU measurements)."""
        return [p.pid for p in self.apps.values()]

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_cluster(cfg: ServeConfig, env: dict[str, str] | None = None) -> Iterator[Cluster]:
    """A started :class:`Cluster`, stopped afterwards."""
    cluster = Cluster(cfg, env)
    with cluster:
        yield cluster


def serve(cfg: ServeConfig, print_config: bool = False) -> int:
    """Run the cluster in the foreground until SIGTERM or Ctrl-C (the ``serve`` command)."""
    if print_config:
        print(render_nginx_config(cfg, _worker_user()))
        return 0
    cluster = Cluster(cfg)

    def _stop(signum: int, frame: FrameType | None) -> None:
        cluster.stop()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    lang = spoken()
    with cluster:
        names = ", ".join(cfg.server_names)
        print(tn("serve.running", cfg.processes, lang, n=str(cfg.processes), url=cfg.url,
                 names=names))  # fmt: skip
        try:
            cluster.supervise()
        except ServeError as exc:
            print(t("serve.stopped", lang, problem=exc.text(lang)), file=sys.stderr)
            return 1
    return 0


def config_from_args(
    processes: int,
    listen: str,
    server_names: Sequence[str],
    first_port: int,
    run_dir: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    http_redirect: str | None,
    max_upload_mb: int,
) -> ServeConfig:
    """A :class:`ServeConfig` from the command line's values (checked)."""
    cfg = ServeConfig(
        processes=processes,
        listen=listen,
        server_names=tuple(server_names) or ("localhost", "127.0.0.1"),
        first_port=first_port,
        run_dir=Path(run_dir).expanduser().resolve() if run_dir else REPO_ROOT / "var" / "serve",
        tls_cert=Path(tls_cert).expanduser().resolve() if tls_cert else None,
        tls_key=Path(tls_key).expanduser().resolve() if tls_key else None,
        http_redirect=http_redirect,
        max_upload_mb=max_upload_mb,
    )
    cfg.check()
    return cfg
