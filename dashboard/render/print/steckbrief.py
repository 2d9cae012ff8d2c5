"""VG handouts ("Steckbriefe") as PDF for the Kreistag: one section per Verbandsgemeinde.

The content of a section is :mod:`dashboard.render.print.sections` (the numbers of the
pages and of the service's analysis, never recomputed); the PDF machinery
:mod:`dashboard.render.print.pdf`. Every page carries a footer with the data dates, the
sources and the BKG attribution. The same inputs give the same file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from dashboard.config import BKG_ATTRIBUTION
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_int
from dashboard.render.common.dates import date_span
from dashboard.render.context import GapReport, ReportContext
from dashboard.render.print.pdf import Block, table, write
from dashboard.render.print.sections import GAP_CATEGORIES, map_image, vg_story
from dashboard.render.tables import vg_table
from dashboard.render.tagged_pdf import Heading, PageBreak, Paragraph, Space

#: Progress callback: (step, total, message).
Progress = Callable[[int, int, str], None]

__all__ = ["GAP_CATEGORIES", "Progress", "all_vgs_report", "footer_lines", "vg_report"]


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
        t("footer.boundaries", lang, vintage=vintage, validity=validity_text(vintage, lang)),
        t("footer.population", lang, dates=date_span(list(pop["population_date"]), lang)),
        t("footer.offers", lang, dates=date_span(list(offers["reference_date"]), lang)),
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


def _vg_keys(ctx: ReportContext, vintage: int) -> list[str]:
    if vintage not in ctx.data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(ctx.data.vgs)}")
    return sorted(ctx.data.vgs[vintage]["rs"].astype(str))


def _tick(progress: Progress | None, step: int, total: int, message: str) -> None:
    if progress is not None:
        progress(step, total, message)


def vg_report(
    vg_key: str,
    vintage: int,
    *,
    out: Path,
    lang: str = "de",
    analysis: GapReport,
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
    analysis
        The supply analysis of the VGs of ``vintage`` (from the service).
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
    an = analysis
    name = str(ctx.data.vgs[vintage].set_index("rs").loc[vg_key, "name"])
    _tick(progress, 1, total, t("report.progress.vg", lang, name=name))
    story = vg_story(ctx, vg_key, vintage, lang, an)
    _tick(progress, 2, total, t("report.progress.write", lang))
    path = write(
        out,
        story,
        footer_lines(ctx, [vg_key], vintage, lang),
        lang,
        t("report.title", lang, name=name),
    )
    _tick(progress, total, total, t("report.progress.done", lang))
    return path


def _overview(ctx: ReportContext, keys: list[str], vintage: int, lang: str) -> list[Block]:
    overview = vg_table(ctx.data, vintage, lang, ctx.populations).drop(
        columns=[t("field.validity", lang)]
    )
    return [
        Heading(t("report.handout_title", lang), size_pt=21),
        Paragraph(
            tn(
                "report.handout_intro",
                len(keys),
                lang,
                vintage=vintage,
                validity=validity_text(vintage, lang),
                n=len(keys),
            ),
        ),
        Space(4),
        map_image(ctx, "", vintage, lang),
        Space(4),
        table(overview, [42, 24, 18, 22, 22, 46], align_right=[2, 3, 4]),
    ]


def all_vgs_report(
    vintage: int,
    *,
    out: Path,
    lang: str = "de",
    analysis: GapReport,
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
    analysis
        The supply analysis of the VGs of ``vintage`` (from the service).
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
    an = analysis
    story = _overview(ctx, keys, vintage, lang)
    for i, key in enumerate(keys):
        _tick(progress, i + 1, total, t("report.progress.vg", lang, name=str(names[key])))
        story.append(PageBreak())
        story += vg_story(ctx, key, vintage, lang, an)
    _tick(progress, total - 1, total, t("report.progress.write", lang))
    path = write(
        out,
        story,
        footer_lines(ctx, keys, vintage, lang),
        lang,
        t("report.handout_title", lang),
    )
    _tick(progress, total, total, t("report.progress.done", lang))
    return path
