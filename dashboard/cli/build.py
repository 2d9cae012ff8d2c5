"""``build-geodata``, ``build-datasets``, ``build-border-population``: the data builds."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from dashboard.cli.common import lang_option, language, say
from dashboard.i18n.catalogue import N_


@click.command(
    "build-geodata",
    help=(N_("cli.help.build_geodata")),
    short_help=N_("cli.short.build_geodata"),
)
@click.option(
    "--source",
    metavar="PATH",
    help=N_("cli.opt.build_geodata.source"),
)
@click.option("--kreis", metavar="AGS", help=N_("cli.opt.build_geodata.kreis"))
@click.option("--land", metavar="LL", help=N_("cli.opt.build_geodata.land"))
@click.option("--district", metavar="KEY", help=N_("cli.opt.build_geodata.district"))
@click.option(
    "--out",
    metavar="DIR",
    help=N_("cli.opt.build_geodata.out"),
)
@click.option(
    "--if-missing",
    is_flag=True,
    help=N_("cli.opt.build_geodata.if_missing"),
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
    from dashboard.i18n.catalogue import t

    lang = language(lang)
    if sum(bool(x) for x in (kreis, land, district)) > 1:
        raise click.UsageError(t("cli.build.exclusive", lang))
    if (kreis and len(kreis) != 5) or (land and len(land) != 2):
        raise BuildError(t("cli.build.key_length", lang, value=kreis or land or ""))
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
    help=N_("cli.help.build_datasets"),
)
@click.option("--reference", metavar="DIR", help=N_("cli.opt.build_datasets.reference"))
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
    help=(N_("cli.help.build_border_population")),
)
@click.option("--source", metavar="TGZ", help=N_("cli.opt.build_border_population.source"))
@click.option("--reference", metavar="DIR", help=N_("cli.opt.build_border_population.reference"))
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
