"""``finder``: the public offer finder as a static site."""

from __future__ import annotations

from pathlib import Path

import click

from dashboard.cli.common import lang_option, language
from dashboard.i18n.catalogue import N_


@click.command(
    "finder",
    help=(N_("cli.help.finder")),
    short_help=N_("cli.short.finder"),
)
@click.option("--out", required=True, metavar="DIR", help=N_("cli.opt.finder.out"))
@lang_option()
def finder(out: str, lang: str | None) -> int:
    """Write the finder."""
    from dashboard.i18n.catalogue import tn
    from dashboard.i18n.format import fmt_int
    from dashboard.services.finder import publish

    lang = language(lang)
    info = publish(Path(out))
    n = len(info.files)
    print(tn(
        "cli.finder.done", n, lang, files=fmt_int(n, lang), size=fmt_int(info.total_bytes, lang),
        out=out,
    ))  # fmt: skip
    return 0


COMMANDS: dict[str, click.Command] = {"finder": finder}
