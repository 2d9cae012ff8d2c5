"""Command line of the collection round and of indicator loads.

``collect --all --out DIR`` (or ``--vg KEY``) writes one workbook per VG;
``collect-read FILE`` reads a returned workbook back and writes its proposals
(``--dry-run``: only the report); ``collect-status`` prints the status board;
``collect-confirm ID`` confirms a reviewed return; ``indicators FILE`` loads an indicator
table (``--dry-run``, ``--skip-invalid``). Texts follow ``--lang`` (default German).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import error, lang_option, language, say

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.services.workspace import Workspace


def _print_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    print(frame.to_string(index=False, max_colwidth=80))


def _workspace(author: str | None) -> Workspace:
    from dashboard.services.app import command_line_user, workspace_for

    return workspace_for(command_line_user(author))


_AUTHOR = "name for the history (default: cli:<user>)"


@click.command(
    "collect", help="Collection round: write one XLSX workbook per VG with its current offers."
)
@click.option("--vg", "vgs", multiple=True, metavar="KEY", help="9-digit VG key (repeatable)")
@click.option("--all", "all_vgs", is_flag=True, help="every VG of the current vintage")
@click.option("--out", required=True, metavar="DIR")
@click.option("--round", "round_", help="name of the round (default: year-month, e.g. 2026-11)")
@click.option("--author", help="name for the record (default: cli:<user>)")
@lang_option()
def collect(
    vgs: tuple[str, ...],
    all_vgs: bool,
    out: str,
    round_: str | None,
    author: str | None,
    lang: str | None,
) -> int:
    """Write the workbooks of a collection round."""
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StoreError

    ws = _workspace(author)
    keys = sorted(ws.areas.vg_names) if all_vgs else list(vgs)
    if not keys:
        error("--vg KEY (repeatable) or --all")
        return 1
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        paths = collection.write_workbooks(ws, keys, folder, round_ or collection.default_round())
    except (PermissionDenied, StoreError) as exc:
        error(exc)
        return 1
    for path in paths:
        print(path)
    return 0


@click.command(
    "collect-read", help="Read a returned workbook back: proposals for review and the list marks."
)
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help="show the change set; write nothing")
@click.option("--skip-invalid", is_flag=True, help="write the valid rows only")
@click.option("--author", help=_AUTHOR)
@lang_option("language of the report")
def collect_read(
    file: str, dry_run: bool, skip_invalid: bool, author: str | None, lang: str | None
) -> int:
    """Read a returned workbook; write its proposals unless ``--dry-run``."""
    from dashboard.render.collection_text import changeset_table, marks_table, problems_table
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError

    lang = language(lang)
    ws = _workspace(author)
    path = Path(file)
    try:
        data = path.read_bytes()
        plan = collection.read_return(ws, data, path.name)
    except (OSError, collection.ReadError, PermissionDenied) as exc:
        error(exc)
        return 2
    book = plan.book
    say(
        "cli.collect.read", lang, name=path.name, vg=ws.areas.vg_names.get(book.vg_key, book.vg_key),
        rows=len(book.rows), unchanged=len(plan.unchanged),
    )  # fmt: skip
    _print_table(changeset_table(plan, lang))
    _print_table(marks_table(plan, lang))
    for f in plan.missing:
        say("cli.collect.missing", lang, name=f.name, id=f.id)
    _print_table(problems_table(plan, lang))
    if dry_run:
        return 1 if plan.problems and not skip_invalid else 0
    try:
        done = collection.submit_return(ws, plan, path.name, data, skip_invalid=skip_invalid)
    except (collection.ImportRejected, PermissionDenied, StaleVersionError, StoreError) as exc:
        say("cli.refused", lang, err=True, problem=str(exc))
        return 1
    say(
        "cli.collect.done", lang, id=done.return_id, proposals=len(done.proposals), marks=done.marks
    )
    return 0


@click.command("collect-status", help="Status board: sent, returned, reviewed, confirmed.")
@click.option("--author", help="as whom (default: cli:<user>)")
@lang_option("language of the board")
def collect_status(author: str | None, lang: str | None) -> int:
    """Print the status board of the collection round."""
    from dashboard.render.collection_text import status_board_table
    from dashboard.services import collection

    ws = _workspace(author)
    _print_table(status_board_table(collection.status_board(ws, dt.date.today()), language(lang)))
    return 0


@click.command("collect-confirm", help="Confirm a reviewed return: its lists count.")
@click.argument("return_id", type=int, metavar="RETURN_ID")
@click.option("--comment")
@click.option("--author", help="name for the record (default: cli:<user>)")
@lang_option()
def collect_confirm(
    return_id: int, comment: str | None, author: str | None, lang: str | None
) -> int:
    """Confirm a reviewed return."""
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StoreError

    ws = _workspace(author)
    try:
        collection.confirm_return(ws, return_id, comment or "")
    except (PermissionDenied, StoreError) as exc:
        error(exc)
        return 1
    say("cli.collect.confirmed", language(lang), id=return_id)
    return 0


@click.command(
    "indicators",
    help=(
        "Check every row (unknown key, key of another vintage, duplicate, not a number, "
        "missing date or source, ...) and write all values in one transaction with their "
        "history; any invalid row rejects the table unless --skip-invalid is given."
    ),
    short_help="load an indicator table per Gemeinde or VG",
)
@click.argument("file", metavar="FILE")
@click.option("--vintage", type=int, help="vintage of VG keys (one of the district's)")
@click.option("--indicator", help="indicator for rows without one (e.g. population_under_6)")
@click.option("--unit", help="unit for rows without one (persons, percent, ...)")
@click.option("--reference-date", help="date for rows without one (2023, 12.2023, 31.12.2023)")
@click.option("--source", help="source for rows without one")
@click.option("--dry-run", is_flag=True, help="report only; write nothing")
@click.option("--skip-invalid", is_flag=True, help="write exactly the valid rows")
@click.option("--comment")
@click.option("--author", help=_AUTHOR)
@lang_option("language of the report")
def load_indicators(
    file: str,
    vintage: int | None,
    indicator: str | None,
    unit: str | None,
    reference_date: str | None,
    source: str | None,
    dry_run: bool,
    skip_invalid: bool,
    comment: str | None,
    author: str | None,
    lang: str | None,
) -> int:
    """Check an indicator table and write its values (all or nothing)."""
    from dashboard.render.collection_text import aggregation_lines, indicator_report
    from dashboard.services import indicators
    from dashboard.services.workspace import PermissionDenied, StoreError

    lang = language(lang)
    ws = _workspace(author)
    if vintage is not None and vintage not in ws.config.vintage_years:
        raise click.BadParameter(
            f"{vintage}: expected one of {', '.join(map(str, ws.config.vintage_years))}",
            param_hint="--vintage",
        )
    path = Path(file)
    defaults = indicators.IndicatorDefaults(
        indicator=indicator or "", unit=unit or "", reference_date=reference_date or "",
        source=source or "", vintage=vintage,
    )  # fmt: skip
    try:
        data = path.read_bytes()
        plan = indicators.plan_indicator_file(ws, data, path.name, defaults)
    except (OSError, indicators.ReadError, PermissionDenied) as exc:
        error(exc)
        return 2
    say(
        "cli.indicators.read", lang, name=path.name, rows=len(plan.rows), valid=len(plan.valid),
        invalid=plan.n_invalid, replaces=len(plan.replaces),
    )  # fmt: skip
    _print_table(indicator_report(plan, lang))
    if dry_run:
        return 1 if plan.n_invalid and not skip_invalid else 0
    try:
        n = indicators.write_indicators(
            ws, plan, path.name, data, skip_invalid=skip_invalid, comment=comment or ""
        )
    except (indicators.ImportRejected, PermissionDenied, StoreError) as exc:
        say("cli.refused", lang, err=True, problem=str(exc))
        return 1
    say("cli.indicators.done", lang, n=n)
    names = sorted({v.indicator for v in plan.valid})
    for line in aggregation_lines(indicators.aggregations(ws, names), lang):
        print("  " + line)
    return 0


COMMANDS: dict[str, click.Command] = {
    "collect": collect,
    "collect-read": collect_read,
    "collect-status": collect_status,
    "collect-confirm": collect_confirm,
    "indicators": load_indicators,
}
