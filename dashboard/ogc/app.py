"""The OGC API – Features service as an ASGI application (mounted at ``/ogc``).

``asgi.py`` mounts :data:`ogc_app` next to Streamlit, behind the same HTTP guard
(:class:`dashboard.ui.httpguard.HttpGuard`: Host check, security headers); nginx passes
``/ogc/`` to any app process (``deploy/nginx.conf.template``). Only ``GET`` (and ``HEAD``)
is answered: the service is read only.

Every request reads the store's data version (:meth:`Workspace.view`), so an edit is in
the next response. Who is asking decides the view:

* no ``Authorization`` header: the public view (no sensitive offer, counts ``"<5"``);
* HTTP Basic with the name and password of an account (the sign-in of the pages,
  :func:`dashboard.services.signin.sign_in`, throttled alike): that account's view. Basic
  credentials are accepted only over HTTPS or from this machine; a wrong password gets
  401, a throttled sign-in 429, never the public view in their place.

pygeoapi's ``API`` object holds the configuration with the collections and their
properties; it is made per address, data version and audience and kept (a few).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import ipaddress
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from dashboard.ogc.config import pygeoapi_config
from dashboard.ogc.provider import ViewBound
from dashboard.services import signin
from dashboard.services.app import workspace_for
from dashboard.services.geopackage import atlas_file
from dashboard.services.view import RoleView

log = logging.getLogger("integrationsatlas.ogc")

_KEEP_APIS = 8
_apis: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_api_lock = threading.Lock()
_sessions: dict[str, signin.Session] = {}
_session_lock = threading.Lock()


class Refused(Exception):
    """A request with credentials that do not open the internal view."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _loopback(address: str | None) -> bool:
    if address == signin.LOCAL_CLIENT:  # the guard's name for any loopback address
        return True
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _scheme(request: Request) -> str:
    """``https`` or ``http`` as the client sees it (the proxy's header only from the
    proxy on this machine)."""
    forwarded = request.headers.get("x-forwarded-proto", "")
    client = request.client.host if request.client else None
    if forwarded in ("http", "https") and _loopback(client):
        return forwarded
    return request.url.scheme


def base_url(request: Request) -> str:
    """The service's address as the client sees it (Host already checked by the guard)."""
    host = request.headers.get("host", "localhost")
    root = str(request.scope.get("root_path", "")).rstrip("/")
    return f"{_scheme(request)}://{host}{root}"


def _client(request: Request) -> str:
    """The client address for throttling, as the HTTP guard in front determined it
    (``X-Forwarded-For`` only from a configured proxy); the peer only where no guard is in front (tests of this app alone)."""
    guarded = request.headers.get(signin.CLIENT_HEADER)
    if guarded:
        return guarded
    return request.client.host if request.client else ""


def _credentials(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    kind, _, value = header.partition(" ")
    if kind.lower() != "basic":
        raise Refused(401, "Nur HTTP-Basic-Anmeldung", {"WWW-Authenticate": "Basic"})
    try:
        name, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise Refused(400, "Ungültige Anmeldedaten") from None
    if not sep or not name or len(name) > 200 or len(password) > 1000:
        raise Refused(400, "Ungültige Anmeldedaten")
    return name, password


def _user_view(request: Request, now: dt.datetime) -> RoleView:
    """The view of the request's user (public without credentials).

    Raises
    ------
    Refused
        For credentials that are wrong, throttled or sent in clear text from afar.
    """
    creds = _credentials(request)
    if creds is None:
        return workspace_for(None).view()
    if _scheme(request) != "https" and not _loopback(_client(request)):
        raise Refused(403, "Anmeldung nur über HTTPS")
    name, password = creds
    token = hashlib.sha256(f"{name}\0{password}".encode()).hexdigest()
    with _session_lock:
        session = _sessions.get(token)
    if session is None or not session.is_valid(now):
        outcome = signin.sign_in(name, password, _client(request), now)
        if outcome.retry_after is not None:
            retry = str(int(outcome.retry_after) + 1)
            raise Refused(429, "Zu viele Versuche", {"Retry-After": retry})
        if outcome.session is None:
            raise Refused(401, "Anmeldung fehlgeschlagen", {"WWW-Authenticate": "Basic"})
        session = outcome.session
    account = signin.current_account(name)  # a removed account or changed role counts now
    if account is None:
        raise Refused(401, "Anmeldung fehlgeschlagen", {"WWW-Authenticate": "Basic"})
    with _session_lock:
        _sessions[token] = session.touch(now)
        for key in [k for k, s in _sessions.items() if not s.is_valid(now)]:
            del _sessions[key]
    return workspace_for(account).view()


def _api(view: RoleView, url: str) -> Any:
    """pygeoapi's API for this view and address (kept per data version and audience)."""
    from pygeoapi.api import API
    from pygeoapi.openapi import get_oas

    key = (url, view.key)
    with _api_lock:
        if key in _apis:
            _apis.move_to_end(key)
            return _apis[key]
    config = pygeoapi_config(view, url)
    api = API(config, get_oas(config, fail_on_invalid_collection=False))
    with _api_lock:
        _apis[key] = api
        while len(_apis) > _KEEP_APIS:
            _apis.popitem(last=False)
    return api


#: What pygeoapi announces but this read-only Features service does not offer.
_NOT_OFFERED = ("create-replace-delete", "processes", "job-list", "tiling-schemes", "/jobs")


def _offered(content: Any, url: str) -> Any:
    """The landing page and conformance without the parts of pygeoapi not served here
    (processes, jobs, tiles, transactions); the landing page links the styled GeoPackage."""
    if isinstance(content, (str, bytes)):
        try:
            parsed = json.loads(content)
        except ValueError:
            return content  # HTML: pygeoapi's templates are ours (templates/)
        if not isinstance(parsed, dict):
            return content
        return json.dumps(_offered(parsed, url), ensure_ascii=False)
    if not isinstance(content, dict):
        return content
    if "conformsTo" in content:
        content["conformsTo"] = [
            c for c in content["conformsTo"] if not any(n in c for n in _NOT_OFFERED)
        ]
    if "links" in content and "title" in content:
        content["links"] = [
            link
            for link in content["links"]
            if not any(n in str(link.get("rel", "")) + str(link.get("href", ""))
                       for n in _NOT_OFFERED)
        ]  # fmt: skip
        content["links"].append(
            {
                "rel": "enclosure",
                "type": "application/geopackage+sqlite3",
                "title": "GeoPackage (QGIS-Stile / QGIS styles)",
                "href": f"{url}/atlas.gpkg",
            }
        )
    return content


def _answer(view: RoleView, url: str, request: Any, call: Callable[..., Any], *args: Any) -> Any:
    """Run one pygeoapi call in this worker thread with the view bound to it."""
    with ViewBound(view):
        api = _api(view, url)
        headers, status, content = call(api, request, *args)
    import pygeoapi.api as core

    if call in (core.landing_page, core.conformance):
        content = _offered(content, url)
    return headers, status, content


def _locales() -> list[Any]:
    from pygeoapi import l10n

    return list(l10n.get_locales({"server": {"languages": ["de-DE", "en-US"]}}))


def _response(headers: dict[str, str], status: int, content: Any) -> Response:
    if isinstance(content, dict):
        response: Response = JSONResponse(content, status_code=status)
    else:
        response = Response(content, status_code=status)
    response.headers.update({k: v for k, v in headers.items() if k.lower() != "content-length"})
    return response


def _endpoint(name: str, *params: str) -> Callable[[Request], Any]:
    async def endpoint(request: Request) -> Response:
        import pygeoapi.api as core
        import pygeoapi.api.itemtypes as items
        from pygeoapi.api import APIRequest

        call = getattr(core, name, None) or getattr(items, name)
        now = dt.datetime.now(dt.UTC)
        try:
            view = await run_in_threadpool(_user_view, request, now)
        except Refused as exc:
            return PlainTextResponse(exc.message, exc.status, headers=exc.headers)
        url = base_url(request)
        api_request = await APIRequest.from_starlette(request, _locales())
        args = [request.path_params[p] for p in params]
        try:
            headers, status, content = await run_in_threadpool(
                _answer, view, url, api_request, call, *args
            )
        except Exception:
            log.exception("OGC request %s failed", request.url.path)
            return JSONResponse(
                {"code": "ServerError", "description": "Interner Fehler"}, status_code=500
            )
        response = _response(headers, status, content)
        response.headers["Cache-Control"] = (
            "private, no-store" if view.role != "public" else ("no-cache")
        )
        response.headers["Vary"] = "Authorization, Accept, Accept-Language"
        return response

    return endpoint


async def atlas_gpkg(request: Request) -> Response:
    """The user's view as one styled GeoPackage (offers, areas, needs overlay, analysis:
    :func:`dashboard.services.geopackage.write_atlas`), for QGIS without a connection."""
    now = dt.datetime.now(dt.UTC)
    try:
        view = await run_in_threadpool(_user_view, request, now)
        body = await run_in_threadpool(atlas_file, view)
    except Refused as exc:
        return PlainTextResponse(exc.message, exc.status, headers=exc.headers)
    except Exception:
        log.exception("atlas GeoPackage failed")
        return PlainTextResponse("Interner Fehler", 500)
    return Response(
        body,
        media_type="application/geopackage+sqlite3",
        headers={
            "Content-Disposition": 'attachment; filename="integrationsatlas.gpkg"',
            "Cache-Control": "private, no-store" if view.role != "public" else "no-cache",
            "Vary": "Authorization",
        },
    )


def _routes() -> list[Route]:
    get = ["GET", "HEAD"]
    return [
        Route("/", _endpoint("landing_page"), methods=get),
        Route("/openapi", _endpoint("openapi_"), methods=get),
        Route("/conformance", _endpoint("conformance"), methods=get),
        Route("/atlas.gpkg", atlas_gpkg, methods=get),
        Route("/collections", _endpoint("describe_collections"), methods=get),
        Route(
            "/collections/{collection}",
            _endpoint("describe_collections", "collection"),
            methods=get,
        ),
        Route(
            "/collections/{collection}/queryables",
            _endpoint("get_collection_queryables", "collection"),
            methods=get,
        ),
        Route(
            "/collections/{collection}/schema",
            _endpoint("get_collection_schema", "collection"),
            methods=get,
        ),
        Route(
            "/collections/{collection}/items",
            _endpoint("get_collection_items", "collection"),
            methods=get,
        ),
        Route(
            "/collections/{collection}/items/{item}",
            _endpoint("get_collection_item", "collection", "item"),
            methods=get,
        ),
    ]


#: The service; ``asgi.py`` mounts it at ``/ogc``.
ogc_app = Starlette(routes=_routes())
