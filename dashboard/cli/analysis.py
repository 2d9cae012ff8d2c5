"""``gaps``, ``report``, ``map``: the analysis and the printed outputs, as the audience may
see them (the public by default; ``--intern`` for the Kreisverwaltung's view)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli.common import INTERN_HELP, error, lang_option, language, public_or_intern, say
from dashboard.cli.ranges import FloatIn, IntIn
from dashboard.domain.ranges import PRINT_DPI, THRESHOLD_BOUNDS
from dashboard.domain.viewstate import K_MAX, K_MIN
from dashboard.i18n.catalogue import N_

_LANG_HELP = N_("cli.opt.gaps.lang")


@click.command(
    "gaps",
    help=(N_("cli.help.gaps")),
    short_help=N_("cli.short.gaps"),
)
@click.option("--category", required=True, help=N_("cli.opt.gaps.category"))
@click.option(
    "--radius-km", type=FloatIn(*THRESHOLD_BOUNDS["radius_km"]), default=5.0, metavar="KM",
    show_default=True, help=N_("cli.opt.gaps.radius_km"),
)  # fmt: skip
@click.option(
    "--max-distance-km", type=FloatIn(*THRESHOLD_BOUNDS["max_distance_km"]),
    default=5.0, metavar="KM", show_default=True, help=N_("cli.opt.gaps.max_distance_km"),
)  # fmt: skip
@click.option(
    "--min-per-1000", type=FloatIn(*THRESHOLD_BOUNDS["min_per_1000"]), default=0.5, metavar="N",
    show_default=True, help=N_("cli.opt.gaps.min_per_1000"),
)  # fmt: skip
@click.option("--vintage", type=int, help=N_("cli.opt.gaps.vintage"))
@click.option(
    "--level", type=click.Choice(["gemeinde", "vg", "landkreis"]), default="gemeinde",
    show_default=True,
)  # fmt: skip
@click.option("--include-outside", is_flag=True, help=N_("cli.opt.gaps.include_outside"))
@click.option(
    "--demand",
    metavar="INDICATOR",
    help=N_("cli.opt.gaps.demand"),
)
@click.option("--include-unconfirmed", is_flag=True, help=N_("cli.opt.gaps.include_unconfirmed"))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv",
    show_default=True,
)  # fmt: skip
@click.option("--out", metavar="FILE")
@lang_option(_LANG_HELP)
@click.option("--intern", is_flag=True, help=INTERN_HELP)
def gaps(
    category: str,
    radius_km: float,
    max_distance_km: float,
    min_per_1000: float,
    vintage: int | None,
    level: str,
    include_outside: bool,
    demand: str | None,
    include_unconfirmed: bool,
    fmt: str,
    out: str | None,
    lang: str | None,
    intern: bool,
) -> int:
    """The flat analysis table as CSV, XLSX or JSON."""
    from dashboard.analysis.gaps import Thresholds
    from dashboard.i18n.catalogue import tn
    from dashboard.i18n.format import fmt_int
    from dashboard.i18n.message import Message
    from dashboard.services import outputs

    lang = language(lang)
    try:
        thresholds = Thresholds(
            max_distance_km=max_distance_km, min_per_1000=min_per_1000, radius_km=radius_km
        )
        view = public_or_intern(intern)
        flags = view.gaps_table(
            category, thresholds, vintage=view.current_vintage if vintage is None else vintage,
            level=level, include_outside=include_outside, demand=demand,
            include_unconfirmed=include_unconfirmed,
        )  # fmt: skip
    except ValueError as exc:
        error(exc, lang)
        return 1
    frame = outputs.gaps_file_table(flags, lang)
    if out:
        Path(out).write_bytes(outputs.gaps_file(frame, fmt, lang))
        print(tn("cli.gaps.done", len(frame), lang, n=fmt_int(len(frame), lang), out=out))
        return 0
    if fmt == "json":
        print(frame.to_json(orient="records", force_ascii=False, indent=2))
    elif fmt == "csv":
        sys.stdout.write(outputs.gaps_csv_text(frame, lang))
    else:
        error(Message.of(N_("cli.gaps.xlsx_needs_out")), lang)
        return 1
    return 0


@click.command("report", help=N_("cli.help.report"))
@click.option("--vg", help=N_("cli.opt.report.vg"))
@click.option("--all-vgs", is_flag=True, help=N_("cli.opt.report.all_vgs"))
@click.option("--format", "fmt", type=click.Choice(["pdf"]), default="pdf", show_default=True)
@click.option("--vintage", type=int, help=N_("cli.opt.gaps.vintage"))
@lang_option(N_("cli.opt.report.lang"))
@click.option("--out", required=True, metavar="FILE")
@click.option("--intern", is_flag=True, help=INTERN_HELP)
def report(
    vg: str | None,
    all_vgs: bool,
    fmt: str,
    vintage: int | None,
    lang: str | None,
    out: str,
    intern: bool,
) -> int:
    """Write a Steckbrief or the handout of all VGs."""
    from dashboard.cli.reports import cli_report, stderr_progress

    lang = language(lang)
    try:
        written = cli_report(
            public_or_intern(intern), vg, all_vgs, fmt, Path(out), vintage, lang,
            progress=stderr_progress,
        )  # fmt: skip
    except ValueError as exc:
        error(exc, lang)
        return 1
    say("cli.report.done", lang, out=written)
    return 0


@click.command("map", help=N_("cli.help.map"))
@click.option("--indicator", help=N_("cli.opt.map.indicator"))
@click.option("--level", type=click.Choice(["vg", "gemeinde"]), default="vg", show_default=True)
@click.option("--per-1000", is_flag=True, help=N_("cli.opt.map.per_1000"))
@click.option(
    "--scheme", type=click.Choice(["quantiles", "natural_breaks", "equal_interval"]),
    default="quantiles", show_default=True,
)  # fmt: skip
@click.option(
    "--k", type=IntIn(K_MIN, K_MAX), default=4, metavar="N", show_default=True,
    help=N_("cli.opt.map.k"),
)  # fmt: skip
@click.option(
    "--format", "fmt", type=click.Choice(["png", "pdf"]), default="png", show_default=True
)
@click.option("--paper", type=click.Choice(["A4", "A3"]), default="A4", show_default=True)
@click.option(
    "--orientation", type=click.Choice(["landscape", "portrait"]), default="landscape",
    show_default=True,
)  # fmt: skip
@click.option(
    "--dpi", type=IntIn(*PRINT_DPI), default=300, metavar="DPI", show_default=True,
    help=N_("cli.opt.map.dpi"),
)  # fmt: skip
@click.option("--vg", help=N_("cli.opt.map.vg"))
@click.option("--vintage", type=int, help=N_("cli.opt.gaps.vintage"))
@lang_option(N_("cli.opt.map.lang"))
@click.option("--out", required=True, metavar="FILE")
@click.option("--intern", is_flag=True, help=INTERN_HELP)
def print_map(
    indicator: str | None,
    level: str,
    per_1000: bool,
    scheme: str,
    k: int,
    fmt: str,
    paper: str,
    orientation: str,
    dpi: int,
    vg: str | None,
    vintage: int | None,
    lang: str | None,
    out: str,
    intern: bool,
) -> int:
    """Write a printable map of the district or one VG."""
    from dashboard.cli.reports import cli_map

    lang = language(lang)
    try:
        written = cli_map(
            public_or_intern(intern), indicator, level, fmt, paper, orientation, Path(out),
            vintage, lang, per_1000, scheme, k, vg=vg, dpi=dpi,
        )  # fmt: skip
    except ValueError as exc:
        error(exc, lang)
        return 1
    say("cli.map.done", lang, out=written)
    return 0


COMMANDS: dict[str, click.Command] = {"gaps": gaps, "report": report, "map": print_map}
