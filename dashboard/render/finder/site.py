"""Write the finder as a static site: any web server can publish the folder.

Files (all paths relative, so the folder works under any address):

``index.html``
    The page (German until the reader chooses; a Content-Security-Policy allows only
    this folder's own files: no other host is ever asked).
``finder.<hash>.js``, ``finder.<hash>.css``
    The application and its styles (written for this project; no library, no CDN).
``data.<hash>.json``
    The data: one compact file made from the public view (:mod:`.payload`).
``messages.<hash>.json``
    The seven languages' texts from the message catalogue, with their writing direction
    and number and date conventions.
``sw.js``
    The service worker: keeps a copy of this build for use without network.
``manifest.json``, ``icon.svg``
    So that a phone can put the finder on its home screen.
``build.json``
    What was built from which data version (not loaded by the page).

The content hash in a name changes with the content, so a browser or proxy can never mix
the files of two builds. :func:`write_site` replaces the files one by one (each write is
atomic), the page last, and removes the files of older builds except the previous one.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dashboard.i18n.catalogue import t
from dashboard.i18n.finder import (
    DIRECTIONS,
    FINDER_LANGUAGES,
    LANGUAGE_TAGS,
    NATIVE_NAMES,
    conventions,
    finder_messages,
)

#: Files the service worker keeps (in addition to the hashed ones).
_FIXED = ("index.html", "manifest.json", "icon.svg")
_BUILD_FILE = "build.json"


@dataclass(frozen=True)
class SiteInfo:
    """What :func:`write_site` wrote.

    Attributes
    ----------
    folder
        The site's folder.
    build
        Identifier of this build (hash of all its files).
    files
        File name -> size in bytes, for every file a first visit loads (``sw.js``
        included, ``build.json`` not).
    meta
        The build description written to ``build.json``.
    """

    folder: Path
    build: str
    files: dict[str, int]
    meta: dict[str, object]

    @property
    def total_bytes(self) -> int:
        """Bytes of all files a first visit loads."""
        return sum(self.files.values())


def _asset(name: str) -> str:
    return (resources.files("dashboard.render.finder") / "assets" / name).read_text("utf-8")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _compact(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def messages_bundle() -> dict[str, object]:
    """Every finder language (``order``: as offered) with tag, direction, own name,
    conventions and texts (``languages``)."""
    languages = {
        code: {
            "tag": LANGUAGE_TAGS[code],
            "dir": DIRECTIONS[code],
            "name": NATIVE_NAMES[code],
            **conventions(code),
            "t": finder_messages(code),
        }
        for code in FINDER_LANGUAGES
    }
    return {"order": list(FINDER_LANGUAGES), "languages": languages}


def _page(names: dict[str, str]) -> bytes:
    de = finder_messages("de")
    values = {
        "data": names["data"],
        "messages": names["messages"],
        "css": names["css"],
        "js": names["js"],
        "title": de["finder.app.name"],
        "skip": de["finder.skip"],
        "loading": de["finder.loading"],
        "noscript": de["finder.noscript"] + " / " + t("finder.noscript", "en"),
    }
    page = _asset("index.html")
    for key, value in values.items():
        page = page.replace("{" + key + "}", html.escape(value, quote=True))
    return page.encode()


def _manifest(district: str) -> bytes:
    de = finder_messages("de")
    return _compact(
        {
            "name": f"{de['finder.app.name']} – {district}",
            "short_name": de["finder.app.name"],
            "start_url": "index.html",
            "scope": "./",
            "display": "standalone",
            "lang": "de",
            "background_color": "#ffffff",
            "theme_color": "#0b4f8a",
            "icons": [{"src": "icon.svg", "sizes": "any", "type": "image/svg+xml"}],
        }
    )


def _write(folder: Path, name: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_site(folder: Path, payload: dict[str, object], meta: dict[str, object]) -> SiteInfo:
    """Write (or replace) the finder site in ``folder``.

    Parameters
    ----------
    folder
        Target folder; created if missing. Files of this site from earlier builds are
        replaced; other files are left alone.
    payload
        The data document (:func:`dashboard.render.finder.payload.build_payload`).
    meta
        Written to ``build.json`` with the build id and the file sizes (data version,
        store, ...).

    Returns
    -------
    SiteInfo
        The build id and the files with their sizes.
    """
    folder.mkdir(parents=True, exist_ok=True)
    hashed: dict[str, bytes] = {}
    names: dict[str, str] = {}
    for kind, ext, data in (
        ("data", "json", _compact(payload)),
        ("messages", "json", _compact(messages_bundle())),
        ("js", "js", _asset("finder.js").encode()),
        ("css", "css", _asset("finder.css").encode()),
    ):
        stem = "finder" if kind in ("js", "css") else kind
        name = f"{stem}.{_digest(data)}.{ext}"
        names[kind] = name
        hashed[name] = data
    district = str(payload.get("district", ""))
    fixed = {
        "index.html": _page(names),
        "manifest.json": _manifest(district),
        "icon.svg": _asset("icon.svg").encode(),
    }
    build = _digest(b"".join(_digest(d).encode() for d in (*hashed.values(), *fixed.values())))
    precache = ["index.html", *sorted(hashed), *_FIXED[1:]]
    worker = (
        _asset("sw.js")
        .replace("{build}", build)
        .replace("{files}", json.dumps(precache, separators=(",", ":")))
        .encode()
    )
    files = {**hashed, **fixed, "sw.js": worker}
    previous = _previous_files(folder)
    for name, data in hashed.items():  # new hashed files first, then what refers to them
        _write(folder, name, data)
    for name in ("icon.svg", "manifest.json", "sw.js", "index.html"):
        _write(folder, name, files[name])
    sizes = {name: len(data) for name, data in files.items()}
    described = {**meta, "build": build, "files": sizes}
    keep = set(files) | previous
    for old in _previous_files(folder, described_only=False) - keep:
        (folder / old).unlink(missing_ok=True)
    _write(folder, _BUILD_FILE, json.dumps(described, ensure_ascii=False, indent=1).encode())
    return SiteInfo(folder=folder, build=build, files=sizes, meta=described)


def _previous_files(folder: Path, *, described_only: bool = True) -> set[str]:
    """Hashed files of the build described in ``build.json`` (or all hashed files)."""
    if not described_only:
        return {
            p.name
            for p in folder.glob("*.*.*")
            if p.is_file() and p.name.split(".")[0] in ("data", "messages", "finder")
        }
    try:
        described = json.loads((folder / _BUILD_FILE).read_text("utf-8"))
        return {str(name) for name in described.get("files", {})}
    except (OSError, ValueError, AttributeError):
        return set()


def read_build(folder: Path) -> dict[str, object] | None:
    """The ``build.json`` of a site folder, or ``None`` if there is none (or unreadable)."""
    try:
        value = json.loads((folder / _BUILD_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None
