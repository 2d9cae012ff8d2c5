"""Tables of provenance for display: manifests and dated values."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.data.manifest import read_manifest
from dashboard.i18n.catalogue import t
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.manifest_text import manifest_words


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
        Content, source, licence, reference date, count, in ``lang``
        (:func:`dashboard.render.manifest_text.manifest_words`); no file names.
    """
    outputs = read_manifest(directory)["outputs"]
    rows = []
    for _, entry in sorted(outputs.items()):
        source = manifest_words(entry.get("source", ""), lang)
        if entry.get("package"):
            source += f" ({entry['package']})"
        rows.append(
            {
                t("data.col.title", lang): manifest_words(entry.get("title", ""), lang),
                t("data.col.source", lang): source,
                t("data.col.licence", lang): manifest_words(entry.get("licence", ""), lang),
                t("data.col.date", lang): manifest_words(entry.get("reference_date", ""), lang),
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
