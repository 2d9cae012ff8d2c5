"""Every file of the hostile corpus gets a clear answer and leaves the store unchanged.

The files go the way of an upload on the import page: ``read_upload`` (private temporary
folder, deleted before it returns), the column mapping, the plan against the store, and
the all-or-nothing import by a Kreis-Redaktion. A file is either refused as a whole with
a message naming the limit or the reason (in German and English, without a server path),
or its rows are reported with row, field and problem. The store's data version and its
records are compared before and after.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import tempfile
from pathlib import Path

import pytest

from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.i18n.message import Message
from dashboard.services.context import Boundaries, load_boundaries
from dashboard.services.importing import ImportRejected, ReadError, read_upload, report_csv
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.hostile import corpus

BERND = User("bernd", "district_editor")


@pytest.fixture(scope="module")
def boundaries() -> Boundaries:
    return load_boundaries(get_settings())


@pytest.fixture
def ws(tmp_path: Path, boundaries: Boundaries) -> Workspace:
    ticks = itertools.count()
    start = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)
    store = Store(
        tmp_path / "s.gpkg",
        REPO / "datasets",
        clock=lambda: start + dt.timedelta(minutes=next(ticks)),
    )
    return Workspace(store, BERND, boundaries)


def _snapshot(ws: Workspace) -> tuple[int, list[dict[str, object]]]:
    return ws.store.data_version(), [f.model_dump() for f in ws.store.facilities()]


@pytest.fixture(autouse=True)
def _own_tempdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploads spool into a temporary folder of this test alone: another process on the
    machine spooling its own upload at the same moment cannot pass for a leftover."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def _uploads_left() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob("integrationsatlas-upload-*"))


def _detail(exc: ReadError) -> Message:
    detail = exc.message.values["detail"]
    assert isinstance(detail, Message)
    return detail


@pytest.mark.parametrize("case", corpus.CASES, ids=[c.name for c in corpus.CASES])
def test_each_hostile_file_gets_a_clear_answer_and_the_store_stays(
    case: corpus.Case, tmp_path: Path, ws: Workspace
) -> None:
    path = case.make(tmp_path / case.name)
    before = _snapshot(ws)
    left_before = set(_uploads_left())
    if case.refused:
        with pytest.raises(ReadError) as info:
            read_upload(case.name, path.read_bytes())
        exc = info.value
        assert _detail(exc).key == case.refused, exc
        german, english = exc.text("de"), exc.text("en")
        assert german == str(exc) and german.startswith(case.name + ": ")
        assert english.startswith(case.name + ": ") and english != german
        for text in (german, english):
            assert "/" not in text.split(": ", 1)[0]  # the file as uploaded, no folder
            assert tempfile.gettempdir() not in text and "integrationsatlas-upload" not in text
            assert "root:" not in text  # nothing of a local file read through an entity
    else:
        upload = read_upload(case.name, path.read_bytes())
        plan = upload.plan(ws, upload.proposed_mapping(), "", "")
        found = {(p.row, p.field, p.message.key) for p in plan.problems}
        for expected in case.problems:
            assert expected in found, (expected, sorted(found))
        assert plan.count("invalid") >= len({row for row, _, _ in case.problems})
        with pytest.raises(ImportRejected) as rejected:
            ws.import_plan(plan, skip_invalid=False, comment="Korpus")
        assert "nichts importiert" in str(rejected.value)
        assert "nothing imported" in rejected.value.text("en")
        # the report CSV as downloaded: every value that a spreadsheet would run is quoted
        for row in csv.reader(
            io.StringIO(report_csv(plan, "en").decode("utf-8-sig")), delimiter=";"
        ):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), cell
    assert _snapshot(ws) == before
    assert set(_uploads_left()) == left_before  # the upload's folder is gone


def test_the_generated_workbook_is_a_real_workbook(tmp_path: Path, ws: Workspace) -> None:
    """The control case: the corpus writer makes files that import, so the refusals above
    come from the limits, not from a broken generator."""
    path = corpus.good_xlsx(tmp_path / "gut.xlsx")
    upload = read_upload("gut.xlsx", path.read_bytes())
    plan = upload.plan(ws, upload.proposed_mapping(), "", "")
    assert plan.count("add") == 2, plan.problems
    assert upload.info_text("en") == "sheet: Einrichtungen"


def test_payloads_come_back_as_text_and_the_report_is_formula_safe(
    tmp_path: Path, ws: Workspace
) -> None:
    path = corpus.payload_csv(tmp_path / "payloads.csv")
    upload = read_upload("payloads.csv", path.read_bytes())
    plan = upload.plan(ws, upload.proposed_mapping(), "", "")
    values = {p.row: p.value for p in plan.problems if p.field == "category"}
    assert values == {"Zeile 2": corpus.FORMULA, "Zeile 3": corpus.MARKDOWN, "Zeile 4": corpus.HTML}
    rows = list(csv.reader(io.StringIO(report_csv(plan).decode("utf-8-sig")), delimiter=";"))
    assert ["Zeile 2", "category"] == rows[1][:2] and rows[1][3] == "'" + corpus.FORMULA


def test_utf16_is_read_as_utf16(tmp_path: Path, ws: Workspace) -> None:
    upload = read_upload("u.csv", corpus.utf16_csv(tmp_path / "u.csv").read_bytes())
    assert upload.raw.info["encoding"] == "UTF-16 (BOM)"
    assert list(upload.raw.frame["Name"]) == ["Test-Kita Ärztehaus Süd", "Test-Zirkus Öde"]
    plan = upload.plan(ws, upload.proposed_mapping(), "", "")
    assert plan.count("add") == 1 and plan.count("invalid") == 1


def test_an_overlong_cell_in_an_ignored_column_does_not_count(
    tmp_path: Path, ws: Workspace
) -> None:
    path = tmp_path / "extra.csv"
    path.write_text(
        "Name;Kategorie;Gemeinde;Stand;Quelle;Intern\r\n"
        "Test-Kita Gut;Kita;Landstuhl;31.12.2024;T;" + "x" * 20_000 + "\r\n",
        encoding="utf-8",
    )
    upload = read_upload("extra.csv", path.read_bytes())
    mapping = upload.proposed_mapping()
    assert mapping["Intern"] == ""
    plan = upload.plan(ws, mapping, "", "")
    assert plan.count("add") == 1, plan.problems
    plan = upload.plan(ws, {**mapping, "Intern": "note"}, "", "")
    assert [(p.field, p.message.key) for p in plan.problems] == [("note", "imp.prob.cell_too_long")]
    assert plan.problems[0].value.endswith("…") and len(plan.problems[0].value) == 201


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [
        ("utf-8", "UTF-8"),
        ("utf-8-sig", "UTF-8 (BOM)"),
        ("utf-16", "UTF-16 (BOM)"),
        ("utf-16-le", "UTF-16 (ohne BOM)"),
        ("cp1252", "Windows-1252"),
    ],
)
def test_every_encoding_gives_the_same_rows(tmp_path: Path, encoding: str, shown: str) -> None:
    text = "Name;Ort\r\nTest-Kita Größenwahn;Bruchmühlbach-Miesau\r\nTest „Café“ – €;Ramstein\r\n"
    path = tmp_path / "liste.csv"
    path.write_bytes(text.encode(encoding))
    upload = read_upload("liste.csv", path.read_bytes())
    assert upload.raw.info["encoding"] == shown
    assert list(upload.raw.frame["Name"]) == ["Test-Kita Größenwahn", "Test „Café“ – €"]


def test_a_100000_character_name_is_refused_in_the_edit_form(ws: Workspace) -> None:
    from dashboard.data.importer.edits import InvalidEdit, facility_from_values

    base = ws.store.facilities()[0]
    with pytest.raises(InvalidEdit) as info:
        facility_from_values({"name": "N" * 100_000}, ws.areas.geocoder, base)
    (problem,) = info.value.problems
    assert problem.field == "name" and problem.message.key == "imp.prob.too_long"
    assert problem.problem_text("en") == "100,000 characters; at most 200 are allowed"
    assert len(problem.value) == 201  # shortened for the report
    assert info.value.text("en").startswith("Not saved: name: 100,000 characters")
