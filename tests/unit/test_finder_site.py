"""The finder as a static site: made from the public view only, complete, offline-ready."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.cli.main import main
from dashboard.data.store import Change, Store
from dashboard.render.finder.payload import build_payload
from dashboard.services import finder
from dashboard.services.app import workspace_for
from tests.finder_support import CLOSED, COURSES, SECRET, synthetic_offers, synthetic_store


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, object]:
    settings = synthetic_store(tmp_path / "store.gpkg")
    info = finder.publish(tmp_path / "site", settings)
    return tmp_path / "site", info


def _data(folder: Path) -> dict:
    """The data file the current page loads."""
    name = re.search(r'data-data="([^"]+)"', (folder / "index.html").read_text("utf-8"))
    assert name
    return json.loads((folder / name.group(1)).read_text("utf-8"))


def test_site_files_are_complete_and_local(site: tuple[Path, object]) -> None:
    folder, info = site
    page = (folder / "index.html").read_text("utf-8")
    refs = re.findall(r'(?:src|href|data-data|data-messages)="([^"]+)"', page)
    assert len(refs) >= 5
    for ref in (r for r in refs if not r.startswith("#")):
        assert "//" not in ref and not ref.startswith("/"), ref  # relative: no host, any path
        assert (folder / ref).is_file(), ref
    assert "Content-Security-Policy" in page and "default-src 'self'" in page
    worker = (folder / "sw.js").read_text("utf-8")
    listed = json.loads(re.search(r"var FILES = (\[.*?\]);", worker).group(1))
    assert set(listed) == set(info.files) - {"sw.js"}  # everything the page needs, cached
    for name in listed:
        assert (folder / name).is_file()
    for name in info.files:  # no library or font from elsewhere
        text = (folder / name).read_text("utf-8")
        assert not re.search(r"(?:src|href)\s*=\s*[\"']https?://", text), name
        assert "cdn" not in text.casefold().replace("cdnjs", "cdn"), name
    assert info.total_bytes < 300_000
    described = finder.read_build(folder)
    assert described and described["build"] == info.build and described["offers"] > 20


def test_data_is_public_only(site: tuple[Path, object]) -> None:
    folder, info = site
    everything = "".join((folder / n).read_text("utf-8") for n in info.files)
    assert SECRET not in everything and "geheim@example.org" not in everything
    assert CLOSED not in everything
    assert "Unterkunft" not in everything  # not as a category, a label or a filter option
    assert "Tigrinya" not in json.dumps(_data(folder)["offers"])  # the secret's language
    data = _data(folder)
    names = {o["n"] for o in data["offers"]}
    assert set(COURSES) <= names
    public = workspace_for(None).view().active()  # the shipped offers, all public
    assert set(public["name"]) <= names
    for offer in data["offers"]:  # only the public fields, no note, id or capacity
        assert set(offer) <= {"n", "c", "d", "p", "e", "N", "w", "g", "a", "z", "o", "op", "k",
                              "l", "lx", "t", "tx", "v", "r", "s"}  # fmt: skip
    course_a = next(o for o in data["offers"] if o["n"] == "Synthetischer Deutschkurs A")
    assert course_a["l"] == ["ar", "de"] and course_a["t"] == ["frauen", "eltern"]
    assert course_a["v"] == "2025-10-01" and course_a["p"] == "address" and "w" in course_a
    approx = next(o for o in data["offers"] if o["n"].startswith("Jugendbüro Ramstein"))
    assert approx["p"] == "gemeinde" and "w" not in approx  # no map-app link for a guess
    unknown = next(o for o in data["offers"] if o["n"].startswith("Migrationsberatung"))
    assert "e" not in unknown  # no place: listed apart, never with a distance


def test_payload_refuses_sensitive_or_closed_records() -> None:
    frame = pd.DataFrame([f.model_dump() for f in synthetic_offers()])
    frame["located_ags"] = ""
    with pytest.raises(ValueError, match="sensitive"):
        build_payload(frame, frame["last_verified"], [], [], {}, district="x", version=1,
                      generated=pd.Timestamp("2025-01-01").date(), attribution=[])  # fmt: skip
    open_only = frame[frame["category"] != "Unterkunft"]
    with pytest.raises(ValueError, match="active"):
        build_payload(open_only, open_only["last_verified"], [], [], {}, district="x", version=1,
                      generated=pd.Timestamp("2025-01-01").date(), attribution=[])  # fmt: skip


def test_places_gemeinden_city_and_postcodes(site: tuple[Path, object]) -> None:
    data = _data(site[0])
    names = [g[1] for g in data["gemeinden"]]
    assert len(names) == 51 and "Landstuhl" in names and "Kaiserslautern" in names
    codes = {p[0]: p for p in data["postcodes"]}
    assert "66849" in codes and data["gemeinden"][codes["66849"][3]][1] == "Landstuhl"
    assert all(len(code) == 5 for code in codes)
    assert data["map"]["outline"].startswith("M") and len(data["map"]["gemeinden"]) > 5000


def test_rebuilt_when_the_data_changes(tmp_path: Path) -> None:
    settings = synthetic_store(tmp_path / "store.gpkg")
    folder = tmp_path / "static" / "finder"
    first = finder.keep_current(folder, settings)
    assert first is not None and finder.is_current(folder, settings)
    assert finder.keep_current(folder, settings) is None  # nothing changed: nothing written
    store = Store(settings.store_path, settings.datasets_dir)
    new = synthetic_offers()[0].model_copy(
        update={"id": "syn-new", "name": "Synthetischer Neukurs"}
    )
    store.apply([Change(new)], "test")
    assert not finder.is_current(folder, settings)
    second = finder.keep_current(folder, settings)
    assert second is not None and second.build != first.build
    assert "Synthetischer Neukurs" in json.dumps(_data(folder), ensure_ascii=False)
    kept = {p.name for p in folder.glob("data.*.json")}
    assert len(kept) == 2  # this build's data and the previous one (for an open page)
    store.apply([Change(new.model_copy(update={"id": "syn-new2", "name": "Synthetisch 3"}))], "t")
    finder.keep_current(folder, settings)
    assert len(list(folder.glob("data.*.json"))) == 2 and not kept <= {
        p.name for p in folder.glob("data.*.json")
    }


def test_command_line_writes_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["finder", "--out", str(tmp_path / "out")]) == 0
    assert "Angebotsfinder" in capsys.readouterr().out
    assert (tmp_path / "out" / "index.html").is_file() and (tmp_path / "out" / "sw.js").is_file()


def test_servers_on_other_stores_do_not_rebuild_in_turn(tmp_path: Path) -> None:
    a = synthetic_store(tmp_path / "a.gpkg")
    b = synthetic_store(tmp_path / "b.gpkg")
    folder = tmp_path / "static" / "finder"
    assert finder.keep_current(folder, a) is not None
    assert finder.keep_current(folder, b) is not None  # the other store's first build
    assert finder.keep_current(folder, a) is None  # nothing changed for a: no rebuild
    assert finder.keep_current(folder, b) is None
