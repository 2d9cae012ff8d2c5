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

from collections.abc import Iterable, Sequence

import pandas as pd

from dashboard.analysis.gaps import CODE_SEP, Thresholds, check_selector
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_exact, fmt_float

#: Columns of every table of the flags, in order (internal names; see :func:`gap_records`).
COLUMNS: tuple[str, ...] = (
    "rank", "level", "vintage", "key", "name", "vg_rs", "vg", "selector", "selector_label",
    "n_gemeinden", "population", "offers", "per_1000", "distance_km", "distance_km_max",
    "radius_km", "population_covered", "share_covered", "access_2sfca_per_1000",
    "access_e2sfca_per_1000", "decay", "include_outside", "flagged", "severity", "reason",
    "thresholds",
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
    "n_gemeinden": "anzahl_gemeinden",
    "population": "einwohner",
    "offers": "angebote",
    "per_1000": "angebote_je_1000_einwohner",
    "distance_km": "entfernung_naechstes_angebot_km",
    "distance_km_max": "entfernung_max_km",
    "radius_km": "radius_km",
    "population_covered": "einwohner_im_radius",
    "share_covered": "anteil_einwohner_im_radius",
    "access_2sfca_per_1000": "zugang_2sfca_je_1000_einwohner",
    "access_e2sfca_per_1000": "zugang_e2sfca_je_1000_einwohner",
    "decay": "gewichtung_e2sfca",
    "include_outside": "mit_angeboten_ausserhalb",
    "flagged": "versorgungsluecke",
    "severity": "schweregrad",
    "reason": "begruendung",
    "thresholds": "schwellenwerte",
}

#: Decimals of the numbers in files (distances to metres, ratios to 4 decimals).
FILE_ROUNDING: dict[str, int] = {
    "per_1000": 4,
    "distance_km": 3,
    "distance_km_max": 3,
    "population_covered": 0,
    "share_covered": 4,
    "access_2sfca_per_1000": 4,
    "access_e2sfca_per_1000": 4,
    "severity": 4,
}

#: Measures compared before and after a planned facility (:func:`whatif_table`).
WHATIF_MEASURES: tuple[str, ...] = (
    "flagged", "severity", "offers", "per_1000", "distance_km", "reason",
)  # fmt: skip

#: Topics of the explanation of the measures (messages ``gaps.explain.<topic>``).
EXPLAINED: tuple[str, ...] = ("offers", "per_1000", "distance", "share", "2sfca", "flag")


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


def thresholds_text(thresholds: Thresholds, lang: str) -> str:
    """The thresholds as shown beside every flag, numbers as the user typed them."""
    return tn(
        "gaps.thresholds_text",
        thresholds.min_per_1000,
        lang,
        d=fmt_exact(thresholds.max_distance_km, lang),
        p=fmt_exact(thresholds.min_per_1000, lang),
        r=fmt_exact(thresholds.radius_km, lang),
    )


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
        nearest = _nearest(selector, lang)
        parts.append(
            t("gaps.reason.far", lang, nearest=nearest, km=km, limit=limit_km)
            if level == "gemeinde"  # a VG or the district: the population-weighted mean
            else t("gaps.reason.far_mean", lang, nearest=nearest, km=km, limit=limit_km)
        )
    if "few" in found:
        value, shown = distinct(per_1000, thresholds.min_per_1000, 2, lang)
        limit = fmt_exact(thresholds.min_per_1000, lang)
        parts.append(tn("gaps.reason.few", shown, lang, value=value, limit=limit))
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
        out.append(
            reason_text(
                str(row["selector"]),
                level,
                codes,
                float(row[f"distance_km{suffix}"]),
                float(row[f"per_1000{suffix}"]),
                _row_thresholds(row, thresholds),
                lang,
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
    order, labelled in ``lang``.
    """
    cells = matrix.assign(
        hf=[t(f"hf.{c}", lang) for c in matrix["handlungsfeld"]],
        cell=matrix["offers"].astype(str) + " / " + matrix["projects"].astype(str),
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

    Adds ``selector_label``, ``reason`` and ``thresholds`` in ``lang`` to the numbers and
    codes of :func:`dashboard.analysis.gaps.gap_flags`.
    """
    out = flags.copy()
    out["selector_label"] = [selector_label(str(s), lang) for s in out["selector"]]
    out["reason"] = reasons(out, lang)
    texts: dict[tuple[float, float, float], str] = {}
    values = zip(out["max_distance_km"], out["min_per_1000"], out["radius_km"], strict=True)
    column = []
    for key in values:
        if key not in texts:
            texts[key] = thresholds_text(Thresholds(*map(float, key)), lang)
        column.append(texts[key])
    out["thresholds"] = column
    return out[[c for c in COLUMNS if c in out.columns]]


def _localised(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Codes as words (level, decay, the district's name) and column labels in ``lang``."""
    out = records.copy()
    if "level" in out:
        if "name" in out:
            district = t("gaps.district_name", lang)
            out["name"] = out["name"].where(out["level"] != "landkreis", district)
        out["level"] = [t(f"gaps.level.{v}", lang) for v in out["level"]]
    if "decay" in out:
        out["decay"] = [t(f"gaps.decay.{v}", lang) for v in out["decay"]]
    return out.rename(columns={c: column_label(c, lang) for c in out.columns})


def flags_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every measure and flag of the analysis, labelled in ``lang`` (page table, downloads).

    The selection is named in words (``selector_label``); its code is left out.
    """
    return _localised(gap_records(flags, lang).drop(columns="selector"), lang)


def flag_list(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The flagged areas only: rank, name, severity (2 decimals), reason and thresholds.

    Indexed by the rank (labelled), most severe first.
    """
    flagged = flags[flags["flagged"]].sort_values("severity", ascending=False)
    records = gap_records(flagged, lang)
    short = records[["rank", "name", "severity", "reason", "thresholds"]].round({"severity": 2})
    return _localised(short, lang).set_index(column_label("rank", lang))


def whatif_table(
    changes: pd.DataFrame, thresholds: Thresholds, level: str, lang: str
) -> pd.DataFrame:
    """Areas whose flag changes with a planned facility: each measure before and after.

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
        label = column_label(measure, lang)
        headings = {
            "_before": t("gaps.col.before", lang, label=label),
            "_after": t("gaps.col.after", lang, label=label),
        }
        for suffix, heading in headings.items():
            values = texts[suffix] if measure == "reason" else list(frame[f"{measure}{suffix}"])
            columns[heading] = values
    return pd.DataFrame(columns)


def file_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The command line's file of the flags: :data:`FILE_COLUMNS`, numbers rounded.

    Codes (level, decay, selector) stay codes; the text columns (``auswahl_bezeichnung``,
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


def severity_source(lang: str) -> str:
    """Source line of the severity shading in the map legend."""
    return t("gaps.severity_source", lang)
