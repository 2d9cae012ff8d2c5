"""``backup``, ``restore``, ``serve``: operating the store and the app processes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli.common import error, lang_option, language, say
from dashboard.cli.ranges import IntIn
from dashboard.i18n.catalogue import N_


@click.command(
    "backup",
    help=(N_("cli.help.backup")),
    short_help=N_("cli.short.backup"),
)
@click.option(
    "--out", required=True, metavar="FILE_OR_DIR",
    help=N_("cli.opt.backup.out"),
)  # fmt: skip
@click.option("--keep", type=IntIn(min=1), metavar="N", help=N_("cli.opt.backup.keep"))
@lang_option()
def backup(out: str, keep: int | None, lang: str | None) -> int:
    """Back the store up (and prune old backups)."""
    from dashboard.config import get_settings
    from dashboard.i18n.format import fmt_int
    from dashboard.services.backups import BackupError, backup_store, prune_backups

    lang = language(lang)
    target = Path(out).expanduser()
    try:
        info = backup_store(get_settings(), target)
        removed = prune_backups(target, keep) if keep and target.is_dir() else []
    except (BackupError, ValueError) as exc:
        error(exc, lang)
        return 1
    say(
        "cli.backup.done", lang, path=info.path, backend=info.backend, size=fmt_int(info.size, lang),
        schema=info.schema_version, version=info.data_version,
    )  # fmt: skip
    for p in removed:
        say("cli.backup.removed", lang, path=p)
    return 0


@click.command(
    "restore",
    help=(N_("cli.help.restore")),
    short_help=N_("cli.short.restore"),
)
@click.argument("file", metavar="FILE")
@click.option("--yes", is_flag=True, help=N_("cli.opt.restore.yes"))
@lang_option()
def restore(file: str, yes: bool, lang: str | None) -> int:
    """Replace the store by a backup."""
    from dashboard.config import get_settings
    from dashboard.i18n.catalogue import t
    from dashboard.i18n.message import Message
    from dashboard.services.backups import BackupError, restore_store

    lang = language(lang)
    settings = get_settings()
    target = settings.database_url and "PostgreSQL" or str(settings.store_path)
    if not yes:
        if not sys.stdin.isatty():
            error(Message.of(N_("cli.restore.confirm")), lang)
            return 2
        answer = input(t("cli.restore.ask", lang, target=target, file=file) + " ")
        if answer.strip().lower() not in t("cli.restore.yes_words", lang).split():
            say("cli.restore.cancelled", lang)
            return 1
    try:
        version = restore_store(settings, Path(file).expanduser())
    except BackupError as exc:
        error(exc, lang)
        return 1
    say("cli.restore.done", lang, file=file, version=version)
    return 0


@click.command(
    "serve",
    help=(N_("cli.help.serve")),
    short_help=N_("cli.short.serve"),
)
@click.option(
    "--processes", type=int, default=2, show_default=True, help=N_("cli.opt.serve.processes")
)
@click.option(
    "--listen", default="127.0.0.1:8080", show_default=True,
    help=N_("cli.opt.serve.listen"),
)  # fmt: skip
@click.option(
    "--server-name", "server_names", multiple=True, metavar="HOST",
    help=N_("cli.opt.serve.server_name"),
)  # fmt: skip
@click.option(
    "--first-port", type=int, default=8601, show_default=True, help=N_("cli.opt.serve.first_port")
)
@click.option("--run-dir", help=N_("cli.opt.serve.run_dir"))
@click.option("--tls-cert", metavar="FILE", help=N_("cli.opt.serve.tls_cert"))
@click.option("--tls-key", metavar="FILE", help=N_("cli.opt.serve.tls_key"))
@click.option("--http-redirect", metavar="ADDR", help=N_("cli.opt.serve.http_redirect"))
@click.option(
    "--max-upload-mb",
    type=int,
    default=25,
    show_default=True,
    help=N_("cli.opt.serve.max_upload_mb"),
)
@click.option(
    "--print-config", is_flag=True,
    help=N_("cli.opt.serve.print_config"),
)  # fmt: skip
def serve(
    processes: int,
    listen: str,
    server_names: tuple[str, ...],
    first_port: int,
    run_dir: str | None,
    tls_cert: str | None,
    tls_key: str | None,
    http_redirect: str | None,
    max_upload_mb: int,
    print_config: bool,
) -> int:
    """Run the cluster (or print its nginx configuration)."""
    from dashboard.cli.serve import ServeError, config_from_args
    from dashboard.cli.serve import serve as run

    try:
        cfg = config_from_args(
            processes, listen, server_names, first_port, run_dir, tls_cert, tls_key,
            http_redirect, max_upload_mb,
        )  # fmt: skip
        return run(cfg, print_config=print_config)
    except ServeError as exc:
        error(exc)
        return 1


COMMANDS: dict[str, click.Command] = {"backup": backup, "restore": restore, "serve": serve}
