"""Command line of the collection round and of indicator loads.

``collect --all --out DIR`` (or ``--vg KEY``) writes one workbook per VG;
``collect-read FILE`` reads a returned workbook back and writes its proposals
(``--dry-run``: only the report); ``collect-status`` prints the status board;
``collect-confirm ID`` confirms a reviewed return; ``indicators FILE`` loads an indicator
table (``--dry-run``, ``--skip-invalid``). Texts follow ``--lang`` (default German), from the
message catalogue; a refusal is one line on stderr (never a traceback; details of an
unexpected failure go to the log).
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from dashboard.cli.common import AUTHOR_HELP, lang_option, language
from dashboard.i18n.catalogue import N_

if TYPE_CHECKING:
    import pandas as pd

    from dashboard.services import indicators
    from dashboard.services.workspace import Workspace

log = logging.getLogger("integrationsatlas")
T = TypeVar("T")


def _print_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    print(frame.to_string(index=False, max_colwidth=80))


def _workspace(author: str | None) -> Workspace:
    from dashboard.services.app import command_line_user, workspace_for

    return workspace_for(command_line_user(author))


def _fail(exc: BaseException, lang: str, code: int, key: str = N_("collect.cli.error")) -> int:
    """One line on stderr in the user's language; the exit code."""
    from dashboard.i18n.catalogue import t
    from dashboard.i18n.message import error_text

    print(t(key, lang, detail=" ".join(error_text(exc, lang).split())), file=sys.stderr)
    return code


def _unexpected(exc: BaseException, lang: str, file_name: str) -> int:
    """A failure nobody foresaw: the details to the log, one line to the user."""
    from dashboard.i18n.catalogue import t

    log.error("reading %s failed", file_name, exc_info=exc)
    print(t("collect.cli.unexpected", lang, file=file_name), file=sys.stderr)
    return 2


def _read(path: Path, lang: str, reader: Callable[[bytes], T]) -> tuple[bytes, T] | int:
    """A file's bytes and what ``reader`` made of them, or the exit code after one line
    on stderr (2: unreadable or refused, never a traceback)."""
    from dashboard.i18n.message import Refused
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied

    try:
        data = path.read_bytes()
        return data, reader(data)
    except OSError as exc:
        missing = isinstance(exc, FileNotFoundError)
        key = N_("cli.file_missing") if missing else N_("cli.file_unreadable")
        return _fail(Refused(key, file=path.name), lang, 2)
    except (collection.ReadError, PermissionDenied) as exc:
        return _fail(exc, lang, 2)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        return _unexpected(exc, lang, path.name)


@click.command("collect", help=N_("cli.help.collect"))
@click.option("--vg", "vgs", multiple=True, metavar="KEY", help=N_("cli.opt.collect.vg"))
@click.option("--all", "all_vgs", is_flag=True, help=N_("cli.opt.collect.all"))
@click.option("--out", required=True, metavar="DIR")
@click.option("--round", "round_", help=N_("cli.opt.collect.round"))
@click.option("--author", help=N_("cli.opt.collect.author"))
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
    from dashboard.i18n.catalogue import t
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StoreError

    lang = language(lang)
    ws = _workspace(author)
    keys = sorted(ws.areas.vg_names) if all_vgs else list(vgs)
    if not keys:
        print(t("collect.cli.vg_or_all", lang), file=sys.stderr)
        return 1
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        paths = collection.write_workbooks(ws, keys, folder, round_ or collection.default_round())
    except (PermissionDenied, StoreError) as exc:
        return _fail(exc, lang, 1)
    for path in paths:
        print(path)
    return 0


@click.command(
    "collect-read",
    help=N_("cli.help.collect_read"),
)
@click.argument("file", metavar="FILE")
@click.option("--dry-run", is_flag=True, help=N_("cli.opt.collect_read.dry_run"))
@click.option("--skip-invalid", is_flag=True, help=N_("cli.opt.collect_read.skip_invalid"))
@click.option("--author", help=AUTHOR_HELP)
@lang_option(N_("cli.opt.report.lang"))
def collect_read(
    file: str, dry_run: bool, skip_invalid: bool, author: str | None, lang: str | None
) -> int:
    """Read a returned workbook; write its proposals unless ``--dry-run``."""
    from dashboard.i18n.catalogue import t, tn
    from dashboard.render.collection_text import changeset_table, marks_table, problems_table
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError

    lang = language(lang)
    ws = _workspace(author)
    path = Path(file)
    read = _read(path, lang, lambda data: collection.read_return(ws, data, path.name))
    if isinstance(read, int):
        return read
    data, plan = read
    book = plan.book
    print(tn("collect.cli.read", len(book.rows), lang, file=path.name,
             vg=ws.areas.vg_names.get(book.vg_key, book.vg_key), rows=len(book.rows),
             unchanged=len(plan.unchanged), send=plan.send_id))  # fmt: skip
    for flag in plan.flags:
        print("  ! " + flag.text(lang))
    _print_table(changeset_table(plan, lang))
    _print_table(marks_table(plan, lang))
    for f in plan.missing:
        print("  ! " + t("collect.missing", lang, name=f"{f.name} ({f.id})"))
    _print_table(problems_table(plan, lang))
    if dry_run:
        return 1 if plan.problems and not skip_invalid else 0
    try:
        done = collection.submit_return(ws, plan, path.name, data, skip_invalid=skip_invalid)
    except (collection.ImportRejected, PermissionDenied, StaleVersionError, StoreError) as exc:
        return _fail(exc, lang, 1, N_("collect.cli.rejected"))
    n = len(done.proposals)
    marks = tn("collect.marks_n", done.marks, lang, n=done.marks)
    print(tn("collect.submitted", n, lang, id=done.return_id, n=n, marks=marks))
    return 0


@click.command("collect-status", help=N_("cli.help.collect_status"))
@click.option("--author", help=N_("cli.opt.collect_status.author"))
@lang_option(N_("cli.opt.collect_status.lang"))
def collect_status(author: str | None, lang: str | None) -> int:
    """Print the status board of the collection round."""
    from dashboard.render.collection_text import status_board_table
    from dashboard.services import collection

    ws = _workspace(author)
    _print_table(status_board_table(collection.status_board(ws, dt.date.today()), language(lang)))
    return 0


@click.command("collect-confirm", help=N_("cli.help.collect_confirm"))
@click.argument("return_id", type=int, metavar="RETURN_ID")
@click.option("--comment")
@click.option("--author", help=N_("cli.opt.collect.author"))
@lang_option()
def collect_confirm(
    return_id: int, comment: str | None, author: str | None, lang: str | None
) -> int:
    """Confirm a reviewed return."""
    from dashboard.i18n.catalogue import t
    from dashboard.services import collection
    from dashboard.services.workspace import PermissionDenied, StoreError

    lang = language(lang)
    ws = _workspace(author)
    try:
        collection.confirm_return(ws, return_id, comment or "")
    except (PermissionDenied, StoreError) as exc:
        return _fail(exc, lang, 1)
    print(t("collect.cli.confirmed", lang, id=return_id))
    return 0


@click.command(
    "indicators",
    help=(N_("cli.help.indicators")),
    short_help=N_("cli.short.indicators"),
)
@click.argument("file", metavar="FILE")
@click.option("--vintage", type=int, help=N_("cli.opt.indicators.vintage"))
@click.option("--indicator", help=N_("cli.opt.indicators.indicator"))
@click.option("--unit", help=N_("cli.opt.indicators.unit"))
@click.option("--reference-date", help=N_("cli.opt.indicators.reference_date"))
@click.option("--source", help=N_("cli.opt.indicators.source"))
@click.option(
    "--kind", type=click.Choice(["count", "share", "rate"]),
    help=N_("cli.opt.indicators.kind"),
)  # fmt: skip
@click.option("--numerator", help=N_("cli.opt.indicators.numerator"))
@click.option("--denominator", help=N_("cli.opt.indicators.denominator"))
@click.option("--dry-run", is_flag=True, help=N_("cli.opt.indicators.dry_run"))
@click.option("--skip-invalid", is_flag=True, help=N_("cli.opt.import.skip_invalid"))
@click.option("--comment")
@click.option("--author", help=AUTHOR_HELP)
@lang_option(N_("cli.opt.report.lang"))
def load_indicators(
    file: str,
    vintage: int | None,
    indicator: str | None,
    unit: str | None,
    reference_date: str | None,
    source: str | None,
    kind: str | None,
    numerator: str | None,
    denominator: str | None,
    dry_run: bool,
    skip_invalid: bool,
    comment: str | None,
    author: str | None,
    lang: str | None,
) -> int:
    """Check an indicator table and write its values (all or nothing)."""
    from dashboard.services import indicators

    lang = language(lang)
    ws = _workspace(author)
    if vintage is not None and vintage not in ws.config.vintage_years:
        from dashboard.i18n.catalogue import t

        expected = ", ".join(map(str, ws.config.vintage_years))
        raise click.BadParameter(
            t("cli.vintage_expected", lang, vintage=str(vintage), expected=expected),
            param_hint="--vintage",
        )
    path = Path(file)
    defaults = indicators.IndicatorDefaults(
        indicator=indicator or "", unit=unit or "", reference_date=reference_date or "",
        source=source or "", vintage=vintage, kind=kind or "", numerator=numerator or "",
        denominator=denominator or "",
    )  # fmt: skip
    read = _read(path, lang, lambda d: indicators.plan_indicator_file(ws, d, path.name, defaults))
    if isinstance(read, int):
        return read
    data, plan = read
    return _write_indicators(ws, plan, path, data, lang, dry_run, skip_invalid, comment)


def _write_indicators(
    ws: Workspace,
    plan: indicators.IndicatorPlan,
    path: Path,
    data: bytes,
    lang: str,
    dry_run: bool,
    skip_invalid: bool,
    comment: str | None,
) -> int:
    """Report a checked indicator table and write it (unless ``dry_run``)."""
    from dashboard.i18n.catalogue import t, tn
    from dashboard.render.collection_text import aggregation_lines, indicator_report
    from dashboard.services import indicators
    from dashboard.services.workspace import PermissionDenied, StoreError

    replaces = tn("indload.replaces_n", len(plan.replaces), lang, n=len(plan.replaces))
    print(path.name + ": " + tn("indload.counts", len(plan.rows), lang, rows=len(plan.rows),
                                valid=len(plan.valid), invalid=plan.n_invalid,
                                replaces=replaces))  # fmt: skip
    known = dict(indicators.known_indicators(lang))
    for named, key in sorted(plan.renamed.items()):
        print("  " + t("indload.renamed", lang, named=named, indicator=known.get(key, key)))
    _print_table(indicator_report(plan, lang))
    if plan.unknown_kinds:
        unknown = ", ".join(sorted(plan.unknown_kinds))
        print(t("indload.cli.kind_needed", lang, names=unknown), file=sys.stderr)
        return 1
    if dry_run:
        return 1 if plan.n_invalid and not skip_invalid else 0
    try:
        n = indicators.write_indicators(
            ws, plan, path.name, data, skip_invalid=skip_invalid, comment=comment or ""
        )
    except (indicators.ImportRejected, PermissionDenied, StoreError) as exc:
        return _fail(exc, lang, 1, N_("collect.cli.rejected"))
    print(tn("indload.written", n, lang, n=n))
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
