"""The PDF/UA writer (:mod:`dashboard.render.tagged_pdf`): a document with a heading, text,
a map image with its alternative text and a table with header cells conforms to PDF/UA-1
(the validator of :mod:`tests.unit.test_pdf_accessible`), pypdf finds structure tree,
language, title and the map's text; texts from the data stay text; no figure without its
alternative text."""

from __future__ import annotations

import io

import matplotlib
import pytest
from pypdf import PdfReader

from dashboard.render.tagged_pdf import Document, Figure, Heading, Paragraph, Table, write_pdf
from tests.unit.test_pdf_accessible import structure, ua_failures

matplotlib.use("Agg")

ALT = (
    "Karte der Verbandsgemeinde Weilerbach: Anteil der Einwohner mit einem Sprachkurs im "
    "Umkreis von 5 km in drei Klassen."
)


def _map_png() -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.fill([0, 1, 1, 0], [0, 0, 1, 1], color="#2c7fb8")
    ax.set_axis_off()
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=60)
    plt.close(fig)
    return out.getvalue()


def _doc(*extra: object, alt: str = ALT) -> Document:
    blocks = (
        Heading("Steckbrief Verbandsgemeinde Weilerbach"),
        Paragraph("Angebote und Bedarf, Stand 01.12.2026."),
        Figure(_map_png(), alt, caption="Karte"),
        Table(("Gemeinde", "Einwohner"), (("Weilerbach", "4.800"), ("Rodenbach", "3.161"))),
        Paragraph("Quelle: Landkreis Kaiserslautern", small=True),
        *extra,
    )
    return Document("Steckbrief Weilerbach", "de", "Landkreis Kaiserslautern", blocks)  # type: ignore[arg-type]


def test_a_document_with_map_and_table_conforms_to_pdf_ua() -> None:
    data = write_pdf(_doc())
    assert ua_failures(data) == []
    tagged, lang, alts = structure(data)
    assert tagged and lang == "de" and alts == [ALT]
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None and reader.metadata.title == "Steckbrief Weilerbach"
    text = reader.pages[0].extract_text()
    for expected in ("Steckbrief Verbandsgemeinde Weilerbach", "Gemeinde", "Rodenbach", "3.161"):
        assert expected in text


def test_texts_from_the_data_stay_text() -> None:
    hostile = '"] #import "x": * \\ ] #{panic("no")} $x$ <a> @ref \x00\x07'
    data = write_pdf(_doc(Paragraph(hostile), Table(("A",), ((hostile,),))))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "#import" in text and 'panic("no")' in text
    assert ua_failures(data) == []


def test_no_figure_without_its_alternative_text() -> None:
    with pytest.raises(ValueError, match="alternative text"):
        write_pdf(_doc(alt="  "))


def test_a_name_with_a_hyphen_stays_whole_where_it_fits() -> None:
    name = "Grundschule Weilerbach E2E-Korrektur"
    doc = Document(
        "T", "de", "A", (Table(("Name", "Gemeinde"), ((name, "Reichenbach-Steegen"),), (42, 14)),)
    )
    text = " ".join(PdfReader(io.BytesIO(write_pdf(doc))).pages[0].extract_text().split())
    assert name in text  # broken at the space, not after "E2E-"
    assert "Reichenbach- Steegen" in text  # too wide for its column: it still breaks
