"""The client address a sign-in counts for: the socket's peer, or behind a configured proxy
the address it forwards; a forged ``X-Forwarded-For`` from anyone else changes nothing.

``rewritten_by`` is uvicorn's own list (``FORWARDED_ALLOW_IPS``, default loopback): for a
request from one of those hosts uvicorn already reports a header entry as the peer, so
the guard must not believe that peer either.
"""

from __future__ import annotations

import pytest

from dashboard.domain.webpolicy import (
    LOCAL_CLIENT,
    UNVERIFIED_CLIENT,
    client_address,
    networks,
)

NGINX = networks(["127.0.0.1", "::1"])
UVICORN_DEFAULT = networks(["127.0.0.1", "::1"])
NONE = networks([])

CASES = [
    # (label, peer, X-Forwarded-For values, trusted proxies, uvicorn's list, expected)
    ("make run, no header", "127.0.0.1", [], NONE, UVICORN_DEFAULT, LOCAL_CLIENT),
    ("make run, ::1", "::1", [], NONE, UVICORN_DEFAULT, LOCAL_CLIENT),
    # uvicorn believed the forged header and reports its entry as the peer
    ("make run, forged header", "198.51.100.7", ["198.51.100.7"], NONE, UVICORN_DEFAULT,
     LOCAL_CLIENT),
    ("make run, forged chain", "10.1.1.1", ["198.51.100.7, 10.1.1.1"], NONE, UVICORN_DEFAULT,
     LOCAL_CLIENT),
    ("make run, uvicorn told to trust nobody", "127.0.0.1", ["198.51.100.7"], NONE, NONE,
     LOCAL_CLIENT),
    ("remote peer, forged header", "203.0.113.5", ["198.51.100.7"], NGINX, NONE,
     "203.0.113.5"),
    ("nginx forwards the client", "127.0.0.1", ["203.0.113.5"], NGINX, NONE, "203.0.113.5"),
    ("nginx, uvicorn already rewrote", "203.0.113.5", ["203.0.113.5"], NGINX, UVICORN_DEFAULT,
     "203.0.113.5"),
    ("nginx, a client's own header before nginx's", "127.0.0.1",
     ["198.51.100.7, 203.0.113.5"], NGINX, NONE, "203.0.113.5"),
    ("nginx, a local client", "127.0.0.1", ["127.0.0.1"], NGINX, NONE, LOCAL_CLIENT),
    ("nginx, IPv6 client", "127.0.0.1", ["2001:db8::7"], NGINX, NONE, "2001:db8::7"),
    ("nginx, IPv4-mapped", "127.0.0.1", ["::ffff:203.0.113.5"], NGINX, NONE, "203.0.113.5"),
    ("nginx, garbage header", "127.0.0.1", ["not-an-address, <script>"], NGINX, NONE,
     LOCAL_CLIENT),
    ("no peer at all", None, [], NONE, NONE, UNVERIFIED_CLIENT),
    ("uvicorn trusts everyone", "198.51.100.7", ["198.51.100.7"], NONE, networks(["*"]),
     UNVERIFIED_CLIENT),
    ("5 MB header", "127.0.0.1", ["1" * 5_000_000], NGINX, NONE, LOCAL_CLIENT),
]  # fmt: skip


@pytest.mark.parametrize(("peer", "forwarded", "trusted", "rewritten", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])  # fmt: skip
def test_client_address(
    peer: str | None,
    forwarded: list[str],
    trusted: tuple,
    rewritten: tuple,
    expected: str,
) -> None:
    assert client_address(peer, forwarded, trusted, rewritten) == expected


def test_a_forged_header_never_picks_the_key() -> None:
    """Under ``make run`` every forged value lands on the same key as no header at all."""
    plain = client_address("127.0.0.1", [], NONE, UVICORN_DEFAULT)
    for forged in ("198.51.100.1", "198.51.100.2", "::1", "10.0.0.1, 10.0.0.2"):
        last = forged.split(",")[-1].strip()
        assert client_address(last, [forged], NONE, UVICORN_DEFAULT) == plain


@pytest.mark.parametrize("entry", ["nonsense", "300.1.1.1", "10.0.0.0/99"])
def test_a_misconfigured_proxy_list_is_refused(entry: str) -> None:
    with pytest.raises(ValueError):
        networks([entry])
