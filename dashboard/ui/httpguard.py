"""ASGI middleware that applies the dashboard's HTTP policy in front of Streamlit.

``asgi.py`` (what ``make run`` serves, and each process behind nginx) wraps Streamlit in
:class:`HttpGuard`:

* foreign ``Host`` names are refused with 421 (pages and the WebSocket alike), every
  response gets the security headers of :mod:`dashboard.domain.webpolicy`, and
  ``/_stcore/metrics`` is hidden;
* the client address is determined once, here
  (:func:`dashboard.domain.webpolicy.client_address`: the socket's peer, or behind a
  configured proxy the address it forwards) and handed to the app in
  :data:`~dashboard.domain.webpolicy.CLIENT_HEADER`; the same header from a client is
  dropped, as is any ``X-Forwarded-For`` from anyone but a trusted proxy;
* every browser gets a random cookie (:data:`~dashboard.domain.webpolicy.BROWSER_COOKIE`,
  HttpOnly) with its first page; its digest goes to the app in
  :data:`~dashboard.domain.webpolicy.BROWSER_HEADER`, which Streamlit keeps as the
  session's owner (``server.trustedUserHeaders``): a session id alone never resumes a
  session from another browser.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from dashboard.config import server_forwarding_hosts, trusted_proxies
from dashboard.domain.webpolicy import (
    BROWSER_COOKIE,
    BROWSER_HEADER,
    CLIENT_HEADER,
    HIDDEN_PATHS,
    LOCAL_HOSTS,
    SECURITY_HEADERS,
    client_address,
    host_allowed,
    networks,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_CLIENT = CLIENT_HEADER.lower().encode()
_BROWSER = BROWSER_HEADER.lower().encode()
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def _configured_hosts() -> tuple[str, ...]:
    """Streamlit's ``server.allowedHosts`` (``.streamlit/config.toml``), else localhost."""
    from streamlit import config

    hosts = config.get_option("server.allowedHosts")
    return tuple(hosts) if hosts else LOCAL_HOSTS


def browser_token(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    """The browser cookie's value in a request, if it is one the guard hands out."""
    for name, value in headers:
        if name != b"cookie":
            continue
        for part in value.decode("latin-1").split(";"):
            key, _, token = part.strip().partition("=")
            if key == BROWSER_COOKIE and _TOKEN.match(token):
                return token
    return None


def browser_digest(token: str) -> str:
    """What the app sees of a browser cookie: a digest (the cookie itself stays HttpOnly)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()[:32]


class HttpGuard:
    """ASGI middleware applying the policy in front of Streamlit (``asgi.py``).

    Parameters
    ----------
    app
        The wrapped ASGI application.
    allowed_hosts
        Host names to accept; default Streamlit's ``server.allowedHosts`` (read per request,
        so the command line and the config file apply), else :data:`LOCAL_HOSTS`.

    Raises
    ------
    ValueError
        If ``INTEGRATIONSATLAS_TRUSTED_PROXIES`` holds something that is no address or
        network (the process does not start with a proxy setting it cannot apply).
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str] | None = None) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts) if allowed_hosts else None
        self._headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        self._trusted = networks(trusted_proxies())
        self._rewritten = networks(server_forwarding_hosts())

    def _identified(self, scope: Scope) -> tuple[Scope, str | None]:
        """The request with the guard's own client and browser headers (a client's are
        dropped), and the browser cookie if it sent a valid one."""
        raw = list(scope.get("headers") or [])
        forwarded = [v.decode("latin-1") for k, v in raw if k == b"x-forwarded-for"]
        peer = (scope.get("client") or (None,))[0]
        client = client_address(peer, forwarded, self._trusted, self._rewritten)
        token = browser_token(raw)
        headers = [(k, v) for k, v in raw if k not in (_CLIENT, _BROWSER)]
        headers.append((_CLIENT, client.encode("ascii")))
        if token is not None:
            headers.append((_BROWSER, browser_digest(token).encode("ascii")))
        return {**scope, "headers": headers}, token

    def _secure(self, scope: Scope) -> bool:
        if scope.get("scheme") in ("https", "wss"):
            return True
        headers = dict(scope.get("headers") or [])
        return headers.get(b"x-forwarded-proto", b"") == b"https" and bool(self._trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = headers.get(b"host", b"").decode("latin-1")
        allowed = self.allowed_hosts or _configured_hosts()
        if not host_allowed(host, allowed):
            await self._refuse(kind, send, 421, b"Host not allowed")
            return
        path = str(scope.get("path", ""))
        if any(path == p or path.endswith(p) for p in HIDDEN_PATHS):
            await self._refuse(kind, send, 404, b"Not found")
            return
        scope, token = self._identified(scope)
        if kind == "websocket":
            await self.app(scope, receive, send)
            return
        cookie = b"" if token else self._new_cookie(scope)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._headers if k not in names]
                if cookie and _is_page(message):
                    extra.append((b"set-cookie", cookie))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _new_cookie(self, scope: Scope) -> bytes:
        secure = "; Secure" if self._secure(scope) else ""
        value = f"{BROWSER_COOKIE}={secrets.token_urlsafe(32)}; Path=/; HttpOnly; SameSite=Lax"
        return (value + secure).encode("ascii")

    async def _refuse(self, kind: str, send: Send, status: int, body: bytes) -> None:
        if kind == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                    *self._headers,
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _is_page(message: Message) -> bool:
    """Whether a response is an HTML page (the browser cookie is set with pages only)."""
    for name, value in message.get("headers", []):
        if name.lower() == b"content-type":
            return bytes(value).startswith(b"text/html")
    return False
