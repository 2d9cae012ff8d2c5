"""``import`` and ``export``: facilities in and out, through the service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import INTERN_HELP, error, lang_option, language, public_or_intern, say

if TYPE_CHECKING:
    from dashboard.services.importing import ImportPlan


def _print_plan(plan: ImportPlan, lang: str) -> None:
    """The columns taken, the counts, the changes and the problems of an import plan."""
    mapped = ", ".join(f"{h} → {c}" for h, c in plan.mapping.items() if c)
    ignored = ", ".join(h for h, c in plan.mapping.items() if not c)
    if mapped:
        say("cli.import.columns", lang, columns=mapped)
    if ignored:
        say("cli.import.ignored", lang, columns=ignored)
    say(
        "cli.import.counts", lang, add=plan.count("add"), change=plan.count("change"),
        unchanged=plan.count("unchanged"), invalid=plan.count("invalid"),
    )  # fmt: skip
    for row in plan.rows:
        if row.status == "change":
            changes = "; ".join(f"{k}: {a!r} → {b!r}" for k, (a, b) in row.diff.items())
            record = row.facility.id if row.facility else ""
            say("cli.import.change", lang, row=row.row, id=record, changes=changes)
    for p in plan.problems:
        print(f"  {p.row}\t{p.field}\t{p.problem}\t{p.value!r}")


@click.command(
    "import",
    help=(
        "Validate every row (report: row, field, problem, value), geocode offline and write "
        "all rows in one transaction. Any invalid row rejects the whole import unless "
        "--skip-invalid is given."
    ),
    short_help="import facilities from a file",
)
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help="show what would change; write nothing")
@click.option("--skip-invalid", is_flag=True, help="write exactly the valid rows")
@click.option("--author", help="name for the history (default: cli:<user>)")
@click.option("--source", help="source for rows without a source column value")
@click.option("--reference-date", help="reference date (31.12.2024) for rows without one")
@click.option("--report", metavar="CSV", help="also write the problem report as CSV")
@lang_option()
def import_file(
    file: str,
    dry_run: bool,
    skip_invalid: bool,
    author: str | None,
    source: str | None,
    reference_date: str | None,
    report: str | None,
    lang: str | None,
) -> int:
    """Check a file and write its rows (all or nothing)."""
    from dashboard.services.app import command_line_user, workspace_for
    from dashboard.services.importing import ImportRejected, ReadError, read_path, write_report
    from dashboard.services.workspace import PermissionDenied, StoreError

    lang = language(lang)
    path = Path(file)
    try:
        upload = read_path(path)
    except ReadError as exc:
        error(exc)
        return 2
    ws = workspace_for(command_line_user(author))
    plan = upload.plan(ws, upload.proposed_mapping(), source or "", reference_date or "")
    raw = upload.raw
    info = ", ".join(f"{k}: {v}" for k, v in raw.info.items())
    say(
        "cli.import.file", lang, name=path.name, format=raw.fmt.upper() + (", " + info if info else ""),
        rows=len(raw.row_labels),
    )  # fmt: skip
    _print_plan(plan, lang)
    if report:
        write_report(plan, Path(report))
    if dry_run:
        say("cli.import.dry_run", lang)
        return 1 if plan.count("invalid") and not skip_invalid else 0
    try:
        written = ws.import_plan(plan, skip_invalid=skip_invalid, comment=f"Import {path.name}")
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        say("cli.refused", lang, err=True, problem=str(exc))
        return 1
    say("cli.import.done", lang, n=written)
    return 0


@click.command("export", help="Export facilities as CSV (German Excel), XLSX, GeoJSON, GPKG.")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson", "gpkg"]), required=True
)
@click.option("--vg", help="Verbandsgemeinde (name or 9-digit key, current vintage)")
@click.option("--category", help="category, e.g. Kita")
@click.option("--handlungsfeld", help="Handlungsfeld (code or name)")
@click.option("--out", required=True, metavar="FILE")
@click.option("--intern", is_flag=True, help=INTERN_HELP)
@lang_option()
def export(
    fmt: str,
    vg: str | None,
    category: str | None,
    handlungsfeld: str | None,
    out: str,
    intern: bool,
    lang: str | None,
) -> int:
    """Write the facilities the audience may see."""
    from dashboard.services import outputs

    lang = language(lang)
    view = public_or_intern(intern)
    try:
        subset = view.inventory(vg=vg, category=category, handlungsfeld=handlungsfeld)
    except ValueError as exc:
        error(exc)
        return 1
    n = outputs.write_facilities(view, subset, fmt, Path(out), lang)  # headers and words
    say("cli.export.done", lang, n=n, out=out)
    return 0


COMMANDS: dict[str, click.Command] = {"import": import_file, "export": export}
