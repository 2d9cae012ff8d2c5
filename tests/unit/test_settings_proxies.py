"""The proxy settings are part of the one settings model (``docs/settings.md``).

``INTEGRATIONSATLAS_TRUSTED_PROXIES`` (the proxies whose ``X-Forwarded-For`` the HTTP
guard believes) and uvicorn's own ``FORWARDED_ALLOW_IPS`` are read by
:class:`dashboard.config.settings.Environment`, like every other variable, and read again
when the environment changes.
"""

from __future__ import annotations

import pytest

from dashboard.config import Environment, environment, server_forwarding_hosts, trusted_proxies


def test_unset_means_no_proxy_and_uvicorns_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("INTEGRATIONSATLAS_TRUSTED_PROXIES", raising=False)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    assert trusted_proxies() == ()
    assert server_forwarding_hosts() == ("127.0.0.1", "::1")


def test_values_are_split_trimmed_and_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTEGRATIONSATLAS_TRUSTED_PROXIES", " 10.0.0.0/8, ::1 ,")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "")  # what ``serve`` sets: uvicorn believes none
    assert trusted_proxies() == ("10.0.0.0/8", "::1")
    assert server_forwarding_hosts() == ()
    assert environment().trusted_proxies == ("10.0.0.0/8", "::1")  # one model
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "192.0.2.7")
    assert server_forwarding_hosts() == ("192.0.2.7",)  # a change is seen
    assert {"trusted_proxies", "forwarded_allow_ips"} <= set(Environment.model_fields)
