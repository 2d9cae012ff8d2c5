"""A process behind nginx is killed (``kill -9``): the convenience run's supervisor brings
it back, users get a clean answer meanwhile, and a signed-in user is told that the session
restarted instead of silently finding the public pages.

The deployment is the one of ``tests/e2e/test_proxy.py`` (two processes, nginx, a SQLite
store) with its supervisor running (:meth:`dashboard.cli.serve.Cluster.supervise`, what
``python -m dashboard serve`` runs in the foreground).
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from dashboard.cli.serve import RestartPolicy, _healthy
from dashboard.domain.webpolicy import SECURITY_HEADERS
from dashboard.i18n.catalogue import t
from tests.e2e.test_proxy import Deployment, _editor_on, _request, _route_to, _started

pytestmark = pytest.mark.e2e

#: Restarts after 3 s (time to see the clean answer), then 6 s, ...
POLICY = RestartPolicy(first_delay=3.0, max_delay=10.0, burst=5, interval=300.0)


@pytest.fixture(scope="module")
def supervised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("restart")
    with _started(folder / "store.gpkg", folder, POLICY) as deployment:
        failures: list[BaseException] = []

        def run() -> None:
            try:
                deployment.cluster.supervise(interval=0.2)
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                failures.append(exc)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        yield deployment
        assert not failures, failures


def _kill(deployment: Deployment, port: int) -> int:
    proc = deployment.cluster.apps[port]
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.pid


def _back(deployment: Deployment, port: int, old_pid: int, timeout: float = 240) -> None:
    """Poll until a new process answers on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = deployment.cluster.apps[port]
        if proc.pid != old_pid and _healthy(f"http://127.0.0.1:{port}", "127.0.0.1"):
            break
        time.sleep(0.2)  # polling interval while the process starts
    else:
        raise AssertionError(f"no process came back on port {port} within {timeout:.0f} s")
    _proxy_routes_again(deployment, deadline)


def _proxy_routes_again(deployment: Deployment, deadline: float) -> None:
    """Poll until nginx routes every browser again.

    nginx marks a process it could not reach as failed for ``fail_timeout`` (5 s) and
    answers with its restart page meanwhile, also when the process is already back; a
    browser reloading then sees the page again (what the page tells it to do).
    """
    while time.monotonic() < deadline:
        statuses = set()
        for _ in range(12):  # random route cookies: both processes are asked
            cookie = secrets.token_hex(8)
            response = _request(deployment.url, "/_stcore/health",
                                {"Host": "localhost", "Cookie": f"ia_route={cookie}"})  # fmt: skip
            response.read()
            statuses.add(response.status)
        if statuses == {200}:
            return
        time.sleep(0.5)  # polling interval while nginx still counts the process as failed
    raise AssertionError("nginx did not route to the restarted processes again")


def test_killed_processes_come_back_and_users_get_a_clean_answer(
    supervised: Deployment,
) -> None:
    routes = _route_to(supervised)
    pids = {port: _kill(supervised, port) for port in supervised.ports}  # both at once
    # meanwhile: the short page of the proxy, in both languages, with the policy's headers
    cookie = next(iter(routes))
    response = _request(supervised.url, "/", {"Host": "localhost", "Cookie": f"ia_route={cookie}"})
    body = response.read().decode("utf-8")
    assert response.status == 503 and "startet neu" in body and "restarting" in body
    assert response.getheader("Retry-After") == "5"
    for name, value in SECURITY_HEADERS.items():
        assert response.getheader(name) == value, name
    for port, pid in pids.items():
        _back(supervised, port, pid)
    # every browser reaches its process again
    for route, upstream in _route_to(supervised).items():
        ok = _request(supervised.url, "/", {"Host": "localhost", "Cookie": f"ia_route={route}"})
        ok.read()
        assert ok.status == 200, (route, upstream)
    assert all(len(supervised.cluster.restarts[p]) == 1 for p in supervised.ports)


def test_a_signed_in_user_is_told_the_session_restarted(
    browser: object, supervised: Deployment
) -> None:
    upstream = f"127.0.0.1:{supervised.ports[0]}"
    page = _editor_on(browser, supervised, upstream, "bernd")
    # the user starts typing an edit, then the process holding the session dies
    page.get_by_role("link", name="Angebote bearbeiten").click()  # type: ignore[attr-defined]
    page.get_by_role("heading", name="Angebote bearbeiten").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    pid = _kill(supervised, supervised.ports[0])
    _back(supervised, supervised.ports[0], pid)
    # the page still shows the signed-in state; the user's next click reaches a new session
    sidebar = page.get_by_test_id("stSidebar")  # type: ignore[attr-defined]
    sidebar.get_by_role("link", name="Karte").click()
    notice = page.get_by_text(t("auth.restarted", "de"))  # type: ignore[attr-defined]
    expect(notice).to_be_visible(timeout=240_000)
    # signed out, told so (not silently), the sign-in form open; signing in ends the notice
    expect(sidebar.get_by_label("Name", exact=True)).to_be_visible()
    assert page.get_by_text("Angemeldet als").count() == 0  # type: ignore[attr-defined]
    sidebar.get_by_label("Name", exact=True).fill("bernd")
    sidebar.get_by_label("Passwort", exact=True).fill("bernd-passwort-1")
    sidebar.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Angemeldet als bernd").wait_for(timeout=60_000)  # type: ignore[attr-defined]
    assert page.get_by_text(t("auth.restarted", "de")).count() == 0  # type: ignore[attr-defined]
    page.context.close()  # type: ignore[attr-defined]
