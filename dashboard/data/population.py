"""Population per Gemeinde and its aggregation to Verbandsgemeinden.

Counts are summed; the aggregate carries the oldest reference date of its parts
and says so (``dates_mixed``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard.config import VINTAGES
from dashboard.data.files import MEMBERSHIP_FILE, POPULATION_FILE


def load_population(datasets_dir: Path) -> pd.DataFrame:
    """Population per Gemeinde with its own date and source.

    Parameters
    ----------
    datasets_dir
        Folder with ``population_gemeinden.csv``.

    Returns
    -------
    pandas.DataFrame
        Columns ags, name, population (int), population_date (ISO str), population_source.
    """
    df = pd.read_csv(datasets_dir / POPULATION_FILE, dtype=str, keep_default_na=False)
    df["population"] = df["population"].astype(int)
    return df


def load_membership(datasets_dir: Path) -> pd.DataFrame:
    """Gemeinde -> Verbandsgemeinde (name and 9-digit key) for each vintage."""
    return pd.read_csv(datasets_dir / MEMBERSHIP_FILE, dtype=str, keep_default_na=False)


def aggregate_population(
    population: pd.DataFrame, membership: pd.DataFrame, vintage: int
) -> pd.DataFrame:
    """Sum Gemeinde populations to the VGs of one vintage.

    Parameters
    ----------
    population
        From :func:`load_population`.
    membership
        From :func:`load_membership`.
    vintage
        2013, 2014 or 2019.

    Returns
    -------
    pandas.DataFrame
        One row per VG: rs, name, population, date_oldest, date_newest, dates_mixed,
        n_gemeinden. ``date_oldest`` is the reference date of the aggregate.
    """
    if vintage not in VINTAGES:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(VINTAGES)}")
    joined = population.merge(
        membership[["ags", f"vg_rs_{vintage}", f"vg_{vintage}"]], on="ags", validate="1:1"
    )
    grouped = joined.groupby(f"vg_rs_{vintage}")
    out = pd.DataFrame(
        {
            "name": grouped[f"vg_{vintage}"].first(),
            "population": grouped["population"].sum(),
            "date_oldest": grouped["population_date"].min(),
            "date_newest": grouped["population_date"].max(),
            "n_gemeinden": grouped.size(),
        }
    )
    out["dates_mixed"] = out["date_oldest"] != out["date_newest"]
    return out.rename_axis("rs").reset_index()
