"""Tables of provenance for display: manifests and dated values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.manifest import read_manifest
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_int


def manifest_table(directory: Path, lang: str) -> pd.DataFrame:
    """One row per output of a data folder's MANIFEST, with localised column names.

    Parameters
    ----------
    directory
        ``geodata/`` or ``datasets/``.
    lang
        ``de`` or ``en``.

    Returns
    -------
    pandas.DataFrame
        File, content, source, licence, reference date, count.
    """
    outputs = read_manifest(directory)["outputs"]
    rows = []
    for name, entry in sorted(outputs.items()):
        source = entry.get("source", "")
        if entry.get("package"):
            source += f" ({entry['package']})"
        rows.append(
            {
                t("data.col.file", lang): name,
                t("data.col.title", lang): entry.get("title", ""),
                t("data.col.source", lang): source,
                t("data.col.licence", lang): entry.get("licence", ""),
                t("data.col.date", lang): entry.get("reference_date", ""),
                t("data.col.count", lang): entry.get("feature_count", entry.get("rows")),
            }
        )
    return pd.DataFrame(rows)


def population_table(population: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Population per Gemeinde with its date and source, for display."""
    return pd.DataFrame(
        {
            t("field.ags", lang): population["ags"],
            t("field.name", lang): population["name"],
            t("field.population", lang): [fmt_int(v, lang) for v in population["population"]],
            t("field.population_date", lang): [
                fmt_date(d, lang) for d in population["population_date"]
            ],
            t("field.source", lang): population["population_source"],
        }
    )
