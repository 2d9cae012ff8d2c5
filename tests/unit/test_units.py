"""The systemd units in ``deploy/``: systemd supervises the app processes and nginx
(restart on failure, with a delay and start limits), and accepts the files as written."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

UNITS = ("integrationsatlas-app@.service", "integrationsatlas-nginx.service")


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string((REPO / "deploy" / name).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("name", UNITS)
def test_each_unit_restarts_on_failure_within_limits(name: str) -> None:
    unit = _unit(name)
    assert unit["Service"]["Restart"] == "on-failure"
    assert float(unit["Service"]["RestartSec"]) > 0
    assert int(unit["Unit"]["StartLimitBurst"]) >= 1
    assert int(unit["Unit"]["StartLimitIntervalSec"]) > 0
    assert unit["Unit"]["PartOf"] == "integrationsatlas.target"
    assert "dashboard serve" not in unit["Service"]["ExecStart"]  # no second supervisor


def test_app_units_believe_only_the_local_proxy() -> None:
    text = (REPO / "deploy" / UNITS[0]).read_text(encoding="utf-8")
    assert "Environment=INTEGRATIONSATLAS_TRUSTED_PROXIES=127.0.0.1,::1" in text
    assert "Environment=FORWARDED_ALLOW_IPS=\n" in text
    assert "run asgi.py" in text and "--server.address 127.0.0.1" in text


def test_the_target_starts_every_unit() -> None:
    wants = (REPO / "deploy" / "integrationsatlas.target").read_text(encoding="utf-8")
    assert "integrationsatlas-app@" in wants and "integrationsatlas-nginx.service" in wants


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze missing")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    for name in (*UNITS, "integrationsatlas.target"):
        text = (REPO / "deploy" / name).read_text(encoding="utf-8")
        text = text.replace("/srv/integrationsatlas/.venv/bin/python", sys.executable)
        text = text.replace("/usr/sbin/nginx", nginx)
        (tmp_path / name).write_text(text, encoding="utf-8")
    instance = tmp_path / "integrationsatlas-app@8601.service"
    instance.symlink_to(tmp_path / UNITS[0])
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(instance),
         str(tmp_path / UNITS[1]), str(tmp_path / "integrationsatlas.target")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if "integrationsatlas" in line and "Cannot add dependency job" not in line
    ]
    assert not problems, problems
