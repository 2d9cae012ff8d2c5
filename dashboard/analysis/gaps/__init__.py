"""Versorgungsanalyse: where offers are missing, per Gemeinde and Verbandsgemeinde.

The pure analysis core (no Streamlit, no store, no files: the service passes everything
in). Every measure is computed per Gemeinde of the district and aggregated to the VGs of
one boundary vintage (or the whole district) for one *selector*: a facility category
(``Kita``, ``Sprachkurs``, ...) or a Handlungsfeld code (``sprache``, ...), see
:data:`SELECTORS`. One module per job:

:mod:`~dashboard.analysis.gaps.checks`
    validation of the arguments;
:mod:`~dashboard.analysis.gaps.thresholds`
    the thresholds and their URL form;
:mod:`~dashboard.analysis.gaps.areas`
    the Gemeinden prepared (geometry once, the headline population per data version);
:mod:`~dashboard.analysis.gaps.offers`
    the offers as arrays;
:mod:`~dashboard.analysis.gaps.access`
    2SFCA and E2SFCA;
:mod:`~dashboard.analysis.gaps.measures`, :mod:`~dashboard.analysis.gaps.aggregate`
    the measures per Gemeinde, VG and district;
:mod:`~dashboard.analysis.gaps.flags`
    the gap rule;
:mod:`~dashboard.analysis.gaps.matrix`
    offers and projects per VG and Handlungsfeld;
:mod:`~dashboard.analysis.gaps.whatif`
    a planned facility;
:mod:`~dashboard.analysis.gaps.answer`
    what a result says and what a planned facility changes, for the first sentences.

Measures (:func:`measures`)
---------------------------
``population``
    The area's headline population (:mod:`dashboard.analysis.population`, the figure the
    map and the key figures show) with ``population_date`` (the oldest, for a sum),
    ``population_date_newest``, ``population_basis`` and ``population_sources``.
``offers``
    Active facilities (``status == "active"``) located in the Gemeinde (point in polygon,
    or the Gemeinde key of a facility without a point). Facilities whose location is
    unknown count nowhere. Offers whose source says they are still to be confirmed
    (``unconfirmed``) count only with ``include_unconfirmed=True``.
``demand``, ``per_1000``
    The demand of the selector's target group (:mod:`dashboard.analysis.demand`; the
    headline population unless another indicator is used) with its dates and sources, and
    ``offers`` per 1,000 of it.
``distance_km_low``, ``distance_km_high``, ``distance_approx``, ``distance_km``
    The straight-line distance, measured in EPSG:25832, from the Gemeinde's
    representative point (where its population is placed) to the nearest offer, as a
    range: an offer placed only at Gemeinde or postcode precision
    (:mod:`dashboard.domain.precision`) is somewhere in its Gemeinde, so the distance to it
    lies between the nearest and the farthest point of that Gemeinde
    (:mod:`dashboard.analysis.positions`). ``distance_approx`` is true where the range is
    not a single value; ``distance_km`` is the distance where it is exact and empty
    where it is a range (never a made-up 0). Candidate offers: active facilities with a
    point in the district or in one of its context areas, and with
    ``include_outside=True`` also those elsewhere outside the district.
``population_covered_low``/``_high``, ``share_covered_low``/``_high``, ``share_covered``
    The population whose representative point lies within ``radius_km`` of a candidate
    offer for certain (the upper bound of the distance is within) and possibly (the lower
    bound is), and its share of the Gemeinden's population. ``share_covered`` is the share
    where both bounds agree, empty where it is uncertain.
``access_2sfca_per_1000``, ``access_e2sfca_per_1000``
    Two-step floating catchment area accessibility (:func:`two_step_fca`), as supply per
    1,000 of the demand; the residents of the areas beyond the border whose offers count
    as supply count as demand too (``border_demand``).
``coverage``, ``list_as_of``
    Whether the lists of offers behind the row are known to be complete
    (:mod:`dashboard.analysis.coverage`): ``complete``, ``partial`` or ``unknown``.

VG and district values: see :mod:`dashboard.analysis.gaps.aggregate`. The gap rule and
the severity score: see :mod:`dashboard.analysis.gaps.flags`.

All distances are straight lines between points; travel times and the demand of areas
beyond the border other than the context areas are not modelled.
"""

from __future__ import annotations

from dashboard.analysis.gaps.access import (
    GAUSSIAN_SIGMA_FRACTION,
    STEP_ZONES,
    decay_weight,
    two_step_fca,
)
from dashboard.analysis.gaps.answer import (
    Effect,
    MissingList,
    Summary,
    WhatIfEffects,
    summarise,
    whatif_effects,
)
from dashboard.analysis.gaps.areas import Areas, check_vintage, make_areas, with_population
from dashboard.analysis.gaps.checks import DECAYS, LEVELS, SELECTORS, check_selector
from dashboard.analysis.gaps.flags import (
    CODE_SEP,
    MAX_DISTANCE_TERM,
    REASON_CODES,
    STATUS_CODES,
    gap_flags,
    gaps_table,
)
from dashboard.analysis.gaps.matrix import MEANING_CODES, coverage_matrix
from dashboard.analysis.gaps.measures import measures
from dashboard.analysis.gaps.thresholds import BOUNDS, Thresholds, from_params
from dashboard.analysis.gaps.whatif import OutsideDistrict, WhatIf, check_position, what_if

__all__ = [
    "BOUNDS", "CODE_SEP", "DECAYS", "GAUSSIAN_SIGMA_FRACTION", "LEVELS", "MAX_DISTANCE_TERM",
    "MEANING_CODES", "REASON_CODES", "SELECTORS", "STATUS_CODES", "STEP_ZONES", "Areas",
    "Effect", "MissingList", "OutsideDistrict", "Summary", "Thresholds", "WhatIf",
    "WhatIfEffects", "check_position", "check_selector", "check_vintage", "coverage_matrix",
    "decay_weight", "from_params", "gap_flags", "gaps_table", "make_areas", "measures",
    "summarise", "two_step_fca", "what_if", "whatif_effects", "with_population",
]  # fmt: skip
