"""Configuration: fixed facts (:mod:`.constants`), the district as a value (:mod:`.district`)
and the one settings model (:mod:`.settings`).

Nothing here reads the district at import. A process asks :func:`get_settings` once at its
entry (a page run, a command) and passes the settings, and with them the district
(``settings.district``), down; the service layer hands the district on
(``Boundaries.config``, ``DistrictContext.config``, ``RoleView.config``).
"""

from __future__ import annotations

from typing import Any

from dashboard.config.constants import (
    BASEMAPS,
    BKG_ATTRIBUTION,
    BKG_LICENCE,
    BUILT_DISTRICTS_DIR,
    CONTEXT_KINDS,
    CRS_DISPLAY,
    CRS_METRIC,
    DISTRICT_ENV,
    DISTRICT_FILE,
    DISTRICT_KINDS,
    DISTRICTS_DIR,
    PACKAGE_AS_OF,
    PACKAGE_VINTAGE,
    REPO_ROOT,
    VG250_NPM_PACKAGE,
    VG250_NPM_VERSION,
    default_district_key,
)
from dashboard.config.district import (
    ContextArea,
    District,
    DistrictConfigError,
    Vintage,
    district_config_path,
    load_district,
    parse_district,
)
from dashboard.config.settings import (
    Environment,
    Settings,
    SettingsError,
    cache_dir,
    environment,
    get_settings,
    settings_for,
)

__all__ = [
    "BASEMAPS",
    "BKG_ATTRIBUTION",
    "BKG_LICENCE",
    "BUILT_DISTRICTS_DIR",
    "CONTEXT_KINDS",
    "CRS_DISPLAY",
    "CRS_METRIC",
    "DISTRICTS_DIR",
    "DISTRICT_ENV",
    "DISTRICT_FILE",
    "DISTRICT_KINDS",
    "PACKAGE_AS_OF",
    "PACKAGE_VINTAGE",
    "REPO_ROOT",
    "VG250_NPM_PACKAGE",
    "VG250_NPM_VERSION",
    "ContextArea",
    "District",
    "DistrictConfigError",
    "Environment",
    "Settings",
    "SettingsError",
    "Vintage",
    "cache_dir",
    "default_district_key",
    "district_config_path",
    "environment",
    "get_settings",
    "load_district",
    "parse_district",
    "settings_for",
]

#: Names of the process district kept only for modules not yet threaded (see
#: ``tests/unit/test_import_time.py``); reading one reads the district.
_LEGACY = frozenset(
    {"DISTRICT", "LANDKREIS_KEY", "DISTRICT_KEY", "CONTEXT_AGS", "VINTAGES", "CURRENT_VINTAGE"}
)


def __getattr__(name: str) -> Any:
    if name not in _LEGACY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    district = get_settings().district
    if name == "DISTRICT":
        return district
    if name in ("LANDKREIS_KEY", "DISTRICT_KEY"):
        return district.key
    if name == "CONTEXT_AGS":
        return district.context_ags
    if name == "VINTAGES":
        return district.validity
    return district.current_vintage
