"""Configuration: fixed facts (:mod:`.constants`), the district as a value (:mod:`.district`)
and the one settings model (:mod:`.settings`).

Nothing here reads the district at import. A process asks :func:`get_settings` once at its
entry (a page run, a command) and passes the settings, and with them the district
(``settings.district``), down; the service layer hands the district on
(``Boundaries.config``, ``DistrictContext.config``, ``RoleView.config``).
"""

from __future__ import annotations

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
    server_forwarding_hosts,
    settings_for,
    trusted_proxies,
)

__all__ = [
    "server_forwarding_hosts",
    "trusted_proxies",
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
