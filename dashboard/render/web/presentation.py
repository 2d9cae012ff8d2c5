"""Presentation mode: a sequence of full-screen views, kept in the URL.

A sequence is a list of view codes: ``overview``, ``vg:<9-digit key>``, ``hf:<code>``.
The default runs through the district, each current VG, then each Handlungsfeld.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from PIL import Image, ImageOps

from dashboard.analysis.classify import NO_DATA_COLOR, Choropleth
from dashboard.config import BKG_ATTRIBUTION
from dashboard.data.boundaries import DistrictData
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.domain.privacy import SENSITIVE_CATEGORIES, drawable, sensitive_count_for
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import vintage_label
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.context import ReportContext
from dashboard.render.print.static_map import map_figure
from dashboard.render.profile import headline_texts, vg_profile
from dashboard.render.web.atlas import choropleth_title, symbol_svg, value_text

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


#: The sheet of a presentation map (millimetres) and its resolution. The map has no legend
#: of its own (the view shows one in large type beside it) and labels at 1.4 times their
#: print size: about 1,250 x 850 px, the space the map gets on a 1920 x 1080 projector.
SCREEN_MM = (176.0, 120.0)
SCREEN_DPI = 180
SCREEN_FONT = 1.4


def screen_png(
    data: DistrictData,
    state: ViewState,
    points: gpd.GeoDataFrame | None,
    choropleth: Choropleth | None,
    lang: str,
) -> bytes:
    """The map of a presentation view as a PNG: the printable map's drawing (boundaries,
    Gemeinde and VG names, offers, shading, scale, north arrow, attribution) with large
    labels, without title, legend and footer (the view shows its own).

    Parameters
    ----------
    data
        Boundaries and population.
    state
        The view (vintage, selected VG, layers, overlay level).
    points
        Offers to draw (the audience's, filtered), or ``None``.
    choropleth
        The classified overlay, or ``None``.
    lang
        ``de`` or ``en``.
    """
    fig = map_figure(
        data, state.vintage, points, choropleth, size_mm=SCREEN_MM, title="", subtitle="",
        lang=lang, choropleth_level=state.level, selected_vg=state.vg,
        show_gemeinden="gemeinden" in state.layers, show_city="city" in state.layers,
        with_footer=False, dpi=SCREEN_DPI, legend=False, font_scale=SCREEN_FONT,
    )  # fmt: skip
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=SCREEN_DPI, facecolor="white")
    return _compact_png(buf.getvalue())


def _compact_png(png: bytes) -> bytes:
    """The white margin cut off and the colours reduced to a palette (a quarter of the
    bytes, the same look): the file a projector's browser loads on each step."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    box = ImageOps.invert(image).getbbox()
    if box is not None:
        pad = 6
        left, top, right, bottom = box
        image = image.crop(
            (max(left - pad, 0), max(top - pad, 0),
             min(right + pad, image.width), min(bottom + pad, image.height))
        )  # fmt: skip
    out = io.BytesIO()
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(
        out, format="PNG", optimize=True
    )
    return out.getvalue()


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
        parts.append(f"<h4>{esc(choropleth_title(choropleth, lang))}</h4>")
        low = choropleth.lower
        for color, high in zip(choropleth.colors, choropleth.bounds, strict=True):
            lo = value_text(low, choropleth.per_1000, choropleth.unit, lang)
            hi = value_text(high, choropleth.per_1000, choropleth.unit, lang)
            row(box(color), f"{lo} – {hi}")
            low = high
        row(box(NO_DATA_COLOR, dashed=True), t("map.no_data", lang))
        date = fmt_date(choropleth.reference_date, lang) if choropleth.reference_date else "–"
        key = "map.legend_date_mixed" if choropleth.dates_mixed else "map.legend_date"
        parts.append(f'<p class="ia-leg-note">{esc(t(key, lang, date=date))}</p>')
    if points is not None and len(points):
        parts.append(f"<h4>{esc(t('map.legend_facilities', lang))}</h4>")
        present = [c for c in CATEGORIES if (points["category"] == c).any()]
        for c in present:
            row(symbol_svg(c, False, 26), str(CATEGORIES[c][lang]))
        if points["precision"].isin(("postcode", "gemeinde")).any():
            row(symbol_svg(present[0], True, 26), t("map.legend_approx", lang))
        if "stale" in points and points["stale"].any():
            row('<span class="ia-leg-dot"></span>', t("map.legend_stale", lang))
    if selected:
        parts.append(f"<h4>{esc(t('legend.boundaries', lang))}</h4>")
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


def _footer(located: gpd.GeoDataFrame, data: DistrictData, lang: str, extra: str = "") -> str:
    pop = data.population["population_date"]
    fac = located["reference_date"].astype(str)
    parts = [
        t(
            "pres.footer_population",
            lang,
            oldest=fmt_date(pop.min(), lang),
            newest=fmt_date(pop.max(), lang),
        ),
        t(
            "pres.footer_facilities",
            lang,
            oldest=fmt_date(fac.min(), lang),
            newest=fmt_date(fac.max(), lang),
        ),
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
            _footer(active, data, lang),
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
        figures = p.figures
        state = ViewState(lang=lang, vintage=current, vg=key, layers=base.layers)
        return Slide(code, t("atlas.vg_heading", lang, name=p.name, vg_key=key), t("pres.vg_sub", lang), state, figures,
                     _footer(p.offers if len(p.offers) else active, data, lang))  # fmt: skip
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
        sub = t("pres.hf_sub", lang, n=len(offers), p=n_proj)
        return Slide(
            code,
            f"{t('filter.hf', lang)}: {name}",
            sub,
            state,
            figures,
            _footer(active, data, lang),
        )
    raise ValueError(f"unknown view {code!r}; expected overview, vg:<key> or hf:<code>")
