"""The words of the data folders' MANIFESTs in the page's language."""

from __future__ import annotations

import json

import pytest

from dashboard.render.manifest_text import known, manifest_words
from dashboard.render.provenance import manifest_table
from tests.conftest import REPO
from tests.languages import data_values, foreign_words

FIELDS = ("title", "source", "licence", "reference_date")


@pytest.mark.parametrize("folder", ["datasets", "geodata"])
def test_every_text_the_builds_wrote_is_known(folder: str) -> None:
    manifest = json.loads((REPO / folder / "MANIFEST.json").read_text(encoding="utf-8"))
    for name, entry in manifest["outputs"].items():
        for field in FIELDS:
            text = str(entry.get(field, ""))
            assert known(text) or text in data_values(), (name, field, text)


def test_words_per_language() -> None:
    assert manifest_words("Verbandsgemeinden, Gebietsstand 2014", "en") == (
        "Verbandsgemeinden, boundary vintage 2014"
    )
    assert manifest_words("2016 (newest WSK in the input: 2016/01/01)", "de") == (
        "2016 (neuester Wirksamkeitsstand der Grenzdaten: 01.01.2016)"
    )
    assert manifest_words("2019-07-01", "de") == "01.07.2019"
    assert manifest_words("-", "en") == "–"
    assert manifest_words("Eine Datei von Hand", "en") == "Eine Datei von Hand"  # as written


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("folder", ["datasets", "geodata"])
def test_table_in_one_language_without_file_names(folder: str, lang: str) -> None:
    table = manifest_table(REPO / folder, lang)
    texts = [str(c) for c in table.columns] + [str(v) for v in table.to_numpy().ravel()]
    assert len(table) >= 6
    assert not foreign_words(texts, lang)
    assert not any(t.endswith((".csv", ".geojson")) or "/" in t.split(" ")[0] for t in texts)
