"""A writer holding the store's lock (a large import, 20 s) never gives a reader an error page;
a second writer waits, then gets one plain message; on both backends."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.i18n.catalogue import t
from dashboard.services import app as service_app
from dashboard.services.workspace import StoreBusy
from tests.conftest import REPO

APP = str(REPO / "app.py")
RECORD = "ref-821a16defc"  # Grundschule Weilerbach
#: Holds one write transaction, as a large import does (several MB written, more than the
#: page cache holds), for at least 20 s and until told.
HOLDER = r"""
import sys, time
from dashboard.data.db import open_database

db = open_database(sys.argv[1], timeout=5)
with db.transaction() as conn:
    conn.execute("UPDATE facilities SET note = 'Import läuft' WHERE id = ?", (sys.argv[2],))
    conn.executemany(
        "INSERT INTO history (at, author, table_name, record_id, action, comment)"
        " VALUES ('2025-01-01', 'import', 'facilities', ?, 'add', ?)",
        [(f"import-{i}", "x" * 2000) for i in range(4000)],
    )
    start = time.monotonic()
    print("locked", flush=True)
    sys.stdin.readline()  # the test has read and tried to write
    rest = 20 - (time.monotonic() - start)
    if rest > 0:
        time.sleep(rest)  # hold the lock for 20 s at least
    print(f"held {time.monotonic() - start:.1f}", flush=True)
"""


@pytest.fixture
def app_store(store_location: Path | str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """The app's store on this test's backend; a writer gives up after 2 s."""
    if isinstance(store_location, str):
        monkeypatch.setenv("INTEGRATIONSATLAS_DATABASE_URL", store_location)
    else:
        monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(store_location))
    monkeypatch.setenv("INTEGRATIONSATLAS_LOCK_TIMEOUT", "2")
    service_app._store.cache_clear()
    yield Store(store_location, REPO / "datasets")
    service_app._store.cache_clear()


def _page(page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def _no_error_page(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert not at.warning, [w.value for w in at.warning]


def test_a_writer_holding_the_lock_never_breaks_a_reader(app_store: Store) -> None:
    location = app_store.db.url if app_store.path is None else str(app_store.path)  # type: ignore[attr-defined]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, location, RECORD],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"

        # readers: the public map and the inventory, each a new session
        atlas = _page()
        _no_error_page(atlas)
        assert "28 von 29 Angeboten auf der Karte" in atlas.markdown[0].value  # in its live region
        assert len(atlas.table[0].value) == 6
        inventory = _page("app_pages/bestand.py")
        _no_error_page(inventory)
        assert inventory.dataframe and len(inventory.dataframe[0].value) == 29

        # a writer meanwhile: waits for the lock, then one plain message; nothing written
        from dashboard.services.app import workspace_for

        ws = workspace_for(User("bernd", "district_editor"), get_settings())
        current = ws.store.facility(RECORD)
        assert current is not None and current.note != "Import läuft"  # never half a write
        with pytest.raises(StoreBusy) as busy:
            ws.apply_change(current.model_copy(update={"operator": "Neu"}), current.version)
        assert str(busy.value) == t("store.busy", "de") and "\n" not in str(busy.value)

        assert holder.poll() is None  # all of the above happened while the lock was held
    finally:
        if holder.poll() is None:
            holder.stdin.write("\n")  # type: ignore[union-attr]
            holder.stdin.flush()  # type: ignore[union-attr]
        out, _ = holder.communicate(timeout=120)
    held = float(out.strip().split()[-1])
    assert holder.returncode == 0 and held >= 20

    # the import committed: the next run shows it, the waiting writer's change is not there
    after = app_store.facility(RECORD)
    assert after is not None and after.note == "Import läuft"
    assert after.operator == current.operator and after.version == current.version
    atlas.run()
    _no_error_page(atlas)


def test_a_busy_store_gives_a_message_in_the_users_language() -> None:
    def page() -> None:
        from dashboard.services.workspace import StoreBusy
        from dashboard.ui.errors import guarded

        with guarded("en"):
            raise StoreBusy("database is locked")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("store.busy", "en")]
    assert "locked" not in at.warning[0].value and "Traceback" not in at.warning[0].value
