"""What held and must keep holding, checked against the running app over plain HTTP:

* no file outside a component's folder is served, however the path is spelled
  (``..``, encoded, doubly encoded, backslashes, absolute);
* an upload without the XSRF token is refused;
* a websocket from another origin is refused.

A page is opened in the browser first, so the map's routes are in use (its component and
the app's static files): a test that passed on routes that do not exist would prove nothing.
"""

from __future__ import annotations

import base64
import http.client
import os
from urllib.parse import urlparse

import pytest

from dashboard.ui.assets import LEAFLET_NAME
from tests.e2e.conftest import Watched

pytestmark = pytest.mark.e2e

#: The map component's files (Streamlit's route for Custom Components v2) and Leaflet's, in the
#: app's static folder (dashboard/ui/assets.py).
COMPONENT = "/_stcore/bidi-components/integrationsatlas.map"
LEAFLET = f"/app/static/atlas/{LEAFLET_NAME}"
TARGETS = ("etc/passwd", "proc/self/environ")
UP = "../" * 12


def _variants(target: str) -> list[str]:
    enc = UP.replace("/", "%2f") + target.replace("/", "%2f")
    return [
        f"{COMPONENT}/{UP}{target}",
        f"{COMPONENT}/{enc}",
        f"{COMPONENT}/{UP.replace('..', '%2e%2e')}{target}",
        f"{COMPONENT}/{UP.replace('..', '%252e%252e')}{target}",
        f"{COMPONENT}/{UP.replace('/', '%252f')}{target}",
        f"{COMPONENT}/{UP.replace('../', '....//')}{target}",
        f"{COMPONENT}/{UP.replace('/', '%5c')}{target}",
        f"{COMPONENT}/{UP.replace('/', chr(92))}{target}",
        f"{COMPONENT}/{UP.replace('../', '..;/')}{target}",
        f"{COMPONENT}//{target}",
        f"{COMPONENT}/%2f{target.replace('/', '%2f')}",
        f"{COMPONENT}/{UP.replace('..', '%c0%ae%c0%ae')}{target}",
        f"{LEAFLET}/{UP}{target}",
        f"{LEAFLET}/{UP.replace('..', '%2e%2e')}{target}",
        f"/app/static/atlas/data/{UP}{target}",
        f"/_stcore/bidi-components/{UP}{target}",
        f"/component/{UP}{target}",
        f"/app/static/{UP}{target}",
        f"/static/{UP}{target}",
        f"/_stcore/{UP}{target}",
        f"/{UP}{target}",
        f"/media/{UP}{target}",
    ]


def _get(netloc: str, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def _websocket(netloc: str, origin: str) -> int:
    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.request(
        "GET",
        "/_stcore/stream",
        headers={
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": base64.b64encode(os.urandom(16)).decode(),
            "Sec-WebSocket-Version": "13",
            "Origin": origin,
        },
    )
    return conn.getresponse().status


def test_paths_xsrf_and_origins_hold(watched: Watched, app_url: str) -> None:
    page = watched.page
    page.goto(app_url)
    page.locator(".ia-map[data-ia-drawn]").first.wait_for(timeout=60_000)  # the map is drawn
    netloc = urlparse(app_url).netloc
    status, body = _get(netloc, f"{COMPONENT}/bridge.js")
    assert status == 200 and b"export default" in body  # the routes work for their own files
    status, body = _get(netloc, f"{LEAFLET}/leaflet.js")
    assert status == 200 and b"Leaflet" in body

    for target in TARGETS:
        for path in _variants(target):
            status, body = _get(netloc, path)
            assert b"root:" not in body and b"INTEGRATIONSATLAS" not in body, path
            assert status != 200 or len(body) < 100_000 and b"<html" in body.lower(), (
                path,
                status,
            )  # at most the app's own page, never a file

    conn = http.client.HTTPConnection(netloc, timeout=30)
    conn.request("PUT", "/_stcore/upload_file/session/file", body=b"Name;Kategorie\r\n")
    response = conn.getresponse()
    assert response.status == 403 and b"XSRF" in response.read()

    assert _websocket(netloc, "http://evil.example") == 403
    assert _websocket(netloc, app_url) == 101
    assert watched.errors == [] and watched.external == []
