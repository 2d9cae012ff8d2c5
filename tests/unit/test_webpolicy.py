"""The HTTP policy and its two enforcers: the app's own guard (``make run``) and the nginx
configuration of ``python -m dashboard serve``."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from dashboard.cli.serve import ServeConfig, ServeError, render_nginx_config
from dashboard.domain.webpolicy import SECURITY_HEADERS, host_allowed
from dashboard.ui.httpguard import HttpGuard
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("localhost", True),
        ("localhost:8501", True),
        ("127.0.0.1:8080", True),
        ("[::1]:8080", True),
        ("atlas.kaiserslautern-kreis.de", True),
        ("sub.example.org", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("example.org.evil.example", False),
        ("", False),
        ("localhost:notaport", False),
        ("user@localhost", False),
        ("localhost/path", False),
    ],
)
def test_host_allowed(host: str, ok: bool) -> None:
    allowed = ("localhost", "127.0.0.1", "::1", "atlas.kaiserslautern-kreis.de", "*.example.org")
    assert host_allowed(host, allowed) is ok


def _call(guard: HttpGuard, kind: str, path: str, host: str) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    reached: list[str] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        reached.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive() -> dict[str, Any]:
        return {}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    guard.app = app
    scope = {"type": kind, "path": path, "headers": [(b"host", host.encode())]}
    # a thread of its own: other tests (Playwright) may keep an event loop in this one
    runner = threading.Thread(target=lambda: asyncio.run(guard(scope, receive, send)))
    runner.start()
    runner.join(timeout=30)
    return [{**m, "reached": bool(reached)} for m in sent]


def test_the_guard_refuses_foreign_hosts_and_hides_metrics() -> None:
    guard = HttpGuard(lambda *a: None, allowed_hosts=("localhost",))  # type: ignore[arg-type]
    refused = _call(guard, "http", "/", "evil.example")
    assert refused[0]["status"] == 421 and not refused[0]["reached"]
    socket = _call(guard, "websocket", "/_stcore/stream", "evil.example:8501")
    assert socket == [{"type": "websocket.close", "code": 1008, "reached": False}]
    hidden = _call(guard, "http", "/_stcore/metrics", "localhost")
    assert hidden[0]["status"] == 404 and not hidden[0]["reached"]
    served = _call(guard, "http", "/", "localhost:8501")
    headers = {k.decode(): v.decode() for k, v in served[0]["headers"]}
    assert served[0]["status"] == 200 and served[0]["reached"]
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower()] == value


def test_the_policy_allows_only_the_own_origin() -> None:
    csp = dict(
        part.split(" ", 1) for part in SECURITY_HEADERS["Content-Security-Policy"].split("; ")
    )
    assert csp["default-src"] == "'self'" and csp["connect-src"] == "'self'"
    assert csp["frame-ancestors"] == "'self'" and csp["object-src"] == "'none'"
    assert "'unsafe-eval'" not in csp["script-src"]
    # beyond the app's origin only the basemap tiles a user may switch on (images only)
    others = {w for v in csp.values() for w in v.split() if w.startswith("https://")}
    assert others == {"https://tile.openstreetmap.org", "https://sgx.geodatenzentrum.de"}
    assert all(w in csp["img-src"] for w in others)
    assert SECURITY_HEADERS["X-Frame-Options"] == "SAMEORIGIN"
    assert SECURITY_HEADERS["X-Content-Type-Options"] == "nosniff"


def test_local_use_binds_to_localhost_with_the_guard() -> None:
    config = (REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r'^address = "127\.0\.0\.1"$', config, re.M)
    assert re.search(r'^allowedHosts = \["localhost", "127\.0\.0\.1", "::1"\]$', config, re.M)
    assert re.search(r'^fileWatcherType = "none"$', config, re.M)
    assert re.search(r"^postScriptGC = false$", config, re.M)
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "streamlit run asgi.py" in makefile
    assert "HttpGuard" in (REPO / "asgi.py").read_text(encoding="utf-8")


def test_nginx_configuration(tmp_path: Path) -> None:
    cfg = ServeConfig(
        processes=3, listen="127.0.0.1:8080", server_names=("atlas.example.org",),
        first_port=9001, run_dir=tmp_path,
    )  # fmt: skip
    conf = render_nginx_config(cfg)
    assert "@" not in re.sub(r"#.*", "", conf).replace("$", "")
    assert conf.count("server 127.0.0.1:90") == 3 and "hash $ia_route consistent" in conf
    assert "listen 127.0.0.1:8080 default_server;" in conf and "return 421;" in conf
    assert "server_name atlas.example.org;" in conf
    assert "location = /_stcore/metrics" in conf
    for name, value in SECURITY_HEADERS.items():
        assert f'add_header {name} "{value}" always;' in conf
    assert "Strict-Transport-Security" not in conf and "ssl" not in conf


def test_nginx_configuration_with_tls(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("x")
    key.write_text("x")
    cfg = ServeConfig(
        listen="0.0.0.0:443", server_names=("atlas.example.org",), run_dir=tmp_path,
        tls_cert=cert, tls_key=key, http_redirect="0.0.0.0:80",
    )  # fmt: skip
    conf = render_nginx_config(cfg)
    assert "listen 0.0.0.0:443 ssl default_server;" in conf
    assert f"ssl_certificate {cert};" in conf and "TLSv1.2 TLSv1.3" in conf
    assert 'add_header Strict-Transport-Security "max-age=31536000" always;' in conf
    assert "return 301 https://$host$request_uri;" in conf
    assert "SameSite=Lax; Secure" in conf


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"processes": 0}, "1 bis 16"),
        ({"listen": "everywhere"}, "host:port"),
        ({"server_names": ("bad name;",)}, "Host-Name"),
        ({"http_redirect": "0.0.0.0:80"}, "nur mit --tls-cert"),
        ({"tls_cert": Path("/nonexistent.pem")}, "nur zusammen"),
    ],
)
def test_bad_serve_settings_are_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ServeError, match=message):
        ServeConfig(**change).check()
