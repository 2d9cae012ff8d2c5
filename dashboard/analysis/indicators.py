"""Indicator values in long format and their aggregation to Verbandsgemeinden.

Rules: counts are summed; shares and rates are recomputed from numerator and denominator,
never averaged, and never summed (:mod:`dashboard.domain.indicators`: the kind decides); an aggregate of values with different dates carries the oldest date and says so.
An aggregate with a missing part is no value ("keine Daten"), never a partial sum.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.domain.dates import distance_days
from dashboard.domain.indicators import (
    IndicatorRefused,
    indicator_name,
    kind_in,
    spec,
    summable,
)
from dashboard.i18n.catalogue import N_

Near = str | Mapping[str, str] | None


def membership_vintages(membership: pd.DataFrame) -> list[int]:
    """The vintages a membership table has VG columns for (``vg_rs_<year>``), oldest first."""
    found = (re.match(r"^vg_rs_(\d{4})$", str(c)) for c in membership.columns)
    return sorted(int(m.group(1)) for m in found if m)


def _latest(values: pd.DataFrame, near: Near = None) -> pd.DataFrame:
    """Keep, per area, the newest value of an indicator, or with ``near`` the one nearest in
    date to it (one date for every area, or a date per area key; ties: the newer one)."""
    if near is None or values.empty:
        return values.sort_values("reference_date").groupby("area_key", as_index=False).last()

    def target(key: str) -> str | None:
        return near if isinstance(near, str) else near.get(str(key))

    gaps = [
        distance_days(d, target(k)) if target(k) else 0
        for k, d in zip(values["area_key"], values["reference_date"], strict=True)
    ]
    ranked = values.assign(_gap=gaps, _date=values["reference_date"].astype(str))
    ranked = ranked.sort_values(["area_key", "_gap", "_date"], ascending=[True, True, False])
    return ranked.drop_duplicates("area_key").drop(columns=["_gap", "_date"]).reset_index(drop=True)


def _sum_parts(parts: pd.DataFrame, members: pd.Series) -> pd.DataFrame:
    """Sum Gemeinde values to groups; a group with a missing Gemeinde gets no value."""
    joined = members.rename("group").to_frame().join(parts.set_index("area_key"), how="left")
    out = []
    for group, sub in joined.groupby("group"):
        complete = sub["value"].notna().all()
        dates = sub["reference_date"].dropna()
        oldest, newest = (dates.min(), dates.max()) if len(dates) else (None, None)
        note = ""
        if not complete:
            note = (
                f"keine Daten: {int(sub['value'].isna().sum())} von {len(sub)} Gemeinden ohne Wert"
            )
        elif oldest != newest:
            note = f"Summe mit Werten vom {newest} bis {oldest}; es gilt der älteste Stand"
        out.append(
            {
                "area_key": group,
                "value": float(sub["value"].sum()) if complete else np.nan,
                "reference_date": oldest,
                "date_newest": newest,
                "dates_mixed": bool(oldest != newest),
                "n_parts": len(sub),
                "sources": "; ".join(sorted(set(sub["source"].dropna()))),
                "note": note,
            }
        )
    return pd.DataFrame(out)


def aggregate_to_vg(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    vintage: int | str,
    indicator: str,
    near: str | None = None,
) -> pd.DataFrame:
    """Aggregate an indicator from Gemeinden to the VGs of one vintage.

    Parameters
    ----------
    values
        Long format (area_level, area_key, indicator, value, reference_date, source, ...).
    membership
        Gemeinde -> VG table.
    vintage
        A vintage of the membership (``all`` for a table with the column ``vg_rs_all``).
    indicator
        Indicator name; counts are summed, rates recomputed from numerator/denominator.
    near
        Use each Gemeinde's value nearest in date to this date (default: the newest).

    Returns
    -------
    pandas.DataFrame
        One row per VG: area_key (9-digit), value (NaN = keine Daten), reference_date (the
        oldest of the parts), date_newest, dates_mixed, n_parts, sources, note.
    """
    if f"vg_rs_{vintage}" not in membership.columns:
        valid = membership_vintages(membership)
        raise ValueError(f"unknown vintage {vintage}; expected one of {valid}")
    members = membership.set_index("ags")[f"vg_rs_{vintage}"]
    gem = values[values["area_level"] == "gemeinde"]

    def parts(name: str) -> pd.DataFrame:
        return _latest(gem[gem["indicator"] == name], near)

    s = spec(indicator)
    if summable(kind_in(values, indicator)):
        return _sum_parts(parts(indicator), members)
    if not (s.numerator and s.denominator):  # a share or rate is never summed
        raise IndicatorRefused(N_("ind.err.not_summed"), name=indicator_name(indicator))
    num = _sum_parts(parts(s.numerator), members).set_index("area_key")
    den = _sum_parts(parts(s.denominator), members).set_index("area_key")
    out = num.copy()
    out["value"] = num["value"] / den["value"] * s.factor
    both = pd.concat([num["reference_date"], den["reference_date"]], axis=1)
    out["reference_date"] = both.min(axis=1)
    newest = pd.concat([num["date_newest"], den["date_newest"]], axis=1)
    out["date_newest"] = newest.max(axis=1)
    out["dates_mixed"] = (
        num["dates_mixed"] | den["dates_mixed"] | (num["reference_date"] != den["reference_date"])
    )
    out["sources"] = [
        "; ".join(sorted({p for t in (a, b) if isinstance(t, str) for p in t.split("; ") if p}))
        for a, b in zip(num["sources"], den["sources"], strict=True)
    ]  # a recomputed share names the sources of its numerator and its denominator
    out["note"] = [
        n or d or ("Zähler und Nenner mit verschiedenem Stand; es gilt der älteste" if m else "")
        for n, d, m in zip(num["note"], den["note"], out["dates_mixed"], strict=True)
    ]
    return out.reset_index()


def values_for(
    values: pd.DataFrame,
    membership: pd.DataFrame,
    indicator: str,
    level: str,
    vintage: int,
    near: Near = None,
    *,
    district_key: str = "",
) -> pd.DataFrame:
    """Values of one indicator for one area level: direct where given, else aggregated.

    Per area, a value reported for exactly that area (and vintage) wins; areas without one
    get the aggregate of their Gemeinden (counts summed, rates recomputed), marked
    ``derived``. This is also the rule for the headline population of an area
    (:func:`dashboard.analysis.population.headline_population`).

    Parameters
    ----------
    values, membership
        Long format; Gemeinde -> VG table (for aggregation).
    indicator, level, vintage
        Indicator name; ``gemeinde``, ``vg`` or ``landkreis``; the VG vintage.
    near
        Per area the value nearest in date to this date (one for all, or per area key);
        default the newest. A per-1,000 figure passes its numerator's dates here, so that
        the denominator is the one nearest in date.
    district_key
        The key of the district's row when it is aggregated from its Gemeinden
        (``level == "landkreis"``).

    Returns
    -------
    pandas.DataFrame
        area_key, value, reference_date (for aggregates: the oldest of the parts),
        date_newest, dates_mixed, n_parts, sources, note, derived (True if aggregated from
        Gemeinden). Direct VG values exist only for the vintage they were reported in.
    """
    columns = [
        "area_key", "value", "reference_date", "date_newest", "dates_mixed", "n_parts",
        "sources", "note", "derived",
    ]  # fmt: skip
    if level not in ("gemeinde", "vg", "landkreis"):
        raise ValueError(f"unknown level {level!r}; expected 'gemeinde', 'vg' or 'landkreis'")
    area_level = {"gemeinde": "gemeinde", "vg": f"vg_{vintage}", "landkreis": "landkreis"}[level]
    direct = _latest(
        values[(values["area_level"] == area_level) & (values["indicator"] == indicator)], near
    )
    direct = direct.assign(
        sources=direct["source"],
        date_newest=direct["reference_date"],
        dates_mixed=False,
        n_parts=1,
        derived=False,
    ).reindex(columns=columns)
    if level == "gemeinde":
        return direct.reset_index(drop=True)
    has_parts = (
        (values["area_level"] == "gemeinde")
        & (
            values["indicator"].isin(
                [indicator, spec(indicator).numerator, spec(indicator).denominator]
            )
        )
    ).any()
    if not has_parts or not aggregable(values, indicator):
        return direct.reset_index(drop=True)
    one_date = _one_date(near)
    if level == "vg":
        agg = aggregate_to_vg(values, membership, vintage, indicator, one_date)
    else:
        district = membership.assign(vg_rs_all=district_key)
        agg = aggregate_to_vg(values, district, "all", indicator, one_date)
    agg = agg.assign(derived=True).reindex(columns=columns)
    missing = agg.loc[~agg["area_key"].isin(set(direct["area_key"]))]
    return pd.concat([direct, missing], ignore_index=True)


def aggregable(values: pd.DataFrame, indicator: str) -> bool:
    """Whether an indicator's Gemeinde values make a value for a larger area: a count
    (summed), or a share or rate with a known numerator and denominator (recomputed)."""
    s = spec(indicator)
    return summable(kind_in(values, indicator)) or bool(s.numerator and s.denominator)


def _one_date(near: Near) -> str | None:
    """One date for the parts of an aggregate: the given one, or the oldest of several."""
    if near is None or isinstance(near, str):
        return near
    dates = sorted(d for d in near.values() if d)
    return dates[0] if dates else None


#: Why an indicator is not aggregated to VGs (codes; words in the page's catalogue).
REFUSALS: tuple[str, ...] = ("share_without_parts", "no_gemeinde_values")


@dataclass(frozen=True)
class Reaggregation:
    """An indicator aggregated from Gemeinden to the VGs of every vintage, or refused.

    Attributes
    ----------
    indicator, kind
        The indicator and its kind (``count``, ``share`` or ``rate``).
    by_vintage
        Vintage -> :func:`aggregate_to_vg` frame (empty when refused).
    refused
        ``""``, or a code of :data:`REFUSALS`: a share or rate without numerator and
        denominator per Gemeinde (shares are never summed), or a count with no value per
        Gemeinde to sum.
    parts
        For a refused share: the numerator and denominator it would need (may be empty).
    """

    indicator: str
    kind: str
    by_vintage: dict[int, pd.DataFrame]
    refused: str = ""
    parts: tuple[str, ...] = ()


def reaggregate(values: pd.DataFrame, membership: pd.DataFrame, indicator: str) -> Reaggregation:
    """Aggregate an indicator to the VGs of every vintage from its Gemeinde values.

    Counts are summed (a VG with a Gemeinde without value gets none); shares and rates are
    recomputed from numerator and denominator when both exist per Gemeinde, and refused
    otherwise, with the reason.

    Parameters
    ----------
    values
        Long-format values (area_level, area_key, indicator, value, unit, reference_date,
        source).
    membership
        Gemeinde -> VG table of all vintages.
    indicator
        The indicator.
    """
    kind = kind_in(values, indicator)
    gem = values[values["area_level"] == "gemeinde"]
    if not summable(kind):
        s = spec(indicator)
        parts = tuple(p for p in (s.numerator, s.denominator) if p)
        have = set(gem["indicator"])
        if len(parts) < 2 or not set(parts) <= have:
            return Reaggregation(indicator, kind, {}, "share_without_parts", parts)
    elif not (gem["indicator"] == indicator).any():
        return Reaggregation(indicator, kind, {}, "no_gemeinde_values")
    return Reaggregation(
        indicator,
        kind,
        {
            v: aggregate_to_vg(values, membership, v, indicator)
            for v in membership_vintages(membership)
        },
    )
