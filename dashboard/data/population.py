"""Population per Gemeinde and the Gemeinde -> Verbandsgemeinde membership, as shipped.

The population an area is shown with (sum or official figure) is decided in one place:
:func:`dashboard.analysis.population.headline_population`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
