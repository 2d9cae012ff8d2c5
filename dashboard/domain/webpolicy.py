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

import ipaddress
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

    * ``script-src 'unsafe-inline'``: Streamlit's page has an inline script; the map is a
      Custom Component v2 whose ES modules the app serves itself (``'self'``); ``eval``
      stays forbidden (neither Streamlit nor the map needs it);
    * ``style-src 'unsafe-inline'``: Streamlit (emotion) and Leaflet set inline styles;
    * ``img-src data: blob:``: Leaflet's and Streamlit's inline images; plus the basemap tile
      hosts, which the browser contacts only when a user switches a basemap on;
    * ``connect-src 'self'``: the WebSocket to the same host (CSP level 3);
    * ``frame-src 'self'``: Streamlit's own frames (the map has none); ``worker-src 'self' blob:``;
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


# -- who is asking: the client address behind the proxy, the browser ---------------------------
#: Header the HTTP guard sets (and strips from every request) with the client address it
#: determined; pages read it for the sign-in counters.
CLIENT_HEADER = "X-Integrationsatlas-Client"
#: Header the HTTP guard sets (and strips) with a digest of the browser's cookie; Streamlit
#: keeps it as the session's owner (``server.trustedUserHeaders``), so a session is
#: resumed only from the browser that started it.
BROWSER_HEADER = "X-Integrationsatlas-Browser"
#: The browser's cookie: random, set by the guard on the first page, HttpOnly.
BROWSER_COOKIE = "ia_browser"
#: Every loopback address is one client (``make run`` on this machine).
LOCAL_CLIENT = "localhost"
#: The client of a request whose address cannot be established.
UNVERIFIED_CLIENT = "unverified"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(entries: Sequence[str]) -> tuple[Network, ...]:
    """Addresses or networks (``10.0.0.0/8``, ``::1``); ``*`` stands for every address.

    Raises
    ------
    ValueError
        For an entry that is neither.
    """
    out: list[Network] = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        if entry == "*":
            out += [ipaddress.ip_network("0.0.0.0/0"), ipaddress.ip_network("::/0")]
            continue
        out.append(ipaddress.ip_network(entry, strict=False))
    return tuple(out)


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """An address from a header entry or peer (``[::1]:80`` and ``1.2.3.4:5`` allowed)."""
    if not text:
        return None
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _within(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address, nets: Sequence[Network]
) -> bool:
    return any(address.version == n.version and address in n for n in nets)


def _key(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> str:
    if address is None:
        return UNVERIFIED_CLIENT
    return LOCAL_CLIENT if address.is_loopback else str(address)


def client_address(
    peer: str | None,
    forwarded_for: Sequence[str],
    trusted_proxies: Sequence[Network],
    rewritten_by: Sequence[Network] = (),
) -> str:
    """The client address a request counts for (sign-in counters): the socket's peer, or,
    when the peer is a trusted proxy, the last address in ``X-Forwarded-For`` before the
    trusted proxies. A header from anyone else is never believed.

    Parameters
    ----------
    peer
        The connection's peer address as the server reports it.
    forwarded_for
        The values of every ``X-Forwarded-For`` header of the request.
    trusted_proxies
        The configured reverse proxies (``INTEGRATIONSATLAS_TRUSTED_PROXIES``; none for
        ``make run``).
    rewritten_by
        The hosts whose ``X-Forwarded-For`` the ASGI server itself believes (uvicorn's
        ``FORWARDED_ALLOW_IPS``): for a request from one of them, the server reports a
        header entry as the peer. Such a request counts as coming from one of those hosts
        (all loopback: the local client), never as the address the header claims.

    Returns
    -------
    str
        An IP address, :data:`LOCAL_CLIENT` for any loopback address, or
        :data:`UNVERIFIED_CLIENT`.
    """
    hops = [a for a in (_address(h) for v in forwarded_for for h in v.split(",")) if a]
    real = _address(peer)
    if hops and rewritten_by and real is not None and real in hops:
        # the server replaced the peer by a header entry: the peer was one of its hosts
        loopback = all(
            n.network_address.is_loopback and n.broadcast_address.is_loopback for n in rewritten_by
        )
        if not loopback:
            return UNVERIFIED_CLIENT
        real = ipaddress.ip_address("127.0.0.1")
    if real is None or not hops or not _within(real, trusted_proxies):
        return _key(real)
    for hop in reversed(hops):
        if not _within(hop, trusted_proxies):
            return _key(hop)
    return _key(hops[0])
