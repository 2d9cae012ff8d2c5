"""VG handouts ("Steckbriefe") as PDF for the Kreistag: one section per Verbandsgemeinde.

Every number comes from the functions behind the pages, never recomputed here: key
figures, offers, projects and indicators from :func:`dashboard.render.profile.vg_profile`, supply
gaps from :func:`dashboard.analysis.gaps.measures` + :func:`dashboard.analysis.gaps.gap_flags`, the coverage
of the Handlungsfelder from :func:`dashboard.analysis.gaps.coverage_matrix`. The map is the
printable map of :mod:`dashboard.render.print.static_map`, zoomed to the VG.

Text is real PDF text (DejaVu Sans, embedded), so it can be searched, copied and read
aloud. Every page carries a footer with the data dates, the sources and the BKG
attribution. The same inputs give the same file (reportlab's invariant mode, no dates).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import matplotlib
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dashboard.analysis import gaps
from dashboard.analysis.population import OFFICIAL
from dashboard.config import BKG_ATTRIBUTION, BKG_LICENCE, CURRENT_VINTAGE
from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable, sensitive_count_for
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int
from dashboard.render import gaps_text
from dashboard.render.context import ReportContext
from dashboard.render.print.static_map import _date_range, map_figure
from dashboard.render.profile import VgProfile, vg_profile
from dashboard.render.web.basemap import _validity, vg_table

#: Categories whose supply gaps a handout lists: the offer categories, without the
#: sensitive one (Unterkunft) and without project sites (not an offer type).
GAP_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if c not in SENSITIVE_CATEGORIES and c != "Projektstandort"
)

#: Progress callback: (step, total, message).
Progress = Callable[[int, int, str], None]

_FONT = "IA-Sans"
_FONT_BOLD = "IA-Sans-Bold"
_BLUE = colors.HexColor("#1b3a6b")
_MAP_SIZE_MM = (174.0, 112.0)
_MAP_DPI = 200
_MARGIN = 18 * mm
_FOOTER_SIZE = 6.4
_FOOTER_LEADING = 8.2


# -- fonts and styles ------------------------------------------------------------------------
def _register_fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        _FONT, normal=_FONT, bold=_FONT_BOLD, italic=_FONT, boldItalic=_FONT_BOLD
    )


def _styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("base", fontName=_FONT, fontSize=9, leading=11.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle(
            "small", parent=base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")
        ),
        "cell": ParagraphStyle(
            "cell", parent=base, fontSize=7.6, leading=9.2, embeddedHyphenation=1
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=7.2,
            leading=8.8,
            textColor=colors.white,
        ),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=17,
            leading=21,
            textColor=_BLUE,
            spaceAfter=2,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=11,
            leading=14,
            textColor=_BLUE,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=_FONT_BOLD,
            fontSize=21,
            leading=26,
            textColor=_BLUE,
            spaceAfter=6,
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (data never becomes markup)."""
    return Paragraph(escape("" if text is None else str(text)), style)


class _Bookmark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints (base is Any)
    """Zero-size marker: the document adds an outline entry where it lands."""

    def __init__(self, key: str, title: str, level: int = 0) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def draw(self) -> None:  # pragma: no cover - nothing to draw
        pass


def _table(
    frame: pd.DataFrame,
    widths_mm: Sequence[float],
    st: dict[str, ParagraphStyle],
    align_right: Iterable[int] = (),
) -> Table:
    """A table of wrapped plain-text cells with a coloured header row."""
    right = set(align_right)
    right_style = ParagraphStyle("cell_r", parent=st["cell"], alignment=2)
    head_right = ParagraphStyle("head_r", parent=st["head"], alignment=2)
    head = [_p(c, head_right if i in right else st["head"]) for i, c in enumerate(frame.columns)]
    rows = [
        [_p(v, right_style if i in right else st["cell"]) for i, v in enumerate(row)]
        for row in frame.itertuples(index=False, name=None)
    ]
    table = Table([head, *rows], colWidths=[w * mm for w in widths_mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), _BLUE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b8c4d6")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f2f5f9")]),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 1.6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
            ]
        )
    )
    return table


# -- content ---------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _Analysis:
    flags: pd.DataFrame
    coverage: pd.DataFrame
    thresholds: gaps.Thresholds


def _analysis(ctx: ReportContext, vintage: int, thresholds: gaps.Thresholds | None) -> _Analysis:
    th = thresholds or gaps.Thresholds()
    frame = gaps.measures(
        ctx.areas,
        ctx.located,
        list(GAP_CATEGORIES),
        radius_km=th.radius_km,
        level="vg",
        vintage=vintage,
        demand=ctx.demands,
        lists=ctx.lists,
    )
    return _Analysis(
        flags=gaps.gap_flags(frame, th),
        coverage=gaps.coverage_matrix(
            ctx.areas, ctx.located, ctx.projects, vintage, lists=ctx.lists
        ),
        thresholds=th,
    )


def _map_image(ctx: ReportContext, key: str, vintage: int, lang: str) -> Image:
    """The compact map of the district (``key`` = "") or of one VG, as a PDF image."""
    active = ctx.located[ctx.located["status"] == "active"]
    fig = map_figure(
        ctx.data,
        vintage,
        drawable(active),
        None,
        size_mm=_MAP_SIZE_MM,
        title="",
        lang=lang,
        selected_vg=key,
        compact=True,
        with_footer=False,
        dpi=_MAP_DPI,
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_MAP_DPI, metadata={"Software": None})
    buf.seek(0)
    return Image(buf, width=_MAP_SIZE_MM[0] * mm, height=_MAP_SIZE_MM[1] * mm)


def _offer_frame(profile: VgProfile, lang: str) -> pd.DataFrame:
    offers = drawable(profile.offers)
    order = {c: i for i, c in enumerate(CATEGORIES)}
    offers = offers.assign(_o=offers["category"].map(order)).sort_values(["_o", "name", "id"])
    return pd.DataFrame(
        {
            t("field.name", lang): offers["name"].astype(str),
            t("col.category", lang): [t(f"cat.{c}", lang) for c in offers["category"]],
            t("col.gemeinde", lang): offers["gemeinde_name"].fillna("").astype(str),
            t("col.precision", lang): [t(f"precision.{p}", lang) for p in offers["precision"]],
            t("field.population_date", lang): [fmt_date(d, lang) for d in offers["reference_date"]],
            t("field.source", lang): offers["source"].astype(str),
        }
    )


def _sources_frame(ctx: ReportContext, profile: VgProfile, vintage: int, lang: str) -> pd.DataFrame:
    """What the section shows, with its date and source."""
    what = t("report.col.what", lang)
    when, source = t("field.population_date", lang), t("field.source", lang)
    rows = [
        (
            t("report.src.boundaries", lang),
            f"2016; VG {vintage}: {_validity(vintage, lang)}",
            f"{BKG_ATTRIBUTION}, VG250; {BKG_LICENCE}",
        )
    ]
    headline = ctx.populations.of("vg", profile.key, vintage)
    population = t("report.src.population", lang)
    if headline["basis"] == OFFICIAL:
        rows.append(
            (
                f"{population}: {profile.name}",
                fmt_date(headline["reference_date"], lang),
                str(headline["sources"]),
            )
        )
    else:
        for (date, src), part in _member_populations(ctx, [profile.key], vintage).groupby(
            ["reference_date", "sources"], sort=True
        ):
            names = ", ".join(sorted(part["name"].astype(str)))
            rows.append((f"{population}: {names}", fmt_date(date, lang), src))
    offers = drawable(profile.offers)
    for src, part in offers.groupby("source", sort=True):
        rows.append(
            (
                t("report.src.offers", lang) + f" ({fmt_int(len(part), lang)})",
                _date_range(list(part["reference_date"]), lang),
                src,
            )
        )
    src_col = t("field.source", lang)
    for src in sorted(set(profile.projects[src_col])) if len(profile.projects) else []:
        rows.append((t("report.src.projects", lang), "", src))
    ind = profile.indicators
    for _, r in ind.iterrows():
        rows.append(
            (
                t("report.src.indicators", lang) + ": " + str(r[t("col.indicator", lang)]),
                r[t("field.population_date", lang)],
                r[src_col],
            )
        )
    return pd.DataFrame(rows, columns=[what, when, source])


def _member_populations(ctx: ReportContext, keys: list[str], vintage: int) -> pd.DataFrame:
    """Headline populations of the Gemeinden of some VGs (with ``name``)."""
    mem = ctx.data.membership
    members = mem.loc[mem[f"vg_rs_{vintage}"].isin(set(keys)), ["ags", "name"]]
    heads = ctx.populations.at("gemeinde", vintage)
    return members.join(heads, on="ags", how="inner")


def _vg_story(
    ctx: ReportContext, key: str, vintage: int, lang: str, an: _Analysis
) -> list[Flowable]:
    """The flowables of one VG section."""
    st = _styles()
    p = vg_profile(
        key, vintage, ctx.data, ctx.located, ctx.values, ctx.projects, lang,
        population=ctx.populations.of("vg", key, vintage),
        sensitive={c: sensitive_count_for(ctx.sensitive, key, c, vintage) for c in SENSITIVE_CATEGORIES},
    )  # fmt: skip
    vg = ctx.data.vgs[vintage].set_index("rs").loc[key]
    title = t("report.title", lang, name=p.name)
    story: list[Flowable] = [
        _Bookmark(f"vg-{key}", f"{p.name} ({key})"),
        _p(title, st["h1"]),
        _p(
            tn(
                "report.key_line",
                int(vg["n_gemeinden"]),
                lang,
                vg_key=key,
                vintage=vintage,
                validity=_validity(vintage, lang),
                n=fmt_int(vg["n_gemeinden"], lang),
            ),
            st["small"],
        ),
        Spacer(1, 3 * mm),
        _map_image(ctx, key, vintage, lang),
        Spacer(1, 2 * mm),
    ]
    figures = Table(
        [
            [
                _table(p.figures, [44, 22, 42], st, align_right=[1]),
                _table(p.by_category, [38, 22], st, align_right=[1]),
            ]
        ],
        colWidths=[112 * mm, 62 * mm],
    )
    figures.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story += [
        KeepTogether(
            [
                _p(t("report.figures", lang) + " · " + t("report.by_category", lang), st["h2"]),
                figures,
            ]
        )
    ]
    offers = _offer_frame(p, lang)
    story.append(
        KeepTogether(
            [
                _p(t("report.offer_list", lang), st["h2"]),
                _p(t("report.offer_list_note", lang), st["small"]),
                Spacer(1, 1.5 * mm),
                _table(offers, [42, 20, 30, 28, 18, 36], st)
                if len(offers)
                else _p(t("report.no_offers", lang), st["body"]),
            ]
        )
    )
    story.append(
        KeepTogether(
            [
                _p(t("report.projects", lang), st["h2"]),
                _table(p.projects, [70, 24, 80], st)
                if len(p.projects)
                else _p(t("report.no_projects", lang), st["body"]),
            ]
        )
    )
    indicators = p.indicators
    note_col = t("col.note", lang)
    if note_col in indicators and (indicators[note_col].astype(str) == "").all():
        indicators = indicators.drop(columns=[note_col])
    widths = [36, 17, 15, 19, 63, 24][: len(indicators.columns)]
    widths[4] += 174 - sum(widths)
    story.append(
        KeepTogether(
            [
                _p(t("report.indicators", lang), st["h2"]),
                _table(indicators, widths, st, align_right=[1])
                if len(indicators)
                else _p(t("report.no_indicators", lang), st["body"]),
            ]
        )
    )

    rows = an.flags[an.flags["key"] == key].copy()
    order = {c: i for i, c in enumerate(GAP_CATEGORIES)}
    rows = rows.assign(_o=rows["selector"].map(order)).sort_values("_o")
    gap_frame = pd.DataFrame(
        {
            t("col.category", lang): [t(f"cat.{c}", lang) for c in rows["selector"]],
            t("atlas.offers", lang): [fmt_int(v, lang) for v in rows["offers"]],
            t("report.col.per_1000", lang): [fmt_float(v, 2, lang) for v in rows["per_1000"]],
            t("report.col.distance", lang): [
                gaps_text.distance_text(r, lang) for _, r in rows.iterrows()
            ],
            t("report.col.flag", lang): [
                gaps_text.status_text(str(s), lang) for s in rows["status"]
            ],
            t("report.col.reason", lang): [
                r or (gaps_text.coverage_text(str(c), lang) if s == "unknown" else "")
                for r, s, c in zip(
                    gaps_text.reasons(rows, lang, an.thresholds), rows["status"],
                    rows["coverage"], strict=True,
                )
            ],
        }
    )  # fmt: skip
    counts = gaps_text.status_counts(rows)
    story.append(
        KeepTogether(
            [
                _p(t("report.gaps", lang), st["h2"]),
                _p(
                    t(
                        "report.gaps_note",
                        lang,
                        thresholds=gaps_text.thresholds_text(an.thresholds, lang),
                    ),
                    st["small"],
                ),
                _p(
                    tn(
                        "report.gaps_coverage",
                        counts["gap"],
                        lang,
                        gap=counts["gap"],
                        no_gap=counts["no_gap"],
                        unknown=counts["unknown"],
                    )  # fmt: skip
                    + " "
                    + gaps_text.demand_note(rows, lang),
                    st["small"],
                ),
                Spacer(1, 1.5 * mm),
                _table(gap_frame, [26, 15, 15, 28, 30, 60], st, align_right=[1, 2]),
            ]
        )
    )
    cov = an.coverage[an.coverage["vg_rs"] == key]
    cov_frame = pd.DataFrame(
        {
            t("report.col.hf", lang): [t(f"hf.{h}", lang) for h in cov["handlungsfeld"]],
            t("atlas.offers", lang): [fmt_int(v, lang) for v in cov["offers"]],
            t("report.col.projects", lang): [fmt_int(v, lang) for v in cov["projects"]],
            t("report.col.meaning", lang): gaps_text.meanings(cov, lang),
        }
    )
    story.append(
        KeepTogether(
            [
                _p(t("report.coverage", lang), st["h2"]),
                _p(t("report.coverage_note", lang), st["small"]),
                Spacer(1, 1.5 * mm),
                _table(cov_frame, [52, 17, 17, 88], st, align_right=[1, 2]),
            ]
        )
    )
    story.append(
        KeepTogether(
            [
                _p(t("report.sources", lang), st["h2"]),
                _table(_sources_frame(ctx, p, vintage, lang), [52, 30, 92], st),
            ]
        )
    )
    return story


# -- document --------------------------------------------------------------------------------
def footer_lines(ctx: ReportContext, keys: Sequence[str], vintage: int, lang: str) -> list[str]:
    """The page footer: data dates and sources of the VGs in a document, and the attribution.

    Parameters
    ----------
    ctx
        Loaded data.
    keys
        9-digit keys of the VGs the document covers.
    vintage
        Boundary vintage.
    lang
        ``de`` or ``en``.

    Returns
    -------
    list of str
        Three lines: attribution and licence; data dates; sources.
    """
    heads = ctx.populations.at("vg", vintage)
    heads = heads.loc[heads.index.isin(set(keys))]
    pop = pd.DataFrame(
        {
            "population_date": [
                d
                for o, n in zip(heads["reference_date"], heads["date_newest"], strict=True)
                for d in {o, n}
            ]
        }
    )
    pop_sources = sorted(set(heads["sources"].astype(str)))
    located = ctx.located
    offers = located[located[f"vg_rs_{vintage}"].isin(set(keys)) & (located["status"] == "active")]
    dates = [
        t("footer.boundaries", lang, vintage=vintage, validity=_validity(vintage, lang)),
        t("footer.population", lang, dates=_date_range(list(pop["population_date"]), lang)),
        t("footer.offers", lang, dates=_date_range(list(offers["reference_date"]), lang)),
    ]
    sources = [
        "BKG VG250",
        *(t("field.population", lang) + ": " + s for s in pop_sources[:1]),
    ]
    n_sources = len(pop_sources) + len(set(offers["source"]))
    return [
        f"{BKG_ATTRIBUTION} · dl-de/by-2-0 · " + t("map.title", lang),
        t("footer.dates", lang) + ": " + "; ".join(dates),
        t("footer.sources", lang)
        + ": "
        + sources[0]
        + "; "
        + tn("report.sources_footer", n_sources, lang, n=fmt_int(n_sources, lang)),
    ]


class _Doc(BaseDocTemplate):  # type: ignore[misc]  # reportlab ships no type hints (base is Any)
    """A4 portrait with a footer on every page and outline entries for the sections."""

    def __init__(self, target: Any, footer: list[str], lang: str, title: str) -> None:
        _register_fonts()
        width = A4[0] - 2 * _MARGIN
        self.footer = [
            (i == 0, line)
            for i, para in enumerate(footer)
            for line in simpleSplit(
                para,
                _FONT_BOLD if i == 0 else _FONT,
                _FOOTER_SIZE,
                width - (16 * mm if i == 0 else 0),
            )
        ]
        footer_h = len(self.footer) * _FOOTER_LEADING + 5 * mm
        super().__init__(
            target,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=15 * mm,
            bottomMargin=12 * mm + footer_h,
            title=title,
            author=t("map.title", lang),
            creator="Integrationsatlas",
            invariant=1,
            lang=lang,
        )
        self.report_lang = lang
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._footer)])

    def _footer(self, canv: Any, doc: Any) -> None:
        canv.saveState()
        width = A4[0] - 2 * _MARGIN
        top = 12 * mm + (len(self.footer) - 1) * _FOOTER_LEADING
        canv.setStrokeColor(colors.HexColor("#b8c4d6"))
        canv.setLineWidth(0.4)
        canv.line(_MARGIN, top + 3.6 * mm, _MARGIN + width, top + 3.6 * mm)
        canv.setFillColor(colors.HexColor("#333333"))
        y = top
        for bold, line in self.footer:
            canv.setFont(_FONT_BOLD if bold else _FONT, _FOOTER_SIZE)
            canv.drawString(_MARGIN, y, line)
            y -= _FOOTER_LEADING
        canv.setFont(_FONT, 7)
        canv.drawRightString(_MARGIN + width, top, t("footer.page", self.report_lang, n=doc.page))
        canv.restoreState()

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab hook
        if isinstance(flowable, _Bookmark):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.title, flowable.key, level=flowable.level)


def _write(out: Path, story: list[Flowable], footer: list[str], lang: str, title: str) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    doc = _Doc(buf, footer, lang, title)
    doc.build(story)
    out.write_bytes(buf.getvalue())
    return out


def _vg_keys(ctx: ReportContext, vintage: int) -> list[str]:
    if vintage not in ctx.data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(ctx.data.vgs)}")
    return sorted(ctx.data.vgs[vintage]["rs"].astype(str))


def _tick(progress: Progress | None, step: int, total: int, message: str) -> None:
    if progress is not None:
        progress(step, total, message)


def vg_report(
    vg_key: str,
    vintage: int = CURRENT_VINTAGE,
    *,
    out: Path,
    lang: str = "de",
    thresholds: gaps.Thresholds | None = None,
    context: ReportContext,
    progress: Progress | None = None,
) -> Path:
    """Write the handout of one Verbandsgemeinde as PDF.

    Parameters
    ----------
    vg_key
        9-digit key of a VG of ``vintage``.
    vintage
        Boundary vintage.
    out
        Target file.
    lang
        ``de`` or ``en``.
    thresholds
        Gap thresholds; default :class:`dashboard.analysis.gaps.Thresholds` ().
    context
        The district as the audience may see it (from the service).
    progress
        Called as ``progress(step, total, message)``.

    Returns
    -------
    pathlib.Path
        The written PDF.

    Raises
    ------
    ValueError
        For an unknown VG or vintage.
    """
    total = 3
    _tick(progress, 0, total, t("report.progress.load", lang))
    ctx = context
    keys = _vg_keys(ctx, vintage)
    if vg_key not in keys:
        names = ctx.data.vgs[vintage].set_index("rs")["name"]
        raise ValueError(
            f"unknown VG {vg_key!r} for vintage {vintage}; expected one of "
            + ", ".join(f"{names[k]} ({k})" for k in keys)
        )
    an = _analysis(ctx, vintage, thresholds)
    name = str(ctx.data.vgs[vintage].set_index("rs").loc[vg_key, "name"])
    _tick(progress, 1, total, t("report.progress.vg", lang, name=name))
    story = _vg_story(ctx, vg_key, vintage, lang, an)
    _tick(progress, 2, total, t("report.progress.write", lang))
    path = _write(
        out,
        story,
        footer_lines(ctx, [vg_key], vintage, lang),
        lang,
        t("report.title", lang, name=name),
    )
    _tick(progress, total, total, t("report.progress.done", lang))
    return path


def _overview(ctx: ReportContext, keys: list[str], vintage: int, lang: str) -> list[Flowable]:
    st = _styles()
    table = vg_table(ctx.data, vintage, lang, ctx.populations).drop(
        columns=[t("field.validity", lang)]
    )
    return [
        _Bookmark("overview", t("report.overview", lang)),
        _p(t("report.handout_title", lang), st["title"]),
        _p(
            tn(
                "report.handout_intro",
                len(keys),
                lang,
                vintage=vintage,
                validity=_validity(vintage, lang),
                n=len(keys),
            ),
            st["body"],
        ),
        Spacer(1, 4 * mm),
        _map_image(ctx, "", vintage, lang),
        Spacer(1, 4 * mm),
        _table(table, [42, 24, 18, 22, 22, 46], st, align_right=[2, 3, 4]),
    ]


def all_vgs_report(
    vintage: int = CURRENT_VINTAGE,
    *,
    out: Path,
    lang: str = "de",
    thresholds: gaps.Thresholds | None = None,
    context: ReportContext,
    progress: Progress | None = None,
) -> Path:
    """Write one PDF with an overview and one section per VG of the vintage.

    Parameters
    ----------
    vintage
        Boundary vintage (2019: six VGs).
    out
        Target file.
    lang
        ``de`` or ``en``.
    thresholds
        Gap thresholds; default :class:`dashboard.analysis.gaps.Thresholds` ().
    context
        The district as the audience may see it (from the service).
    progress
        Called as ``progress(step, total, message)``: loading, each VG, writing, done.

    Returns
    -------
    pathlib.Path
        The written PDF; its outline has an entry for the overview and one per VG.
    """
    _tick(progress, 0, 1, t("report.progress.load", lang))
    ctx = context
    keys = _vg_keys(ctx, vintage)
    names = ctx.data.vgs[vintage].set_index("rs")["name"]
    keys = sorted(keys, key=lambda k: (str(names[k]).casefold(), k))
    total = len(keys) + 2
    an = _analysis(ctx, vintage, thresholds)
    story = _overview(ctx, keys, vintage, lang)
    for i, key in enumerate(keys):
        _tick(progress, i + 1, total, t("report.progress.vg", lang, name=str(names[key])))
        story.append(PageBreak())
        story += _vg_story(ctx, key, vintage, lang, an)
    _tick(progress, total - 1, total, t("report.progress.write", lang))
    path = _write(
        out,
        story,
        footer_lines(ctx, keys, vintage, lang),
        lang,
        t("report.handout_title", lang),
    )
    _tick(progress, total, total, t("report.progress.done", lang))
    return path
