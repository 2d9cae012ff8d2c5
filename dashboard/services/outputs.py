"""Files for one user: downloads, printable maps, Steckbriefe, handouts, offline HTML.

Every function takes the user's :class:`~dashboard.services.view.RoleView`, so a file
holds exactly what the page shows that user, at the current data version. Pages (through
:mod:`dashboard.ui.exports`) and the command line call these; they return bytes (pages)
or write a file (command line).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from dashboard.analysis import gaps
from dashboard.domain.viewstate import ViewState
from dashboard.export.facilities import EXPORT_FORMATS, export_facilities
from dashboard.export.gaps import csv_text, write_gaps
from dashboard.export.tables import csv_bytes
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE
from dashboard.render.common.alt import map_alt_text
from dashboard.render.context import GapReport
from dashboard.render.gaps_text import file_table
from dashboard.render.print.screen import screen_png
from dashboard.render.print.static_map import render_map
from dashboard.render.print.steckbrief import GAP_CATEGORIES, all_vgs_report, vg_report
from dashboard.render.web.html_export import export_html
from dashboard.render.web.presentation import Slide, build_slide, legend_html
from dashboard.services.geopackage import style_facilities_file
from dashboard.services.view import RoleView

#: Progress callback: (step, total, message).
Progress = Callable[[int, int, str], None]

__all__ = [
    "EXPORT_FORMATS",
    "csv_bytes",
    "facilities_file",
    "gap_report",
    "gaps_file",
    "handout_pdf",
    "map_file",
    "offline_html",
    "slide",
    "slide_image",
    "steckbrief_pdf",
    "write_facilities",
]


def _bytes(make: Callable[[Path], Path]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="integrationsatlas-") as tmp:
        return Path(make(Path(tmp))).read_bytes()


def write_facilities(
    view: RoleView, frame: gpd.GeoDataFrame, fmt: str, out: Path, lang: str = DEFAULT_LANGUAGE
) -> int:
    """Offers of the user's view written to ``out`` as a file for people in ``lang``
    (headers, words, yes/no, dates; the importer reads it back); returns the number of
    rows."""
    allowed = set(view.facilities()["id"])
    count = export_facilities(
        frame.loc[frame["id"].isin(allowed)], fmt, out, lang,
        vintage=view.config.current_vintage,
    )  # fmt: skip
    if fmt == "gpkg":  # opens in QGIS as the atlas draws it (layer_styles)
        style_facilities_file(out, lang)
    return count


def facilities_file(
    view: RoleView, frame: gpd.GeoDataFrame, fmt: str, lang: str = DEFAULT_LANGUAGE
) -> bytes:
    """Offers as CSV/XLSX/GeoJSON/GeoPackage; only rows of the user's view are written.

    Parameters
    ----------
    view
        The user's view.
    frame
        Offers taken from ``view`` (a subset of :meth:`RoleView.facilities`).
    fmt
        One of :data:`EXPORT_FORMATS`.
    lang
        The language of headers and words.
    """

    def make(tmp: Path) -> Path:
        write_facilities(view, frame, fmt, tmp / f"export.{fmt}", lang)
        return tmp / f"export.{fmt}"

    return _bytes(make)


def gaps_file_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analysis as a file (the page's downloads and the command line): headers, words
    and dates in ``lang``, sources and dates of population and demand in every row."""
    return file_table(flags, lang)


def gap_report(view: RoleView, vintage: int, thresholds: gaps.Thresholds | None) -> GapReport:
    """The supply analysis a Steckbrief or handout prints: for each of its categories the
    same table as the page and the ``gaps`` file (:meth:`RoleView.gaps_table`, VG level),
    and the coverage matrix."""
    th = thresholds or gaps.Thresholds()
    allowed = set(view.gap_selectors())
    tables = [
        view.gaps_table(c, th, level="vg", vintage=vintage) for c in GAP_CATEGORIES if c in allowed
    ]
    return GapReport(
        flags=pd.concat(tables, ignore_index=True), coverage=view.coverage_matrix(vintage),
        thresholds=th,
    )  # fmt: skip


def gaps_csv_text(frame: pd.DataFrame, lang: str) -> str:
    """A table of the supply analysis as CSV text (German Excel conventions)."""
    return csv_text(frame, lang)


def gaps_file(frame: pd.DataFrame, fmt: str, lang: str) -> bytes:
    """A table of the supply analysis as CSV, XLSX or JSON."""

    def make(tmp: Path) -> Path:
        out = tmp / f"versorgung.{fmt}"
        write_gaps(frame, fmt, out, lang)
        return out

    return _bytes(make)


def map_file(
    view: RoleView,
    state: ViewState,
    today: dt.date,
    *,
    paper: str,
    orientation: str,
    fmt: str,
    dpi: int = 300,
    out: Path | None = None,
    title: str | None = None,
) -> bytes:
    """A printable map (PNG/PDF) of a view, drawn on the server."""
    points = view.points(state, today) if "facilities" in state.layers else None

    def make(tmp: Path) -> Path:
        return render_map(
            view.district, state.vintage, points, view.choropleth(state), paper=paper,
            orientation=orientation, dpi=dpi, fmt=fmt, lang=state.lang,
            out=out or tmp / f"karte.{fmt}", title=title, choropleth_level=state.level,
            selected_vg=state.vg, show_gemeinden="gemeinden" in state.layers,
            show_city="city" in state.layers,
        )  # fmt: skip

    return _bytes(make)


def offline_html(view: RoleView, state: ViewState, today: dt.date) -> bytes:
    """The interactive map of a view as one HTML file that works offline."""
    points = view.points(state, today) if "facilities" in state.layers else None
    return _bytes(
        lambda tmp: export_html(
            tmp / "karte.html",
            state,
            context=view.render_context,
            points=points,
            choropleth=view.choropleth(state),
        )  # fmt: skip
    )


def steckbrief_pdf(
    view: RoleView,
    vg_key: str,
    vintage: int,
    lang: str,
    progress: Progress | None = None,
    thresholds: gaps.Thresholds | None = None,
) -> bytes:
    """The Steckbrief (PDF) of one VG as this user may see it."""
    analysis = gap_report(view, vintage, thresholds)
    return _bytes(
        lambda tmp: vg_report(
            vg_key,
            vintage,
            out=tmp / "steckbrief.pdf",
            lang=lang,
            analysis=analysis,
            context=view.render_context,
            progress=progress,
        )  # fmt: skip
    )


def handout_pdf(
    view: RoleView,
    vintage: int,
    lang: str,
    progress: Progress | None = None,
    thresholds: gaps.Thresholds | None = None,
) -> bytes:
    """One PDF with an overview and a section per VG of ``vintage``."""
    analysis = gap_report(view, vintage, thresholds)
    return _bytes(
        lambda tmp: all_vgs_report(
            vintage,
            out=tmp / "handout.pdf",
            lang=lang,
            analysis=analysis,
            context=view.render_context,
            progress=progress,
        )  # fmt: skip
    )


def slide(view: RoleView, code: str, lang: str) -> Slide:
    """One view of the presentation."""
    return build_slide(code, view.render_context, lang)


def slide_image(view: RoleView, state: ViewState, today: dt.date) -> tuple[bytes, str, str]:
    """The map of a presentation view as this user may see it: a PNG with large labels,
    its legend as HTML (shown beside it in large type) and its text alternative."""
    points = view.points(state, today) if "facilities" in state.layers else None
    choropleth = view.choropleth(state)
    png = screen_png(view.district, state, points, choropleth, state.lang)
    legend = legend_html(choropleth, points, bool(state.vg), state.lang)
    return png, legend, map_alt_text(choropleth, points, state.level, state.lang)
