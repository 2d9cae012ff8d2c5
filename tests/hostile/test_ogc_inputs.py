"""Hostile requests to the OGC API – Features service: a clear 4xx, never a traceback.

The service (:data:`dashboard.ogc.app.ogc_app`) is driven in-process over ASGI with the
test store: malformed bbox, limits and offsets out of range, CQL2 that does not parse or
names no property, unknown properties and collections, odd paths, garbage and oversized
credentials, writes.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import json
from typing import Any

import pytest

from dashboard.ogc.app import ogc_app

ITEMS = "/collections/angebote/items"


def _call(path: str, query: str = "", method: str = "GET", headers: dict[str, str] | None = None):  # noqa: ANN202
    """(status, headers, body) of one request to the service."""
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "/ogc",
        "query_string": query.encode(),
        "headers": [(b"host", b"localhost")]
        + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
    }
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # A thread of its own: a browser test of the same session may hold a running loop here.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, ogc_app(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def _clean(status: int, body: bytes) -> None:
    assert status < 500, body[:300]
    text = body.decode("utf-8", "replace")
    assert "Traceback" not in text and 'File "' not in text


@pytest.mark.parametrize(
    "query",
    [
        "bbox=a,b,c,d",
        "bbox=1,2,3",
        "bbox=7,49,8,50,9,51,1",
        "bbox=1e400,0,1,1",
        "limit=-1",
        "limit=abc",
        "offset=-5",
        "offset=99999999999999999999",
        "filter=DROP TABLE facilities",
        "filter=nichtda = 1",
        "filter=kategorie LIKE '%' AND (",
        "filter-lang=sql&filter=1=1",
        "sortby=nichtda",
        "properties=nichtda",
        "nichtda=1",
        "crs=http://www.opengis.net/def/crs/EPSG/0/99999",
        "bbox=7,49,8,50&bbox-crs=urn:x",
        "f=xml",
        "datetime=gestern",
    ],
)
def test_bad_queries_get_a_clear_answer(query: str) -> None:
    status, _, body = _call(ITEMS, query)
    _clean(status, body)


def test_a_huge_limit_is_capped() -> None:
    status, _, body = _call(ITEMS, "f=json&limit=100000000")
    _clean(status, body)
    if status == 200:
        assert len(json.loads(body)["features"]) <= 1000


@pytest.mark.parametrize(
    "path",
    [
        "/collections/nichtda/items",
        "/collections/..%2f..%2fetc%2fpasswd/items",
        "/collections/angebote/items/nichtda",
        "/collections/angebote/items/%00",
        "/processes",
        "/jobs",
        "/admin/config",
        "/collections/angebote/tiles",
    ],
)
def test_odd_paths_are_not_found(path: str) -> None:
    status, _, body = _call(path, "f=json")
    _clean(status, body)
    assert status in (400, 404, 405)


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic !!!",
        "Basic " + base64.b64encode(b"ohne-doppelpunkt").decode(),
        "Basic " + base64.b64encode(b"\xff\xfe:x").decode(),
        "Basic " + base64.b64encode(("n" * 10_000 + ":x").encode()).decode(),
        "Basic " + base64.b64encode(b"niemand:falsch").decode(),
        "Bearer abc",
    ],
)
def test_bad_credentials_never_open_a_view(authorization: str) -> None:
    status, headers, body = _call(
        "/collections", "f=json", headers={"Authorization": authorization}
    )
    _clean(status, body)
    assert status in (400, 401, 429)
    assert b"angebote" not in body


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_service_is_read_only(method: str) -> None:
    status, _, body = _call(ITEMS, method=method)
    _clean(status, body)
    assert status == 405
