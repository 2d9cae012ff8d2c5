"""Presentation mode: a sequence of full-screen views, kept in the URL.

A sequence is a list of view codes: ``overview``, ``vg:<9-digit key>``, ``hf:<code>``.
The default runs through the district, each current VG, then each Handlungsfeld.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.analysis.population import Populations
from dashboard.config import BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.precision import approximate_mask
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable, sensitive_count_for
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.district import vintage_label
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.common.dates import date_span
from dashboard.render.common.legend import choropleth_title, class_labels
from dashboard.render.common.symbols import symbol_svg
from dashboard.render.context import ReportContext
from dashboard.render.profile import headline_texts, vg_profile
from dashboard.render.projects_text import with_project_rows

SEP = "~"


@dataclass(frozen=True)
class Slide:
    """One view of the presentation."""

    code: str
    title: str
    subtitle: str
    state: ViewState
    figures: pd.DataFrame
    footer: str


def all_views(data: DistrictData) -> list[str]:
    """Every view the mode offers: the district, each current VG, each Handlungsfeld."""
    vgs = [f"vg:{k}" for k in data.vgs[data.config.current_vintage]["rs"]]
    return ["overview", *vgs, *(f"hf:{c}" for c in HANDLUNGSFELDER)]


def default_sequence(data: DistrictData) -> list[str]:
    """Where a presentation starts: the district overview, then each current VG."""
    return [c for c in all_views(data) if not c.startswith("hf:")]


def parse_sequence(text: str | None, data: DistrictData) -> list[str]:
    """Valid view codes of a URL value (unknown codes are dropped); default if empty.

    Parameters
    ----------
    text
        Codes joined by ``~`` (``overview~vg:<key>~hf:sprache``), or ``None``.
    data
        The district (which VGs exist).
    """
    valid = set(all_views(data))
    codes = [c for c in (text or "").split(SEP) if c in valid]
    return codes or default_sequence(data)


def legend_html(
    choropleth: Choropleth | None, points: gpd.GeoDataFrame | None, selected: bool, lang: str
) -> str:
    """The legend of a presentation map as HTML (every text escaped): shading classes with
    date and source, the offers' symbols, the selected VG's outline.

    Parameters
    ----------
    choropleth
        The overlay shown, or ``None``.
    points
        The offers drawn (with a ``stale`` column), or ``None``.
    selected
        Whether a VG is outlined.
    lang
        ``de`` or ``en``.
    """
    esc = html.escape
    parts: list[str] = []

    def row(swatch: str, text: str) -> None:
        parts.append(f'<div class="ia-leg-row">{swatch}<span>{esc(text)}</span></div>')

    def box(color: str, dashed: bool = False) -> str:
        border = "dashed" if dashed else "solid"
        return f'<span class="ia-leg-box" style="background:{esc(color)};border-style:{border}"></span>'

    if choropleth is not None:
        parts.append(f"<h2>{esc(choropleth_title(choropleth, lang))}</h2>")
        for color, text in class_labels(choropleth, lang):  # as on the map and in print
            row(box(color), text)
        row(box(NO_DATA_COLOR, dashed=True), t("map.no_data", lang))
        date = fmt_date(choropleth.reference_date, lang) if choropleth.reference_date else "–"
        key = "map.legend_date_mixed" if choropleth.dates_mixed else "map.legend_date"
        parts.append(f'<p class="ia-leg-note">{esc(t(key, lang, date=date))}</p>')
    if points is not None and len(points):
        parts.append(f"<h2>{esc(t('map.legend_facilities', lang))}</h2>")
        present = [c for c in CATEGORIES if (points["category"] == c).any()]
        for c in present:
            row(symbol_svg(c, False, 26), str(CATEGORIES[c][lang]))
        if approximate_mask(points["precision"]).any():
            row(symbol_svg(present[0], True, 26), t("map.legend_approx", lang))
        if "stale" in points and points["stale"].any():
            row('<span class="ia-leg-dot"></span>', t("map.legend_stale", lang))
    if selected:
        parts.append(f"<h2>{esc(t('legend.boundaries', lang))}</h2>")
        row('<span class="ia-leg-line"></span>', t("legend.selected", lang))
    return '<div class="ia-leg">' + "".join(parts) + "</div>"


def view_label(code: str, data: DistrictData, lang: str) -> str:
    """Short label of a view code (for the sequence editor)."""
    if code == "overview":
        return t("pres.overview", lang)
    kind, key = code.split(":", 1)
    if kind == "vg":
        names = dict(
            zip(
                data.vgs[data.config.current_vintage]["rs"],
                data.vgs[data.config.current_vintage]["name"],
                strict=True,
            )
        )
        return f"{t('field.vg', lang)} {names[key]}"
    return f"{t('filter.hf', lang)}: {HANDLUNGSFELDER[key][lang]}"


def _footer(located: gpd.GeoDataFrame, populations: Populations, lang: str, extra: str = "") -> str:
    pop = populations.at("gemeinde", 0)["reference_date"]  # the headline rule's dates
    fac = located["reference_date"].astype(str)
    parts = [
        t("pres.footer_population", lang, dates=date_span(list(pop), lang)),
        t("pres.footer_facilities", lang, dates=date_span(list(fac), lang)),
    ]
    if extra:
        parts.append(extra)
    parts.append(BKG_ATTRIBUTION)
    return " · ".join(parts)


def build_slide(code: str, ctx: ReportContext, lang: str) -> Slide:
    """The content of one view, from the same functions as the pages.

    Parameters
    ----------
    code
        ``overview``, ``vg:<key>`` or ``hf:<code>``.
    ctx
        The district as the audience may see it (from the service).
    lang
        ``de`` or ``en``.
    """
    data, located, values, projects = ctx.data, ctx.located, ctx.values, ctx.projects
    current = data.config.current_vintage
    base = ViewState(
        lang=lang, vintage=current, layers=("facilities", "choropleth", "gemeinden", "city")
    )
    active = drawable(located[located["status"] == "active"])  # sensitive: per VG, "<5" only
    if code == "overview":
        district = ctx.populations.of("landkreis", data.config.key, current)
        number, date = headline_texts(district, lang)
        figures = pd.DataFrame(
            [
                (t("field.population", lang), number, date),
                (t("pres.vgs", lang), str(len(data.vgs[data.config.current_vintage])), vintage_label(current, lang, len(data.vgs[data.config.current_vintage]))),
                (t("atlas.offers", lang), fmt_int(len(active), lang), t("atlas.offers_note", lang)),
            ],
            columns=[t("atlas.figure", lang), t("col.value", lang), t("field.population_date", lang)],
        )  # fmt: skip
        return Slide(
            code,
            t("pres.overview_title", lang),
            t("pres.overview_sub", lang),
            base,
            figures,
            _footer(active, ctx.populations, lang),
        )
    kind, key = code.split(":", 1)
    if kind == "vg":
        p = vg_profile(
            key, current, data, located, values, list(projects), lang,
            population=ctx.populations.of("vg", key, current),
            sensitive={
                c: sensitive_count_for(ctx.sensitive, key, c, current)
                for c in SENSITIVE_CATEGORIES
            },
        )  # fmt: skip
        figures = with_project_rows(p.figures, p.projects, lang)  # the VG's projects
        state = ViewState(lang=lang, vintage=current, vg=key, layers=base.layers)
        return Slide(code, t("atlas.vg_heading", lang, name=p.name, vg_key=key), t("pres.vg_sub", lang), state, figures,
                     _footer(p.offers if len(p.offers) else active, ctx.populations, lang))  # fmt: skip
    if kind == "hf":
        name = HANDLUNGSFELDER[key][lang]
        offers = active[active["handlungsfelder"].map(lambda hs: key in hs)]
        per_vg = offers[f"vg_{current}"].value_counts()
        figures = pd.DataFrame(
            [
                (n, fmt_int(int(per_vg.get(n, 0)), lang), "")
                for n in data.vgs[data.config.current_vintage]["name"]
            ],
            columns=[t("field.vg", lang), t("atlas.offers", lang), ""],
        )
        n_proj = sum(key in p.handlungsfelder for p in projects)
        state = ViewState(lang=lang, vintage=current, handlungsfelder=(key,), layers=base.layers)
        sub = t(
            "pres.hf_sub",
            lang,
            offers=tn("pres.offers_n", len(offers), lang, n=len(offers)),
            projects=tn("pres.projects_n", n_proj, lang, n=n_proj),
        )
        return Slide(
            code,
            f"{t('filter.hf', lang)}: {name}",
            sub,
            state,
            figures,
            _footer(active, ctx.populations, lang),
        )
    raise ValueError(f"unknown view {code!r}; expected overview, vg:<key> or hf:<code>")
