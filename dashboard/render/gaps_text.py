"""Words of the Versorgungsanalyse, made at the edge in the user's language.

:mod:`dashboard.analysis.gaps` returns numbers and codes (``reason_codes`` of a flag,
``meaning`` of a coverage cell); this module turns them into text with
:func:`dashboard.i18n.catalogue.t` / :func:`~dashboard.i18n.catalogue.tn` and the
formatters of :mod:`dashboard.i18n.format`, and builds every table of the analysis that is
shown or downloaded, with column labels from the catalogue (messages ``gaps.col.*``).

The command line keeps its documented file format: ASCII column names
(:data:`FILE_COLUMNS`) and codes for level and decay; only the text columns follow
``--lang``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import pandas as pd

from dashboard.analysis.demand import POPULATION
from dashboard.analysis.gaps import CODE_SEP, Thresholds, check_selector
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.i18n.catalogue import label, t, tn
from dashboard.i18n.format import fmt_date, fmt_exact, fmt_float, fmt_int, fmt_percent

#: Columns of every table of the flags, in order (internal names; see :func:`gap_records`).
COLUMNS: tuple[str, ...] = (
    "rank", "level", "vintage", "key", "name", "vg_rs", "vg", "selector", "selector_label",
    "status", "status_label", "coverage", "list_as_of", "n_gemeinden", "population", "demand",
    "demand_indicator", "demand_label", "demand_fallback", "demand_date", "demand_date_newest",
    "offers", "per_1000", "distance_km", "distance_km_low", "distance_km_high",
    "distance_approx", "distance_km_max", "radius_km", "population_covered", "share_covered",
    "access_2sfca_per_1000", "access_e2sfca_per_1000", "border_demand", "decay",
    "include_outside", "include_unconfirmed", "flagged", "severity", "reason", "thresholds",
    "planned",
)  # fmt: skip

#: Column names of the command line's file (plain ASCII, German; a documented format).
FILE_COLUMNS: dict[str, str] = {
    "rank": "rang",
    "level": "ebene",
    "vintage": "gebietsstand",
    "key": "schluessel",
    "name": "name",
    "vg_rs": "vg_schluessel",
    "vg": "vg_name",
    "selector": "auswahl",
    "selector_label": "auswahl_bezeichnung",
    "status": "einstufung",
    "status_label": "einstufung_text",
    "coverage": "listenabdeckung",
    "list_as_of": "liste_stand",
    "n_gemeinden": "anzahl_gemeinden",
    "population": "einwohner",
    "demand": "bedarf",
    "demand_indicator": "bedarf_indikator",
    "demand_label": "bedarf_bezeichnung",
    "demand_fallback": "bedarf_ersatzweise_einwohner",
    "demand_date": "bedarf_stand",
    "demand_date_newest": "bedarf_stand_neuester",
    "offers": "angebote",
    "per_1000": "angebote_je_1000_bedarf",
    "distance_km": "entfernung_naechstes_angebot_km",
    "distance_km_low": "entfernung_von_km",
    "distance_km_high": "entfernung_bis_km",
    "distance_approx": "entfernung_lage_ungefaehr",
    "distance_km_max": "entfernung_max_km",
    "radius_km": "radius_km",
    "population_covered": "einwohner_im_radius",
    "share_covered": "anteil_einwohner_im_radius",
    "access_2sfca_per_1000": "zugang_2sfca_je_1000_bedarf",
    "access_e2sfca_per_1000": "zugang_e2sfca_je_1000_bedarf",
    "border_demand": "bedarf_jenseits_der_grenze",
    "decay": "gewichtung_e2sfca",
    "include_outside": "mit_angeboten_ausserhalb",
    "include_unconfirmed": "mit_unbestaetigten_angeboten",
    "flagged": "versorgungsluecke",
    "severity": "schweregrad",
    "reason": "begruendung",
    "thresholds": "schwellenwerte",
    "planned": "was_waere_wenn",
}

#: Decimals of the numbers in files (distances to metres, ratios to 4 decimals).
FILE_ROUNDING: dict[str, int] = {
    "per_1000": 4,
    "distance_km": 3,
    "distance_km_low": 3,
    "distance_km_high": 3,
    "distance_km_max": 3,
    "demand": 1,
    "border_demand": 1,
    "population_covered": 0,
    "share_covered": 4,
    "access_2sfca_per_1000": 4,
    "access_e2sfca_per_1000": 4,
    "severity": 4,
}

#: Measures compared before and after a planned facility (:func:`whatif_table`).
WHATIF_MEASURES: tuple[str, ...] = (
    "status", "severity", "offers", "per_1000", "distance_km", "reason",
)  # fmt: skip

#: Topics of the explanation of the measures (messages ``gaps.explain.<topic>``).
EXPLAINED: tuple[str, ...] = (
    "coverage", "offers", "per_1000", "demand", "distance", "position", "share", "2sfca",
    "border", "flag", "unconfirmed",
)  # fmt: skip


# -- labels ----------------------------------------------------------------------------------
def selector_label(selector: str, lang: str) -> str:
    """Label of a selector: ``Kita``, or ``Handlungsfeld Sprache`` / ``Field of action: Language``."""
    check_selector(selector)
    if selector in CATEGORIES:
        return t(f"cat.{selector}", lang)
    return t("gaps.selector_hf", lang, name=t(f"hf.{selector}", lang))


def vg_label(name: str, lang: str) -> str:
    """``VG Altenglan`` for the VG name ``Altenglan`` (names already saying so are kept)."""
    if name.startswith(("VG ", "Verbandsgemeinde ")):
        return name
    return t("gaps.vg_label", lang, name=name)


def column_label(column: str, lang: str) -> str:
    """Label of a column of the analysis (message ``gaps.col.<column>``)."""
    return t(f"gaps.col.{column}", lang)


def thresholds_text(thresholds: Thresholds, lang: str, demand: str = POPULATION) -> str:
    """The thresholds as stated with the analysis, numbers as the user typed them;
    ``demand`` is the indicator the per-1,000 threshold refers to."""
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


def demand_label(indicator: str, lang: str) -> str:
    """The demand group in words: ``Einwohner`` / ``Kinder unter 6 Jahren`` / the
    indicator's label (or its code, for an indicator the catalogue does not know)."""
    if indicator == POPULATION:
        return t("gaps.demand.population", lang)
    return label("ind", indicator, lang)


def status_text(code: str, lang: str) -> str:
    """``Lücke``, ``keine Lücke`` or ``unbekannt – keine bestätigte Liste``."""
    return t(f"gaps.status.{code}", lang)


def coverage_text(code: str, lang: str) -> str:
    """Whether the lists behind a row are complete (``vollständig``, ``teilweise``, ...)."""
    return t(f"gaps.coverage.{code}", lang)


def distance_text(row: pd.Series, lang: str, suffix: str = "") -> str:
    """The distance to the nearest offer: ``2,4 km``, or a range with a note when the
    offers' positions are approximate (``0–3,5 km, Lage ungefähr``); never an exact 0 for
    an offer known only to its Gemeinde."""
    value = row.get(f"distance_km{suffix}")
    if value is None or not math.isfinite(float(value)):
        return t("gaps.no_offer_short", lang)
    low, high = row.get(f"distance_km_low{suffix}"), row.get(f"distance_km_high{suffix}")
    approx = bool(row.get(f"distance_approx{suffix}", False))
    if approx and low is not None and high is not None and math.isfinite(float(high)):
        return t(
            "gaps.distance_range", lang,
            low=fmt_float(float(low), 1, lang, trim=True),
            high=fmt_float(float(high), 1, lang, trim=True),
        )  # fmt: skip
    return t("gaps.distance_km", lang, km=fmt_float(float(value), 1, lang, trim=True))


def distinct(value: float, threshold: float, decimals: int, lang: str) -> tuple[str, float]:
    """``value`` rounded to ``decimals`` (trailing zeros dropped), with more decimals if the
    rounded text would read like the threshold (2.01 km is not shown as "2 km").

    Returns
    -------
    tuple
        The text and the rounded value it shows.
    """
    for dec in range(decimals, decimals + 4):
        shown = round(float(value), dec)
        text = fmt_float(value, dec, lang, trim=True)
        if value == threshold or text != fmt_exact(round(threshold, dec), lang):
            break
    return text, shown


# -- reasons ---------------------------------------------------------------------------------
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


def reason_text(
    selector: str,
    level: str,
    codes: str | Iterable[str],
    distance_km: float,
    per_1000: float,
    thresholds: Thresholds,
    lang: str,
    demand: str = POPULATION,
    approx: tuple[float, float] | None = None,
) -> str:
    """The reason of one flag: the criteria it breaches, with their thresholds.

    Parameters
    ----------
    selector
        Category or Handlungsfeld code.
    level
        ``gemeinde`` (distance of the Gemeinde) or another level (population-weighted mean).
    codes
        ``reason_codes`` of :func:`dashboard.analysis.gaps.gap_flags` (``none``, ``far``,
        ``few``, joined with ``|``, or a list of them).
    distance_km, per_1000
        The row's measures.
    thresholds
        The thresholds the row was flagged with.
    lang
        ``de`` or ``en``.
    demand
        The demand indicator the per-1,000 figure refers to.
    approx
        ``(low, high)`` km when the nearest offer's position is approximate: the distance
        is given as that range.

    Returns
    -------
    str
        ``Nächste Kita 8 km entfernt (Schwelle 5 km); 0 Angebote je 1.000 Einwohner
        (Schwelle 0,5)``; empty without codes.
    """
    found = set(codes.split(CODE_SEP) if isinstance(codes, str) else codes) - {""}
    limit_km = fmt_exact(thresholds.max_distance_km, lang)
    parts = []
    if "none" in found:
        none = _no_offer(selector, lang)
        parts.append(t("gaps.reason.none", lang, none=none, limit=limit_km))
    elif "far" in found:
        km, _ = distinct(distance_km, thresholds.max_distance_km, 1, lang)
        if approx is not None and approx[1] > approx[0]:
            km = (
                fmt_float(approx[0], 1, lang, trim=True)
                + "–"
                + fmt_float(approx[1], 1, lang, trim=True)
            )
        nearest = _nearest(selector, lang)
        parts.append(
            t("gaps.reason.far", lang, nearest=nearest, km=km, limit=limit_km)
            if level == "gemeinde"  # a VG or the district: the population-weighted mean
            else t("gaps.reason.far_mean", lang, nearest=nearest, km=km, limit=limit_km)
        )
    if "few" in found:
        value, shown = distinct(per_1000, thresholds.min_per_1000, 2, lang)
        limit = fmt_exact(thresholds.min_per_1000, lang)
        parts.append(
            tn("gaps.reason.few", shown, lang, value=value, limit=limit)
            if demand == POPULATION
            else tn(
                "gaps.reason.few_demand",
                shown,
                lang,
                value=value,
                limit=limit,
                group=demand_label(demand, lang),
            )  # fmt: skip
        )
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
    """:func:`reason_text` of every row of a flags frame (empty for rows not flagged).

    ``thresholds`` defaults to each row's own (``max_distance_km``, ``min_per_1000``,
    ``radius_km``); ``suffix`` reads the measures from ``<measure><suffix>`` columns (the
    ``_before`` / ``_after`` columns of a what-if comparison).
    """
    out = []
    for _, row in flags.iterrows():
        codes = str(row[f"reason_codes{suffix}"])
        level = str(row["level"]) if "level" in row else "gemeinde"
        demand = str(row.get("demand_indicator", POPULATION) or POPULATION)
        approx = None
        if bool(row.get(f"distance_approx{suffix}", False)):
            approx = (
                float(row[f"distance_km_low{suffix}"]),
                float(row[f"distance_km_high{suffix}"]),
            )
        out.append(
            reason_text(
                str(row["selector"]),
                level,
                codes,
                float(row[f"distance_km{suffix}"]),
                float(row[f"per_1000{suffix}"]),
                _row_thresholds(row, thresholds),
                lang,
                demand,
                approx,
            )  # fmt: skip
            if codes
            else ""
        )
    return out


# -- coverage matrix -------------------------------------------------------------------------
def meaning_text(code: str, handlungsfeld: str, vg: str, lang: str) -> str:
    """What an empty cell of the coverage matrix means (``""`` for a full cell)."""
    if not code:
        return ""
    hf = t(f"hf.{handlungsfeld}", lang)
    return t(f"gaps.meaning.{code}", lang, hf=hf, vg=vg_label(vg, lang))


def meanings(matrix: pd.DataFrame, lang: str) -> list[str]:
    """:func:`meaning_text` of every row of :func:`dashboard.analysis.gaps.coverage_matrix`."""
    return [
        meaning_text(str(code), str(hf), str(vg), lang)
        for code, hf, vg in zip(
            matrix["meaning"], matrix["handlungsfeld"], matrix["vg"], strict=True
        )
    ]


def matrix_tables(matrix: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """VG x Handlungsfeld cells "offers / projects", and a same-shaped frame of meanings.

    Rows are the VGs (index labelled in ``lang``), columns the Handlungsfelder in model
    order, labelled in ``lang``. A cell without a recorded offer whose lists are not
    confirmed shows ``?`` for the offers: unknown, not none.
    """
    known = matrix["list_complete"] if "list_complete" in matrix else True
    offers = matrix["offers"].astype(str).where((matrix["offers"] > 0) | known, "?")
    cells = matrix.assign(
        hf=[t(f"hf.{c}", lang) for c in matrix["handlungsfeld"]],
        cell=offers + " / " + matrix["projects"].astype(str),
        text=meanings(matrix, lang),
    )
    order = [t(f"hf.{c}", lang) for c in HANDLUNGSFELDER]
    table = cells.pivot(index="vg", columns="hf", values="cell").reindex(columns=order)
    meaning = cells.pivot(index="vg", columns="hf", values="text").reindex(columns=order)
    for frame in (table, meaning):
        frame.index.name = column_label("vg", lang)
        frame.columns.name = None
    return table, meaning.fillna("")


def explanations(lang: str) -> list[str]:
    """What the measures mean, one Markdown paragraph each."""
    return [t(f"gaps.explain.{topic}", lang) for topic in EXPLAINED]


# -- tables ----------------------------------------------------------------------------------
def gap_records(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Flags with their words: the columns of :data:`COLUMNS` present, internal names.

    Adds ``selector_label``, ``status_label``, ``demand_label``, ``reason`` and
    ``thresholds`` in ``lang`` to the numbers and codes of
    :func:`dashboard.analysis.gaps.gap_flags`.
    """
    out = flags.copy()
    out["selector_label"] = [selector_label(str(s), lang) for s in out["selector"]]
    if "status" in out:
        out["status_label"] = [status_text(str(c), lang) for c in out["status"]]
    if "demand_indicator" in out:
        out["demand_label"] = [demand_label(str(d), lang) for d in out["demand_indicator"]]
    out["reason"] = reasons(out, lang)
    texts: dict[tuple[float, float, float, str], str] = {}
    demands = out["demand_indicator"] if "demand_indicator" in out else [POPULATION] * len(out)
    values = zip(
        out["max_distance_km"], out["min_per_1000"], out["radius_km"], demands, strict=True
    )
    column = []
    for key in values:
        if key not in texts:
            th = Thresholds(float(key[0]), float(key[1]), float(key[2]))
            texts[key] = thresholds_text(th, lang, str(key[3]))
        column.append(texts[key])
    out["thresholds"] = column
    return out[[c for c in COLUMNS if c in out.columns]]


def _localised(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes as words (level, decay, coverage, demand, the district's name) and column
    labels in ``lang``."""
    out = records.copy()
    if "level" in out:
        if "name" in out:
            district = t("gaps.district_name", lang)
            out["name"] = out["name"].where(out["level"] != "landkreis", district)
        out["level"] = [t(f"gaps.level.{v}", lang) for v in out["level"]]
    if "decay" in out:
        out["decay"] = [t(f"gaps.decay.{v}", lang) for v in out["decay"]]
    if "coverage" in out:
        out["coverage"] = [coverage_text(str(v), lang) for v in out["coverage"]]
    out = out.drop(columns=[c for c in ("status", "demand_indicator") if c in out])
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


def flags_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every measure and flag of the analysis, labelled in ``lang`` (downloads): numbers stay
    numbers, codes become words.

    The selection is named in words (``selector_label``); its code is left out.
    """
    return _localised(gap_records(flags, lang).drop(columns="selector"), lang)


def _num(value: object, decimals: int, lang: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return fmt_float(float(value), decimals, lang, trim=True)  # type: ignore[arg-type]


def display_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analysis as a planner reads it: one row per area, ranked, words and numbers in
    ``lang`` (``1.234``, ``3,4``), the distance as a range where positions are
    approximate, the reason without the thresholds (they are stated once above)."""
    rows = []
    for _, row in flags.iterrows():
        rows.append(
            {
                column_label("rank", lang): "" if pd.isna(row["rank"]) else str(int(row["rank"])),
                column_label("name", lang): str(row["name"]),
                column_label("status_label", lang): status_text(str(row["status"]), lang),
                column_label("offers", lang): fmt_int(row["offers"], lang),
                column_label("demand", lang): fmt_int(row["demand"], lang),
                column_label("per_1000", lang): _num(row["per_1000"], 2, lang),
                column_label("distance_km", lang): distance_text(row, lang),
                column_label("share_covered", lang): fmt_percent(row["share_covered"], lang),
                column_label("access_2sfca_per_1000", lang): _num(
                    row["access_2sfca_per_1000"], 3, lang
                ),
                column_label("severity", lang): _num(row["severity"], 2, lang)
                if bool(row["flagged"])
                else "",
                column_label("list_as_of", lang): fmt_date(row["list_as_of"], lang)
                if row["list_as_of"]
                else "",
            }
        )
    return pd.DataFrame(rows)


def reason_groups(flags: pd.DataFrame, lang: str, limit: int = 6) -> list[str]:
    """The reasons grouped instead of repeated: one line per kind of finding, with the
    number of areas and their names (the first ``limit``), gaps first, then the areas
    whose list is not confirmed (``45 Gemeinden: unbekannt – keine bestätigte Liste``)."""
    if flags.empty:
        return []
    level = str(flags["level"].iloc[0])
    lines = []
    gaps = flags[flags["flagged"]]
    for codes, part in gaps.groupby("reason_codes", sort=False):
        first = part.iloc[0]
        demand = str(first.get("demand_indicator", POPULATION) or POPULATION)
        what = _group_reason(str(first["selector"]), str(codes), first, demand, lang)
        lines.append(_group_line(part, level, what, lang, limit))
    unknown = flags[flags["status"] == "unknown"] if "status" in flags else flags.iloc[0:0]
    if len(unknown):
        lines.append(_group_line(unknown, level, status_text("unknown", lang), lang, limit))
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


def status_counts(flags: pd.DataFrame) -> dict[str, int]:
    """Areas per status code (``gap``, ``no_gap``, ``unknown``)."""
    return {c: int((flags["status"] == c).sum()) for c in ("gap", "no_gap", "unknown")}


def demand_note(flags: pd.DataFrame, lang: str) -> str:
    """What the per-1,000 figures and the 2SFCA divide by, and what stood in for a missing
    demand indicator (``Bedarf: Einwohner (Stand ...). Kita: Für 50 Gemeinden fehlt ...``);
    one sentence per selector whose chosen indicator had to fall back."""
    if flags.empty or "demand_indicator" not in flags:
        return ""
    oldest = _oldest_text(flags["demand_date"])
    newest = _newest_text(flags["demand_date_newest"])
    dates = (
        fmt_date(oldest, lang)
        if oldest == newest
        else t("dates.range", lang, oldest=fmt_date(oldest, lang), newest=fmt_date(newest, lang))
    )
    used = list(dict.fromkeys(str(u) for u in flags["demand_indicator"]))
    group = ", ".join(demand_label(u, lang) for u in used)
    parts = [t("gaps.demand_used", lang, group=group, dates=dates)]
    for selector, part in flags.groupby("selector", sort=False):
        row = part.iloc[0]
        if str(row["demand_indicator"]) != str(row["demand_chosen"]):
            n = int(row["demand_missing"])
            parts.append(
                selector_label(str(selector), lang)
                + ": "
                + tn(
                    "gaps.demand_fallback",
                    n,
                    lang,
                    chosen=demand_label(str(row["demand_chosen"]), lang),
                    n=n,
                )  # fmt: skip
            )
    row = flags.iloc[0]
    border = float(row.get("border_demand", 0.0) or 0.0)
    basis = str(row.get("border_basis", ""))
    if border > 0:
        key = "gaps.border_estimated" if "estimated" in basis else "gaps.border_counted"
        parts.append(t(key, lang, n=fmt_int(border, lang)))
    elif "none" in basis:
        parts.append(t("gaps.border_none", lang))
    return " ".join(parts)


def _oldest_text(values: pd.Series) -> str:
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[0] if found else ""


def _newest_text(values: pd.Series) -> str:
    found = sorted(str(v) for v in values if isinstance(v, str) and v)
    return found[-1] if found else ""


def whatif_summary(changes: pd.DataFrame, lang: str) -> list[str]:
    """Before → after, one line per area whose status changes (``Trippstadt: Lücke →
    keine Lücke; nächste Kita 9,1 → 0,8 km``)."""
    lines = []
    for _, row in changes.iterrows():
        before = status_text(str(row["status_before"]), lang)
        after = status_text(str(row["status_after"]), lang)
        lines.append(
            t(
                "gaps.whatif_line",
                lang,
                name=str(row["name"]),
                before=before,
                after=after,
                d_before=distance_text(row, lang, "_before"),
                d_after=distance_text(row, lang, "_after"),
            )  # fmt: skip
        )
    return lines


def whatif_table(
    changes: pd.DataFrame, thresholds: Thresholds, level: str, lang: str
) -> pd.DataFrame:
    """Areas whose measures change with a planned facility: each measure before and after,
    in words and localized numbers.

    Parameters
    ----------
    changes
        :attr:`dashboard.analysis.gaps.WhatIf.changes`.
    thresholds, level
        Of the analysis (the reasons name them).
    lang
        ``de`` or ``en``.
    """
    frame = changes.assign(level=level)
    columns: dict[str, Sequence[object]] = {
        column_label("selector_label", lang): [selector_label(s, lang) for s in frame["selector"]],
        column_label("name", lang): list(frame["name"]),
    }
    texts = {
        suffix: reasons(frame, lang, thresholds, suffix=suffix) for suffix in ("_before", "_after")
    }
    for measure in WHATIF_MEASURES:
        name = "status_label" if measure == "status" else measure
        label_ = column_label(name, lang)
        headings = {
            "_before": t("gaps.col.before", lang, label=label_),
            "_after": t("gaps.col.after", lang, label=label_),
        }
        for suffix, heading in headings.items():
            if measure == "reason":
                columns[heading] = list(texts[suffix])
                continue
            values = list(frame[f"{measure}{suffix}"])
            if measure == "status":
                values = [status_text(str(v), lang) for v in values]
            elif measure == "offers":
                values = [fmt_int(v, lang) for v in values]
            elif measure == "distance_km":
                values = [_num(v, 1, lang) for v in values]
            else:
                values = [_num(v, 2, lang) for v in values]
            columns[heading] = values
    return pd.DataFrame(columns)


def mark_planned(table: pd.DataFrame, lang: str, *, file_columns: bool = False) -> pd.DataFrame:
    """A table computed with a planned facility, marked so in a column of every row."""
    name = FILE_COLUMNS["planned"] if file_columns else column_label("planned", lang)
    return table.assign(**{name: t("gaps.planned_value", lang)})


def file_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The command line's file of the flags: :data:`FILE_COLUMNS`, numbers rounded.

    Codes (level, decay, selector, status, coverage, demand indicator) stay codes; the text
    columns (``auswahl_bezeichnung``, ``einstufung_text``, ``bedarf_bezeichnung``,
    ``begruendung``, ``schwellenwerte``) are in ``lang``.
    """
    out = gap_records(flags, lang)
    for col, digits in FILE_ROUNDING.items():
        if col in out:
            out[col] = out[col].round(digits)
    for col in ("population", "population_covered"):
        if col in out:
            out[col] = out[col].round().astype("Int64")
    return out.rename(columns=FILE_COLUMNS)


def coverage_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The coverage summary: VGs as rows, categories as columns, each cell the list's date
    (``vollständig, Stand 11.2026``) or ``unbekannt``."""
    cells = summary.assign(
        cat=[t(f"cat.{c}", lang) for c in summary["category"]],
        cell=[
            t("gaps.coverage_cell", lang, date=fmt_date(d, lang) if d else "–")
            if ok
            else t("gaps.coverage.unknown", lang)
            for ok, d in zip(summary["complete"], summary["as_of"], strict=True)
        ],
    )
    order = list(dict.fromkeys(cells["cat"]))
    table = cells.pivot(index="vg", columns="cat", values="cell").reindex(columns=order)
    table.index.name = column_label("vg", lang)
    table.columns.name = None
    return table


def coverage_line(summary: pd.DataFrame, lang: str) -> str:
    """One sentence: how many of the VG lists are confirmed complete."""
    done = int(summary["complete"].sum())
    return tn(
        "gaps.coverage_line",
        done,
        lang,
        done=fmt_int(done, lang),
        total=fmt_int(len(summary), lang),
    )
