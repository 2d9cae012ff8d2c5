"""What a printed page and a projector show (issue 23, print and projector): headers
that do not break a word, whole persons in class bounds, one date where a range has one,
a title said once, sources in the reader's language, the furniture clear of the names,
file names with VG and date. Read from the files themselves (pypdf) where they are files.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from pypdf import PdfReader

from dashboard.domain.viewstate import ViewState
from dashboard.render.print.furniture import FURNITURE
from dashboard.render.print.screen import SCREEN_DPI, SCREEN_FONT, SCREEN_MM
from dashboard.render.print.static_map import map_figure
from dashboard.render.source_text import source_words
from dashboard.services import outputs
from dashboard.services.filenames import output_name, slug
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace

VINTAGE = 2019
WEILERBACH = "073355009"
#: English words the project wrote into its source citations (never in a German print).
ENGLISH = re.compile(
    r"\b(mirror|article|figures reported by|result as reported by|portrait of|reports|"
    r"self-description|parliamentary question|council paper|venue|page|via|and|infobox)\b"
)


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> RoleView:
    """The public's view of a fresh store of the shipped data."""
    from dashboard.config import get_settings
    from dashboard.data.store import Store
    from dashboard.services.context import load_boundaries
    from tests.conftest import REPO

    store = Store(tmp_path_factory.mktemp("store") / "s.gpkg", REPO / "datasets")
    return Workspace(store, None, load_boundaries(get_settings())).view()


def _text(data: bytes) -> str:
    assert data[:4] == b"%PDF"
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 0
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() or "" for p in pages))


@pytest.fixture(scope="module")
def steckbrief(view: RoleView) -> dict[str, str]:
    return {
        lang: _text(outputs.steckbrief_pdf(view, WEILERBACH, VINTAGE, lang))
        for lang in ("de", "en")
    }


def test_table_headers_keep_their_words(steckbrief: dict[str, str]) -> None:
    """The supply gaps' "Angebote" header fits its column (it printed as "Angebot e")."""
    de = steckbrief["de"]
    assert "Versorgungslücken" in de
    gaps = de[de.index("Versorgungslücken") :]
    assert "Kategorie Angebote je 1.000" in gaps, gaps[:600]
    assert not re.search(r"Angebot e\b", de)
    en = steckbrief["en"]
    assert not re.search(r"\bOffer s\b", en)


def test_no_english_source_words_in_german_print(
    view: RoleView, steckbrief: dict[str, str]
) -> None:
    de = steckbrief["de"]
    assert "Wikipedia (de)" in de and "Städtebund" in de
    assert not ENGLISH.search(de), ENGLISH.search(de)
    assert "Porträt der VG Weilerbach (2012)" in de
    # the names stay as written; English keeps the project's English words
    assert "portrait of VG Weilerbach (2012)" in steckbrief["en"]
    state = ViewState(lang="de", vintage=VINTAGE, vg=WEILERBACH, indicator="refugees_ukraine")
    pdf = outputs.map_file(view, state, dt.date(2026, 12, 7), paper="A4",
                           orientation="landscape", fmt="pdf")  # fmt: skip
    text = _text(pdf)
    assert "Zahlen laut Die Rheinpfalz, Artikel arid 5444677 (Dezember 2022)" in text
    assert not ENGLISH.search(text), ENGLISH.search(text)


def test_source_words_translate_only_the_projects_words() -> None:
    source = "Kreisverwaltung Kaiserslautern figures reported by Die Rheinpfalz, article arid 5444677 (December 2022)"
    assert source_words(source, "de") == (
        "Kreisverwaltung Kaiserslautern – Zahlen laut Die Rheinpfalz, Artikel arid 5444677 (Dezember 2022)"
    )
    assert source_words(source, "en") == source
    assert source_words("Wikipedia (de), Verbandsgemeinde Weilerbach, Stand 31.12.2018", "en") == (
        "Wikipedia (de), Verbandsgemeinde Weilerbach, as of 2018-12-31"  # the English date
    )
    # a day is written as the reader's language writes dates; what is no date stays
    assert source_words("Einwohner am 30.05.2018; npm x@3.0.0; 31.02.2018", "en") == (
        "population on 2018-05-30; npm x@3.0.0; 31.02.2018"
    )
    assert source_words("Stand 2021-12-31", "de") == "Stand 31.12.2021"
    assert source_words("", "de") == "" and source_words(None, "de") == ""


def test_map_title_is_not_repeated_as_subtitle(view: RoleView) -> None:
    """The presentation's printable map takes the view's title; the subtitle then says
    only the vintage (and no shading the title already names)."""
    slide = outputs.slide(view, f"vg:{WEILERBACH}", "de")
    state = ViewState(lang="de", vintage=VINTAGE, vg=WEILERBACH)
    text = _text(outputs.map_file(view, state, dt.date(2026, 12, 7), paper="A4",
                                  orientation="landscape", fmt="pdf", title=slide.title))  # fmt: skip
    assert slide.title == "Verbandsgemeinde Weilerbach (073355009)"
    assert text.count("Verbandsgemeinde Weilerbach (073355009)") == 1, text[:400]
    assert "Gebietsstand 2019 (seit 01.07.2019)" in text


def test_slide_classes_are_whole_persons_and_one_date_once(view: RoleView) -> None:
    state = ViewState(lang="de", vintage=VINTAGE, indicator="population")
    _png, legend, alt = outputs.slide_image(view, state, dt.date(2026, 12, 7))
    rows = re.findall(r"<span>([^<]*)</span></div>", legend)
    classes = [r for r in rows if re.fullmatch(r"[\d.]+ – [\d.]+", r)]
    assert len(classes) >= 3, rows  # person counts: whole numbers, no "15.550,8"
    assert not re.search(r"\d,\d", " ".join(classes) + alt), classes
    for code in ("overview", f"vg:{WEILERBACH}", "hf:sprache"):
        footer = outputs.slide(view, code, "de").footer
        for a, b in re.findall(r"Stand (\S+) bis (\S+)", footer):
            assert a != b, footer  # "Stand 08.2024 bis 08.2024": one date, once
    footer = outputs.slide(view, "overview", "de").footer
    assert "Stand" in footer


def _covered_names(fig: object) -> list[str]:
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[arg-type]
    boxes = [a.get_window_extent(renderer) for a in fig.artists if a.get_gid() == FURNITURE]  # type: ignore[attr-defined]
    assert boxes, "the scale bar and north arrow are drawn"
    texts = fig.axes[0].texts  # type: ignore[attr-defined]
    assert texts, "names are drawn"
    return [t.get_text() for t in texts for b in boxes if t.get_window_extent(renderer).overlaps(b)]


def test_scale_bar_and_north_arrow_leave_names_clear(view: RoleView) -> None:
    """On the projector's map of each VG (where Landstuhl, Hütschenhausen, Otterbach-
    Otterberg sat under the scale bar), no name lies under the furniture."""
    for vg in ["", *sorted(view.vg_names(VINTAGE))]:
        state = ViewState(lang="de", vintage=VINTAGE, vg=vg, indicator="population")
        fig = map_figure(
            view.district, VINTAGE, None, view.choropleth(state), size_mm=SCREEN_MM, title="",
            subtitle="", lang="de", selected_vg=vg, show_gemeinden=True, show_city=True,
            with_footer=False, dpi=SCREEN_DPI, legend=False, font_scale=SCREEN_FONT,
        )  # fmt: skip
        assert _covered_names(fig) == [], vg


def test_file_names_carry_area_and_day() -> None:
    day = dt.date(2026, 12, 7)
    assert (
        output_name("steckbrief", "pdf", day, "Weilerbach")
        == "steckbrief-weilerbach-2026-12-07.pdf"
    )
    assert output_name("integrationsatlas-karte", "png", day, "Bruchmühlbach-Miesau") == (
        "integrationsatlas-karte-bruchmuehlbach-miesau-2026-12-07.png"
    )
    assert output_name("integrationsatlas-handout", "pdf", day) == (
        "integrationsatlas-handout-2026-12-07.pdf"
    )
    assert slug("Enkenbach-Alsenborn / Süd") == "enkenbach-alsenborn-sued"
    assert Path(output_name("x", "pdf", day, "../../etc")).name == "x-etc-2026-12-07.pdf"


def test_every_shipped_source_reads_german_in_german() -> None:
    """Every source citation of the shipped data, worded for a German print, has none of
    the project's English words (a new phrase in the data is noticed here)."""
    import pandas as pd

    from tests.conftest import REPO

    sources: set[str] = set()
    for name in ("facilities", "indicators", "population_gemeinden", "projects"):
        frame = pd.read_csv(REPO / "datasets" / f"{name}.csv", dtype=str)
        for column in (c for c in frame.columns if "source" in c):
            sources |= set(frame[column].dropna())
    assert len(sources) > 20
    left = {s: source_words(s, "de") for s in sources if ENGLISH.search(source_words(s, "de"))}
    assert left == {}
