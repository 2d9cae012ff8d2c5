"""The shipped multi-process deployment: nginx in front of two Streamlit processes on one store.

Started the way an administrator starts it (``python -m dashboard serve``'s
:class:`~dashboard.cli.serve.Cluster`, nginx configuration rendered from
``deploy/nginx.conf.template``), on 127.0.0.1 with free ports:

* a request or a WebSocket upgrade with a foreign ``Host`` is refused by the proxy;
* every response carries the security headers of :mod:`dashboard.domain.webpolicy`, the
  metrics are not public, nothing listens beyond 127.0.0.1;
* one browser stays on one process (sticky sessions);
* the map works through the proxy under the Content-Security-Policy (no violation, no
  request to another host);
* two editors on two processes edit one record: no lost update, each sees the other's
  change (SQLite and PostGIS).
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard.cli.serve import Cluster, RestartPolicy, ServeConfig, render_nginx_config
from dashboard.data.signin_throttle import PAIR_BACKOFF
from dashboard.data.store import Store
from dashboard.data.users import add_user
from dashboard.domain.webpolicy import SECURITY_HEADERS
from tests.conftest import REPO
from tests.e2e.conftest import Watched, submit_sign_in
from tests.e2e.stclient import FAILED, THROTTLED, StreamlitClient

pytestmark = pytest.mark.e2e

EDITORS = {"bernd": "bernd-passwort-1", "carla": "carla-passwort-1"}
RECORD = "Kita Schwedelbach"


def _free_ports(n: int) -> int:
    """The first of ``n`` consecutive free ports on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = int(s.getsockname()[1])
        if base + n < 65000 and all(_free(base + i) for i in range(n)):
            return base
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@dataclass
class Deployment:
    cluster: Cluster
    url: str
    run_dir: Path
    ports: list[int]

    def upstreams(self) -> list[tuple[str, str]]:
        """(request, upstream address) of every request nginx logged so far."""
        return re.findall(r'"(\S+ \S+) [^"]*" \d+ (\S+) ', self.access_log())

    def routed(self) -> list[tuple[str, str]]:
        """(route cookie, upstream address) of every request nginx logged so far."""
        return [(r, u) for u, r in re.findall(r'" \d+ (\S+) \S+ route=(\S+)', self.access_log())]

    def access_log(self) -> str:
        return (self.run_dir / "nginx-access.log").read_text(encoding="utf-8")


@contextmanager
def _started(
    location: Path | str, folder: Path, policy: RestartPolicy | None = None
) -> Iterator[Deployment]:
    """Two processes behind nginx on the store at ``location`` (two editors' accounts)."""
    store = Store(location, REPO / "datasets")
    for name, password in EDITORS.items():
        add_user(store.db, name, password, "district_editor")
    env = {
        "INTEGRATIONSATLAS_BASEMAP": "none",
        "INTEGRATIONSATLAS_USERS": str(folder / "no-legacy-users.json"),
        "INTEGRATIONSATLAS_LOCK_TIMEOUT": "10",
    }
    if isinstance(location, str):
        env["INTEGRATIONSATLAS_DATABASE_URL"] = location
    else:
        env["INTEGRATIONSATLAS_STORE"] = str(location)
    first = _free_ports(3)
    cfg = ServeConfig(
        processes=2,
        listen=f"127.0.0.1:{first + 2}",
        server_names=("localhost", "127.0.0.1"),
        first_port=first,
        run_dir=folder / "serve",
    )
    cluster = Cluster(cfg, {**os.environ, **env}, policy)
    with cluster:
        yield Deployment(cluster, cfg.url, cfg.run_dir, cfg.ports)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two processes behind nginx on a SQLite store."""
    folder = tmp_path_factory.mktemp("proxy")
    with _started(folder / "store.gpkg", folder) as deployment:
        yield deployment


def _request(
    url: str, path: str, headers: dict[str, str] | None = None
) -> http.client.HTTPResponse:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", path, headers=headers or {})
    return conn.getresponse()


def _upgrade(url: str, host: str) -> int:
    """Status of a WebSocket upgrade of Streamlit's stream with the given Host header."""
    response = _request(
        url,
        "/_stcore/stream",
        {
            "Host": host,
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        },
    )
    return response.status


# -- Host check, headers, metrics, localhost -------------------------------------------------------
def test_a_foreign_host_is_refused_by_the_proxy(deployment: Deployment) -> None:
    for path in ("/", "/_stcore/health", "/karte"):
        assert _request(deployment.url, path, {"Host": "evil.example"}).status == 421
    assert _upgrade(deployment.url, "evil.example") == 421  # DNS rebinding of the WebSocket
    assert _upgrade(deployment.url, "evil.example:8080") == 421
    # the listed names work: page and WebSocket
    ok = _request(deployment.url, "/_stcore/health", {"Host": "localhost"})
    assert ok.status == 200 and ok.read() == b"ok"
    assert _upgrade(deployment.url, "localhost") == 101
    # nothing of the refused requests reached a process
    refused = [u for r, u in deployment.upstreams() if r.startswith("GET /karte")]
    assert refused == ["-"]


def test_every_response_carries_the_security_headers(deployment: Deployment) -> None:
    page = _request(deployment.url, "/", {"Host": "localhost"})
    body = page.read().decode()
    script = re.search(r'src="\./(static/js/[^"]+\.js)"', body)
    assert script
    paths = ["/", f"/{script.group(1)}", "/_stcore/health", "/does-not-exist"]
    for path in paths:
        response = _request(deployment.url, path, {"Host": "localhost"})
        response.read()
        for name, value in SECURITY_HEADERS.items():
            assert response.getheader(name) == value, (path, name)
        assert response.getheader("Server") in ("nginx", None)  # no version shown
    csp = SECURITY_HEADERS["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "'unsafe-eval'" not in csp
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp


def test_the_ogc_service_answers_through_the_proxy(deployment: Deployment) -> None:
    """``/ogc/`` (OGC API - Features, docs/ogc.md): read only, the same headers, links to
    the public address, and the foreign Host refused like everywhere."""
    port = deployment.url.rsplit(":", 1)[1]
    response = _request(deployment.url, "/ogc/collections?f=json", {"Host": f"localhost:{port}"})
    body = response.read().decode()
    assert response.status == 200 and '"angebote"' in body
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value, name
    assert f"http://localhost:{port}/ogc/collections" in body
    assert _request(deployment.url, "/ogc/", {"Host": "evil.example"}).status == 421
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
    conn.request(
        "POST", "/ogc/collections/angebote/items", body=b"{}", headers={"Host": "localhost"}
    )
    assert conn.getresponse().status == 403  # nginx: GET only


def test_metrics_are_not_public(deployment: Deployment) -> None:
    assert _request(deployment.url, "/_stcore/metrics", {"Host": "localhost"}).status == 404
    # nor on the processes themselves (the app's own guard)
    for port in deployment.ports:
        assert _request(f"http://127.0.0.1:{port}", "/_stcore/metrics").status == 404


def test_everything_listens_on_localhost_only(deployment: Deployment) -> None:
    listening = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state == "0A":  # LISTEN
                address, port = local.rsplit(":", 1)
                listening.setdefault(int(port, 16), set()).add(address)
    proxy_port = int(deployment.url.rsplit(":", 1)[1])
    for port in [proxy_port, *deployment.ports]:
        assert listening.get(port) == {"0100007F"}, (port, listening.get(port))


def test_the_rendered_configuration_is_what_nginx_runs(deployment: Deployment) -> None:
    conf = (deployment.run_dir / "nginx.conf").read_text(encoding="utf-8")
    assert conf == render_nginx_config(deployment.cluster.cfg, conf_user(conf))
    assert "listen 127.0.0.1:" in conf and "hash $ia_route consistent" in conf


def conf_user(conf: str) -> str | None:
    match = re.search(r"^user (\S+);", conf, re.M)
    return match.group(1) if match else None


# -- the access log: no session ids, no query strings, not readable by others -------------------
def test_the_access_log_keeps_no_session_ids_nor_query_strings(deployment: Deployment) -> None:
    session = str(uuid.uuid4())  # the shape of a Streamlit session id
    for method, path in (
        ("PUT", f"/_stcore/upload_file/{session}/datei-1"),
        ("DELETE", f"/_stcore/upload_file/{session}/datei-1"),
        ("GET", "/karte?vg=073355009&geheim=wert-im-query"),
    ):
        host, port = deployment.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        conn.request(method, path, body=b"x" if method == "PUT" else None,
                     headers={"Host": "localhost"})  # fmt: skip
        conn.getresponse().read()
        conn.close()
    log = deployment.access_log()
    assert "/_stcore/upload_file/-/datei-1" in log  # the requests were logged ...
    assert "GET /karte HTTP/1.1" in log
    assert session not in log and "wert-im-query" not in log and "geheim" not in log  # ... bare
    for name in ("nginx-access.log", "nginx-error.log", f"app-{deployment.ports[0]}.log"):
        mode = (deployment.run_dir / name).stat().st_mode & 0o777
        assert mode == 0o640, (name, oct(mode))


# -- sign-in: forty at once through nginx, two processes ------------------------------------------
def test_forty_parallel_sign_ins_check_at_most_the_limit(deployment: Deployment) -> None:
    """Forty tabs (each with its own route cookie, so both processes serve them) submit a
    wrong password for one account at the same moment: at most the limit of the account
    at this address is checked, the rest is refused unchecked, and the right password
    afterwards (the 41st) is refused as well."""
    clients = [StreamlitClient(deployment.url) for _ in range(41)]
    for client in clients:
        client.load_page()
        client.connect()
    form = clients[0].run("finder")  # the form's widget ids are the same in every session
    for i, client in enumerate(clients[:40]):  # each tab's sign-in: at the same moment
        client.send_sign_in(form, "bernd", f"falsch-{i:02d}-geraten", "finder")
    outcomes = [client.outcome(timeout=600) for client in clients[:40]]
    last = clients[40]
    last.send_sign_in(form, "bernd", EDITORS["bernd"], "finder")
    assert last.outcome(timeout=600).has(THROTTLED)
    for client in clients:
        client.close()
    routes = {c.cookies["ia_route"] for c in clients}
    assert len({u for r, u in deployment.routed() if r in routes}) == 2  # both processes
    checked = sum(1 for o in outcomes if o.has(FAILED))
    throttled = sum(1 for o in outcomes if o.has(THROTTLED))
    assert checked + throttled == 40
    assert 1 <= checked <= PAIR_BACKOFF.free, [o.texts for o in outcomes]


# -- sticky sessions -----------------------------------------------------------------------------
def _route_to(deployment: Deployment) -> dict[str, str]:
    """Upstream of each of several route cookies (each asked twice)."""
    seen: dict[str, set[str]] = {}
    keys = [secrets.token_hex(8) for _ in range(12)]
    for key in keys * 2:
        _request(deployment.url, "/_stcore/health",
                 {"Host": "localhost", "Cookie": f"ia_route={key}"}).read()  # fmt: skip
    for route, upstream in deployment.routed():
        if route in keys:
            seen.setdefault(route, set()).add(upstream)
    assert all(len(u) == 1 for u in seen.values()), seen  # one cookie, one process
    return {k: next(iter(u)) for k, u in seen.items()}


def test_one_browser_stays_on_one_process(deployment: Deployment) -> None:
    routes = _route_to(deployment)
    assert set(routes.values()) == {f"127.0.0.1:{p}" for p in deployment.ports}  # both used
    first = _request(deployment.url, "/", {"Host": "localhost"})
    first.read()
    cookies = {c.split("=", 1)[0]: c for c in first.headers.get_all("Set-Cookie") or []}
    assert re.match(r"ia_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax$", cookies["ia_route"])
    # the app's own cookie for the browser (session owner): random, HttpOnly
    assert re.match(r"ia_browser=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Lax$",
                    cookies["ia_browser"])  # fmt: skip


# -- the map through the proxy, under the CSP --------------------------------------------------------
def test_the_map_works_through_the_proxy_under_the_csp(
    watched: Watched, deployment: Deployment
) -> None:
    page = watched.page
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(deployment.url.replace("127.0.0.1", "localhost") + "/")
    page.locator("h1").first.wait_for(timeout=90_000)
    frame = page.locator(".ia-map").first  # the map component (in the page, no iframe)
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=90_000)
    assert frame.locator("path.leaflet-interactive").count() >= 6  # the VGs are drawn
    frame.locator(".marker-cluster, .leaflet-marker-icon").first.wait_for(timeout=30_000)
    assert not violations, violations
    assert not watched.external and not watched.errors, (watched.external, watched.errors)


# -- two processes, one store: no lost update, each sees the other's change ------------------------
def _editor_on(browser: object, deployment: Deployment, upstream: str, name: str) -> object:
    """A signed-in browser tab whose session lives on the process at ``upstream``."""
    routes = _route_to(deployment)
    cookie = next(k for k, u in routes.items() if u == upstream)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    host = deployment.url.replace("http://", "").split(":")[0]
    context.add_cookies([{"name": "ia_route", "value": cookie, "domain": host, "path": "/"}])
    page = context.new_page()
    page.goto(deployment.url + "/")
    page.locator("h1").first.wait_for(timeout=90_000)
    submit_sign_in(page, name, EDITORS[name])
    return page


def _open_record(page: object) -> object:
    page.get_by_role("link", name="Angebote bearbeiten").click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Angebote bearbeiten").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    page.locator('[data-testid="stSelectbox"]').filter(  # type: ignore[attr-defined]
        has=page.get_by_text("Angebot", exact=True)  # type: ignore[attr-defined]
    ).locator("input").first.click()  # the offer picker (the VG filter comes first)
    page.keyboard.type(RECORD)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    # the form of the chosen record (not the empty one for a new offer), and only it
    page.wait_for_function(  # type: ignore[attr-defined]
        """name => {
            const names = [...document.querySelectorAll('input[aria-label="Name"]')];
            const owners = document.querySelectorAll('input[aria-label="Träger"]');
            return names.length === 1 && names[0].value === name && owners.length === 1;
        }""",
        arg=RECORD,
        timeout=60_000,
    )
    return page.get_by_label("Träger", exact=True)  # type: ignore[attr-defined]


def _save(page: object, field: object, value: str) -> None:
    field.fill(value)  # type: ignore[attr-defined]
    field.press("Tab")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Speichern").click()  # type: ignore[attr-defined]


def _two_editors(browser: object, deployment: Deployment) -> None:
    one, two = (f"127.0.0.1:{p}" for p in deployment.ports)
    a = _editor_on(browser, deployment, one, "bernd")
    b = _editor_on(browser, deployment, two, "carla")
    field_a, field_b = _open_record(a), _open_record(b)
    assert field_a.input_value() == field_b.input_value() == ""  # type: ignore[attr-defined]

    _save(a, field_a, "Träger aus Prozess 1")
    a.get_by_text(f"Gespeichert: {RECORD} (Version 2).").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]

    # B saves the form it loaded before A's save: refused, nothing of A's lost ...
    _save(b, field_b, "Träger aus Prozess 2")
    b.get_by_text("Nicht gespeichert").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    stale = (
        b.locator('[data-testid="stAlert"]').filter(has_text="Nicht gespeichert").first.inner_text()  # type: ignore[attr-defined]
    )
    assert "bernd" in stale and "neu laden" in stale
    # ... and B's page, on process 2, now shows A's change made on process 1
    field_b = b.get_by_label("Träger", exact=True)  # type: ignore[attr-defined]
    expect(field_b).to_have_value("Träger aus Prozess 1", timeout=60_000)

    _save(b, field_b, "Träger aus Prozess 2")
    b.get_by_text(f"Gespeichert: {RECORD} (Version 3).").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]

    # A, on process 1, sees B's change on its next page
    a.get_by_role("link", name="Karte").click()  # type: ignore[attr-defined]
    a.locator("h1").first.wait_for(timeout=60_000)  # type: ignore[attr-defined]
    expect(_open_record(a)).to_have_value("Träger aus Prozess 2", timeout=60_000)

    # each session's WebSocket was served by its own process (logged when it closes)
    a.context.close()  # type: ignore[attr-defined]
    b.context.close()  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while True:
        streams = {u for r, u in deployment.upstreams() if r.startswith("GET /_stcore/stream")}
        if {one, two} <= streams or time.monotonic() > deadline:
            break
        time.sleep(0.2)  # polling interval until nginx has logged the closed connections
    assert {one, two} <= streams


def test_two_processes_edit_one_sqlite_store(browser: object, deployment: Deployment) -> None:
    _two_editors(browser, deployment)
    store = Store(deployment.cluster.env["INTEGRATIONSATLAS_STORE"], REPO / "datasets")
    record = next(f for f in store.facilities() if f.name == RECORD)
    assert (record.operator, record.version) == ("Träger aus Prozess 2", 3)
    history = store.history(record.id)
    assert list(history["author"]) == ["carla", "bernd"]  # newest first, nothing lost


def test_two_processes_edit_one_postgis_store(
    browser: object, pg_cluster: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("proxy-pg")
    url = pg_cluster.new_database()  # type: ignore[attr-defined]
    with _started(url, folder) as deployment:
        _two_editors(browser, deployment)
    store = Store(url, REPO / "datasets")
    record = next(f for f in store.facilities() if f.name == RECORD)
    assert (record.operator, record.version) == ("Träger aus Prozess 2", 3)
    assert list(store.history(record.id)["author"]) == ["carla", "bernd"]
