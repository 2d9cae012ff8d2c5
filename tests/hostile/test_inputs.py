"""The doors besides the offer import under attack: returned collection workbooks (dimension
bomb, entities in a sheet or in the styles, macros), the same files as indicator tables and
offer lists, and the command line's answer.

Each is refused within 5 s and 400 MB (measured in a fresh process, as
``tests/hostile/test_memory.py``), with one line naming the reason in the user's language,
no traceback, no server path, and nothing written (store on both backends).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.collection import CollectionLedger
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.services import collection, indicators
from dashboard.services.context import load_boundaries
from dashboard.services.importing import ReadError, read_upload
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.hostile import corpus_inputs as corpus

CLOCK = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

#: File -> (how to make it from a sent workbook, what the German answer says).
WORKBOOKS: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "bombe.xlsx": (corpus.collection_dimension_bomb, "erklärt den Bereich A1:XFD1048576"),
    "dtd.xlsx": (corpus.collection_dtd, "Dokumenttyp-Deklaration (DTD)"),
    "dtd-styles.xlsx": (corpus.collection_dtd_styles, "Dokumenttyp-Deklaration (DTD)"),
    "makro.xlsx": (corpus.collection_macro, "enthält Makros"),
    "makro-versteckt.xlsx": (corpus.macro_only_part, "enthält Makros"),
}
ENGLISH = {
    "bombe.xlsx": "declares the range A1:XFD1048576",
    "dtd.xlsx": "document type declaration",
    "dtd-styles.xlsx": "document type declaration",
    "makro.xlsx": "holds macros",
    "makro-versteckt.xlsx": "holds macros",
}


def _measure(path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.hostile.measure_inputs", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return json.loads(done.stdout)


@pytest.mark.parametrize("name", ["bombe.xlsx", "dtd.xlsx", "makro.xlsx"])
def test_returned_workbooks_are_refused_in_bounded_memory_and_time(
    name: str, tmp_path: Path
) -> None:
    make, said = WORKBOOKS[name]
    base = corpus.collection_workbook(tmp_path / "gesendet.xlsx")
    result = _measure(make(tmp_path / name, base))
    assert said in str(result["outcome"]), result
    assert float(result["peak_rss_mb"]) < 400, result  # the whole process, service loaded
    assert float(result["peak_rss_mb"]) - float(result["rss_before_mb"]) < 50, result
    assert float(result["seconds"]) < 5, result


@pytest.fixture
def store(store_location: Path | str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    if isinstance(store_location, Path):
        monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(store_location))
    else:
        monkeypatch.setenv("INTEGRATIONSATLAS_DATABASE_URL", store_location)
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    return Store(store_location, REPO / "datasets", clock=lambda: CLOCK)


def _state(store: Store) -> tuple[object, ...]:
    with store.db.connection() as conn:
        marks = conn.frame("SELECT * FROM list_marks").to_dict("records")
        proposals = conn.frame("SELECT id FROM proposals").to_dict("records")
    returns = CollectionLedger(store.db).returns()["id"].tolist()
    return store.facilities(), marks, proposals, returns, store.data_version()


def test_every_hostile_return_gets_one_line_and_writes_nothing(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = Workspace(store, User("kreis", "district_editor"), load_boundaries(get_settings()))
    _, sent = collection.workbook(ws, "073355009", "2026-11")
    base = tmp_path / "gesendet.xlsx"
    base.write_bytes(sent)
    assert collection.read_return(ws, sent, "gesendet.xlsx").send_id == 1  # the control case
    before = _state(store)
    for name, (make, said) in WORKBOOKS.items():
        path = make(tmp_path / name, base)
        data = path.read_bytes()
        with pytest.raises(collection.ReadError) as refused:
            collection.read_return(ws, data, name)
        assert said in str(refused.value) and ENGLISH[name] in refused.value.text("en")
        capsys.readouterr()
        assert main(["collect-read", str(path)]) == 2, name
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err and name in err, err
        assert "Traceback" not in err and str(tmp_path) not in err
        assert main(["collect-read", str(path), "--lang", "en"]) == 2
        assert ENGLISH[name] in capsys.readouterr().err
        # the same file at the other doors: an indicator table and an offer list (they read
        # the first sheet; the bomb in another sheet is not read at all there)
        if name == "bombe.xlsx":
            continue
        with pytest.raises(ReadError, match=said.split(" (")[0]):
            indicators.plan_indicator_file(ws, data, name)
        with pytest.raises(ReadError, match=said.split(" (")[0]):
            read_upload(name, data)
    assert _state(store) == before


def test_bidirectional_controls_never_reach_a_record(tmp_path: Path) -> None:
    """ "PONGEMAIL": an override in an imported name is removed, whatever door it comes
    through (an offer list here; every record is validated by the same model)."""
    from dashboard.data.importer import Defaults, match_columns, plan_import
    from dashboard.domain.model import IndicatorValue

    boundaries = load_boundaries(get_settings())
    path = corpus.bidi_offers_csv(tmp_path / "bidi.csv")
    upload = read_upload(path.name, path.read_bytes())
    raw = upload.raw
    plan = plan_import(raw, match_columns(list(raw.frame.columns)), boundaries.areas.geocoder, [],
                       Defaults("Testliste", "2024-12-31"))  # fmt: skip
    names = [r.facility.name for r in plan.valid if r.facility]
    sources = [r.facility.source for r in plan.valid if r.facility]
    assert names == ["Test-Kita LIAMEGNOP", "Test-Verein Eins"], plan.problems
    assert sources[0] == "Testliste"
    assert not any(ch in corpus.BIDI for text in names + sources for ch in text)
    value = IndicatorValue(area_level="gemeinde", area_key="07335001", area_name="A\u202eB",
                           indicator="x\u2066", value=1, unit="persons", reference_date="2023",
                           source="Q\u202a")  # fmt: skip
    assert (value.area_name, value.indicator, value.source) == ("AB", "x", "Q")
