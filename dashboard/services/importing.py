"""Importing a list of offers: read once, map columns, check every row, then write.

The import page and ``python -m dashboard import`` both use :class:`Upload`; writing goes
through :meth:`dashboard.services.workspace.Workspace.import_plan` (rights, one
transaction, history).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from dashboard.data.importer import (
    Defaults,
    ImportPlan,
    ImportRejected,
    RawTable,
    ReadError,
    match_columns,
    plan_import,
    read_table,
)
from dashboard.data.importer.columns import ALIASES
from dashboard.data.importer.labels import label_message
from dashboard.data.importer.upload import read_upload_table, safe_name
from dashboard.export.tables import csv_bytes
from dashboard.i18n.catalogue import t
from dashboard.services.workspace import Workspace

__all__ = [
    "FIELDS", "ImportPlan", "ImportRejected", "ReadError", "Upload", "read_path", "read_upload",
    "report_csv", "write_report",
]  # fmt: skip

#: The fields a file's column can be mapped to (canonical names).
FIELDS: tuple[str, ...] = tuple(ALIASES)


@dataclass(frozen=True, eq=False)
class Upload:
    """One file read for import.

    Attributes
    ----------
    name
        The file's own name (as the user knows it).
    raw
        Its rows as read (format, encoding, separator in ``raw.info``).
    """

    name: str
    raw: RawTable
    _plans: dict[tuple[object, ...], ImportPlan] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def columns(self) -> list[str]:
        """The file's columns (internal helper columns left out)."""
        return [c for c in self.raw.frame.columns if not str(c).startswith("_")]

    @property
    def canonical(self) -> bool:
        """Whether the file already uses the field names (an export of this app)."""
        return bool(self.raw.canonical)

    def proposed_mapping(self) -> dict[str, str]:
        """Column -> field, matched by name (German and English spellings)."""
        return match_columns(list(self.raw.frame.columns))

    def info_text(self, lang: str) -> str:
        """How the file was read (encoding, separator, sheet, layer), in ``lang``."""
        parts = []
        for key, value in self.raw.info.items():
            shown = t(f"imp.info.{value}", lang) if key == "separator" else value
            parts.append(t(f"imp.info.{key}", lang, value=shown))
        return ", ".join(parts)

    def corrected(self, fixes: Mapping[int, Mapping[str, str]]) -> Upload:
        """The file with cells corrected on the page (row position -> column -> value).

        Raises
        ------
        ValueError
            For a row or column the file does not have.
        """
        if not fixes:
            return self
        frame = self.raw.frame.copy()
        for pos, cells in fixes.items():
            if not 0 <= pos < len(frame):
                raise ValueError(f"row {pos} not in the file ({len(frame)} rows)")
            for column, value in cells.items():
                if column not in frame.columns:
                    raise ValueError(f"column {column!r} not in the file")
                frame.iloc[pos, frame.columns.get_loc(column)] = str(value)
        return Upload(self.name, replace(self.raw, frame=frame))

    def plan(
        self, ws: Workspace, mapping: dict[str, str], source: str, reference_date: str
    ) -> ImportPlan:
        """Check every row against the store (writes nothing).

        The plan is kept per mapping, defaults, user and data version: a page that runs
        again (a click on a checkbox) gets the same plan without checking the file again;
        any write to the store makes a new one.
        """
        ws.require_import()
        key = (
            tuple(sorted(mapping.items())),
            source,
            reference_date,
            ws.user.name,
            ws.store.data_version(),
        )
        if key not in self._plans:
            existing = ws.store.facilities()
            defaults = Defaults(source=source, reference_date=reference_date)
            self._plans.clear()  # one plan is kept: the one on the page
            self._plans[key] = plan_import(self.raw, mapping, ws.areas.geocoder, existing, defaults)
        return self._plans[key]


def read_path(path: Path) -> Upload:
    """Read a file on the server's disk for import (the command line).

    Raises
    ------
    ReadError
        The file cannot be read.
    """
    return Upload(path.name, read_table(path))


def read_upload(name: str, data: bytes) -> Upload:
    """Read an uploaded file with the one bounded reader
    (:func:`dashboard.data.importer.upload.read_upload_table`).

    Parameters
    ----------
    name
        The file name as uploaded (only its last part and suffix are used).
    data
        The file's bytes.

    Raises
    ------
    ReadError
        The file cannot be read; the message names the file as the user knows it.
    """
    return Upload(safe_name(name), read_upload_table(name, data))


def row_label(label: str, lang: str) -> str:
    """A row's label of the report ("Zeile 7", "row 7") in ``lang``."""
    return label_message(label).text(lang)


def report_csv(plan: ImportPlan, lang: str = "de") -> bytes:
    """The validation report (row, field, problem, value) as formula-safe CSV."""
    return csv_bytes(plan.problems_frame(lang))


def write_report(plan: ImportPlan, out: Path) -> None:
    """:func:`report_csv` written to ``out``."""
    out.write_bytes(report_csv(plan))
