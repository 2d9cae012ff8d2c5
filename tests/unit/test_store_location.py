"""A database URL is never taken for a file path (``open_database``).

``Path("postgresql://atlas@db/atlas")`` is ``postgresql:/atlas@db/atlas``: opened as SQLite
it became a new, empty store in a folder named ``postgresql:``, and the real database was
silently not used. It is refused with a clear message instead, and nothing is created.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.cli.main import main
from dashboard.data.db import open_database
from dashboard.data.errors import StoreError

URL = "postgresql://atlas:geheim@db.example:5432/atlas"


@pytest.mark.parametrize(
    "location", [Path(URL), str(Path(URL)), "postgres:/atlas@db/atlas", "mysql://db/atlas"]
)
def test_a_database_url_as_a_path_is_refused_and_nothing_is_created(
    location: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as info:
        open_database(location)
    assert "Datenbank-Adresse" in str(info.value) and "INTEGRATIONSATLAS_DATABASE_URL" in str(
        info.value
    )
    assert "database address" in info.value.text("en")
    assert "geheim" not in str(info.value)  # no password in a message
    assert list(tmp_path.iterdir()) == []  # no folder "postgresql:", no SQLite file


def test_a_file_path_still_opens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for location in (tmp_path / "store.gpkg", "relativ.gpkg", tmp_path / "a:b" / "store.gpkg"):
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        db = open_database(location)
        with db.connection() as conn:
            assert conn.one("SELECT 1")[0] == 1


def test_the_command_line_refuses_a_store_setting_that_is_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", URL)
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    monkeypatch.delenv("INTEGRATIONSATLAS_DATABASE_URL", raising=False)
    out = tmp_path / "offers.csv"
    assert main(["export", "--format", "csv", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    # named by its setting, before anything is opened
    assert err.startswith("Fehler:") and "INTEGRATIONSATLAS_STORE" in err, err
    assert "INTEGRATIONSATLAS_DATABASE_URL" in err and "geheim" not in err, err
    assert not out.exists() and not (tmp_path / "postgresql:").exists()


def test_the_store_setting_refuses_a_url_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard.config.settings import SettingsError, environment

    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", URL)
    with pytest.raises(SettingsError) as info:
        environment()
    text = str(info.value)
    assert text.startswith("INTEGRATIONSATLAS_STORE=") and "DATABASE_URL" in text, text
    assert "geheim" not in text and "atlas:***@" in text
