"""Shared pieces of the web maps: script-safe JSON, layer styles, the areas' tooltip rows.

Text from data never becomes HTML: the browser builds tooltips with ``textContent``,
and JSON embedded in scripts escapes ``<``, ``>`` and ``&`` (:func:`safe_json`).
"""

from __future__ import annotations

import json
from typing import Any

from dashboard.analysis.population import Populations
from dashboard.data.boundaries import DistrictData
from dashboard.i18n.catalogue import t
from dashboard.i18n.district import validity_text
from dashboard.render.profile import headline_texts

GEMEINDE_STYLE = {
    "color": "#5a6f8a",
    "weight": 1,
    "fill": True,
    "fillOpacity": 0.0,
    "dashArray": "3 3",
}
CITY_STYLE = {
    "color": "#6b6b6b",
    "weight": 1.5,
    "dashArray": "5 4",
    "fillColor": "#f4f1ea",
    "fillOpacity": 0.8,
}


def safe_json(value: Any) -> str:
    """JSON for embedding inside ``<script>``: ``<``, ``>`` and ``&`` are escaped.

    Parameters
    ----------
    value
        Any JSON-serialisable value.

    Returns
    -------
    str
        JSON text that cannot close a script element or open a comment.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _validity(vintage: int, lang: str) -> str:
    return validity_text(vintage, lang)


def _headlines(
    populations: Populations, level: str, keys: list[str], vintage: int, lang: str
) -> tuple[list[str], list[str], list[str]]:
    """Headline population texts (number, date, sources) of many areas, each distinct
    figure formatted once (:func:`dashboard.render.profile.headline_texts`)."""
    frame = populations.at(level, vintage)
    known = frame.reindex([k for k in dict.fromkeys(keys) if k in frame.index])
    texts = {
        key: (*headline_texts(row, lang), str(row["sources"]))
        for key, row in zip(known.index, known.to_dict("records"), strict=True)
    }
    empty = ("–", "", "")
    out = [texts.get(k, empty) for k in keys]
    return [o[0] for o in out], [o[1] for o in out], [o[2] for o in out]


def tooltip_columns(
    data: DistrictData, layer: str, vintage: int, lang: str, populations: Populations
) -> tuple[list[str], list[list[str]]]:
    """The tooltip of every area of a layer, as row labels and one column of texts per
    label (``layer``: ``vg`` of ``vintage``, ``gemeinden`` or ``city``)."""
    if layer == "vg":
        vgs = data.vgs[vintage]
        keys = [str(k) for k in vgs["rs"]]
        number, date, _ = _headlines(populations, "vg", keys, vintage, lang)
        labels = [
            t("field.vg", lang), t("field.key", lang), t("field.gemeinden", lang),
            t("field.population", lang), t("field.population_date", lang), t("field.validity", lang),
        ]  # fmt: skip
        cols = [
            vgs["name"].astype(str).tolist(), keys, vgs["n_gemeinden"].astype(str).tolist(),
            number, date, [_validity(vintage, lang)] * len(keys),
        ]  # fmt: skip
    elif layer == "gemeinden":
        gem = data.gemeinden
        keys = [str(k) for k in gem["ags"]]
        number, date, sources = _headlines(populations, "gemeinde", keys, vintage, lang)
        vg_of = data.membership.set_index("ags")[f"vg_{vintage}"].astype(str)
        kinds = gem["kind"].astype(str)
        labels = [
            t("field.name", lang), t("field.ags", lang), t("field.kind", lang), t("field.vg", lang),
            t("field.population", lang), t("field.population_date", lang), t("field.source", lang),
        ]  # fmt: skip
        cols = [
            gem["name"].astype(str).tolist(), keys,
            kinds.map({k: t(f"kind.{k}", lang) for k in kinds.unique()}).tolist(),
            [vg_of.get(k, "") for k in keys], number, date, sources,
        ]  # fmt: skip
    elif layer == "city":
        labels = [t("field.name", lang), t("field.kind", lang)]
        cols = [data.city["name"].astype(str).tolist(), [t("kind.city", lang)] * len(data.city)]
    else:
        raise ValueError(f"unknown layer {layer!r}; expected vg, gemeinden or city")
    return labels, cols
