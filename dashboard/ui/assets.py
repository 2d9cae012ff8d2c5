"""Browser files the app serves itself, through Streamlit's static file serving.

Streamlit serves the folder ``static/`` beside ``app.py`` at ``app/static/``
(``server.enableStaticServing`` in ``.streamlit/config.toml``, the public, documented way
to serve files; the offer finder lives there too). The map uses ``static/atlas/``:

* ``leaflet-<version>/``: Leaflet's files, copied once per process start from the
  installed package XStatic-Leaflet (never from a CDN);
* ``data/``: the map's content-addressed data files (:mod:`dashboard.ui.mapview`), which
  hold only what any audience may see on a map.

The map component itself (``dashboard/render/web/static``) is declared by the package
(``[tool.streamlit.component]`` in ``pyproject.toml``) and served by Streamlit.
Addresses are relative to the app's pages, which all sit at the top level, so they also
hold under ``server.baseUrlPath``.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path

from dashboard.config import REPO_ROOT
from dashboard.render.web.assets import BUNDLES, LEAFLET_VERSION

log = logging.getLogger(__name__)

#: Streamlit's static folder (``static/`` beside ``app.py``) and its address.
STATIC_ROOT = REPO_ROOT / "static"
STATIC_URL = "app/static/"
#: The map's folder in it.
ATLAS_DIR = STATIC_ROOT / "atlas"
ATLAS_URL = STATIC_URL + "atlas/"
#: Leaflet's files, by version (a new version gets a new address: no stale cache).
LEAFLET_NAME = f"leaflet-{LEAFLET_VERSION}"
#: The files of the installed package the map needs.
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images")


def publish_leaflet(target: Path | None = None) -> Path:
    """Copy Leaflet from its installed package into the static folder (once; atomically).

    Parameters
    ----------
    target
        Folder to publish into; default ``static/atlas/leaflet-<version>``.

    Returns
    -------
    pathlib.Path
        The folder that holds the files.
    """
    target = target or ATLAS_DIR / LEAFLET_NAME
    source = BUNDLES["leaflet"]
    wanted = source / "leaflet.js"
    have = target / "leaflet.js"
    if have.exists() and have.stat().st_size == wanted.stat().st_size:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".leaflet-", dir=target.parent))
    try:
        for name in LEAFLET_FILES:
            src = source / name
            if src.is_dir():
                shutil.copytree(src, tmp / name)
            else:
                shutil.copy2(src, tmp / name)
        if target.exists():  # an older or partial copy
            shutil.rmtree(target, ignore_errors=True)
        try:
            os.replace(tmp, target)
        except OSError:  # another process published it meanwhile
            if not (target / "leaflet.js").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def map_assets() -> dict[str, str]:
    """The addresses the map component loads Leaflet and its data from (relative to the
    app's pages); Leaflet is published on the first call of a process."""
    global _published
    if not _published:
        try:
            publish_leaflet()
        except OSError:
            log.exception("Leaflet could not be copied into %s", ATLAS_DIR)
        _published = True
    base = ATLAS_URL + LEAFLET_NAME + "/"
    return {
        "leaflet": base + "leaflet.js",
        "leaflet_css": base + "leaflet.css",
        "data": ATLAS_URL + "data/",
    }


_published = False
