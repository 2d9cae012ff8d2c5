"""The tables of the analysis: on screen, in files (page downloads and ``gaps``), the what-if.

Every table is built here from :func:`dashboard.analysis.gaps.gap_flags`, with column
labels from the catalogue (messages ``gaps.col.*``) in the user's language: a clerk reads
German headers, words instead of codes, dates as ``31.12.2023`` (``2012`` and
``08.2024`` where the source says no more), yes/no as ``ja``/``nein``
(:mod:`dashboard.export.gaps` writes them), the source and date of the population and of
the demand in every row; an ``unbekannt`` or ``unsicher`` row has no verdict and no
severity (empty cells).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from dashboard.analysis.demand import POPULATION
from dashboard.analysis.gaps import Thresholds
from dashboard.analysis.population import OFFICIAL
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_float, fmt_int
from dashboard.render.gaps_text.labels import (
    column_label,
    coverage_text,
    date_text,
    demand_label,
    distance_text,
    selector_label,
    share_text,
    status_text,
)
from dashboard.render.gaps_text.reasons import reasons, thresholds_text

#: Columns of the files of the analysis, in order (internal names; labels ``gaps.col.*``).
FILE_COLUMNS: tuple[str, ...] = (
    "rank", "level", "vintage", "key", "name", "vg_rs", "vg", "selector_label",
    "status_label", "flagged", "severity", "reason", "coverage", "list_as_of", "n_gemeinden",
    "population", "population_date", "population_sources", "demand_label", "demand",
    "demand_fallback", "demand_date", "demand_sources", "offers", "per_1000", "distance_km",
    "distance_km_low", "distance_km_high", "distance_approx", "distance_km_max", "radius_km",
    "population_covered_low", "population_covered_high", "share_covered",
    "share_covered_low", "share_covered_high", "access_2sfca_per_1000",
    "access_e2sfca_per_1000", "border_demand", "border_basis", "border_date",
    "border_sources", "decay", "include_outside", "include_unconfirmed", "thresholds",
)  # fmt: skip

#: Every column label the analysis uses (the files' and the page's; ``planned`` marks a
#: table computed with a planned facility).
COLUMNS: tuple[str, ...] = (*FILE_COLUMNS, "planned")

#: Decimals of the numbers in files (distances to metres, ratios to 4 decimals).
FILE_ROUNDING: dict[str, int] = {
    "per_1000": 4, "distance_km": 3, "distance_km_low": 3, "distance_km_high": 3,
    "distance_km_max": 3, "demand": 1, "border_demand": 1, "share_covered": 4,
    "share_covered_low": 4, "share_covered_high": 4, "access_2sfca_per_1000": 4,
    "access_e2sfca_per_1000": 4, "severity": 4,
}  # fmt: skip

#: Labels of file columns that differ from the page's (``gaps.col.<label>``).
_FILE_LABELS = {"distance_km": "distance_km_exact"}

#: Measures compared before and after a planned facility (:func:`whatif_table`).
WHATIF_MEASURES: tuple[str, ...] = (
    "status", "severity", "offers", "per_1000", "distance_km", "share_covered", "reason",
)  # fmt: skip


def _population_date(row: pd.Series, lang: str) -> str:
    """The population's date (a range for a sum of mixed dates, and the basis)."""
    text = date_text(row.get("population_date"), row.get("population_date_newest"), lang)
    if text and str(row.get("population_basis", OFFICIAL)) != OFFICIAL:
        text += " (" + t("pop.basis_sum", lang) + ")"
    return text


def _verdict(status: str) -> bool | None:
    """``flagged`` of a file: a verdict only for a gap or no gap (else an empty cell)."""
    return {"gap": True, "no_gap": False}.get(status)


def _thresholds(frame: pd.DataFrame, lang: str) -> list[str]:
    texts: dict[tuple[float, float, float, str], str] = {}
    demands = (
        frame["demand_indicator"] if "demand_indicator" in frame else [POPULATION] * len(frame)
    )
    column = []
    for key in zip(
        frame["max_distance_km"], frame["min_per_1000"], frame["radius_km"], demands, strict=True
    ):
        if key not in texts:
            th = Thresholds(float(key[0]), float(key[1]), float(key[2]))
            texts[key] = thresholds_text(th, lang, str(key[3]))
        column.append(texts[key])
    return column


def _border_basis(codes: str, lang: str) -> str:
    """How the demand beyond the border was found, in words ("eigener Wert", "geschätzt
    aus der Einwohnerzahl"; both where the areas differ)."""
    return ", ".join(t(f"gaps.border_basis.{c}", lang) for c in codes.split(",") if c)


def _words(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The flags with words and German dates next to the numbers (internal names)."""
    out = flags.copy()
    out["selector_label"] = [selector_label(str(s), lang) for s in out["selector"]]
    out["status_label"] = [status_text(str(c), lang) for c in out["status"]]
    out["flagged"] = pd.Series([_verdict(str(s)) for s in out["status"]], dtype=object).to_numpy()
    out["demand_label"] = [demand_label(str(d), lang) for d in out["demand_indicator"]]
    out["reason"] = reasons(out, lang)
    out["thresholds"] = _thresholds(out, lang)
    out["population_date"] = [_population_date(r, lang) for _, r in out.iterrows()]
    out["demand_date"] = [
        date_text(a, b, lang)
        for a, b in zip(out["demand_date"], out["demand_date_newest"], strict=True)
    ]
    out["list_as_of"] = [fmt_date(d, lang) if d else "" for d in out["list_as_of"]]
    if "border_date" in out:
        out["border_date"] = [
            date_text(a, b, lang)
            for a, b in zip(out["border_date"], out["border_date_newest"], strict=True)
        ]
        out["border_basis"] = [_border_basis(str(b), lang) for b in out["border_basis"]]
    if "name" in out:
        district = t("gaps.district_name", lang)
        out["name"] = out["name"].where(out["level"] != "landkreis", district)
    out["level"] = [t(f"gaps.level.{v}", lang) for v in out["level"]]
    out["decay"] = [t(f"gaps.decay.{v}", lang) for v in out["decay"]]
    out["coverage"] = [coverage_text(str(v), lang) for v in out["coverage"]]
    return out


def file_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analysis as a file (page downloads and the ``gaps`` command): every measure,
    labelled in ``lang``, numbers as numbers (rounded), words for codes, dates as the
    language writes them, the verdict empty where there is none.

    Parameters
    ----------
    flags
        :func:`dashboard.analysis.gaps.gap_flags`.
    lang
        ``de`` or ``en``: headers, words and dates.
    """
    out = _words(flags, lang)
    for col, digits in FILE_ROUNDING.items():
        if col in out:
            out[col] = out[col].astype(float).round(digits)
    for col in ("population", "population_covered_low", "population_covered_high"):
        if col in out:
            out[col] = out[col].astype(float).round().astype("Int64")
    out = out[[c for c in FILE_COLUMNS if c in out.columns]]
    names = {c: _FILE_LABELS.get(c, c) for c in out.columns}
    return out.rename(columns={c: column_label(n, lang) for c, n in names.items()})


#: Keys of the analysis for machines (:func:`data_table`): ASCII German, no spaces.
FIELD_KEYS: dict[str, str] = {
    "rank": "rang", "level": "ebene", "vintage": "gebietsstand", "key": "schluessel",
    "name": "name", "vg_rs": "vg_schluessel", "vg": "vg_name", "selector": "auswahl",
    "selector_label": "auswahl_bezeichnung", "status": "einstufung",
    "status_label": "einstufung_text", "flagged": "versorgungsluecke",
    "severity": "schweregrad", "reason": "begruendung", "coverage": "listenabdeckung",
    "list_as_of": "liste_stand", "n_gemeinden": "anzahl_gemeinden", "population": "einwohner",
    "population_date": "einwohner_stand", "population_sources": "einwohner_quelle",
    "demand_indicator": "bedarf_indikator", "demand_label": "bedarf_bezeichnung",
    "demand": "bedarf", "demand_fallback": "bedarf_ersatzweise_einwohner",
    "demand_date": "bedarf_stand", "demand_sources": "bedarf_quelle", "offers": "angebote",
    "per_1000": "angebote_je_1000_bedarf", "distance_km": "entfernung_genau_km",
    "distance_km_low": "entfernung_von_km", "distance_km_high": "entfernung_bis_km",
    "distance_approx": "entfernung_lage_ungefaehr", "distance_km_max": "entfernung_max_km",
    "radius_km": "radius_km", "population_covered_low": "einwohner_im_radius_von",
    "population_covered_high": "einwohner_im_radius_bis", "share_covered": "anteil_im_radius",
    "share_covered_low": "anteil_im_radius_von", "share_covered_high": "anteil_im_radius_bis",
    "access_2sfca_per_1000": "zugang_2sfca_je_1000_bedarf",
    "access_e2sfca_per_1000": "zugang_e2sfca_je_1000_bedarf",
    "border_demand": "bedarf_jenseits_der_grenze",
    "border_basis": "bedarf_jenseits_der_grenze_ermittlung",
    "border_date": "bedarf_jenseits_der_grenze_stand",
    "border_sources": "bedarf_jenseits_der_grenze_quelle", "decay": "gewichtung_e2sfca",
    "include_outside": "mit_angeboten_ausserhalb",
    "include_unconfirmed": "mit_unbestaetigten_angeboten", "thresholds": "schwellenwerte",
}  # fmt: skip


def data_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analysis for machines (the OGC API's analysis layers): the keys of
    :data:`FIELD_KEYS`, codes for selection, status, level, coverage and decay, ISO dates,
    numbers rounded, the words (status, reason, thresholds) in ``lang`` beside the codes; no
    verdict and no severity where there is none (empty), as in :func:`file_table`."""
    out = flags.copy()
    out["selector_label"] = [selector_label(str(s), lang) for s in out["selector"]]
    out["status_label"] = [status_text(str(c), lang) for c in out["status"]]
    out["flagged"] = pd.Series([_verdict(str(s)) for s in out["status"]], dtype=object).to_numpy()
    out["demand_label"] = [demand_label(str(d), lang) for d in out["demand_indicator"]]
    out["reason"] = reasons(out, lang)
    out["thresholds"] = _thresholds(out, lang)
    for col, digits in FILE_ROUNDING.items():
        if col in out:
            out[col] = out[col].astype(float).round(digits)
    for col in ("population", "population_covered_low", "population_covered_high"):
        if col in out:
            out[col] = out[col].astype(float).round().astype("Int64")
    return out[[c for c in FIELD_KEYS if c in out.columns]].rename(columns=FIELD_KEYS)


def mark_planned(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table computed with a planned facility, marked so in a column of every row."""
    return table.assign(**{column_label("planned", lang): t("gaps.planned_value", lang)})


def _num(value: object, decimals: int, lang: str) -> str:
    if value is None or value is pd.NA:
        return "–"
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        return "–"
    return fmt_float(number, decimals, lang, trim=True)


def display_table(flags: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The analysis as a planner reads it: one row per area, ranked, words and numbers in
    ``lang`` (``1.234``, ``3,4``), distance and share as ranges where positions are
    approximate, the reason without the thresholds (they are stated once above)."""
    rows = []
    for _, row in flags.iterrows():
        gap = str(row["status"]) == "gap"
        rows.append(
            {
                column_label("rank", lang): "" if pd.isna(row["rank"]) else str(int(row["rank"])),
                column_label("name", lang): str(row["name"]),
                column_label("status_label", lang): status_text(str(row["status"]), lang),
                column_label("offers", lang): fmt_int(row["offers"], lang),
                column_label("population", lang): fmt_int(row["population"], lang),
                column_label("demand", lang): fmt_int(row["demand"], lang),
                column_label("per_1000", lang): _num(row["per_1000"], 2, lang),
                column_label("distance_km", lang): distance_text(row, lang),
                column_label("share_covered", lang): share_text(row, lang),
                column_label("access_2sfca_per_1000", lang): _num(
                    row["access_2sfca_per_1000"], 3, lang
                ),
                column_label("severity", lang): _num(row["severity"], 2, lang) if gap else "",
                column_label("list_as_of", lang): fmt_date(row["list_as_of"], lang)
                if row["list_as_of"]
                else "",
            }
        )
    return pd.DataFrame(rows)


def _whatif_cell(measure: str, row: pd.Series, suffix: str, lang: str) -> str:
    if measure == "status":
        return status_text(str(row[f"status{suffix}"]), lang)
    if measure == "offers":
        return fmt_int(row[f"offers{suffix}"], lang)
    if measure == "distance_km":
        return distance_text(row, lang, suffix)
    if measure == "share_covered":
        return share_text(row, lang, suffix)
    return _num(row[f"{measure}{suffix}"], 2, lang)


def whatif_table(
    changes: pd.DataFrame, thresholds: Thresholds, level: str, lang: str
) -> pd.DataFrame:
    """What a planned facility changes, as a table: only the areas and the measures whose
    shown value changes (each before and after), in words and localized numbers, distances
    and shares as ranges as in the main table.

    Parameters
    ----------
    changes
        :attr:`dashboard.analysis.gaps.WhatIf.changes`.
    thresholds, level
        Of the analysis (the reasons name them).
    lang
        ``de`` or ``en``.
    """
    frame = changes.assign(level=level).reset_index(drop=True)
    columns: dict[str, Sequence[object]] = {}
    if frame["selector"].nunique() > 1:
        columns[column_label("selector_label", lang)] = [
            selector_label(s, lang) for s in frame["selector"]
        ]
    columns[column_label("name", lang)] = list(frame["name"])
    texts = {
        suffix: reasons(frame, lang, thresholds, suffix=suffix) for suffix in ("_before", "_after")
    }
    changed = pd.Series(False, index=frame.index)
    for measure in WHATIF_MEASURES:
        label_ = column_label("status_label" if measure == "status" else measure, lang)
        cells = {
            suffix: list(texts[suffix])
            if measure == "reason"
            else [_whatif_cell(measure, r, suffix, lang) for _, r in frame.iterrows()]
            for suffix in ("_before", "_after")
        }
        differs = pd.Series(
            [a != b for a, b in zip(cells["_before"], cells["_after"], strict=True)],
            index=frame.index,
            dtype=bool,
        )
        if not differs.any():
            continue  # a measure no area changes in is left out
        changed |= differs
        for suffix in ("_before", "_after"):
            columns[t(f"gaps.col.{suffix.lstrip('_')}", lang, label=label_)] = cells[suffix]
    return pd.DataFrame(columns)[changed.to_numpy()].reset_index(drop=True)
