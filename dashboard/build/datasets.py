"""Build ``datasets/`` from the collected reference facts (``raw/reference`` in the repository).

Each value keeps its own source and reference date; nothing is filled in. What the facts
must hold (file name, number of Gemeinden and of VGs per vintage, titles) is the
``[reference]`` table of the district's configuration (``districts/<key>/district.toml``);
only a district with ``datasets_build = "reference"`` has such facts.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd

from dashboard.build import BuildError, input_entry
from dashboard.build.publish import publish
from dashboard.config import District
from dashboard.data.files import MEMBERSHIP_FILE, POPULATION_FILE
from dashboard.data.manifest import MANIFEST_NAME, dumps_manifest, read_manifest, sha256_file


@dataclass(frozen=True)
class Facts:
    """What the build expects of a district's reference facts (``[reference]`` of its
    configuration, documented in ``raw/reference/README.md``)."""

    district: District
    gemeinden_file: str
    expected_gemeinden: int
    expected_vgs: dict[int, int]

    @classmethod
    def of(cls, district: District) -> Facts:
        """The facts ``district`` configures."""
        ref: dict[str, Any] = district.section("reference")
        return cls(
            district,
            str(ref.get("gemeinden", "")),
            int(ref.get("expected_gemeinden", 0)),
            {int(v): int(n) for v, n in ref.get("expected_vgs", {}).items()},
        )

    @property
    def membership_columns(self) -> list[str]:
        """Columns of the membership table: ``ags, name, kind`` and each vintage's VG."""
        years = self.district.vintage_years
        return ["ags", "name", "kind"] + [c for v in years for c in (f"vg_{v}", f"vg_rs_{v}")]


_POPULATION_COLUMNS = ["ags", "name", "population", "population_date", "population_source"]


def _fail(path: Path, expected: str) -> BuildError:
    return BuildError(f"{path}: {expected}")


def _read_reference(path: Path, facts: Facts) -> pd.DataFrame:
    if not path.is_file():
        raise _fail(
            path,
            "file not found; expected the reference table of the "
            f"{facts.expected_gemeinden} Gemeinden",
        )
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise _fail(path, f"not a readable UTF-8 CSV ({exc.__class__.__name__})") from exc
    wanted = facts.membership_columns + _POPULATION_COLUMNS[2:]
    missing = [c for c in wanted if c not in df.columns]
    if missing:
        raise _fail(path, f"expected columns {', '.join(missing)}")
    return df


def _validate(df: pd.DataFrame, path: Path, facts: Facts) -> None:
    key = facts.district.key
    problems: list[str] = []
    for i, row in df.iterrows():
        line = int(i) + 2  # header is line 1
        if not re.fullmatch(rf"{key}\d{{3}}", row["ags"]):
            problems.append(f"line {line}: ags {row['ags']!r} is not an 8-digit key of {key}")
        for v in facts.district.vintage_years:
            if not re.fullmatch(rf"{key}\d{{4}}", row[f"vg_rs_{v}"]):
                problems.append(
                    f"line {line}: vg_rs_{v} {row[f'vg_rs_{v}']!r} is not a 9-digit key"
                )
        if not row["population"].isdigit() or int(row["population"]) <= 0:
            problems.append(
                f"line {line}: population {row['population']!r} is not a positive integer"
            )
        try:
            pd.Timestamp(row["population_date"])
        except ValueError:
            problems.append(f"line {line}: population_date {row['population_date']!r} is no date")
        if not row["population_source"].strip():
            problems.append(f"line {line}: population_source is empty")
    if df["ags"].duplicated().any():
        problems.append("duplicate ags: " + ", ".join(df.loc[df["ags"].duplicated(), "ags"]))
    if len(df) != facts.expected_gemeinden:
        problems.append(f"{len(df)} rows, expected {facts.expected_gemeinden} Gemeinden")
    for v, n in facts.expected_vgs.items():
        pairs = df[[f"vg_{v}", f"vg_rs_{v}"]].drop_duplicates()
        if len(pairs) != n or pairs[f"vg_rs_{v}"].duplicated().any():
            problems.append(f"vintage {v}: {len(pairs)} name/key pairs, expected {n} VGs")
    if problems:
        raise _fail(path, "; ".join(problems[:5]) + (" ..." if len(problems) > 5 else ""))


def build_datasets(
    reference_dir: Path,
    datasets_dir: Path,
    geodata_dir: Path | None = None,
    *,
    district: District,
) -> dict[str, int]:
    """Validate the reference facts and write the project's datasets with a MANIFEST.

    Parameters
    ----------
    reference_dir
        Folder holding the reference table of the Gemeinden (``raw/reference``); with
        ``geodata_dir`` also the facilities and indicators, and the council paper in
        ``council-paper`` beside it.
    datasets_dir
        Output folder; unchanged if validation fails.
    geodata_dir
        Built boundaries; when given, the facilities, projects, Handlungsfelder and
        indicators are built too (facility points need the Gemeinde polygons).
    district
        The district built (its ``[reference]`` facts).

    Returns
    -------
    dict
        Output file name -> row count.

    Raises
    ------
    BuildError
        One line naming the file and what was expected.
    """
    facts = Facts.of(district)
    if district.datasets_build != "reference" or not facts.gemeinden_file:
        raise BuildError(
            f"{district.config_path}: district {district.key} has no reference facts "
            '([reference] with datasets_build = "reference"); its datasets are built by '
            f"python -m dashboard build-geodata --district {district.key}"
        )
    src = reference_dir / facts.gemeinden_file
    df = _read_reference(src, facts)
    _validate(df, src, facts)
    df = df.sort_values("ags").reset_index(drop=True)
    membership = df[facts.membership_columns]
    reference: dict[str, Any] = district.section("reference")
    population = df[_POPULATION_COLUMNS]
    common = {
        "input": input_entry(src),
        "command": "python -m dashboard build-datasets",
    }
    outputs = {
        MEMBERSHIP_FILE: {
            "title": str(reference.get("membership_title", "")),
            "source": (
                "Reference facts collected from public sources (Wikipedia (de) pages of the "
                "Verbandsgemeinden); boundary changes of 01.07.2014 and 01.07.2019"
            ),
            "licence": "facts (not copyrightable); compiled by the project",
            "reference_date": "2019-07-01",
            "note": str(reference.get("membership_note", "")),
            "rows": len(membership),
            **common,
        },
        POPULATION_FILE: {
            "title": "Einwohner je Gemeinde (Stand je Wert verschieden)",
            "source": "per row: column population_source (Wikipedia (de) pages and mirrors)",
            "licence": "facts (not copyrightable); compiled by the project",
            "reference_date": "per row: column population_date "
            f"({population['population_date'].min()} to {population['population_date'].max()})",
            "note": "dates are mixed; every value is shown with its own date",
            "rows": len(population),
            **common,
        },
    }

    def write(staging: Path) -> None:
        membership.to_csv(staging / MEMBERSHIP_FILE, index=False, lineterminator="\n")
        population.to_csv(staging / POPULATION_FILE, index=False, lineterminator="\n")
        if geodata_dir is not None:
            from dashboard.build.catalogue import build_catalogue

            outputs.update(
                build_catalogue(reference_dir, geodata_dir, population, staging, district)
            )
            for entry in outputs.values():
                entry.setdefault("command", "python -m dashboard build-datasets")
        manifest = read_manifest(datasets_dir)
        for name, entry in outputs.items():
            entry["sha256"] = sha256_file(staging / name)
            manifest["outputs"][name] = entry
        (staging / MANIFEST_NAME).write_text(dumps_manifest(manifest), encoding="utf-8")

    publish(datasets_dir, write)
    print(f"datasets: wrote {', '.join(outputs)} to {datasets_dir}", file=sys.stderr)
    return {name: cast(int, entry["rows"]) for name, entry in outputs.items()}
