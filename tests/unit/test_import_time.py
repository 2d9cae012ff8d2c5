"""No module reads the district at import: the district is a value passed down.

Every module of ``dashboard`` and ``benchmarks`` is imported in a fresh process whose
district loader raises; a module that reads the district while it is imported (a module
constant, a default argument bound to the current vintage, a read of ``districts/DEFAULT``)
is named. The page scripts of ``app_pages`` run per request (their top level is their run);
they are covered by the same check for every module they import.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO

#: Modules still reading the district through the names kept in ``dashboard.config``
#: (none: every module takes the district as a value).
PENDING: frozenset[str] = frozenset()

_PROBE = r"""
import importlib, json, pkgutil, sys, traceback

import dashboard.config as config
import dashboard.config.constants as constants
import dashboard.config.district as district_mod
import dashboard.config.settings as settings_mod

readers = {}
real = config.get_settings().district  # what a legacy name would give (read before the ban)


def refuse(*_args, **_kwargs):
    raise LookupError("the district was read at import")


for module, name in ((district_mod, "load_district"), (district_mod, "parse_district"),
                     (settings_mod, "load_district"), (constants, "default_district_key"),
                     (settings_mod, "default_district_key")):
    setattr(module, name, refuse)
settings_mod._settings.cache_clear()
settings_mod._read.cache_clear()


def caller():
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if not name.startswith(("importlib", "dashboard.config")) and name != __name__:
            return name
        frame = frame.f_back
    return "?"


def legacy(name):
    readers.setdefault(caller(), "legacy name " + name)
    return {"DISTRICT": real, "LANDKREIS_KEY": real.key, "DISTRICT_KEY": real.key,
            "CONTEXT_AGS": real.context_ags,
            "VINTAGES": {v.year: (v.valid_from, v.valid_to) for v in real.vintages},
            "CURRENT_VINTAGE": real.current_vintage}[name]


config.__getattr__ = legacy
names = []
for package in ("dashboard", "benchmarks"):
    root = importlib.import_module(package)
    names.append(package)
    names += [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")
              if not m.name.endswith("__main__")]
for name in names:
    try:
        importlib.import_module(name)
    except LookupError as exc:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.name == "<module>"]
        where = frames[-1].filename if frames else name
        readers.setdefault(name if not frames else where, str(exc))
print(json.dumps({"modules": len(names), "readers": readers}))
"""


def _probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=REPO, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _module_name(reader: str) -> str:
    if reader.endswith(".py"):
        path = reader[len(str(REPO)) + 1 :] if reader.startswith(str(REPO)) else reader
        return path[:-3].replace("/", ".").removesuffix(".__init__")
    return reader


def test_no_module_reads_the_district_at_import() -> None:
    result = _probe()
    assert isinstance(result["modules"], int) and result["modules"] > 150  # it saw the tree
    readers = result["readers"]
    assert isinstance(readers, dict)
    named = {_module_name(r): why for r, why in readers.items()}
    assert set(named) <= PENDING, {m: w for m, w in named.items() if m not in PENDING}


def test_the_configuration_has_no_district_global() -> None:
    import dashboard.config as config
    import dashboard.config.district as district

    for module in (config, district):
        assert not any(isinstance(v, config.District) for v in vars(module).values()), (
            module.__name__
        )
    for name in ("DISTRICT", "CURRENT_VINTAGE", "VINTAGES", "CONTEXT_AGS", "LANDKREIS_KEY"):
        assert not hasattr(config, name), name
