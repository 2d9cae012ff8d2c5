"""Command line of the concept's projects: ``projects import|export|report``.

One plain function per command (:func:`import_list`, :func:`export_list`,
:func:`write_report`), each going through the same service as the Maßnahmen page
(:mod:`dashboard.services.projects`); :func:`register` wires them into an argparse
parser (``python -m dashboard projects ...``), and any other parser can call them the
same way.

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

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from dashboard.domain.dates import source_date
from dashboard.i18n.catalogue import LANGUAGES
from dashboard.services.app import command_line_user, workspace_for
from dashboard.services.importing import ReadError
from dashboard.services.projects import ProjectDesk, project_desk
from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError


def _desk(author: str | None, internal: bool) -> ProjectDesk:
    role = "admin" if internal else "public"
    return project_desk(workspace_for(command_line_user(author, role=role)))


def import_list(
    path: Path, *, author: str | None = None, dry_run: bool = False, skip_invalid: bool = False,
    lang: str = "de",
) -> int:  # fmt: skip
    """Check a project list and write it (all rows, or the valid ones); 0 on success.

    Prints the row report (row, field, problem, value) and what was written.
    """
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
    try:
        data = _desk(None, internal).sachstand(day, since, lang, fmt, internal=internal)
    except (ValueError, PermissionDenied, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"Sachstandsbericht → {out}")
    return 0


def _day(text: str) -> dt.date:
    """A day of the command line (``31.12.2024`` or ``2024-12-31``)."""
    try:
        iso = source_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if len(iso) != 10:
        raise argparse.ArgumentTypeError(f"a day is needed, e.g. 31.12.2024 (got {text!r})")
    return dt.date.fromisoformat(iso)


def _run(args: argparse.Namespace) -> int:
    if args.projects_command == "import":
        return import_list(
            Path(args.file), author=args.author, dry_run=args.dry_run,
            skip_invalid=args.skip_invalid, lang=args.lang,
        )  # fmt: skip
    if args.projects_command == "export":
        return export_list(Path(args.out), fmt=args.format, internal=args.intern, lang=args.lang)
    return write_report(
        Path(args.out), day=args.day, since=args.since, fmt=args.format, internal=args.intern,
        lang=args.lang,
    )  # fmt: skip


def register(sub: Any) -> None:
    """Add ``projects import|export|report`` to the sub-parsers of ``python -m dashboard``."""
    p = sub.add_parser("projects", help="the concept's projects: import a list, export, report")
    actions = p.add_subparsers(dest="projects_command", required=True, metavar="ACTION")
    a = actions.add_parser("import", help="check an XLSX/CSV project list and write it")
    a.add_argument("file", metavar="FILE")
    a.add_argument("--dry-run", action="store_true", help="report only, write nothing")
    a.add_argument("--skip-invalid", action="store_true", help="write exactly the valid rows")
    a.add_argument("--author", help="name for the history (default: cli:<user>)")
    a = actions.add_parser("export", help="the project list as XLSX or CSV")
    a.add_argument("--out", required=True, metavar="FILE")
    a.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    a.add_argument("--intern", action="store_true", help="with internal notes (never publish)")
    a = actions.add_parser("report", help="Sachstandsbericht for the Kreistag (PDF or XLSX)")
    a.add_argument("--out", required=True, metavar="FILE")
    a.add_argument("--day", type=_day, default=dt.date.today(), help="state on (default today)")
    a.add_argument("--since", type=_day, required=True, help="changes since (e.g. last session)")
    a.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    a.add_argument("--intern", action="store_true", help="with internal notes (never publish)")
    for action in actions.choices.values():
        action.add_argument("--lang", choices=LANGUAGES, default="de")
    p.set_defaults(func=_run)
