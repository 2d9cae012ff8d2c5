"""The district (a Kreis or a whole Land) as a value, read from its ``district.toml``.

The district is configuration, not code: one file ``districts/<key>/district.toml`` in the
repository (or one written by ``python -m dashboard build-geodata --kreis KEY`` for a Kreis
without one). It gives the district's key, name and kind, the context areas drawn beside
it (e.g. an enclosed kreisfreie Stadt), the boundary vintages with their validity, where
its data lives, and whether its facilities are synthetic test data.

The file is checked by the pydantic models below; every error names the file and the field
(``districts/07/district.toml: vintages.2016.valid_from: expected a date YYYY-MM-DD``).
Nothing reads a district at import: the settings (:func:`dashboard.config.get_settings`)
carry the one a process serves, and the service passes it down.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dashboard.config.constants import (
    BUILT_DISTRICTS_DIR,
    DISTRICT_ENV,
    DISTRICT_FILE,
    DISTRICTS_DIR,
)
from dashboard.config.district_file import FileProblem, check_file


class DistrictConfigError(ValueError):
    """A district configuration is missing or invalid (the message names file and field)."""


@dataclass(frozen=True)
class ContextArea:
    """An area drawn beside the district as context (e.g. an enclosed kreisfreie Stadt).

    Attributes
    ----------
    ags
        Its 8-digit Gemeinde key (a kreisfreie Stadt is one Gemeinde).
    name
        Proper name (VG250 ``GEN``).
    kind
        One of :data:`~dashboard.config.constants.CONTEXT_KINDS` (the word comes from the
        catalogue).
    """

    ags: str
    name: str
    kind: str


@dataclass(frozen=True)
class Vintage:
    """One boundary vintage of the Verbandsgemeinden.

    Attributes
    ----------
    year
        The vintage's key (``vg_<year>`` columns and files).
    valid_from, valid_to
        ISO dates; ``None`` means open (unknown start, or still valid).
    as_of
        For the boundary package's own vintage: the date of its boundary state (its
        validity is not known beyond it).
    source
        ``membership`` (a membership table gives each Gemeinde's VG) or ``package`` (the
        VG250 Verwaltungsgemeinschaften of the boundary package).
    """

    year: int
    valid_from: str | None
    valid_to: str | None
    as_of: str | None
    source: str


@dataclass(frozen=True)
class District:
    """The configured district (a Kreis or a Land): a value, equal by its contents.

    Attributes
    ----------
    key
        Regional key: 5 digits for a Kreis (``07336``), 2 for a Land (``07``).
    name
        Proper name (``Kusel``); the words around it come from the catalogue.
    kind
        One of the values of :data:`~dashboard.config.constants.DISTRICT_KINDS`.
    context
        Areas drawn beside the district (may be empty).
    vintages
        The boundary vintages offered, oldest first.
    current_vintage
        The vintage used for editing, counts and the presentation.
    membership_file
        Membership table (in the datasets folder) for vintages of source ``membership``.
    geodata_dir, datasets_dir, store_path
        Where the district's data lives (environment variables override them).
    datasets_build
        ``reference`` (``datasets/`` is built by ``build-datasets`` from ``raw/``) or
        ``package`` (``build-geodata`` writes the datasets derived from the package).
    synthetic
        The facilities (and any population) are synthetic test data.
    synthetic_facilities, synthetic_seed, synthetic_population
        How the build generates them.
    config_path
        The ``district.toml`` read.
    raw
        The whole parsed file (provenance and build sections); not part of equality.
    """

    key: str
    name: str
    kind: str
    context: tuple[ContextArea, ...]
    vintages: tuple[Vintage, ...]
    current_vintage: int
    membership_file: str
    geodata_dir: Path
    datasets_dir: Path
    store_path: Path
    datasets_build: str
    synthetic: bool
    synthetic_facilities: int
    synthetic_seed: int
    synthetic_population: bool
    config_path: Path
    raw: dict[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def level(self) -> str:
        """``land`` for a whole state, ``kreis`` otherwise."""
        return "land" if len(self.key) == 2 else "kreis"

    @property
    def context_ags(self) -> tuple[str, ...]:
        """The context areas' keys."""
        return tuple(c.ags for c in self.context)

    @property
    def vintage_years(self) -> tuple[int, ...]:
        """The vintages' keys, oldest first."""
        return tuple(v.year for v in self.vintages)

    def vintage(self, year: int) -> Vintage:
        """The vintage ``year`` (``ValueError`` if it is not configured)."""
        for v in self.vintages:
            if v.year == year:
                return v
        raise ValueError(f"unknown vintage {year}; expected one of {list(self.vintage_years)}")

    @property
    def package_only(self) -> bool:
        """Only the boundary package's own vintage is offered (no membership table)."""
        return all(v.source == "package" for v in self.vintages)

    def section(self, name: str) -> dict[str, Any]:
        """A further table of the file (``reference``, ``border``, ...); empty if absent."""
        value = self.raw.get(name, {})
        return value if isinstance(value, dict) else {}


def _data_path(value: str | None, base: Path, default: Path) -> Path:
    return default if value is None else (base / value).resolve()


def parse_district(path: Path) -> District:
    """Read and check one ``district.toml``.

    Parameters
    ----------
    path
        The file. Paths in its ``[data]`` table are relative to its folder.

    Returns
    -------
    District

    Raises
    ------
    DistrictConfigError
        Naming the file and the field that is missing or wrong (one line).
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DistrictConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        text = str(exc).replace("\n", " ")
        raise DistrictConfigError(f"{path}: not a readable TOML file ({text})") from exc
    try:
        spec, years = check_file(doc)
    except FileProblem as exc:
        raise DistrictConfigError(f"{path}: {exc}") from None
    vintages = tuple(
        Vintage(year, v.valid_from, v.valid_to, v.as_of, v.source) for year, v in years.items()
    )
    current = spec.vintages.current if spec.vintages.current is not None else vintages[-1].year
    key = spec.district.key
    base = path.resolve().parent
    default_root = BUILT_DISTRICTS_DIR / key
    return District(
        key=key,
        name=spec.district.name,
        kind=spec.district.kind,
        context=tuple(ContextArea(c.ags, c.name, c.kind) for c in spec.context),
        vintages=vintages,
        current_vintage=current,
        membership_file=spec.vintages.membership,
        geodata_dir=_data_path(spec.data.geodata, base, default_root / "geodata"),
        datasets_dir=_data_path(spec.data.datasets, base, default_root / "datasets"),
        store_path=_data_path(spec.data.store, base, default_root / "integrationsatlas.gpkg"),
        datasets_build=spec.data.datasets_build,
        synthetic=bool(spec.synthetic.facilities),
        synthetic_facilities=spec.synthetic.facilities,
        synthetic_seed=spec.synthetic.seed,
        synthetic_population=spec.synthetic.population,
        config_path=path.resolve(),
        raw=doc,
    )


def district_config_path(selector: str) -> Path:
    """The ``district.toml`` a selector names.

    Parameters
    ----------
    selector
        A key (``07336``: ``districts/07336/district.toml`` in the repository, else the
        one the build wrote to ``var/districts/07336/``), or a path to a ``district.toml``
        or to the folder holding one.

    Raises
    ------
    DistrictConfigError
        If there is none, with the command that makes one.
    """
    if re.fullmatch(r"\d{2}|\d{5}", selector):
        for folder in (DISTRICTS_DIR, BUILT_DISTRICTS_DIR):
            candidate = folder / selector / DISTRICT_FILE
            if candidate.is_file():
                return candidate
        option = "--land" if len(selector) == 2 else "--kreis"
        raise DistrictConfigError(
            f"{DISTRICTS_DIR / selector / DISTRICT_FILE}: no configuration for district "
            f"{selector}; run python -m dashboard build-geodata {option} {selector} "
            f"(with {DISTRICT_ENV} unset), or make run DISTRICT={selector}"
        )
    path = Path(selector).expanduser()
    if path.is_dir():
        path = path / DISTRICT_FILE
    if not path.is_file():
        raise DistrictConfigError(
            f"{path}: file not found; {DISTRICT_ENV} expects a district key or a district.toml"
        )
    return path.resolve()


def load_district(selector: str) -> District:
    """The district a selector names (a key or the path of a ``district.toml``).

    Raises
    ------
    DistrictConfigError
        No such configuration, or an invalid one (the message names file and field).
    """
    return parse_district(district_config_path(selector))


__all__ = [
    "ContextArea",
    "District",
    "DistrictConfigError",
    "Vintage",
    "district_config_path",
    "load_district",
    "parse_district",
]
