"""Command line: ``python -m dashboard COMMAND ...`` (Click, one module per command group).

The group knows each command's name, module and one-line help (:data:`COMMANDS`); a
command's module is imported only when that command runs or shows its help, so
``python -m dashboard --help`` imports Click and nothing of the dashboard (see
``docs/cli.md``). Messages come from the catalogue in the language of ``--lang`` (German by
default); help texts are English, as the code.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

#: Command name -> (module under ``dashboard.cli``, one-line help), in the order of ``--help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build-geodata": (
        "build",
        "build the boundaries (Gemeinden, VGs per vintage, outline, context) of a district",
    ),
    "build-datasets": (
        "build",
        "build datasets/ (VG membership, population, facilities, indicators) from raw/",
    ),
    "build-border-population": (
        "build",
        "take the population beyond the border (the district's context areas) into raw/",
    ),
    "import": (
        "facilities",
        "import facilities from CSV, XLSX, GeoJSON, GeoPackage, .osm or .osm.pbf",
    ),
    "export": ("facilities", "export facilities as CSV (German Excel), XLSX, GeoJSON, GPKG"),
    "gaps": ("analysis", "Versorgungsanalyse: measures and gap flags per Gemeinde or VG"),
    "collect": (
        "collect",
        "collection round: write one XLSX workbook per VG with its current offers",
    ),
    "collect-read": (
        "collect",
        "read a returned workbook back: proposals for review and the list marks",
    ),
    "collect-status": ("collect", "status board: sent, returned, reviewed, confirmed"),
    "collect-confirm": ("collect", "confirm a reviewed return: its lists count"),
    "indicators": ("collect", "load an indicator table (CSV, XLSX, GeoJSON) per Gemeinde or VG"),
    "report": ("analysis", "VG profile (Steckbrief) as PDF, or one handout of all VGs"),
    "map": ("analysis", "printable map as PNG or PDF (A4/A3, portrait/landscape)"),
    "users": (
        "accounts",
        "manage editor accounts for the local sign-in (kept in the store's database)",
    ),
    "finder": (
        "site",
        "write the public offer finder as a static site (any web server can publish it)",
    ),
    "backup": ("ops", "consistent copy of the whole store while it runs (SQLite file or pg_dump)"),
    "restore": ("ops", "replace the whole store by a backup, in one step"),
    "serve": ("ops", "run N dashboard processes behind nginx (sticky sessions, one shared store)"),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used (``--help`` imports none)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"dashboard.cli.{COMMANDS[cmd_name][0]}")
        command: click.Command = module.COMMANDS[cmd_name]
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, short) in COMMANDS.items()])


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Integrationsatlas: data builds and tools for the configured district.",
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help="language of the messages (commands with their own --lang use that)",
)
@click.pass_context
def cli(ctx: click.Context, lang: str) -> None:
    """The group of ``python -m dashboard`` (``lang`` is kept for the commands)."""
    ctx.obj = {"lang": lang}


def _known_error(exc: Exception) -> bool:
    """Whether ``exc`` is a build, store, district or settings error (one line, no
    traceback); told by class, so that nothing more is imported while failing."""
    names = {"BuildError", "StoreError", "DistrictConfigError", "SettingsError"}
    return any(
        c.__name__ in names and c.__module__.startswith("dashboard.") for c in type(exc).__mro__
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit code: 0 on success, 1 on a refused action or a build/store error (one line on
        stderr), 2 on a file that cannot be read. ``--help`` and usage errors exit (0, 2)
        as any command line does.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        with cli.make_context("python -m dashboard", args) as ctx:
            result = cli.invoke(ctx)
    except click.exceptions.Exit as exc:  # --help
        raise SystemExit(exc.exit_code) from None
    except click.ClickException as exc:  # usage errors: the usage line and the problem
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:
        if not _known_error(exc):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
