"""One settings model: every environment variable of the atlas, checked in one place.

:class:`Environment` (pydantic-settings) reads the ``INTEGRATIONSATLAS_*`` variables and
checks each one; a bad value stops with one line naming the variable and what is expected
(``INTEGRATIONSATLAS_LOCK_TIMEOUT='x': expected seconds as a number``).
:func:`get_settings` resolves it into :class:`Settings`, the value a process passes down:
the district (:class:`~dashboard.config.district.District`) and the folders, each
defaulting to the district's configuration. The table of variables is in
``docs/settings.md``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from dashboard.config.constants import BASEMAPS, DISTRICT_ENV, REPO_ROOT, default_district_key
from dashboard.config.district import District, load_district

PREFIX = "INTEGRATIONSATLAS_"
#: uvicorn's own list of hosts whose ``X-Forwarded-For`` it applies (uvicorn reads it too).
UVICORN_FORWARDED_ENV = "FORWARDED_ALLOW_IPS"
#: uvicorn's default for it (loopback).
UVICORN_FORWARDED_DEFAULT: tuple[str, ...] = ("127.0.0.1", "::1")


class SettingsError(ValueError):
    """An environment variable has a value the atlas cannot use (the message names it)."""


class _Problem(ValueError):
    """What is wrong with one variable's value."""


def _problem(text: str) -> _Problem:
    return _Problem(text)


def _whole(value: object, unit: str = "a whole number >= 1") -> int:
    text = str(value).strip().replace("_", "")
    if not text.lstrip("-").isdigit() or int(text) < 1:
        raise _problem(unit if unit.startswith("ganze") else f"expected {unit}")
    return int(text)


class Environment(BaseSettings):
    """The ``INTEGRATIONSATLAS_*`` environment variables, checked (``docs/settings.md``).

    Unset variables take the defaults below; folders left unset follow the district's
    configuration (:func:`get_settings`).
    """

    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    district: str = ""
    geodata: Path | None = None
    datasets: Path | None = None
    reference: Path | None = None
    cache: Path | None = None
    store: Path | None = None
    basemap: str = "none"
    database_url: str | None = None
    users: Path | None = None
    lock_timeout: float = 30.0
    session_idle_minutes: int = 8 * 60
    session_max_minutes: int = 12 * 60
    import_max_mb: int = 20
    import_max_rows: int = 50_000
    import_max_columns: int = 200
    import_max_cell: int = 10_000
    indicator_max: float | None = None
    finder_name: str = Field(default="finder", pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
    test_hooks: bool = False
    #: Reverse proxies whose ``X-Forwarded-For`` is believed (comma-separated addresses or
    #: networks; :func:`dashboard.domain.webpolicy.networks` checks them). Empty: no proxy.
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = ()
    #: ``FORWARDED_ALLOW_IPS`` (no prefix: uvicorn's own variable); empty when set to nothing.
    forwarded_allow_ips: Annotated[tuple[str, ...], NoDecode] = Field(
        default=UVICORN_FORWARDED_DEFAULT, validation_alias=UVICORN_FORWARDED_ENV
    )

    @field_validator("basemap", mode="before")
    @classmethod
    def _basemap(cls, value: object) -> str:
        if value not in BASEMAPS:
            raise _problem(f"expected one of {', '.join(BASEMAPS)}")
        return str(value)

    @field_validator("geodata", "datasets", "reference", "cache", "store", "users", mode="before")
    @classmethod
    def _path(cls, value: object) -> Path | None:
        if value is None or value == "":
            return None
        if "://" in str(value):  # Path would fold it into a folder "postgresql:"
            raise _problem(
                "eine Datenbank-Adresse, kein Dateipfad (PostgreSQL: "
                "INTEGRATIONSATLAS_DATABASE_URL)"
            )
        return Path(str(value)).expanduser().resolve()

    @field_validator("database_url", mode="before")
    @classmethod
    def _url(cls, value: object) -> str | None:
        return str(value) if value else None

    @field_validator("lock_timeout", mode="before")
    @classmethod
    def _seconds(cls, value: object) -> float:
        try:
            seconds = float(str(value))
        except ValueError:
            raise _problem("Sekunden als Zahl erwartet") from None
        if not 0 < seconds <= 3600:
            raise _problem("0 < Sekunden <= 3600 erwartet")
        return seconds

    @field_validator("session_idle_minutes", "session_max_minutes", mode="before")
    @classmethod
    def _minutes(cls, value: object) -> int:
        return _whole(value, "ganze Minuten > 0")

    @field_validator(
        "import_max_mb", "import_max_rows", "import_max_columns", "import_max_cell", mode="before"
    )
    @classmethod
    def _limit(cls, value: object) -> int:
        return _whole(value)

    @field_validator("indicator_max", mode="before")
    @classmethod
    def _maximum(cls, value: object) -> float | None:
        if value is None or not str(value).strip():
            return None
        try:
            number = float(str(value).strip().replace("_", ""))
        except ValueError:
            number = float("nan")
        if not 0 < number < float("inf"):
            raise _problem("expected a number > 0")
        return number

    @field_validator("trusted_proxies", "forwarded_allow_ips", mode="before")
    @classmethod
    def _addresses(cls, value: object) -> tuple[str, ...]:
        if isinstance(value, tuple | list):
            return tuple(str(v) for v in value)
        return tuple(p.strip() for p in str(value).split(",") if p.strip())

    @field_validator("test_hooks", mode="before")
    @classmethod
    def _flag(cls, value: object) -> bool:
        return str(value).strip() == "1"


def _env_name(field: str) -> str:
    if field in ("forwarded_allow_ips", UVICORN_FORWARDED_ENV):
        return UVICORN_FORWARDED_ENV
    return PREFIX + field.upper()


def _snapshot() -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (k, v)
            for k, v in os.environ.items()
            if k.startswith(PREFIX) or k == UVICORN_FORWARDED_ENV
        )
    )


@lru_cache(maxsize=16)
def _read(snapshot: tuple[tuple[str, str], ...]) -> Environment:
    values = dict(snapshot)
    try:
        return Environment(_env_file=None)  # type: ignore[call-arg]
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        name = _env_name(field)
        shown = re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", values.get(name, ""))  # no password
        problem = first.get("ctx", {}).get("error")
        text = str(problem) if isinstance(problem, _Problem) else first["msg"].lower()
        if first["type"] == "string_pattern_mismatch":
            text = "letters, digits, - and _ only"
        raise SettingsError(f"{name}={shown!r}: {text}") from None


def environment() -> Environment:
    """The checked environment variables (read again whenever the environment changed).

    Raises
    ------
    SettingsError
        For a variable with a value that cannot be used, naming it.
    """
    return _read(_snapshot())


@dataclass(frozen=True)
class Settings:
    """Resolved settings of one process: the district it serves and where its data is.

    A value (equal by its contents, hashable): the service opens one store and one set of
    boundaries per settings.

    Attributes
    ----------
    district
        The district served (``INTEGRATIONSATLAS_DISTRICT``, default ``districts/DEFAULT``).
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
        A PostgreSQL/PostGIS connection URL; when set, the store lives there instead of in
        ``store_path``.
    """

    district: District
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

    @property
    def users_file(self) -> Path:
        """Where a legacy JSON user file would be (``INTEGRATIONSATLAS_USERS`` or
        ``users.json`` beside the store; only read, to import it once)."""
        return environment().users or self.store_path.parent / "users.json"

    def for_district(self, district: District) -> Settings:
        """The same environment, serving another district (its own folders)."""
        return settings_for(district, environment())


def cache_dir() -> Path:
    """The folder for raw downloads and caches (``INTEGRATIONSATLAS_CACHE``, default
    ``~/.cache/integrationsatlas``): the same for every district."""
    return environment().cache or Path.home() / ".cache" / "integrationsatlas"


def settings_for(district: District, env: Environment) -> Settings:
    """The settings of ``district`` with the folders ``env`` overrides."""
    return Settings(
        district=district,
        geodata_dir=env.geodata or district.geodata_dir,
        datasets_dir=env.datasets or district.datasets_dir,
        reference_dir=env.reference or REPO_ROOT / "raw" / "reference",
        cache_dir=env.cache or cache_dir(),
        store_path=env.store or district.store_path,
        default_basemap=env.basemap,
        database_url=env.database_url,
    )


@lru_cache(maxsize=16)
def _settings(env: Environment) -> Settings:
    selector = env.district.strip() or default_district_key()
    return settings_for(load_district(selector), env)


def get_settings() -> Settings:
    """The settings of this process, from the environment (:class:`Environment`).

    Returns
    -------
    Settings
        The district of ``INTEGRATIONSATLAS_DISTRICT`` (default: ``districts/DEFAULT``) and
        the folders of ``INTEGRATIONSATLAS_GEODATA``, ``_DATASETS``, ``_REFERENCE``,
        ``_CACHE``, ``_STORE``, each defaulting to the district's configuration.

    Raises
    ------
    SettingsError
        A variable with a value that cannot be used.
    dashboard.config.district.DistrictConfigError
        The district's configuration is missing or invalid.
    """
    return _settings(environment())


__all__ = [
    "DISTRICT_ENV",
    "cache_dir",
    "Environment",
    "Settings",
    "SettingsError",
    "environment",
    "get_settings",
    "settings_for",
]


def trusted_proxies() -> tuple[str, ...]:
    """The reverse proxies whose ``X-Forwarded-For`` is believed
    (``INTEGRATIONSATLAS_TRUSTED_PROXIES``), as written; ``serve`` sets its nginx
    (``127.0.0.1,::1``). :func:`dashboard.domain.webpolicy.networks` parses and checks them."""
    return environment().trusted_proxies


def server_forwarding_hosts() -> tuple[str, ...]:
    """The hosts whose ``X-Forwarded-For`` the ASGI server (uvicorn) itself applies
    (``FORWARDED_ALLOW_IPS``, default loopback); empty when set to nothing."""
    return environment().forwarded_allow_ips
