"""Command line: ``python -m dashboard COMMAND ...`` (Click, one module per command group).

The group knows each command's name, module and one-line help (:data:`COMMANDS`); a
command's module is imported only when that command runs or shows its help, so
``python -m dashboard --help`` imports Click and nothing of the dashboard (see
``docs/cli.md``). Every word, help texts and Click's own included, comes from the
catalogue in the language of ``--lang`` (German by default; :mod:`dashboard.cli.texts`).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import click

from dashboard.cli.common import error
from dashboard.cli.texts import localize, requested_language, speak, spoken
from dashboard.i18n.catalogue import N_

#: Command name -> (module under ``dashboard.cli``, key of its one-line help), in the order
#: of ``--help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "build-geodata": ("build", N_("cli.short.build_geodata")),
    "build-datasets": ("build", N_("cli.short.build_datasets")),
    "build-border-population": ("build", N_("cli.short.build_border_population")),
    "import": ("facilities", N_("cli.short.import")),
    "export": ("facilities", N_("cli.short.export")),
    "gaps": ("analysis", N_("cli.short.gaps")),
    "collect": ("collect", N_("cli.short.collect")),
    "collect-read": ("collect", N_("cli.short.collect_read")),
    "collect-status": ("collect", N_("cli.short.collect_status")),
    "collect-confirm": ("collect", N_("cli.short.collect_confirm")),
    "indicators": ("collect", N_("cli.short.indicators")),
    "report": ("analysis", N_("cli.short.report")),
    "projects": ("projects", N_("cli.short.projects")),
    "map": ("analysis", N_("cli.short.map")),
    "users": ("accounts", N_("cli.short.users")),
    "finder": ("site", N_("cli.short.finder")),
    "backup": ("ops", N_("cli.short.backup")),
    "restore": ("ops", N_("cli.short.restore")),
    "serve": ("ops", N_("cli.short.serve")),
}


class LazyGroup(click.Group):
    """A group whose commands are imported when used (``--help`` imports none)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"dashboard.cli.{COMMANDS[cmd_name][0]}")
        return localize(module.COMMANDS[cmd_name], spoken())

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from dashboard.i18n.catalogue import t

        lang = spoken()
        with formatter.section(t("click.commands", lang)):
            formatter.write_dl([(name, t(short, lang)) for name, (_, short) in COMMANDS.items()])


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help=N_("cli.help.main"),
)
@click.option(
    "--lang",
    type=click.Choice(["de", "en"]),
    default="de",
    show_default=True,
    help=N_("cli.help.main_lang"),
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
    lang = requested_language(args)
    speak(lang)
    localize(cli, lang)
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
        error(exc, lang)
        return 1
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
