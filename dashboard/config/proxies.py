"""Which reverse proxies are believed (the doors: sign-in counters, the HTTP guard).

Small settings read from the environment, to be folded into the settings model
(:mod:`.settings`).
"""

from __future__ import annotations

import os

#: Reverse proxies whose ``X-Forwarded-For`` is believed: comma-separated addresses or
#: networks. Empty (the default, ``make run``): no proxy, the socket's peer is the client.
#: ``python -m dashboard serve`` sets its nginx (``127.0.0.1,::1``).
TRUSTED_PROXIES_ENV = "INTEGRATIONSATLAS_TRUSTED_PROXIES"
#: uvicorn's own list of hosts whose ``X-Forwarded-For`` it believes (its default if unset).
UVICORN_FORWARDED_ENV = "FORWARDED_ALLOW_IPS"
UVICORN_FORWARDED_DEFAULT = "127.0.0.1,::1"


def trusted_proxies() -> tuple[str, ...]:
    """The configured reverse proxies (``INTEGRATIONSATLAS_TRUSTED_PROXIES``), as written;
    :func:`dashboard.domain.webpolicy.networks` parses and checks them."""
    value = os.environ.get(TRUSTED_PROXIES_ENV, "")
    return tuple(p.strip() for p in value.split(",") if p.strip())


def server_forwarding_hosts() -> tuple[str, ...]:
    """The hosts whose ``X-Forwarded-For`` the ASGI server (uvicorn) itself applies
    (``FORWARDED_ALLOW_IPS``, default loopback); empty when set to nothing."""
    value = os.environ.get(UVICORN_FORWARDED_ENV, UVICORN_FORWARDED_DEFAULT)
    return tuple(p.strip() for p in value.split(",") if p.strip())
