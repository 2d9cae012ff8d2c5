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
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from dashboard.analysis.population import OFFICIAL
from dashboard.config import BKG_ATTRIBUTION, BKG_LICENCE
from dashboard.domain.model import CATEGORIES
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable, sensitive_count_for
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import validity_text
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int
from dashboard.render import gaps_text
from dashboard.render.common.dates import date_span
from dashboard.render.context import GapReport, ReportContext
from dashboard.render.print.pdf import Bookmark, para, styles, table
from dashboard.render.print.static_map import map_figure
from dashboard.render.profile import VgProfile, vg_profile
from dashboard.render.source_text import source_words

#: Categories whose supply gaps a handout lists: the offer categories, without the
#: sensitive one (Unterkunft) and without project sites (not an offer type).
GAP_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CATEGORIES if c not in SENSITIVE_CATEGORIES and c != "Projektstandort"
)

_MAP_SIZE_MM = (174.0, 112.0)
_MAP_DPI = 200
Styles = dict[str, ParagraphStyle]


def map_image(ctx: ReportContext, key: str, vintage: int, lang: str) -> Image:
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


def _block(heading: str, st: Styles, *parts: Flowable) -> Flowable:
    """A heading and what follows it, kept on one page."""
    return KeepTogether([para(heading, st["h2"]), *parts])


def _header(
    ctx: ReportContext, p: VgProfile, vintage: int, lang: str, st: Styles
) -> list[Flowable]:
    vg = ctx.data.vgs[vintage].set_index("rs").loc[p.key]
    n = int(vg["n_gemeinden"])
    key_line = tn("report.key_line", n, lang, vg_key=p.key, vintage=vintage,
                  validity=validity_text(vintage, lang), n=fmt_int(n, lang))  # fmt: skip
    return [
        Bookmark(f"vg-{p.key}", f"{p.name} ({p.key})"),
        para(t("report.title", lang, name=p.name), st["h1"]),
        para(key_line, st["small"]),
        Spacer(1, 3 * mm),
        map_image(ctx, p.key, vintage, lang),
        Spacer(1, 2 * mm),
    ]


def _figures(p: VgProfile, lang: str, st: Styles) -> Flowable:
    figures = Table(
        [[table(p.figures, [44, 22, 42], st, align_right=[1]),
          table(p.by_category, [38, 22], st, align_right=[1])]],
        colWidths=[112 * mm, 62 * mm],
    )  # fmt: skip
    figures.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    return _block(t("report.figures", lang) + " · " + t("report.by_category", lang), st, figures)


def _lists(p: VgProfile, lang: str, st: Styles) -> list[Flowable]:
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
            t("report.offer_list", lang), st, para(t("report.offer_list_note", lang), st["small"]),
            Spacer(1, 1.5 * mm),
            table(offers, [42, 20, 30, 28, 18, 36], st) if len(offers)
            else para(t("report.no_offers", lang), st["body"]),
        ),
        _block(
            t("report.projects", lang), st,
            table(p.projects, [70, 24, 80], st) if len(p.projects)
            else para(t("report.no_projects", lang), st["body"]),
        ),
        _block(
            t("report.indicators", lang), st,
            table(indicators, widths, st, align_right=[1]) if len(indicators)
            else para(t("report.no_indicators", lang), st["body"]),
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


def _gaps(an: GapReport, key: str, lang: str, st: Styles) -> Flowable:
    rows = an.flags[an.flags["key"] == key].copy()
    order = {c: i for i, c in enumerate(GAP_CATEGORIES)}
    rows = rows.assign(_o=rows["selector"].map(order)).sort_values("_o")
    raw = gaps_text.status_counts(rows)
    counts = {code: fmt_int(n, lang) for code, n in raw.items()}
    note = t("report.gaps_note", lang, thresholds=gaps_text.thresholds_text(an.thresholds, lang))
    coverage = tn("report.gaps_coverage", raw["gap"], lang, **counts)
    coverage += " " + gaps_text.demand_note(rows, lang)
    return _block(
        t("report.gaps", lang), st, para(note, st["small"]), para(coverage, st["small"]),
        Spacer(1, 1.5 * mm),
        table(_gap_frame(rows, an, lang), [26, 15, 15, 28, 30, 60], st, align_right=[1, 2]),
    )  # fmt: skip


def _coverage(an: GapReport, key: str, lang: str, st: Styles) -> Flowable:
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
        t("report.coverage", lang), st, para(t("report.coverage_note", lang), st["small"]),
        Spacer(1, 1.5 * mm), table(frame, [52, 17, 17, 88], st, align_right=[1, 2]),
    )  # fmt: skip


def vg_story(
    ctx: ReportContext, key: str, vintage: int, lang: str, an: GapReport
) -> list[Flowable]:
    """The flowables of one VG section: header and map, key figures, lists, supply gaps,
    coverage of the Handlungsfelder, data and sources."""
    st = styles()
    sensitive = {
        c: sensitive_count_for(ctx.sensitive, key, c, vintage) for c in SENSITIVE_CATEGORIES
    }
    p = vg_profile(
        key, vintage, ctx.data, ctx.located, ctx.values, ctx.projects, lang,
        population=ctx.populations.of("vg", key, vintage), sensitive=sensitive,
    )  # fmt: skip
    sources = table(_sources_frame(ctx, p, vintage, lang), [52, 30, 92], st)
    return [
        *_header(ctx, p, vintage, lang, st),
        _figures(p, lang, st),
        *_lists(p, lang, st),
        _gaps(an, key, lang, st),
        _coverage(an, key, lang, st),
        _block(t("report.sources", lang), st, sources),
    ]
