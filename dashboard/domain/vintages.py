"""Which Verbandsgemeinde of another boundary vintage continues a selected one.

VGs are merged and renamed between vintages (for the shipped district: two mergers in
2014 and 2019, one VG with a new key; see README "Boundary vintages"). When the user
switches the vintage, the selected VG is
kept if it exists there, else replaced by the VG of the other vintage that holds most of
its population (through the Gemeinde membership table).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def carry_vg(
    key: str,
    source: int,
    target: int,
    membership: pd.DataFrame,
    population: Mapping[str, int] | None = None,
) -> str:
    """The VG of ``target`` that continues VG ``key`` of ``source`` ("" if none).

    Parameters
    ----------
    key
        9-digit VG key of the ``source`` vintage ("" = no VG selected).
    source, target
        Boundary vintages (e.g. 2013 and 2019).
    membership
        One row per Gemeinde with ``ags`` and ``vg_rs_<vintage>`` for both vintages.
    population
        Inhabitants per Gemeinde (AGS); a Gemeinde without a figure counts as 0. Without
        any figure the VG holding most of the Gemeinden wins.

    Returns
    -------
    str
        ``key`` itself when the same VG (same key and the same Gemeinden) exists in
        ``target``; otherwise the ``target`` VG holding most of its population (ties:
        most Gemeinden, then the lower key); "" when ``key`` is empty or unknown.

    Raises
    ------
    ValueError
        If the membership table lacks a column of either vintage.
    """
    src, dst = f"vg_rs_{source}", f"vg_rs_{target}"
    missing = [c for c in ("ags", src, dst) if c not in membership.columns]
    if missing:
        raise ValueError(f"membership table lacks column(s) {', '.join(missing)}")
    if not key:
        return ""
    members = membership.loc[membership[src] == key, ["ags", dst]]
    if members.empty:
        return ""
    if source == target:
        return key
    pop = population or {}
    scores: dict[str, tuple[int, int]] = {}
    for ags, vg in zip(members["ags"], members[dst], strict=True):
        people, count = scores.get(str(vg), (0, 0))
        scores[str(vg)] = (people + int(pop.get(str(ags), 0)), count + 1)
    return min(scores, key=lambda vg: (-scores[vg][0], -scores[vg][1], vg))
