"""The coverage matrix: offers and projects per VG and Handlungsfeld, and what a gap means."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.analysis.coverage import ListMarks, current_vg_keys, gemeinde_coverage
from dashboard.analysis.gaps.areas import Areas, vg_columns
from dashboard.analysis.gaps.offers import offers_of
from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.domain.projects import ProjectRecord

#: Meaning codes of a coverage cell: ``none`` neither offer nor project, ``no_offer``,
#: ``no_project``, ``""`` for a cell with both; ``unknown`` no offer recorded and the
#: VG's lists of the Handlungsfeld are not known to be complete (no project either),
#: ``unknown_offer`` the same with a project.
MEANING_CODES: tuple[str, ...] = (
    "none", "no_offer", "no_project", "", "unknown", "unknown_offer",
)  # fmt: skip


def _cell_meaning(offers: int, projects: int, complete: bool = True) -> str:
    if offers == 0 and not complete:
        return "unknown" if projects == 0 else "unknown_offer"
    if offers == 0 and projects == 0:
        return "none"
    if offers == 0:
        return "no_offer"
    return "no_project" if projects == 0 else ""


def _offer_counts(
    facilities: gpd.GeoDataFrame, vg_of_offer: np.ndarray, include_unconfirmed: bool
) -> dict[tuple[str, str], int]:
    offers = offers_of(facilities)
    counts: dict[tuple[str, str], int] = {}
    use = offers.active & ~offers.unknown & (include_unconfirmed | ~offers.unconfirmed)
    for vg, codes, ok in zip(vg_of_offer, offers.hfs, use, strict=True):
        if ok and isinstance(vg, str):
            for hf in codes:
                counts[(vg, hf)] = counts.get((vg, hf), 0) + 1
    return counts


def _project_counts(
    projects: Iterable[ProjectRecord], to_vg: pd.Series, facility_vg: dict[str, object]
) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for project in projects:
        places = {to_vg.get(a) for a in project.location_ags}
        places |= {facility_vg.get(fid) for fid in project.facility_ids}
        for vg in {p for p in places if isinstance(p, str)}:
            for hf in project.handlungsfelder:
                counts[(vg, hf)] = counts.get((vg, hf), 0) + 1
    return counts


def _complete_cells(
    areas: Areas, to_vg: pd.Series, lists: ListMarks | None
) -> dict[tuple[str, str], bool]:
    table = areas.table
    current = (
        current_vg_keys(table, areas.current_vintage) if lists is not None else [""] * len(table)
    )
    out: dict[tuple[str, str], bool] = {}
    for hf in HANDLUNGSFELDER:
        complete, _ = gemeinde_coverage(current, lists, hf)
        by_vg = pd.Series(complete, index=table.index).groupby(to_vg.to_numpy()).all()
        out.update({(str(k), hf): bool(v) for k, v in by_vg.items()})
    return out


def coverage_matrix(
    areas: Areas,
    facilities: gpd.GeoDataFrame,
    projects: Iterable[ProjectRecord],
    vintage: int,
    *,
    lists: ListMarks | None = None,
    include_unconfirmed: bool = False,
) -> pd.DataFrame:
    """Offers and projects per VG and Handlungsfeld.

    Parameters
    ----------
    areas
        From :func:`dashboard.analysis.gaps.make_areas`.
    facilities
        Output of :func:`dashboard.data.locate.locate`.
    projects
        Projects; one counts in a VG when one of its ``location_ags`` or of its linked
        facilities (any status) lies in that VG, once per VG and Handlungsfeld.
    vintage
        Boundary vintage of the VGs.
    lists
        Completeness marks; a cell's list is complete when the lists of all its
        Gemeinden are (``None``: every list is complete).
    include_unconfirmed
        Also count offers still to be confirmed.

    Returns
    -------
    pandas.DataFrame
        One row per VG x Handlungsfeld (VGs by key, Handlungsfelder in model order):
        ``vintage``, ``vg_rs``, ``vg``, ``handlungsfeld``, ``offers`` (active facilities of
        that Handlungsfeld), ``projects``, ``list_complete``, ``empty`` (offers or
        projects missing) and ``meaning``, a code of :data:`MEANING_CODES`;
        :mod:`dashboard.render.gaps_text` says it in words.
    """
    vg_name, vg_key = vg_columns(areas, vintage)
    if not isinstance(facilities, gpd.GeoDataFrame) or not {"id", "located_ags"} <= set(
        facilities.columns
    ):
        raise ValueError("facilities must be the output of dashboard.data.locate.locate()")
    to_vg = areas.table[vg_key]
    located = facilities["located_ags"].fillna("").astype(str)
    vg_of_offer = located.map(to_vg).to_numpy(object)
    offer_counts = _offer_counts(facilities, vg_of_offer, include_unconfirmed)
    facility_vg = dict(zip(facilities["id"].astype(str), vg_of_offer, strict=True))
    project_counts = _project_counts(projects, to_vg, facility_vg)
    complete_of = _complete_cells(areas, to_vg, lists)
    vgs = areas.table.drop_duplicates(vg_key).set_index(vg_key)[vg_name].sort_index()
    rows = []
    for key, name in vgs.items():
        for hf in HANDLUNGSFELDER:
            n_off = offer_counts.get((str(key), hf), 0)
            n_proj = project_counts.get((str(key), hf), 0)
            known = complete_of.get((str(key), hf), False)
            rows.append(
                {"vintage": int(vintage), "vg_rs": key, "vg": name, "handlungsfeld": hf,
                 "offers": n_off, "projects": n_proj, "list_complete": known,
                 "empty": n_off == 0 or n_proj == 0,
                 "meaning": _cell_meaning(n_off, n_proj, known)}
            )  # fmt: skip
    return pd.DataFrame(rows)
