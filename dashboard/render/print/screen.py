"""The map of a presentation view as a PNG, drawn like the printable map in large type.

The presentation (:mod:`dashboard.render.web.presentation`) shows it beside its own
legend; the drawing is the printable map's (:func:`dashboard.render.print.static_map.map_figure`),
so this lives with the print outputs.
"""

from __future__ import annotations

import io

import geopandas as gpd
from PIL import Image, ImageOps

from dashboard.analysis.classify import Choropleth
from dashboard.data.boundaries import DistrictData
from dashboard.domain.viewstate import ViewState
from dashboard.render.print.static_map import map_figure

#: The sheet of a presentation map (millimetres) and its resolution. The map has no legend
#: of its own (the view shows one in large type beside it) and labels at 1.4 times their
#: print size. At 240 dpi the drawn map is about 1,450 x 910 px: wider than the space it
#: gets on a 1920 x 1080 projector (about 1,300 x 850 px beside the legend), so the
#: browser fills that space by scaling down (sharp), never up from a smaller picture.
SCREEN_MM = (176.0, 120.0)
SCREEN_DPI = 240
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
