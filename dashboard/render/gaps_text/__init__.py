"""Words of the Versorgungsanalyse, made at the edge in the user's language.

:mod:`dashboard.analysis.gaps` returns numbers and codes (``status`` and ``reason_codes``
of a row, ``meaning`` of a coverage cell); these modules turn them into text with
:func:`dashboard.i18n.catalogue.t` / :func:`~dashboard.i18n.catalogue.tn` and the
formatters of :mod:`dashboard.i18n.format`, one module per subject:

:mod:`~dashboard.render.gaps_text.labels`
    selections, columns, codes, distances, shares and dates;
:mod:`~dashboard.render.gaps_text.reasons`
    why an area is a gap or uncertain, the thresholds;
:mod:`~dashboard.render.gaps_text.notes`
    the sentences around the result (counts, demand, what-if);
:mod:`~dashboard.render.gaps_text.matrix`
    the coverage of the lists and the matrix;
:mod:`~dashboard.render.gaps_text.tables`
    every table, on screen and in files.
"""

from __future__ import annotations

from dashboard.render.gaps_text.labels import (
    column_label,
    coverage_text,
    date_text,
    demand_label,
    distance_text,
    distinct,
    selector_label,
    share_text,
    status_text,
    vg_label,
)
from dashboard.render.gaps_text.matrix import (
    coverage_line,
    coverage_table,
    matrix_tables,
    meaning_text,
    meanings,
)
from dashboard.render.gaps_text.notes import (
    EXPLAINED,
    demand_note,
    explanations,
    status_counts,
)
from dashboard.render.gaps_text.reasons import (
    reason_groups,
    reason_text,
    reasons,
    thresholds_text,
)
from dashboard.render.gaps_text.tables import (
    COLUMNS,
    FIELD_KEYS,
    FILE_COLUMNS,
    data_table,
    display_table,
    file_table,
    mark_planned,
    whatif_table,
)

__all__ = [
    "COLUMNS", "EXPLAINED", "FIELD_KEYS", "FILE_COLUMNS", "column_label", "data_table", "coverage_line", "coverage_table",
    "coverage_text", "date_text", "demand_label", "demand_note", "display_table", "distance_text",
    "distinct", "explanations", "file_table", "mark_planned", "matrix_tables", "meaning_text",
    "meanings", "reason_groups", "reason_text", "reasons", "selector_label", "share_text",
    "status_counts", "status_text", "thresholds_text", "vg_label", "whatif_table",
]  # fmt: skip
