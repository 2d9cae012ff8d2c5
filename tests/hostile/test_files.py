"""Files: uploads private and gone after reading; the store (accounts included) 0600.

Each check runs with the permissive umask 022 (files readable by all local users unless
the code says otherwise).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import dashboard.data.importer.upload as reader  # the one bounded reader of uploads
import dashboard.services.importing as importing
from dashboard.data.store import Store
from dashboard.data.users import Throttle, add_user, authenticate
from tests.conftest import REPO


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _uploads() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("integrationsatlas-upload-*"))


def test_store_with_accounts_and_signin_counters_is_private(tmp_path: Path) -> None:
    """Accounts and sign-in counters live in the store: one file, 0600, in a 0700 folder,
    and its WAL side files are private too; no other file is written."""
    store = Store(tmp_path / "var" / "s.gpkg", REPO / "datasets")
    assert store.path is not None
    assert _mode(store.path) == 0o600 and _mode(store.path.parent) == 0o700
    add_user(store.db, "k.meier", "ein-langes-passwort", role="district_editor")
    assert authenticate(store.db, "k.meier", "falsch", throttle=Throttle(store.db)) is None
    files = sorted(p.name for p in store.path.parent.iterdir())
    assert set(files) <= {"s.gpkg", "s.gpkg-wal", "s.gpkg-shm"}, files
    for name in files:
        assert _mode(store.path.parent / name) == 0o600, name


def test_an_upload_is_private_while_read_and_gone_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, int] = {}
    real = reader.read_table

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        seen["folder"] = _mode(path.parent)
        seen["file"] = _mode(path)
        seen["path"] = str(path)  # type: ignore[assignment]
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader, "read_table", spy)
    before = _uploads()
    upload = importing.read_upload("../../etc/Liste VG.csv", b"Name;Kategorie\r\nTest;Kita\r\n")
    assert seen["folder"] == 0o700 and seen["file"] == 0o600
    assert upload.name == "Liste VG.csv"  # only the last part of the name is used
    assert not Path(str(seen["path"])).exists() and _uploads() == before


def test_an_upload_is_removed_when_reading_fails_unexpectedly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def boom(path: Path, *args: object, **kwargs: object) -> object:
        raise MemoryError("synthetic")

    monkeypatch.setattr(reader, "read_table", boom)
    before = _uploads()
    with pytest.raises(MemoryError):
        importing.read_upload("liste.csv", b"a;b\r\n")
    assert _uploads() == before


def test_a_plan_is_made_once_per_upload_and_data_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rerun of the import page (a click on a checkbox) does not check the file again;
    a write to the store does."""
    from dashboard.config import get_settings
    from dashboard.domain.roles import User
    from dashboard.services.context import load_boundaries
    from dashboard.services.workspace import Workspace

    ws = Workspace(
        Store(tmp_path / "s.gpkg", REPO / "datasets"),
        User("bernd", "district_editor"),
        load_boundaries(get_settings()),
    )
    calls = []
    real = importing.plan_import
    monkeypatch.setattr(importing, "plan_import", lambda *a, **k: calls.append(1) or real(*a, **k))
    upload = importing.read_upload(
        "l.csv",
        b"Name;Kategorie;Gemeinde;Stand;Quelle\r\nTest-Kita;Kita;Landstuhl;31.12.2024;T\r\n",
    )
    mapping = upload.proposed_mapping()
    first = upload.plan(ws, mapping, "", "")
    assert upload.plan(ws, dict(mapping), "", "") is first and len(calls) == 1
    assert upload.plan(ws, mapping, "Andere Quelle", "") is not first and len(calls) == 2
    ws.import_plan(upload.plan(ws, mapping, "", ""), skip_invalid=False, comment="t")
    upload.plan(ws, mapping, "", "")
    assert len(calls) == 4  # the store changed: checked again (duplicates, ids)


def test_a_too_large_upload_is_refused_before_it_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTEGRATIONSATLAS_IMPORT_MAX_MB", "1")
    made = []
    monkeypatch.setattr(reader.tempfile, "mkdtemp", lambda **k: made.append(k) or "/nowhere")
    with pytest.raises(importing.ReadError) as info:
        importing.read_upload("gross.csv", b"x" * (1024 * 1024 + 1))
    assert made == [] and info.value.text("en").startswith("gross.csv: the file is 1.1 MB")
