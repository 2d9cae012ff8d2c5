"""``python -m benchmarks``: map build time and bytes, analysis, import, and the load test.

The benchmarks live beside the code they measure, not in the dashboard's command line (the
dashboard never imports them). ``make bench`` runs this with its defaults; see
``docs/benchmarks.md`` (or the README's benchmark section) for the figures.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click


@click.command(
    "benchmarks",
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Measure map build time and bytes sent to the browser (or, with --load, sessions).",
)
@click.option(
    "--repeat", type=int, default=7, show_default=True, help="warm runs per case (median reported)"
)
@click.option("--no-browser", is_flag=True, help="skip the headless-browser timing")
@click.option("--no-state", is_flag=True, help="skip the state-sized synthetic case")
@click.option(
    "--load", is_flag=True,
    help="instead: N new sessions at once against nginx + 1 and 2 app processes on localhost",
)  # fmt: skip
@click.option(
    "--sessions", default="1,20,50", show_default=True, help="with --load: batch sizes (max 200)"
)
@click.option(
    "--processes", default="1,2", show_default=True, help="with --load: app process counts"
)
@click.option(
    "--timeout",
    type=float,
    default=120.0,
    show_default=True,
    help="with --load: seconds per session",
)
@click.option(
    "--no-baseline", is_flag=True,
    help="with --load: skip one process with Streamlit's defaults (watcher, forced GC)",
)  # fmt: skip
def bench(
    repeat: int,
    no_browser: bool,
    no_state: bool,
    load: bool,
    sessions: str,
    processes: str,
    timeout: float,
    no_baseline: bool,
) -> int:
    """Print the benchmark tables (Markdown)."""
    if load:
        from benchmarks.load import run_load

        try:
            batches = [int(n) for n in sessions.split(",")]
            counts = [int(n) for n in processes.split(",")]
            print(run_load(batches, counts, timeout, baseline=not no_baseline))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        return 0
    from benchmarks.bench import run_benchmarks

    print(run_benchmarks(repeat=repeat, browser=not no_browser, state=not no_state))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks (exit code of the command)."""
    result = bench.main(args=argv, prog_name="python -m benchmarks", standalone_mode=False)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
