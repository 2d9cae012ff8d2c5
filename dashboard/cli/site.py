"""``finder``: the public offer finder as a static site."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.common import lang_option, language, say


@click.command(
    "finder",
    help=(
        "Write the multilingual offer finder for residents (HTML, CSS, JS, the public data "
        "as one file, a service worker for use without network) into a folder. Made from "
        "what the public may see; offers of sensitive categories never appear."
    ),
    short_help="write the public offer finder as a static site",
)
@click.option("--out", required=True, metavar="DIR", help="target folder (created if missing)")
@lang_option()
def finder(out: str, lang: str | None) -> int:
    """Write the finder."""
    from dashboard.services.finder import publish

    info = publish(Path(out))
    say(
        "cli.finder.done", language(lang), files=len(info.files), size=f"{info.total_bytes:,}",
        out=out,
    )  # fmt: skip
    return 0


COMMANDS: dict[str, click.Command] = {"finder": finder}
