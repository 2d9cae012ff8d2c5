"""The headline population of an area: one number, one date, one source, everywhere.

Every page, map tooltip, VG view, report, presentation and per-1,000 figure takes an
area's population from :func:`headline_population`. The rule: the figure reported for
exactly that area (a Gemeinde, a VG of that boundary vintage, the district) wins; an area
without one gets the sum of its Gemeinden, labelled as such, with the oldest date of its
parts (and the newest, so the range can be shown).
"""

from __future__ import annotations

import pandas as pd

from dashboard.analysis.indicators import values_for

#: The indicator that holds population figures.
POPULATION = "population"

#: ``basis`` values of :func:`headline_population`.
OFFICIAL, SUM_OF_GEMEINDEN = "official", "sum_of_gemeinden"


def headline_population(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    level: str,
    vintage: int,
    *,
    district_key: str = "",
) -> pd.DataFrame:
    """The headline population of every area of one level.

    Parameters
    ----------
    values
        Indicator values in long format (the store's ``indicators``).
    membership
        Gemeinde -> VG table.
    level
        ``gemeinde``, ``vg`` (of ``vintage``) or ``landkreis``.
    vintage
        Boundary vintage of the VGs.
    district_key
        The district's key (its row at level ``landkreis`` when it is a sum).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``area_key``: ``population`` (float; NaN if unknown), ``reference_date``
        (ISO; for sums the oldest part), ``date_newest``, ``dates_mixed``, ``basis``
        (:data:`OFFICIAL` or :data:`SUM_OF_GEMEINDEN`), ``n_parts``, ``sources``.
    """
    frame = values_for(values, membership, POPULATION, level, vintage, district_key=district_key)
    return pd.DataFrame(
        {
            "population": frame["value"].astype(float).to_numpy(),
            "reference_date": frame["reference_date"].to_numpy(),
            "date_newest": frame["date_newest"].to_numpy(),
            "dates_mixed": frame["dates_mixed"].fillna(False).astype(bool).to_numpy(),
            "basis": [SUM_OF_GEMEINDEN if d else OFFICIAL for d in frame["derived"]],
            "n_parts": frame["n_parts"].to_numpy(),
            "sources": frame["sources"].to_numpy(),
        },
        index=pd.Index(frame["area_key"].astype(str), name="area_key"),
    )


class Populations:
    """The headline populations of one set of indicator values, per level and vintage.

    Renderers take this object instead of computing populations themselves, so a map
    tooltip, the VG view, a report and the presentation show the same figure.

    Parameters
    ----------
    values
        Indicator values in long format.
    membership
        Gemeinde -> VG table.
    district_key
        The district's key (level ``landkreis``).
    """

    def __init__(
        self, values: pd.DataFrame, membership: pd.DataFrame, district_key: str = ""
    ) -> None:
        self._values = values
        self._membership = membership
        self.district_key = district_key
        self._cache: dict[tuple[str, int], pd.DataFrame] = {}

    def at(self, level: str, vintage: int) -> pd.DataFrame:
        """:func:`headline_population` of ``level`` (computed once per level and vintage)."""
        key = (level, 0 if level != "vg" else int(vintage))  # only VGs differ by vintage
        if key not in self._cache:
            self._cache[key] = headline_population(
                self._values, self._membership, level, int(vintage), district_key=self.district_key
            )
        return self._cache[key]

    def of(self, level: str, key: str, vintage: int) -> pd.Series:
        """One area's headline row (population NaN if the area has no figure at all)."""
        frame = self.at(level, vintage)
        if key in frame.index:
            return frame.loc[key]
        return pd.Series(
            {
                "population": float("nan"),
                "reference_date": "",
                "date_newest": "",
                "dates_mixed": False,
                "basis": OFFICIAL,
                "n_parts": 0,
                "sources": "",
            },
            name=key,
        )
