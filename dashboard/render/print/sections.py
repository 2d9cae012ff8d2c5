"""The content of a handout: one section per Verbandsgemeinde, a builder per subject.

Every number comes from the functions behind the pages, never recomputed here: key
figures, offers, projects and indicators from :func:`dashboard.render.profile.vg_profile`;
the supply gaps and the coverage of the Handlungsfelder arrive computed by the service
(:class:`dashboard.render.context.GapReport`: the same analysis as the page and the
``gaps`` file). The map is the printable map of :mod:`dashboard.render.print.static_map`,
zoomed to the VG.
"""

from __future__ import annotations

import io

import pandas as pd

from dashboard.analysis.population import OFFICIAL
from dashboard.config import BKG_ATTRIBUTION, BKG_LICENCE
from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable, sensitive_count_for
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int
from dashboard.render import gaps_text
from dashboard.render.common.alt import sheet_alt_text
from dashboard.render.common.dates import date_span
from dashboard.render.context import GapReport, ReportContext
from dashboard.render.print.pdf import Block, table
from dashboard.render.print.static_map import map_figure
from dashboard.render.profile import VgProfile, vg_profile
from dashboard.render.source_text import source_words
from dashboard.render.tagged_pdf import Columns, Figure, Heading, Keep, Paragraph, Space

#: Categories whose supply gaps a handout lists: the offer categories, without the
#: sensitive one (Unterkunft) and without project sites (not an offer type).
GAP_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if c not in SENSITIVE_CATEGORIES and c != "Projektstandort"
)

_MAP_SIZE_MM = (174.0, 112.0)
_MAP_DPI = 200


def map_image(ctx: ReportContext, key: str, vintage: int, lang: str) -> Figure:
    """The compact map of the district (``key`` = "") or of one VG, as a figure with its
    alternative text (what it shows: the areas, the selected VG, the offers drawn)."""
    active = drawable(ctx.located[ctx.located["status"] == "active"])
    fig = map_figure(
        ctx.data,
        vintage,
        active,
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
    vgs = ctx.data.vgs[vintage]
    name = str(vgs.loc[vgs["rs"] == key, "name"].iloc[0]) if key else ""
    title = t("map.title", lang)
    if key:
        title = t("map.subtitle_vg", lang, name=name, vg_key=key, vintage=vintage)
    points = active[active.geometry.notna() & ~active.geometry.is_empty]
    if key:  # the offers of the VG (those of its neighbours at the edges are not counted)
        points = points[points[f"vg_rs_{vintage}"] == key]
    alt = sheet_alt_text(title, (len(vgs), vintage), name, (None, points, "vg"), lang)
    return Figure(buf.getvalue(), alt, width_mm=_MAP_SIZE_MM[0])


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
            t("field.source", lang): [source_words(s, lang) for s in offers["source"]],
        }
    )


def _sources_frame(ctx: ReportContext, profile: VgProfile, vintage: int, lang: str) -> pd.DataFrame:
    """What the section shows, with its date and source."""
    what = t("report.col.what", lang)
    when, source = t("field.population_date", lang), t("field.source", lang)
    rows = [
        (
            t("report.src.boundaries", lang),
            f"2016; VG {vintage}: {validity_text(vintage, lang)}",
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
                source_words(headline["sources"], lang),
            )
        )
    else:
        for (date, src), part in _member_populations(ctx, [profile.key], vintage).groupby(
            ["reference_date", "sources"], sort=True
        ):
            names = ", ".join(sorted(part["name"].astype(str)))
            rows.append((f"{population}: {names}", fmt_date(date, lang), source_words(src, lang)))
    offers = drawable(profile.offers)
    for src, part in offers.groupby("source", sort=True):
        rows.append(
            (
                t("report.src.offers", lang) + f" ({fmt_int(len(part), lang)})",
                date_span(list(part["reference_date"]), lang),
                source_words(src, lang),
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


def _block(heading: str, *parts: Block) -> Block:
    """A heading (level 2, not in the outline) and what follows it, kept on one page."""
    return Keep((Heading(heading, 2, bookmark=False), *parts))


def _header(ctx: ReportContext, p: VgProfile, vintage: int, lang: str) -> list[Block]:
    vg = ctx.data.vgs[vintage].set_index("rs").loc[p.key]
    n = int(vg["n_gemeinden"])
    key_line = tn("report.key_line", n, lang, vg_key=p.key, vintage=vintage,
                  validity=validity_text(vintage, lang), n=fmt_int(n, lang))  # fmt: skip
    return [
        Heading(t("report.title", lang, name=p.name)),
        Paragraph(key_line, small=True),
        Space(3),
        map_image(ctx, p.key, vintage, lang),
        Space(2),
    ]


def _figures(p: VgProfile, lang: str) -> Block:
    figures = Columns(
        (table(p.figures, [44, 22, 42], align_right=[1]),
         table(p.by_category, [38, 22], align_right=[1])),
        (112, 62),
    )  # fmt: skip
    return _block(t("report.figures", lang) + " · " + t("report.by_category", lang), figures)


def _lists(p: VgProfile, lang: str) -> list[Block]:
    """The offers, the projects and the indicators of the VG."""
    offers = _offer_frame(p, lang)
    indicators = p.indicators
    note_col = t("col.note", lang)
    if note_col in indicators and (indicators[note_col].astype(str) == "").all():
        indicators = indicators.drop(columns=[note_col])
    widths = [36, 17, 15, 19, 63, 24][: len(indicators.columns)]
    widths[4] += 174 - sum(widths)
    return [
        _block(
            t("report.offer_list", lang), Paragraph(t("report.offer_list_note", lang), small=True),
            Space(1.5),
            table(offers, [42, 20, 30, 28, 18, 36]) if len(offers)
            else Paragraph(t("report.no_offers", lang)),
        ),
        _block(
            t("report.projects", lang),
            table(p.projects, [70, 24, 80]) if len(p.projects)
            else Paragraph(t("report.no_projects", lang)),
        ),
        _block(
            t("report.indicators", lang),
            table(indicators, widths, align_right=[1]) if len(indicators)
            else Paragraph(t("report.no_indicators", lang)),
        ),
    ]  # fmt: skip


def _gap_frame(rows: pd.DataFrame, an: GapReport, lang: str) -> pd.DataFrame:
    """The gap table of a VG: the page's words for the analysis' codes."""
    reasons = gaps_text.reasons(rows, lang, an.thresholds)
    return pd.DataFrame(
        {
            t("col.category", lang): [t(f"cat.{c}", lang) for c in rows["selector"]],
            t("atlas.offers", lang): [fmt_int(v, lang) for v in rows["offers"]],
            t("report.col.per_1000", lang): [fmt_float(v, 2, lang) for v in rows["per_1000"]],
            t("report.col.distance", lang): [
                gaps_text.distance_text(r, lang) for _, r in rows.iterrows()
            ],
            t("report.col.flag", lang): [gaps_text.status_text(str(s), lang) for s in rows["status"]],
            t("report.col.reason", lang): [
                r or (gaps_text.coverage_text(str(c), lang) if s == "unknown" else "")
                for r, s, c in zip(reasons, rows["status"], rows["coverage"], strict=True)
            ],
        }
    )  # fmt: skip


def _gaps(an: GapReport, key: str, lang: str) -> Block:
    rows = an.flags[an.flags["key"] == key].copy()
    order = {c: i for i, c in enumerate(GAP_CATEGORIES)}
    rows = rows.assign(_o=rows["selector"].map(order)).sort_values("_o")
    raw = gaps_text.status_counts(rows)
    counts = {code: fmt_int(n, lang) for code, n in raw.items()}
    note = t("report.gaps_note", lang, thresholds=gaps_text.thresholds_text(an.thresholds, lang))
    coverage = tn("report.gaps_coverage", raw["gap"], lang, **counts)
    coverage += " " + gaps_text.demand_note(rows, lang)
    return _block(
        t("report.gaps", lang), Paragraph(note, small=True), Paragraph(coverage, small=True),
        Space(1.5),
        table(_gap_frame(rows, an, lang), [26, 15, 15, 28, 30, 60], align_right=[1, 2]),
    )  # fmt: skip


def _coverage(an: GapReport, key: str, lang: str) -> Block:
    cov = an.coverage[an.coverage["vg_rs"] == key]
    frame = pd.DataFrame(
        {
            t("report.col.hf", lang): [t(f"hf.{h}", lang) for h in cov["handlungsfeld"]],
            t("atlas.offers", lang): [fmt_int(v, lang) for v in cov["offers"]],
            t("report.col.projects", lang): [fmt_int(v, lang) for v in cov["projects"]],
            t("report.col.meaning", lang): gaps_text.meanings(cov, lang),
        }
    )
    return _block(
        t("report.coverage", lang), Paragraph(t("report.coverage_note", lang), small=True),
        Space(1.5), table(frame, [52, 17, 17, 88], align_right=[1, 2]),
    )  # fmt: skip


def vg_story(ctx: ReportContext, key: str, vintage: int, lang: str, an: GapReport) -> list[Block]:
    """The blocks of one VG section: header and map, key figures, lists, supply gaps,
    coverage of the Handlungsfelder, data and sources."""
    sensitive = {
        c: sensitive_count_for(ctx.sensitive, key, c, vintage) for c in SENSITIVE_CATEGORIES
    }
    p = vg_profile(
        key, vintage, ctx.data, ctx.located, ctx.values, ctx.projects, lang,
        population=ctx.populations.of("vg", key, vintage), sensitive=sensitive,
    )  # fmt: skip
    sources = table(_sources_frame(ctx, p, vintage, lang), [52, 30, 92])
    return [
        *_header(ctx, p, vintage, lang),
        _figures(p, lang),
        *_lists(p, lang),
        _gaps(an, key, lang),
        _coverage(an, key, lang),
        _block(t("report.sources", lang), sources),
    ]
