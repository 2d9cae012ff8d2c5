"""Accessible PDFs (PDF/UA-1): every PDF kind the atlas writes is checked by a PDF/UA-1
validator (``page-validation``, a maintained checker that passes the veraPDF corpus), and
pypdf finds the structure tree, the document language and the map's alternative text.

The checker is shown to catch an untagged PDF (a plain one, as matplotlib or reportlab write
them; the atlas's writers use Typst's PDF/UA-1 mode: docs/accessibility.md, "Accessible
PDFs").
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import page
import pytest
from matplotlib.figure import Figure
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from dashboard.cli.reports import cli_map
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace

WEILERBACH = "073355009"


def ua_failures(data: bytes) -> list[str]:
    """The PDF/UA-1 rules a PDF breaks (empty: it conforms)."""
    report = page.validate_pdf_bytes(data, profile="ua1")
    return sorted({f.rule_id for f in report.failures})


def structure(data: bytes) -> tuple[bool, str | None, list[str]]:
    """Whether the PDF has a structure tree, its language, and the alternative texts of its
    figures (``/Figure`` elements with ``/Alt``)."""
    reader = PdfReader(io.BytesIO(data))
    root: Any = reader.trailer["/Root"]
    alts: list[str] = []

    def walk(node: Any, depth: int = 0) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if depth > 60:
            return
        if isinstance(node, DictionaryObject):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"], depth + 1)
        elif isinstance(node, ArrayObject):
            for child in node:
                walk(child, depth + 1)

    tree = root.get("/StructTreeRoot")
    if tree is not None:
        walk(tree)
    lang = root.get("/Lang")
    return tree is not None, (str(lang) if lang is not None else None), alts


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> RoleView:
    """The public's view of a fresh store of the shipped data."""
    from dashboard.config import get_settings
    from dashboard.data.store import Store
    from dashboard.services.context import load_boundaries
    from tests.conftest import REPO

    store = Store(tmp_path_factory.mktemp("store") / "s.gpkg", REPO / "datasets")
    return Workspace(store, None, load_boundaries(get_settings())).view()


@pytest.fixture(scope="module")
def pdfs(view: RoleView, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """One PDF of each kind: the printable map, a VG's Steckbrief, the handout."""
    folder = tmp_path_factory.mktemp("pdfs")
    vintage = view.config.current_vintage
    out = cli_map(view, "refugees_ukraine", "vg", "pdf", "A4", "landscape", folder / "m.pdf")
    yield {
        "map": Path(out).read_bytes(),
        "steckbrief": outputs.steckbrief_pdf(view, WEILERBACH, vintage, "de"),
        "handout": outputs.handout_pdf(view, vintage, "de"),
    }


def test_the_checker_catches_an_untagged_pdf() -> None:
    buffer = io.BytesIO()
    sheet = Figure(figsize=(8.27, 11.69))
    sheet.text(0.1, 0.9, "Steckbrief Weilerbach")
    sheet.savefig(buffer, format="pdf")
    failures = ua_failures(buffer.getvalue())
    for rule in ("PDFUA1-TAGGED-DOCUMENT-001", "PDFUA1-TEXT-LANGUAGE-001"):
        assert rule in failures, failures
    assert structure(buffer.getvalue()) == (False, None, [])


@pytest.mark.parametrize("kind", ["map", "steckbrief", "handout"])
def test_each_pdf_kind_conforms_to_pdf_ua(pdfs: dict[str, bytes], kind: str) -> None:
    assert ua_failures(pdfs[kind]) == []


def test_the_sachstandsbericht_conforms_to_pdf_ua(tmp_path: Path) -> None:
    import datetime as dt

    from dashboard.config import get_settings
    from dashboard.data.store import Store
    from dashboard.services.context import load_boundaries
    from dashboard.services.projects import project_desk
    from tests.conftest import REPO

    store = Store(tmp_path / "s.gpkg", REPO / "datasets")
    desk = project_desk(Workspace(store, None, load_boundaries(get_settings())))
    data = desk.sachstand(dt.date(2026, 12, 1), dt.date(2013, 1, 1), "de")
    assert "Sachstandsbericht" in "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(data)).pages
    )
    assert ua_failures(data) == []
    tagged, lang, _ = structure(data)
    assert tagged and lang == "de"


@pytest.mark.parametrize("kind", ["map", "steckbrief", "handout"])
def test_each_pdf_kind_has_structure_language_and_the_maps_text(
    pdfs: dict[str, bytes], kind: str
) -> None:
    tagged, lang, alts = structure(pdfs[kind])
    assert tagged and lang == "de"
    assert alts and all(alt.startswith("Karte") and len(alt) > 40 for alt in alts), alts


def test_an_english_pdf_says_so_and_describes_its_map_in_english(view: RoleView) -> None:
    data = outputs.steckbrief_pdf(view, WEILERBACH, view.config.current_vintage, "en")
    tagged, lang, alts = structure(data)
    assert tagged and lang == "en"
    assert alts and all(alt.startswith("Map: ") and "Weilerbach" in alt for alt in alts), alts
    assert ua_failures(data) == []
