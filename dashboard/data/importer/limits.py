"""How large an import may be: file size, rows, columns, cell length, nesting.

The defaults fit a Landkreis (a district's list of offers has hundreds to a few thousand
rows; 50,000 rows and 20 MB leave room for a state-wide extract). Each limit can be set
with an environment variable; a value that is not a positive whole number stops the
start with a message naming the variable.

=====================================  ==========  =================================
variable                               default     limit
=====================================  ==========  =================================
``INTEGRATIONSATLAS_IMPORT_MAX_MB``    20          file size (MB, 1 MB = 1,048,576 bytes)
``INTEGRATIONSATLAS_IMPORT_MAX_ROWS``  50000       data rows (features, OSM elements)
``INTEGRATIONSATLAS_IMPORT_MAX_COLUMNS``  200      columns (properties)
``INTEGRATIONSATLAS_IMPORT_MAX_CELL``  10000       characters in one cell
=====================================  ==========  =================================

Derived bounds (not set separately): an XLSX workbook may unpack to at most ten times the
file size, and may hold at most ``rows × 20`` cells' worth of shared strings; JSON may be
nested at most :data:`MAX_JSON_DEPTH` levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from dashboard.config import environment

#: Nesting depth of JSON (a GeoJSON FeatureCollection needs 6).
MAX_JSON_DEPTH = 64

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]")
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}

_ENV = {
    "max_mb": "INTEGRATIONSATLAS_IMPORT_MAX_MB",
    "max_rows": "INTEGRATIONSATLAS_IMPORT_MAX_ROWS",
    "max_columns": "INTEGRATIONSATLAS_IMPORT_MAX_COLUMNS",
    "max_cell_chars": "INTEGRATIONSATLAS_IMPORT_MAX_CELL",
}


@dataclass(frozen=True)
class Limits:
    """Bounds of one import.

    Attributes
    ----------
    max_mb
        File size in MB.
    max_rows
        Data rows (CSV/XLSX rows, GeoJSON/GeoPackage features, OSM elements kept).
    max_columns
        Columns (headers, properties).
    max_cell_chars
        Characters in one cell.
    """

    max_mb: int = 20
    max_rows: int = 50_000
    max_columns: int = 200
    max_cell_chars: int = 10_000

    def __post_init__(self) -> None:
        for name in _ENV:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"import limit {name} must be a whole number >= 1, got {value!r}")

    @property
    def max_bytes(self) -> int:
        """File size in bytes."""
        return self.max_mb * 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        """What the parts of an XLSX workbook may unpack to, together."""
        return 10 * self.max_bytes

    @property
    def max_shared_strings(self) -> int:
        """Distinct strings an XLSX workbook may hold (they are read into memory)."""
        return 20 * self.max_rows

    @property
    def max_shared_chars(self) -> int:
        """Characters of all distinct strings of an XLSX workbook together."""
        return 2 * self.max_bytes


def import_limits() -> Limits:
    """The limits in force, from the environment (see the module's table).

    Raises
    ------
    ValueError
        A variable that is set but not a whole number >= 1 (the message names it).
    """
    env = environment()
    values = {
        "max_mb": env.import_max_mb,
        "max_rows": env.import_max_rows,
        "max_columns": env.import_max_columns,
        "max_cell_chars": env.import_max_cell,
    }
    return Limits(**values)


def json_depth_ok(text: str) -> bool:
    """Whether brackets nest at most :data:`MAX_JSON_DEPTH` deep (strings ignored).

    Works on the text with C-speed string operations: strings are removed first, then
    the brackets are scanned.
    """
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    return max(accumulate(map(_DEPTH_STEP.__getitem__, brackets)), default=0) <= MAX_JSON_DEPTH
