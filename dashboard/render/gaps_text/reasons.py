"""Why an area is a gap, or uncertain: the breached criteria in words, with thresholds."""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

from dashboard.analysis.demand import POPULATION
from dashboard.analysis.gaps import CODE_SEP, Thresholds
from dashboard.domain.model import CATEGORIES
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_exact, fmt_int
from dashboard.render.gaps_text.labels import demand_label, distinct, km_range, status_text


def thresholds_text(thresholds: Thresholds, lang: str, demand: str = POPULATION) -> str:
    """The thresholds as stated with the analysis, numbers as the user typed them;
    ``demand`` is the indicator the per-1,000 threshold refers to. Says how an area whose
    distance is a range around the threshold is treated (``unsicher``)."""
    values = {
        "d": fmt_exact(thresholds.max_distance_km, lang),
        "p": fmt_exact(thresholds.min_per_1000, lang),
        "r": fmt_exact(thresholds.radius_km, lang),
    }
    if demand == POPULATION:
        return tn("gaps.thresholds_text", thresholds.min_per_1000, lang, **values)
    return tn(
        "gaps.thresholds_text_demand", thresholds.min_per_1000, lang,
        group=demand_label(demand, lang), **values,
    )  # fmt: skip


def _nearest(selector: str, lang: str) -> str:
    """``Nächste Kita`` / ``Nächstes Angebot im Handlungsfeld Sprache``."""
    if selector in CATEGORIES:
        return t(f"gaps.nearest.{selector}", lang)
    return t("gaps.nearest_hf", lang, name=t(f"hf.{selector}", lang))


def _no_offer(selector: str, lang: str) -> str:
    """``Keine Kita`` / ``Kein Angebot im Handlungsfeld Sprache``."""
    if selector in CATEGORIES:
        return t(f"gaps.no_offer.{selector}", lang)
    return t("gaps.no_offer_hf", lang, name=t(f"hf.{selector}", lang))


def _distance(low: float, high: float, threshold: float, lang: str) -> str:
    if high > low and math.isfinite(high):
        return km_range(low, high, lang)
    return distinct(low, threshold, 1, lang)[0]


def _few(per_1000: float, thresholds: Thresholds, demand: str, lang: str) -> str:
    value, shown = distinct(per_1000, thresholds.min_per_1000, 2, lang)
    limit = fmt_exact(thresholds.min_per_1000, lang)
    if demand == POPULATION:
        return tn("gaps.reason.few", shown, lang, value=value, limit=limit)
    return tn(
        "gaps.reason.few_demand", shown, lang, value=value, limit=limit,
        group=demand_label(demand, lang),
    )  # fmt: skip


def reason_text(
    selector: str,
    level: str,
    codes: str | Iterable[str],
    distance: tuple[float, float],
    per_1000: float,
    thresholds: Thresholds,
    lang: str,
    demand: str = POPULATION,
) -> str:
    """The reason of one row: the criteria it breaches (or may breach), with thresholds.

    Parameters
    ----------
    selector
        Category or Handlungsfeld code.
    level
        ``gemeinde`` (distance of the Gemeinde) or another level (demand-weighted mean).
    codes
        ``reason_codes`` of :func:`dashboard.analysis.gaps.gap_flags` (joined with ``|``,
        or a list of them).
    distance
        ``(low, high)`` km of the distance to the nearest offer (equal when exact).
    per_1000, thresholds, lang, demand
        The row's offers per 1,000, the thresholds it was flagged with, the language and
        the demand indicator the per-1,000 figure refers to.

    Returns
    -------
    str
        ``Nächste Kita 8 km entfernt (Schwelle 5 km); 0 Angebote je 1.000 Einwohner
        (Schwelle 0,5)``; empty without codes.
    """
    found = set(codes.split(CODE_SEP) if isinstance(codes, str) else codes) - {""}
    limit_km = fmt_exact(thresholds.max_distance_km, lang)
    nearest = _nearest(selector, lang)
    low, high = distance
    parts = []
    if "none" in found:
        none = _no_offer(selector, lang)
        parts.append(t("gaps.reason.none", lang, none=none, limit=limit_km))
    elif "far" in found or "far_uncertain" in found:
        km = _distance(low, high, thresholds.max_distance_km, lang)
        key = "gaps.reason.far" if "far" in found else "gaps.reason.far_uncertain"
        if level != "gemeinde":  # a VG or the district: the demand-weighted mean
            key += "_mean"
        parts.append(t(key, lang, nearest=nearest, km=km, limit=limit_km))
    if "few" in found:
        parts.append(_few(per_1000, thresholds, demand, lang))
    return "; ".join(parts)


def _row_thresholds(row: pd.Series, default: Thresholds | None) -> Thresholds:
    if default is not None:
        return default
    return Thresholds(
        float(row["max_distance_km"]), float(row["min_per_1000"]), float(row["radius_km"])
    )


def reasons(
    flags: pd.DataFrame, lang: str, thresholds: Thresholds | None = None, suffix: str = ""
) -> list[str]:
    """:func:`reason_text` of every row of a flags frame (empty for rows without codes).

    ``thresholds`` defaults to each row's own (``max_distance_km``, ``min_per_1000``,
    ``radius_km``); ``suffix`` reads the measures from ``<measure><suffix>`` columns (the
    ``_before`` / ``_after`` columns of a what-if comparison).
    """
    out = []
    for _, row in flags.iterrows():
        codes = str(row[f"reason_codes{suffix}"])
        if not codes:
            out.append("")
            continue
        level = str(row["level"]) if "level" in row else "gemeinde"
        demand = str(row.get("demand_indicator", POPULATION) or POPULATION)
        distance = (float(row[f"distance_km_low{suffix}"]), float(row[f"distance_km_high{suffix}"]))
        out.append(
            reason_text(
                str(row["selector"]),
                level,
                codes,
                distance,
                float(row[f"per_1000{suffix}"]),
                _row_thresholds(row, thresholds),
                lang,
                demand,
            )  # fmt: skip
        )
    return out


def reason_groups(flags: pd.DataFrame, lang: str, limit: int = 6) -> list[str]:
    """The reasons grouped instead of repeated: one line per kind of finding, with the
    number of areas and their names (the first ``limit``): gaps first, then the uncertain
    areas, then those whose list is not confirmed (``45 Gemeinden: unbekannt – keine
    bestätigte Liste``)."""
    if flags.empty:
        return []
    level = str(flags["level"].iloc[0])
    lines = []
    gaps = flags[flags["status"] == "gap"]
    for codes, part in gaps.groupby("reason_codes", sort=False):
        first = part.iloc[0]
        demand = str(first.get("demand_indicator", POPULATION) or POPULATION)
        what = _group_reason(str(first["selector"]), str(codes), first, demand, lang)
        lines.append(_group_line(part, level, what, lang, limit))
    for code in ("uncertain", "unknown"):
        part = flags[flags["status"] == code]
        if len(part):
            lines.append(_group_line(part, level, status_text(code, lang), lang, limit))
    return lines


def _group_reason(selector: str, codes: str, row: pd.Series, demand: str, lang: str) -> str:
    found = set(codes.split(CODE_SEP)) - {""}
    th = _row_thresholds(row, None)
    parts = []
    if "none" in found:
        parts.append(t("gaps.group.none", lang, none=_no_offer(selector, lang)))
    elif "far" in found:
        limit = fmt_exact(th.max_distance_km, lang)
        parts.append(t("gaps.group.far", lang, nearest=_nearest(selector, lang), limit=limit))
    if "few" in found:
        parts.append(
            tn(
                "gaps.group.few",
                th.min_per_1000,
                lang,
                limit=fmt_exact(th.min_per_1000, lang),
                group=demand_label(demand, lang),
            )  # fmt: skip
        )
    return t("gaps.group.and", lang).join(parts)


def _group_line(part: pd.DataFrame, level: str, what: str, lang: str, limit: int) -> str:
    names = [str(n) for n in part.sort_values("population", ascending=False)["name"]]
    shown = ", ".join(names[:limit]) + (
        t("gaps.group.more", lang, n=len(names) - limit) if len(names) > limit else ""
    )
    values = {"n": fmt_int(len(part), lang), "what": what, "names": shown}
    if level == "vg":
        return tn("gaps.group.vg", len(part), lang, **values)
    if level == "landkreis":
        return tn("gaps.group.landkreis", len(part), lang, **values)
    return tn("gaps.group.gemeinde", len(part), lang, **values)
