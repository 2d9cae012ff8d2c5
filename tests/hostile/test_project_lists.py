"""A hostile project list gets a clear answer and leaves the store unchanged: the project
import reads uploads with the same bounded readers as the offers' import (size, rows,
columns, cells; XLSX checked part by part), and a list's text payloads stay text."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.importing import ReadError
from dashboard.services.projects import project_desk
from dashboard.services.workspace import StoreError, Workspace
from tests.conftest import REPO
from tests.hostile import corpus

BERND = User("bernd", "district_editor")


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture
def store(tmp_path: Path) -> Store:
    ticks = itertools.count()
    start = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    return Store(
        tmp_path / "store.gpkg", REPO / "datasets",
        clock=lambda: start + dt.timedelta(minutes=next(ticks)),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (corpus.dimension_bomb, "A1:XFD1048576"),
        (corpus.giant_cell, "Zeichen"),
        (corpus.xlsx_doctype, "(DTD)"),
        (corpus.wide_row, "Spalte"),
    ],
)
def test_hostile_workbook_is_refused_and_nothing_written(
    make: Callable[[Path], Path], says: str, store: Store, boundaries: Boundaries, tmp_path: Path
) -> None:
    desk = project_desk(Workspace(store, BERND, boundaries))
    path = make(tmp_path / "liste.xlsx")
    version, before = store.data_version(), [p.model_dump() for p in store.projects()]
    with pytest.raises(ReadError) as refused:
        desk.plan_upload("liste.xlsx", path.read_bytes())
    assert says in str(refused.value) and str(tmp_path) not in str(refused.value)
    assert store.data_version() == version and [p.model_dump() for p in store.projects()] == before


def test_payloads_stay_text_and_bad_rows_write_nothing(
    store: Store, boundaries: Boundaries, tmp_path: Path
) -> None:
    desk = project_desk(Workspace(store, BERND, boundaries))
    rows = [
        "Titel;Status;Quelle;Stand;Hinweis",
        '=HYPERLINK("http://127.0.0.1:9/x");laufend;Liste;2025;![x](http://127.0.0.1:9/x)',
        "<script>alert(1)</script>;laufend;Liste;2025;ok",
        "Zu lang " + "x" * 400 + ";laufend;Liste;2025;",
    ]
    data = "\n".join(rows).encode("utf-8")
    version = store.data_version()
    plan = desk.plan_upload("liste.csv", data)
    assert [p.field for p in plan.problems] == ["title"]  # the 400-character title
    with pytest.raises(StoreError):
        desk.import_list(plan, skip_invalid=False)
    assert store.data_version() == version
    assert desk.import_list(plan, skip_invalid=True) == 2
    titles = {r.title for r in desk.records()}
    assert '=HYPERLINK("http://127.0.0.1:9/x")' in titles  # kept as text, never run
    assert "<script>alert(1)</script>" in titles
    listed = desk.list_file("de", "csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in listed  # formula-safe in the written list
