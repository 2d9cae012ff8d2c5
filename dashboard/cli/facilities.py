"""``import`` and ``export``: facilities in and out, through the service."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import (
    AUTHOR_HELP,
    INTERN_HELP,
    error,
    lang_option,
    language,
    public_or_intern,
    say,
)
from dashboard.i18n.catalogue import N_

if TYPE_CHECKING:
    from dashboard.services.importing import ImportPlan


#: What the reader found out about a file (``RawTable.info``), and the separators' names.
_INFO = {
    "encoding": N_("cli.import.info.encoding"), "separator": N_("cli.import.info.separator"),
    "sheet": N_("cli.import.info.sheet"), "layer": N_("cli.import.info.layer"),
}  # fmt: skip
_SEPARATORS = {
    "semicolon": N_("cli.import.sep.semicolon"), "comma": N_("cli.import.sep.comma"),
    "tab": N_("cli.import.sep.tab"),
}  # fmt: skip


def _print_plan(plan: ImportPlan, lang: str) -> None:
    """The columns taken, the counts, the changes and the problems of an import plan."""
    from dashboard.i18n.catalogue import field_label
    from dashboard.services.importing import row_label

    mapped = ", ".join(f"{h} → {field_label(c, lang)}" for h, c in plan.mapping.items() if c)
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
            changes = "; ".join(
                f"{field_label(k, lang)}: {a!r} → {b!r}" for k, (a, b) in row.diff.items()
            )
            record = row.facility.id if row.facility else ""
            say("cli.import.change", lang, row=row.row, id=record, changes=changes)
    for p in plan.problems:
        where = row_label(p.row, lang)
        print(f"  {where}\t{field_label(p.field, lang)}\t{p.problem_text(lang)}\t{p.value!r}")


@click.command(
    "import",
    help=(N_("cli.help.import")),
    short_help=N_("cli.short.import"),
)
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help=N_("cli.opt.import.dry_run"))
@click.option("--skip-invalid", is_flag=True, help=N_("cli.opt.import.skip_invalid"))
@click.option("--author", help=AUTHOR_HELP)
@click.option("--source", help=N_("cli.opt.import.source"))
@click.option("--reference-date", help=N_("cli.opt.import.reference_date"))
@click.option("--report", metavar="CSV", help=N_("cli.opt.import.report"))
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
    from dashboard.i18n.catalogue import t, tn
    from dashboard.i18n.format import fmt_int
    from dashboard.i18n.message import error_text
    from dashboard.services.app import command_line_user, workspace_for
    from dashboard.services.importing import ImportRejected, ReadError, read_path, write_report
    from dashboard.services.workspace import PermissionDenied, StoreError

    lang = language(lang)
    path = Path(file)
    try:
        upload = read_path(path)
    except ReadError as exc:
        error(exc, lang)
        return 2
    ws = workspace_for(command_line_user(author))
    plan = upload.plan(ws, upload.proposed_mapping(), source or "", reference_date or "")
    raw = upload.raw
    info = ", ".join(
        f"{t(_INFO[k], lang)}: {t(_SEPARATORS[v], lang) if v in _SEPARATORS else v}"
        if k in _INFO else f"{k}: {v}"
        for k, v in raw.info.items()
    )  # fmt: skip
    rows = len(raw.row_labels)
    print(tn(
        "cli.import.file", rows, lang, name=path.name,
        format=raw.fmt.upper() + (", " + info if info else ""), rows=fmt_int(rows, lang),
    ))  # fmt: skip
    _print_plan(plan, lang)
    if report:
        write_report(plan, Path(report))
    if dry_run:
        say("cli.import.dry_run", lang)
        return 1 if plan.count("invalid") and not skip_invalid else 0
    try:
        written = ws.import_plan(plan, skip_invalid=skip_invalid, comment=f"Import {path.name}")
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        say("cli.refused", lang, err=True, problem=error_text(exc, lang))
        return 1
    print(tn("cli.import.done", written, lang, n=fmt_int(written, lang)))
    return 0


@click.command("export", help=N_("cli.help.export"))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "geojson", "gpkg"]), required=True
)
@click.option("--vg", help=N_("cli.opt.export.vg"))
@click.option("--category", help=N_("cli.opt.export.category"))
@click.option("--handlungsfeld", help=N_("cli.opt.export.handlungsfeld"))
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
    from dashboard.i18n.catalogue import tn
    from dashboard.i18n.format import fmt_int
    from dashboard.services import outputs

    lang = language(lang)
    view = public_or_intern(intern)
    try:
        subset = view.inventory(vg=vg, category=category, handlungsfeld=handlungsfeld)
    except ValueError as exc:
        error(exc, lang)
        return 1
    n = outputs.write_facilities(view, subset, fmt, Path(out), lang)  # headers and words
    print(tn("cli.export.done", n, lang, n=fmt_int(n, lang), out=out))
    return 0


COMMANDS: dict[str, click.Command] = {"import": import_file, "export": export}
