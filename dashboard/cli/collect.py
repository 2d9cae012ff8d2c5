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

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from dashboard.i18n.catalogue import N_, t, tn
from dashboard.i18n.message import error_text
from dashboard.render.collection_text import (
    aggregation_lines,
    changeset_table,
    indicator_report,
    marks_table,
    problems_table,
    status_board_table,
)
from dashboard.services import collection, indicators
from dashboard.services.app import command_line_user, workspace_for
from dashboard.services.workspace import PermissionDenied, StaleVersionError, StoreError

log = logging.getLogger("integrationsatlas")
T = TypeVar("T")


def _print_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    print(frame.to_string(index=False, max_colwidth=80))


def _fail(exc: BaseException, lang: str, code: int, key: str = N_("collect.cli.error")) -> int:
    """One line on stderr in the user's language; the exit code."""
    print(t(key, lang, detail=" ".join(error_text(exc, lang).split())), file=sys.stderr)
    return code


def _unexpected(exc: BaseException, lang: str, file_name: str) -> int:
    """A failure nobody foresaw: the details to the log, one line to the user."""
    log.error("reading %s failed", file_name, exc_info=exc)
    print(t("collect.cli.unexpected", lang, file=file_name), file=sys.stderr)
    return 2


def _cmd_collect(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user(args.author))
    keys = sorted(ws.areas.vg_names) if args.all else list(args.vg)
    if not keys:
        print(t("collect.cli.vg_or_all", args.lang), file=sys.stderr)
        return 1
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        paths = collection.write_workbooks(ws, keys, out, args.round or collection.default_round())
    except (PermissionDenied, StoreError) as exc:
        return _fail(exc, args.lang, 1)
    for path in paths:
        print(path)
    return 0


def _read(path: Path, lang: str, reader: Callable[[bytes], T]) -> tuple[bytes, T] | int:
    """A file's bytes and what ``reader`` made of them, or the exit code after one line
    on stderr (2: unreadable or refused, never a traceback)."""
    try:
        data = path.read_bytes()
        return data, reader(data)
    except OSError as exc:
        return _fail(OSError(f"{path.name}: {exc.strerror or exc.__class__.__name__}"), lang, 2)
    except (collection.ReadError, PermissionDenied) as exc:
        return _fail(exc, lang, 2)
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user
        return _unexpected(exc, lang, path.name)


def _cmd_collect_read(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user(args.author))
    path, lang = Path(args.file), args.lang
    read = _read(path, lang, lambda data: collection.read_return(ws, data, path.name))
    if isinstance(read, int):
        return read
    data, plan = read
    book = plan.book
    print(t("collect.cli.read", lang, file=path.name,
            vg=ws.areas.vg_names.get(book.vg_key, book.vg_key), rows=len(book.rows),
            unchanged=len(plan.unchanged), send=plan.send_id))  # fmt: skip
    for flag in plan.flags:
        print("  ! " + flag.text(lang))
    _print_table(changeset_table(plan, lang))
    _print_table(marks_table(plan, lang))
    for f in plan.missing:
        print("  ! " + t("collect.missing", lang, name=f"{f.name} ({f.id})"))
    _print_table(problems_table(plan, lang))
    if args.dry_run:
        return 1 if plan.problems and not args.skip_invalid else 0
    try:
        done = collection.submit_return(ws, plan, path.name, data, skip_invalid=args.skip_invalid)
    except (collection.ImportRejected, PermissionDenied, StaleVersionError, StoreError) as exc:
        return _fail(exc, lang, 1, N_("collect.cli.rejected"))
    n = len(done.proposals)
    print(tn("collect.submitted", n, lang, id=done.return_id, n=n, marks=done.marks))
    return 0


def _cmd_collect_status(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user(args.author))
    _print_table(status_board_table(collection.status_board(ws, dt.date.today()), args.lang))
    return 0


def _cmd_collect_confirm(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user(args.author))
    try:
        collection.confirm_return(ws, args.id, args.comment or "")
    except (PermissionDenied, StoreError) as exc:
        return _fail(exc, args.lang, 1)
    print(t("collect.cli.confirmed", args.lang, id=args.id))
    return 0


def _cmd_indicators(args: argparse.Namespace) -> int:
    ws = workspace_for(command_line_user(args.author))
    path, lang = Path(args.file), args.lang
    defaults = indicators.IndicatorDefaults(
        indicator=args.indicator or "", unit=args.unit or "",
        reference_date=args.reference_date or "", source=args.source or "",
        vintage=args.vintage, kind=args.kind or "", numerator=args.numerator or "",
        denominator=args.denominator or "",
    )  # fmt: skip
    read = _read(path, lang, lambda d: indicators.plan_indicator_file(ws, d, path.name, defaults))
    if isinstance(read, int):
        return read
    data, plan = read
    print(path.name + ": " + t("indload.counts", lang, rows=len(plan.rows), valid=len(plan.valid),
                                invalid=plan.n_invalid, replaces=len(plan.replaces)))  # fmt: skip
    known = dict(indicators.known_indicators(lang))
    for named, key in sorted(plan.renamed.items()):
        print("  " + t("indload.renamed", lang, named=named, indicator=known.get(key, key)))
    _print_table(indicator_report(plan, lang))
    if plan.unknown_kinds:
        unknown = ", ".join(sorted(plan.unknown_kinds))
        print(t("indload.cli.kind_needed", lang, names=unknown), file=sys.stderr)
        return 1
    if args.dry_run:
        return 1 if plan.n_invalid and not args.skip_invalid else 0
    try:
        n = indicators.write_indicators(
            ws, plan, path.name, data, skip_invalid=args.skip_invalid, comment=args.comment or ""
        )
    except (indicators.ImportRejected, PermissionDenied, StoreError) as exc:
        return _fail(exc, lang, 1, N_("collect.cli.rejected"))
    print(tn("indload.written", n, lang, n=n))
    names = sorted({v.indicator for v in plan.valid})
    for line in aggregation_lines(indicators.aggregations(ws, names), lang):
        print("  " + line)
    return 0


def register(sub: Any) -> None:
    """Add the commands to the sub-parsers of ``python -m dashboard``."""
    p = sub.add_parser(
        "collect",
        help="collection round: write one XLSX workbook per VG with its current offers",
    )
    p.add_argument("--vg", action="append", default=[], metavar="KEY", help="9-digit VG key")
    p.add_argument("--all", action="store_true", help="every VG of the current vintage")
    p.add_argument("--out", required=True, metavar="DIR")
    p.add_argument("--round", help="name of the round (default: year-month, e.g. 2026-11)")
    p.add_argument("--author", help="name for the record (default: cli:<user>)")
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.set_defaults(func=_cmd_collect)

    p = sub.add_parser(
        "collect-read",
        help="read a returned workbook back: proposals for review and the list marks",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--dry-run", action="store_true", help="show the change set; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="write the valid rows only")
    p.add_argument("--author", help="name for the history (default: cli:<user>)")
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.set_defaults(func=_cmd_collect_read)

    p = sub.add_parser("collect-status", help="status board: sent, returned, reviewed, confirmed")
    p.add_argument("--author", help="as whom (default: cli:<user>)")
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.set_defaults(func=_cmd_collect_status)

    p = sub.add_parser("collect-confirm", help="confirm a reviewed return: its lists count")
    p.add_argument("id", type=int, metavar="RETURN_ID")
    p.add_argument("--comment")
    p.add_argument("--author", help="name for the record (default: cli:<user>)")
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.set_defaults(func=_cmd_collect_confirm)

    p = sub.add_parser(
        "indicators",
        help="load an indicator table (CSV, XLSX, GeoJSON) per Gemeinde or VG",
        description=(
            "Check every row (unknown key, key of another vintage, duplicate, not a number, "
            "a value beyond its kind's bounds, missing date or source, ...) and write all values "
            "in one transaction with their history; any invalid row rejects the table unless "
            "--skip-invalid is given. An indicator may be named by its key or its German or "
            "English label (Kinder unter 6 Jahren); one the atlas does not know needs --kind."
        ),
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--vintage", type=int, choices=[2013, 2014, 2019], help="vintage of VG keys")
    p.add_argument("--indicator", help="indicator for rows without one (e.g. population_under_6)")
    p.add_argument("--unit", help="unit for rows without one (persons, percent, ...)")
    p.add_argument("--reference-date", help="date for rows without one (2023, 12.2023, 31.12.2023)")
    p.add_argument("--source", help="source for rows without one")
    p.add_argument(
        "--kind", choices=list(indicators.KINDS),
        help="what an indicator the atlas does not know is: a count (summed to VGs), a share "
        "or a rate (never summed, never per 1,000); asked for and stored with it",
    )  # fmt: skip
    p.add_argument("--numerator", help="with --kind share/rate: the indicator counted (if known)")
    p.add_argument("--denominator", help="with --kind share/rate: the whole it is a share of")
    p.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    p.add_argument("--skip-invalid", action="store_true", help="write exactly the valid rows")
    p.add_argument("--comment")
    p.add_argument("--author", help="name for the history (default: cli:<user>)")
    p.add_argument("--lang", default="de", choices=["de", "en"])
    p.set_defaults(func=_cmd_indicators)
