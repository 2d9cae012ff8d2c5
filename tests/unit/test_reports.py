"""Printable maps, VG handouts (PDF) and standalone HTML: content, numbers, sizes, safety."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from PIL import Image
from pypdf import PdfReader

from dashboard.analysis.classify import build_choropleth
from dashboard.analysis.gaps import Thresholds
from dashboard.cli.reports import cli_map, cli_report, resolve_vg
from dashboard.config import BKG_ATTRIBUTION
from dashboard.domain.privacy import drawable
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.message import error_text
from dashboard.render import gaps_text
from dashboard.render.context import GapReport, ReportContext
from dashboard.render.print.static_map import map_figure, marker_style, render_map
from dashboard.render.print.steckbrief import GAP_CATEGORIES, all_vgs_report, vg_report
from dashboard.render.source_text import source_words
from dashboard.render.web.atlas import SYMBOLS, build_atlas_map
from dashboard.render.web.html_export import export_html, external_urls, standalone_html
from dashboard.services import outputs
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace

VINTAGE = 2019
LANDSTUHL = "073355011"


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
def ctx(view: RoleView) -> ReportContext:
    return view.render_context


@pytest.fixture(scope="module")
def analysis(view: RoleView) -> GapReport:
    """The supply analysis as the service hands it to the reports."""
    return outputs.gap_report(view, VINTAGE, None)


@pytest.fixture(scope="module")
def handout(
    ctx: ReportContext, analysis: GapReport, tmp_path_factory: pytest.TempPathFactory
) -> dict:
    calls: list[tuple[int, int, str]] = []
    out = tmp_path_factory.mktemp("reports") / "handout.pdf"
    all_vgs_report(
        VINTAGE, out=out, context=ctx, analysis=analysis,
        progress=lambda i, n, msg: calls.append((i, n, msg)),
    )  # fmt: skip
    reader = PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    starts = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    names = dict(zip(ctx.data.vgs[VINTAGE]["rs"], ctx.data.vgs[VINTAGE]["name"], strict=True))
    return {"path": out, "reader": reader, "pages": pages, "starts": starts, "calls": calls,
            "names": names}  # fmt: skip


def _flat(text: str) -> str:
    """Whitespace collapsed; a word split after its hyphen in a table cell joined again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.split()))


def _section(handout: dict, key: str) -> str:
    """Text of one VG section (from its outline entry, its heading, to the next one)."""
    starts = sorted(handout["starts"].values())
    title = f"Steckbrief Verbandsgemeinde {handout['names'][key]}"
    first = handout["starts"][title]
    later = [s for s in starts if s > first]
    last = later[0] if later else len(handout["pages"])
    return _flat("\n".join(handout["pages"][first:last]))


# -- handout ---------------------------------------------------------------------------------
def test_handout_has_one_section_per_current_vg(handout: dict, ctx: ReportContext) -> None:
    vgs = ctx.data.vgs[VINTAGE]
    assert len(vgs) == 6
    titles = list(handout["starts"])
    vg_titles = [t for t in titles if t.startswith("Steckbrief Verbandsgemeinde ")]
    assert (
        len(vg_titles) == 6 and titles[0] == "Integrationsatlas: Steckbriefe der Verbandsgemeinden"
    )
    for key, name in zip(vgs["rs"], vgs["name"], strict=True):
        assert f"Steckbrief Verbandsgemeinde {name}" in vg_titles
        section = _section(handout, key)
        assert f"Steckbrief Verbandsgemeinde {name}" in section
        assert f"Schlüssel {key}" in section
    # sections start on their own page, in name order, after the overview
    pages = [handout["starts"][t] for t in vg_titles]
    assert pages == sorted(pages) and len(set(pages)) == 6 and min(pages) >= 1


def test_handout_text_has_dates_sources_and_attribution_on_every_page(
    handout: dict, ctx: ReportContext, view: RoleView
) -> None:
    for i, text in enumerate(handout["pages"]):
        flat = _flat(text)
        assert BKG_ATTRIBUTION in flat, f"page {i + 1} lacks the attribution"
        assert "Stand der Daten" in flat and "Quellen" in flat
    full = _flat("\n".join(handout["pages"]))
    assert "31.12.2022" in full  # e.g. the population indicator of the VGs
    for key in ctx.data.vgs[VINTAGE]["rs"]:  # every VG's headline population source
        source = ctx.populations.of("vg", key, VINTAGE)["sources"]
        assert source_words(source, "de") in full  # in the print's language
    for key in ctx.data.vgs[VINTAGE]["rs"]:
        p = view.vg_profile(key, VINTAGE, "de")
        section = _section(handout, key)
        assert p.figures.iloc[0, 2] in section  # the population's date
        assert "Daten und Quellen" in section


def test_report_numbers_are_the_page_functions_numbers(
    handout: dict, ctx: ReportContext, view: RoleView
) -> None:
    for key in ctx.data.vgs[VINTAGE]["rs"]:
        p = view.vg_profile(key, VINTAGE, "de")
        figures = p.figures.set_index(p.figures.columns[0])
        section = _section(handout, key)
        population = figures.loc["Einwohner", "Wert"]
        offers = figures.loc["Angebote", "Wert"]
        per_1000 = figures.loc["Angebote je 1.000 Einwohner", "Wert"]
        assert re.search(rf"Einwohner {re.escape(population)} ", section), (key, population)
        assert re.search(rf"Angebote {re.escape(offers)} aktive Angebote", section), key
        assert f"Angebote je 1.000 Einwohner {per_1000}" in section
        for name in drawable(p.offers)["name"]:
            assert _flat(name) in section
    # the gap findings are the words of the page's analysis (the same table as the page and
    # the gaps file), with the store's list marks: no list is confirmed, so all unknown
    th = Thresholds()
    flags = pd.concat([view.gaps_table(c, th, level="vg", vintage=VINTAGE) for c in GAP_CATEGORIES])
    landstuhl = _section(handout, LANDSTUHL)
    rows = flags[flags["key"] == LANDSTUHL]
    assert len(rows) == len(GAP_CATEGORIES) and set(rows["status"]) == {"unknown"}
    for reason in gaps_text.reasons(rows, "de"):
        assert _flat(reason) in landstuhl
    assert landstuhl.count(gaps_text.status_text("unknown", "de")) >= len(GAP_CATEGORIES)
    assert gaps_text.thresholds_text(th, "de") in landstuhl


def test_handout_progress_and_determinism(
    handout: dict, ctx: ReportContext, analysis: GapReport, tmp_path: Path
) -> None:
    calls = handout["calls"]
    steps = [c[0] for c in calls]
    assert steps == sorted(steps) and steps[-1] == calls[-1][1] == 8  # 6 VGs + write + done
    assert any("Landstuhl" in c[2] for c in calls)
    a = vg_report(LANDSTUHL, VINTAGE, out=tmp_path / "a.pdf", context=ctx, analysis=analysis)
    b = vg_report(LANDSTUHL, VINTAGE, out=tmp_path / "b.pdf", context=ctx, analysis=analysis)
    assert a.read_bytes() == b.read_bytes()
    assert len(PdfReader(a).outline) == 1


def test_english_handout(
    ctx: ReportContext, analysis: GapReport, view: RoleView, tmp_path: Path
) -> None:
    out = vg_report(
        LANDSTUHL, VINTAGE, out=tmp_path / "en.pdf", lang="en", context=ctx, analysis=analysis
    )
    text = _flat("\n".join(p.extract_text() for p in PdfReader(out).pages))
    assert "Profile of the Verbandsgemeinde Landstuhl" in text
    assert "Key figures" in text and "Supply gaps" in text and BKG_ATTRIBUTION in text
    p = view.vg_profile(LANDSTUHL, VINTAGE, "en")
    assert f"Population {p.figures.iloc[0, 1]}" in text
    assert "Nächste" not in text  # reasons are translated


def test_cli_report_resolves_names_and_rejects_unknown(
    ctx: ReportContext, view: RoleView, tmp_path: Path
) -> None:
    vgs = ctx.data.vgs[VINTAGE]
    assert resolve_vg("Landstuhl", vgs) == LANDSTUHL
    assert resolve_vg("vg landstuhl", vgs) == LANDSTUHL
    assert resolve_vg(LANDSTUHL, vgs) == LANDSTUHL
    with pytest.raises(ValueError, match="Landstuhl") as err:
        cli_report(view, "Kaiserslautern", False, "pdf", tmp_path / "x.pdf")
    assert "Weilerbach" in str(err.value)  # lists the valid names
    with pytest.raises(ValueError, match="Entweder") as err:
        cli_report(view, None, False, "pdf", tmp_path / "x.pdf")
    assert "either" in error_text(err.value, "en")  # worded in the user's language
    with pytest.raises(ValueError, match="Format") as err:
        cli_report(view, "Landstuhl", False, "docx", tmp_path / "x.pdf")
    assert "format docx" in error_text(err.value, "en")
    out = cli_report(view, "Landstuhl", False, "pdf", tmp_path / "l.pdf")
    assert "Steckbrief Verbandsgemeinde Landstuhl" in PdfReader(out).pages[0].extract_text()


# -- static maps -----------------------------------------------------------------------------
def _choropleth(ctx: ReportContext, per_1000: bool = True):  # noqa: ANN202
    keys = list(ctx.data.vgs[VINTAGE]["rs"])
    return build_choropleth(
        ctx.values, ctx.data.membership, keys, "refugees_ukraine", "vg", VINTAGE, per_1000=per_1000
    )


def test_a4_png_at_300_dpi_is_print_sized(ctx: ReportContext, tmp_path: Path) -> None:
    out = render_map(
        ctx.data,
        VINTAGE,
        ctx.located,
        _choropleth(ctx),
        paper="A4",
        orientation="landscape",
        dpi=300,
        fmt="png",
        out=tmp_path / "a4.png",
    )
    with Image.open(out) as img:
        assert max(img.size) >= 3500
        assert img.size == (3508, 2480)


def test_a3_portrait_dimensions_and_determinism(ctx: ReportContext, tmp_path: Path) -> None:
    a = render_map(
        ctx.data,
        VINTAGE,
        ctx.located,
        None,
        paper="A3",
        orientation="portrait",
        dpi=100,
        out=tmp_path / "a.png",
        selected_vg=LANDSTUHL,
    )
    b = render_map(
        ctx.data,
        VINTAGE,
        ctx.located,
        None,
        paper="A3",
        orientation="portrait",
        dpi=100,
        out=tmp_path / "b.png",
        selected_vg=LANDSTUHL,
    )
    with Image.open(a) as img:
        assert img.size == (round(297 / 25.4 * 100), round(420 / 25.4 * 100))
    assert a.read_bytes() == b.read_bytes()


def test_map_pdf_has_legend_scale_dates_sources_and_attribution(
    ctx: ReportContext, view: RoleView, tmp_path: Path
) -> None:
    ch = _choropleth(ctx)
    out = cli_map(
        view,
        "refugees_ukraine",
        "vg",
        "pdf",
        "A4",
        "landscape",
        tmp_path / "m.pdf",
        per_1000=True,
    )
    reader = PdfReader(out)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    text = _flat(reader.pages[0].extract_text())
    assert BKG_ATTRIBUTION in text
    assert "Geflüchtete aus der Ukraine je 1.000 Einwohner" in text
    assert "keine Daten" in text and "Maßstab 1 :" in text and "km" in text
    assert "Stand der Daten" in text and "Quellen:" in text
    for source in ch.sources:
        assert source_words(source, "de") in text  # in the print's language
    assert dt.date.fromisoformat(ch.reference_date).strftime("%d.%m.%Y") in text
    assert "Kita" in text and "Unterkunft" not in text.replace("Unterkünfte", "")


def test_sensitive_categories_are_never_drawn(ctx: ReportContext) -> None:
    located = ctx.located.copy()
    located.loc[located.index[0], "category"] = "Unterkunft"
    located.loc[located.index[0], "status"] = "active"
    fig = map_figure(ctx.data, VINTAGE, located, None, size_mm=(297, 210), dpi=50)
    drawn = sum(
        len(c.get_offsets()) for c in fig.axes[0].collections if isinstance(c, PathCollection)
    )
    active = located[(located["status"] == "active") & located.geometry.notna()]
    expected = drawable(active)
    assert drawn == len(expected) == len(active) - 1


def test_marker_styles_match_web_symbols() -> None:
    for category, (color, _shape) in SYMBOLS.items():
        exact, approx = marker_style(category, False), marker_style(category, True)
        assert exact["facecolor"] == color and exact["linestyle"] == "solid"
        assert approx["facecolor"] == "#ffffff" and approx["linestyle"] != "solid"
        assert exact["marker"] is approx["marker"]
    assert len({str(marker_style(c, False)["marker"]) for c in SYMBOLS}) == len(SYMBOLS)


def test_cli_map_rejects_unknown_indicator_and_paper(view: RoleView, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="mit Werten: .*population") as err:
        cli_map(view, "nope", "vg", "png", "A4", "landscape", tmp_path / "x.png")
    assert "with values: population" in error_text(err.value, "en")
    with pytest.raises(ValueError, match="Papier") as err:
        cli_map(view, None, "vg", "png", "A5", "landscape", tmp_path / "x.png")
    assert "paper A5" in error_text(err.value, "en")
    with pytest.raises(ValueError, match="Format"):
        cli_map(view, None, "vg", "svg", "A4", "landscape", tmp_path / "x.svg")


# -- standalone HTML -------------------------------------------------------------------------
_SRC_HREF = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*([^"'\s>]*)""", re.IGNORECASE)


def test_standalone_html_is_offline(ctx: ReportContext, view: RoleView, tmp_path: Path) -> None:
    state = ViewState(
        vintage=2019, vg=LANDSTUHL, indicator="refugees_ukraine", per_1000=True, basemap="osm"
    )
    out = export_html(
        tmp_path / "karte.html", state, context=ctx,
        points=view.points(state, dt.date(2025, 1, 1)), choropleth=view.choropleth(state),
    )  # fmt: skip
    html = out.read_text(encoding="utf-8")
    targets = _SRC_HREF.findall(html)
    assert targets and all(t.startswith("data:") for t in targets), targets
    assert not [t for t in targets if "http://" in t or "https://" in t]
    assert external_urls(html) == []
    assert "tile.openstreetmap.org" not in html  # online basemap left out
    assert "m.standalone(" in html and '"fac-' in html  # the renderer and its data
    assert BKG_ATTRIBUTION in html


def test_standalone_html_has_the_app_renderer(ctx: ReportContext) -> None:
    import json

    from dashboard.render.web.html_export import renderer_modules

    spec = build_atlas_map(
        ctx.data, VINTAGE, "de", located=ctx.located, populations=ctx.populations
    )
    html = standalone_html(spec)
    inlined = html.split('id="ia-modules">', 1)[1].split("</script>", 1)[0]
    assert json.loads(inlined) == renderer_modules() and "atlas.js" in renderer_modules()
    assert all(r.name in html for r in spec.resources) and external_urls(html) == []


def test_external_urls_finds_network_references() -> None:
    text = (
        '<script src="https://cdn.example/x.js"></script><link href=//cdn.example/y.css>'
        '<style>a{background:url( "http://example.org/z.png")}</style>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><img src="data:image/png;base64,AA">'
    )
    assert external_urls(text) == [
        "https://cdn.example/x.js",
        "//cdn.example/y.css",
        "http://example.org/z.png",
    ]


def test_report_context_is_the_apps_data(ctx: ReportContext) -> None:
    assert isinstance(ctx.located, gpd.GeoDataFrame) and isinstance(ctx.values, pd.DataFrame)
    assert set(ctx.data.vgs) >= {VINTAGE}
