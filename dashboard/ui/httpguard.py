"""ASGI middleware that applies the dashboard's HTTP policy in front of Streamlit.

``asgi.py`` (what ``make run`` serves) wraps Streamlit in :class:`HttpGuard`: foreign
``Host`` names are refused with 421 (pages and the WebSocket alike), every response gets the
security headers of :mod:`dashboard.domain.webpolicy`, and ``/_stcore/metrics`` is hidden.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any

from dashboard.domain.webpolicy import HIDDEN_PATHS, LOCAL_HOSTS, SECURITY_HEADERS, host_allowed

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _configured_hosts() -> tuple[str, ...]:
    """Streamlit's ``server.allowedHosts`` (``.streamlit/config.toml``), else localhost."""
    from streamlit import config

    hosts = config.get_option("server.allowedHosts")
    return tuple(hosts) if hosts else LOCAL_HOSTS


class HttpGuard:
    """ASGI middleware applying the policy in front of Streamlit (``asgi.py``).

    Parameters
    ----------
    app
        The wrapped ASGI application.
    allowed_hosts
        Host names to accept; default Streamlit's ``server.allowedHosts`` (read per request,
        so the command line and the config file apply), else :data:`LOCAL_HOSTS`.
    """

    def __init__(self, app: ASGIApp, allowed_hosts: Sequence[str] | None = None) -> None:
        self.app = app
        self.allowed_hosts = tuple(allowed_hosts) if allowed_hosts else None
        self._headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

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
        if kind == "websocket":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

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
