"""The answer first, in words: what an analysis says, why parts are unknown, what a
planned facility changes, and what would make the unknown known.

Made from the facts of :mod:`dashboard.analysis.gaps.answer` (codes and numbers) with the
catalogue; every text that depends on a count takes its plural form here
(:func:`dashboard.i18n.catalogue.tn`), and the number of areas is worded by one helper,
:func:`areas_text`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from dashboard.analysis.gaps import Effect, MissingList, Summary, WhatIfEffects
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_exact, fmt_float, fmt_int, fmt_list
from dashboard.render.gaps_text.labels import (
    demand_label,
    km_range,
    selector_label,
    status_text,
    vg_label,
)

#: Names listed in a sentence before "and n more".
NAMES_SHOWN = 6

#: Areas whose what-if change is told in a sentence (the others are in the table).
EFFECTS_SHOWN = 5


def areas_text(n: int, level: str, lang: str) -> str:
    """``1 Gemeinde`` / ``3 Gemeinden`` / ``2 Verbandsgemeinden`` / the district."""
    if level == "vg":
        return tn("answer.areas.vg", n, lang, n=fmt_int(n, lang))
    if level == "landkreis":
        return t("answer.areas.landkreis", lang)  # one area: the district
    return tn("answer.areas.gemeinde", n, lang, n=fmt_int(n, lang))


def names_text(names: Sequence[str], lang: str, limit: int = NAMES_SHOWN) -> str:
    """``A, B und C``, or the first ``limit`` and ``und 4 weitere``."""
    if len(names) <= limit:
        return fmt_list(list(names), lang)
    rest = len(names) - limit
    more = tn("answer.more", rest, lang, n=fmt_int(rest, lang))
    return fmt_list([*names[:limit], more], lang)


def lists_text(categories: Sequence[str], lang: str) -> str:
    """``Liste der Kategorie Kita`` / ``Listen der Kategorien Sprachkurs und Verein``."""
    cats = fmt_list([t(f"cat.{c}", lang) for c in categories], lang)
    return tn("answer.lists", len(categories), lang, cats=cats)


def _status_lines(s: Summary, lang: str) -> list[str]:
    counts, names = s.counts, s.names
    known = s.total - counts["unknown"]
    lines = []
    if counts["gap"]:
        lines.append(
            tn(
                "answer.gaps",
                counts["gap"],
                lang,
                areas=areas_text(counts["gap"], s.level, lang),
                names=names_text(names["gap"], lang),
            )  # fmt: skip
        )
    elif known:
        lines.append(t("answer.no_gap_found", lang, areas=areas_text(known, s.level, lang)))
    if counts["gap"] and counts["no_gap"]:
        lines.append(t("answer.no_gap", lang, areas=areas_text(counts["no_gap"], s.level, lang)))
    if counts["uncertain"]:
        n = counts["uncertain"]
        lines.append(
            tn(
                "answer.uncertain",
                n,
                lang,
                areas=areas_text(n, s.level, lang),
                names=names_text(names["uncertain"], lang),
            )  # fmt: skip
        )
    return lines


def _unknown_lines(s: Summary, lang: str) -> list[str]:
    n = s.counts["unknown"]
    if not n:
        return []
    areas = areas_text(n, s.level, lang)
    if n == s.total:
        lines = [tn("answer.unknown_all", n, lang, areas=areas)]
    else:
        lines = [
            tn("answer.unknown", n, lang, areas=areas, names=names_text(s.names["unknown"], lang))
        ]
    if not s.categories:
        lines.append(t("answer.why_no_list", lang, what=selector_label(s.selector, lang)))
    elif s.missing:
        vgs = fmt_list([m.vg_name for m in s.missing], lang)
        lists = lists_text(_categories(s.missing), lang)
        lines.append(tn("answer.why", len(s.missing), lang, vgs=vgs, lists=lists))
    lines.append(t("answer.measures_known", lang))
    return lines


def _categories(missing: Sequence[MissingList]) -> list[str]:
    return list(dict.fromkeys(c for m in missing for c in m.categories))


def demand_text(s: Summary, lang: str) -> str:
    """That the demand indicator is missing and the population stands in (``""`` if not)."""
    if not s.demand_fallback:
        return ""
    chosen = demand_label(s.demand_chosen, lang)
    n = s.demand_missing
    return tn("gaps.demand_fallback", n, lang, chosen=chosen, n=fmt_int(n, lang))


def answer_lines(s: Summary, lang: str) -> list[str]:
    """The first sentences of an analysis: what is known (offers recorded), where the gaps
    are, what is uncertain, what is unknown and why, and a missing demand indicator."""
    what = selector_label(s.selector, lang)
    lines = [tn("answer.known", s.offers, lang, what=what, n=fmt_int(s.offers, lang))]
    lines += _status_lines(s, lang)
    lines += _unknown_lines(s, lang)
    demand = demand_text(s, lang)
    return [*lines, demand] if demand else lines


def public_next_step(s: Summary, lang: str) -> str:
    """For the public: what is missing to know more, and who can supply it (``""`` when
    nothing is unknown for want of a list)."""
    if not s.missing:
        return ""
    vgs = fmt_list([m.vg_name for m in s.missing], lang)
    missing = tn("answer.missing_lists", len(s.missing), lang, vgs=vgs,
                 lists=lists_text(_categories(s.missing), lang))  # fmt: skip
    return t("answer.public_next", lang, missing=missing)


def missing_list_text(m: MissingList, lang: str) -> str:
    """``VG Musterbach: Listen der Kategorien Sprachkurs und Verein nicht bestätigt``."""
    return t("answer.missing_vg", lang, vg=vg_label(m.vg_name, lang),
             lists=lists_text(m.categories, lang))  # fmt: skip


# -- the what-if --------------------------------------------------------------------------------
def _km(bounds: tuple[float, float], approx: bool, lang: str) -> str:
    """``4,2`` or the range ``1–11,2`` (km, the unit is said once by the sentence)."""
    low, high = bounds
    if approx and math.isfinite(high) and high > low:
        return km_range(low, high, lang)
    return fmt_float(low, 1, lang, trim=True)


def _nearest(e: Effect, level: str, lang: str) -> str:
    """``nächstes Angebot 4,2 → 1,6 km`` (ranges once marked ``Lage ungefähr``)."""
    assert e.nearest is not None
    before, after = e.nearest
    approx = t("answer.part.approx", lang) if any(e.approx) else ""
    km = {"after": _km(after, e.approx[1], lang), "approx": approx}
    mean = level != "gemeinde"  # a VG or the district: the demand-weighted mean
    if not math.isfinite(before[0]):  # no offer before
        if mean:
            return t("answer.part.nearest_mean_new", lang, **km)
        return t("answer.part.nearest_new", lang, **km)
    km["before"] = _km(before, e.approx[0], lang)
    if mean:
        return t("answer.part.nearest_mean", lang, **km)
    return t("answer.part.nearest", lang, **km)


def effect_text(e: Effect, level: str, radius_km: float, lang: str) -> str:
    """One area's change: ``Musterbach: nächstes Angebot 4,2 → 1,6 km; 3.161 Einwohner neu
    im 5-km-Radius``."""
    parts = []
    if e.status is not None:
        parts.append(
            t(
                "answer.part.status",
                lang,
                before=status_text(e.status[0], lang),
                after=status_text(e.status[1], lang),
            )  # fmt: skip
        )
    r = fmt_exact(radius_km, lang)
    if e.covered:
        parts.append(tn("answer.part.covered", e.covered, lang, n=fmt_int(e.covered, lang), r=r))
    if e.possibly > e.covered:
        extra = e.possibly - e.covered
        parts.append(tn("answer.part.possibly", extra, lang, n=fmt_int(extra, lang), r=r))
    if e.nearest is not None:
        parts.append(_nearest(e, level, lang))
    if e.offers is not None:
        parts.append(t("answer.part.offers", lang, before=fmt_int(e.offers[0], lang),
                       after=fmt_int(e.offers[1], lang)))  # fmt: skip
    return t("answer.whatif_line", lang, name=e.name, parts="; ".join(parts))


def whatif_lines(
    w: WhatIfEffects, lang: str, all_unknown: bool = False, limit: int = EFFECTS_SHOWN
) -> tuple[str, list[str]]:
    """What a planned facility changes: a headline, then one sentence per area (the
    ``limit`` most important; the rest counted, they are in the table). ``all_unknown``:
    every area is ``unknown`` (the headline says why no status changes).

    Returns
    -------
    tuple
        The headline (``Die geplante Einrichtung in Musterbach ändert Werte in 16
        Gemeinden; die Einstufung bleibt ...``) and the sentences.
    """
    place = w.place or t("answer.whatif_here", lang)
    if not w.effects:
        return t("answer.whatif_nothing", lang, place=place), []
    head = [t("answer.whatif_head", lang, place=place,
              areas=areas_text(len(w.effects), w.level, lang))]  # fmt: skip
    if w.status_changes:
        head.append(t("answer.whatif_status", lang,
                      areas=areas_text(w.status_changes, w.level, lang)))  # fmt: skip
    elif all_unknown:
        head.append(t("answer.whatif_status_unknown", lang))
    else:
        head.append(t("answer.whatif_status_same", lang))
    if w.covered:
        head.append(tn("answer.whatif_covered", w.covered, lang, n=fmt_int(w.covered, lang),
                       r=fmt_exact(w.radius_km, lang)))  # fmt: skip
    lines = [effect_text(e, w.level, w.radius_km, lang) for e in w.effects[:limit]]
    rest = len(w.effects) - limit
    if rest > 0:
        lines.append(t("answer.whatif_more", lang, areas=areas_text(rest, w.level, lang)))
    return " ".join(head), lines
