"""The HTTP policy of the dashboard: allowed Host names, security headers, hidden paths.

One home for the policy that both ways of serving the app apply:

* ``make run`` serves ``asgi.py``: Streamlit behind :class:`dashboard.ui.httpguard.HttpGuard`;
* the multi-process deployment puts nginx in front (``deploy/nginx.conf.template``, rendered
  by ``python -m dashboard serve``), which sends the same headers
  (``tests/e2e/test_proxy.py`` checks them against :data:`SECURITY_HEADERS`).

The policy:

* a request (page, file, or the WebSocket ``/_stcore/stream``) whose ``Host`` is not in the
  configured list is refused with 421 before Streamlit sees it: no DNS rebinding;
* every response says ``X-Frame-Options: SAMEORIGIN`` and ``frame-ancestors 'self'`` (no
  framing by other sites), ``X-Content-Type-Options: nosniff``, a Content-Security-Policy
  that allows only the app's own origin (see :func:`content_security_policy` for what
  Streamlit and the map component need), and no referrer to other sites;
* ``/_stcore/metrics`` (session and cache statistics) is not served to the public.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlparse

from dashboard.config import BASEMAPS

#: Host names accepted when nothing else is configured (local use only).
LOCAL_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")
#: Paths never served to the public (Streamlit's metrics: sessions, caches, memory).
HIDDEN_PATHS: tuple[str, ...] = ("/_stcore/metrics",)


def tile_hosts() -> tuple[str, ...]:
    """The hosts of the basemaps a user may switch on (images only, on request)."""
    hosts = {urlparse(spec["url"]).hostname for spec in BASEMAPS.values() if spec.get("url")}
    return tuple(sorted(h for h in hosts if h))


def content_security_policy() -> str:
    """The Content-Security-Policy of every response.

    Only the app's own origin, with what Streamlit and the map need:

    * ``script-src 'unsafe-inline'``: Streamlit's page has an inline script, and the map's
      script, generated per map, runs inline in the component iframe (served by the app
      itself); ``eval`` stays forbidden (neither Streamlit nor the map needs it);
    * ``style-src 'unsafe-inline'``: Streamlit (emotion) and Leaflet set inline styles;
    * ``img-src data: blob:``: Leaflet's and Streamlit's inline images; plus the basemap tile
      hosts, which the browser contacts only when a user switches a basemap on;
    * ``connect-src 'self'``: the WebSocket to the same host (CSP level 3);
    * ``frame-src 'self'``: the component iframes; ``worker-src 'self' blob:``;
    * ``frame-ancestors 'self'``: no other site may frame the app.
    """
    tiles = " ".join(f"https://{h}" for h in tile_hosts())
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {tiles}".rstrip(),
            "font-src 'self' data:",
            "connect-src 'self'",
            "frame-src 'self' blob: data:",
            "worker-src 'self' blob:",
            "media-src 'self' blob: data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'self'",
        ]
    )


#: Headers of every response (nginx sends the same in the multi-process deployment).
SECURITY_HEADERS: dict[str, str] = {
    "X-Frame-Options": "SAMEORIGIN",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": content_security_policy(),
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def host_allowed(host: str | None, allowed: Sequence[str]) -> bool:
    """Whether a ``Host`` header names one of the ``allowed`` hosts (port ignored;
    ``*.example.org`` allows subdomains, ``*`` anything)."""
    if not host:
        return False
    try:
        parsed = urlparse(f"//{host}")
        name = parsed.hostname
        _ = parsed.port  # validates the port
    except ValueError:
        return False
    if name is None or parsed.username or parsed.password or parsed.path:
        return False
    name = name.lower().rstrip(".")
    for pattern in allowed:
        pattern = pattern.strip().lower().rstrip(".")
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False
