"""Sentences around the analysis: counts by status, the demand used, the what-if lines."""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.gaps import STATUS_CODES
from dashboard.analysis.gaps.aggregate import joined, newest, oldest
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_int
from dashboard.render.gaps_text.labels import (
    date_text,
    demand_label,
    selector_label,
)
from dashboard.render.source_text import source_words

#: Topics of the explanation of the measures (messages ``gaps.explain.<topic>``).
EXPLAINED: tuple[str, ...] = (
    "coverage", "offers", "per_1000", "demand", "distance", "position", "share", "2sfca",
    "border", "flag", "unconfirmed",
)  # fmt: skip


def explanations(lang: str) -> list[str]:
    """What the measures mean, one Markdown paragraph each."""
    return [t(f"gaps.explain.{topic}", lang) for topic in EXPLAINED]


def status_counts(flags: pd.DataFrame) -> dict[str, int]:
    """Areas per status code (:data:`dashboard.analysis.gaps.STATUS_CODES`)."""
    return {c: int((flags["status"] == c).sum()) for c in STATUS_CODES}


def border_text(row: pd.Series, lang: str) -> str:
    """The demand beyond the border one analysis counts: how much, of what, whether its own
    value or estimated (or partly), its date or dates and its sources."""
    basis = set(str(row.get("border_basis", "")).split(",")) - {"none", ""}
    key = {
        frozenset({"value"}): "gaps.border_counted",
        frozenset({"estimated"}): "gaps.border_estimated",
    }.get(frozenset(basis), "gaps.border_mixed")
    return t(
        key, lang, n=fmt_int(float(row.get("border_demand", 0.0) or 0.0), lang),
        group=demand_label(str(row.get("demand_indicator", "")), lang),
        date=date_text(row.get("border_date"), row.get("border_date_newest"), lang) or "–",
        source=source_words(row.get("border_sources", ""), lang) or "–",
    )  # fmt: skip


def demand_note(flags: pd.DataFrame, lang: str, fallback: bool = True) -> str:
    """What the per-1,000 figures and the 2SFCA divide by, its dates and sources, and
    (``fallback``) what stood in for a missing demand indicator (``Bedarf: Einwohner (Stand
    ...; Quelle ...). Kita: Für 50 Gemeinden fehlt ...``)."""
    if flags.empty or "demand_indicator" not in flags:
        return ""
    dates = date_text(oldest(flags["demand_date"]), newest(flags["demand_date_newest"]), lang)
    used = list(dict.fromkeys(str(u) for u in flags["demand_indicator"]))
    group = ", ".join(demand_label(u, lang) for u in used)
    sources = (
        source_words(joined(flags["demand_sources"]), lang) if "demand_sources" in flags else ""
    )
    parts = [t("gaps.demand_used", lang, group=group, dates=dates or "–", sources=sources or "–")]
    for selector, part in flags.groupby("selector", sort=False) if fallback else ():
        row = part.iloc[0]
        if str(row["demand_indicator"]) != str(row["demand_chosen"]):
            n = int(row["demand_missing"])
            chosen = demand_label(str(row["demand_chosen"]), lang)
            parts.append(
                selector_label(str(selector), lang) + ": "
                + tn("gaps.demand_fallback", n, lang, chosen=chosen, n=n)
            )  # fmt: skip
    row = flags.iloc[0]
    border = float(row.get("border_demand", 0.0) or 0.0)
    if border > 0:
        parts.append(border_text(row, lang))
    elif "none" in str(row.get("border_basis", "")):
        parts.append(t("gaps.border_none", lang))
    return " ".join(parts)
