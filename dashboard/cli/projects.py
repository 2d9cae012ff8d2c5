"""Command line of the concept's projects: ``projects import|export|report``.

One plain function per command (:func:`import_list`, :func:`export_list`,
:func:`write_report`), each going through the same service as the Maßnahmen page
(:mod:`dashboard.services.projects`); the Click group ``projects`` wires them into
``python -m dashboard`` (:data:`COMMANDS`). The service is imported when a command runs,
so ``--help`` loads none of it.

* ``projects import FILE`` checks an XLSX or CSV project list row by row; any invalid row
  writes nothing (exit 1), ``--skip-invalid`` writes exactly the valid rows,
  ``--dry-run`` only reports. It acts as an administrator (``cli:<user>`` or
  ``--author``) and records that name in the history.
* ``projects export --out FILE`` writes the list (``--format xlsx|csv``) as the public
  sees it; ``--intern`` the Kreisverwaltung's version with internal notes.
* ``projects report --out FILE --day DATE --since DATE`` writes the Sachstandsbericht
  (``--format pdf|xlsx``), public unless ``--intern``.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import lang_option, language
from dashboard.domain.dates import source_date
from dashboard.i18n.catalogue import N_

if TYPE_CHECKING:
    from dashboard.services.projects import ProjectDesk


def _desk(author: str | None, internal: bool) -> ProjectDesk:
    from dashboard.services.app import command_line_user, workspace_for
    from dashboard.services.projects import project_desk

    role = "admin" if internal else "public"
    return project_desk(workspace_for(command_line_user(author, role=role)))


def import_list(
    path: Path, *, author: str | None = None, dry_run: bool = False, skip_invalid: bool = False,
    lang: str = "de",
) -> int:  # fmt: skip
    """Check a project list and write it (all rows, or the valid ones); 0 on success.

    Prints the row report (row, field, problem, value) and what was written.
    """
    from dashboard.services.importing import ReadError
    from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError

    desk = _desk(author, internal=True)
    try:
        plan = desk.plan_file(path)
    except (ReadError, PermissionDenied) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = plan.problems_frame(lang)
    if len(report):
        print(report.to_string(index=False, max_colwidth=80))
    print(f"{len(plan.rows)} Zeilen, {len(plan.valid)} gültig, {plan.n_invalid} fehlerhaft")
    if dry_run:
        return 1 if plan.problems else 0
    try:
        written = desk.import_list(plan, skip_invalid=skip_invalid, comment=f"Liste {plan.name}")
    except (StoreError, StaleVersionError, PermissionDenied) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{written} Maßnahmen gespeichert.")
    return 0


def export_list(out: Path, *, fmt: str = "xlsx", internal: bool = False, lang: str = "de") -> int:
    """Write the project list (``xlsx`` or ``csv``); 0 on success."""
    from dashboard.services.workspace import PermissionDenied

    try:
        data = _desk(None, internal).list_file(lang, fmt, internal=internal)
    except (ValueError, PermissionDenied) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"Maßnahmenliste → {out}")
    return 0


def write_report(
    out: Path, *, day: dt.date, since: dt.date, fmt: str = "pdf", internal: bool = False,
    lang: str = "de",
) -> int:  # fmt: skip
    """Write the Sachstandsbericht on ``day`` with the changes since ``since``; 0 on success."""
    from dashboard.services.workspace import PermissionDenied, StoreError

    try:
        data = _desk(None, internal).sachstand(day, since, lang, fmt, internal=internal)
    except (ValueError, PermissionDenied, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"Sachstandsbericht → {out}")
    return 0


def _day(_ctx: click.Context, _param: click.Parameter, text: str | None) -> dt.date | None:
    """A day of the command line (``31.12.2024`` or ``2024-12-31``)."""
    if text is None:
        return None
    try:
        iso = source_date(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if len(iso) != 10:
        raise click.BadParameter(f"a day is needed, e.g. 31.12.2024 (got {text!r})")
    return dt.date.fromisoformat(iso)


@click.group("projects", help=N_("cli.help.projects"))
def projects() -> None:
    """``python -m dashboard projects ...``."""


@projects.command("import", help=N_("cli.help.projects_import"))
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help=N_("cli.opt.projects.dry_run"))
@click.option("--skip-invalid", is_flag=True, help=N_("cli.opt.projects.skip_invalid"))
@click.option("--author", help=N_("cli.opt.projects.author"))
@lang_option(N_("cli.opt.report.lang"))
def import_command(
    file: str, dry_run: bool, skip_invalid: bool, author: str | None, lang: str | None
) -> int:
    return import_list(
        Path(file), author=author, dry_run=dry_run, skip_invalid=skip_invalid, lang=language(lang)
    )


@projects.command("export", help=N_("cli.help.projects_export"))
@click.option("--out", required=True, metavar="FILE")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx")
@click.option("--intern", is_flag=True, help=N_("cli.opt.projects.intern"))
@lang_option()
def export_command(out: str, fmt: str, intern: bool, lang: str | None) -> int:
    return export_list(Path(out), fmt=fmt, internal=intern, lang=language(lang))


@projects.command("report", help=N_("cli.help.projects_report"))
@click.option("--out", required=True, metavar="FILE")
@click.option("--day", callback=_day, help=N_("cli.opt.projects.day"))
@click.option("--since", callback=_day, required=True, help=N_("cli.opt.projects.since"))
@click.option("--format", "fmt", type=click.Choice(["pdf", "xlsx"]), default="pdf")
@click.option("--intern", is_flag=True, help=N_("cli.opt.projects.intern"))
@lang_option()
def report_command(
    out: str, day: dt.date | None, since: dt.date, fmt: str, intern: bool, lang: str | None
) -> int:
    return write_report(
        Path(out), day=day or dt.date.today(), since=since, fmt=fmt, internal=intern,
        lang=language(lang),
    )  # fmt: skip


#: The command of this module (``dashboard.cli.main.COMMANDS`` names it).
COMMANDS: dict[str, click.Command] = {"projects": projects}
