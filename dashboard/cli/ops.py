"""``backup``, ``restore``, ``serve``: operating the store and the app processes."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dashboard.cli.common import error, lang_option, language, say


@click.command(
    "backup",
    help=(
        "Copy the whole store (facilities, history, proposals, accounts) while the dashboard "
        "runs: SQLite with the online backup API as a GeoPackage file, PostgreSQL with "
        "pg_dump (custom format) of the schema integrationsatlas."
    ),
    short_help="consistent copy of the whole store while it runs",
)
@click.option(
    "--out", required=True, metavar="FILE_OR_DIR",
    help="backup file, or an existing folder for a time-stamped file",
)  # fmt: skip
@click.option("--keep", type=int, metavar="N", help="with a folder: keep only the newest N backups")
@lang_option()
def backup(out: str, keep: int | None, lang: str | None) -> int:
    """Back the store up (and prune old backups)."""
    from dashboard.config import get_settings
    from dashboard.services.backups import BackupError, backup_store, prune_backups

    lang = language(lang)
    target = Path(out).expanduser()
    try:
        info = backup_store(get_settings(), target)
        removed = prune_backups(target, keep) if keep and target.is_dir() else []
    except (BackupError, ValueError) as exc:
        error(exc)
        return 1
    say(
        "cli.backup.done", lang, path=info.path, backend=info.backend, size=f"{info.size:,}",
        schema=info.schema_version, version=info.data_version,
    )  # fmt: skip
    for p in removed:
        say("cli.backup.removed", lang, path=p)
    return 0


@click.command(
    "restore",
    help=(
        "Replace the whole store by a backup of the same backend, all or nothing; a backup "
        "of an older release is upgraded. Running dashboards need no restart."
    ),
    short_help="replace the whole store by a backup, in one step",
)
@click.argument("file", metavar="FILE")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
@lang_option()
def restore(file: str, yes: bool, lang: str | None) -> int:
    """Replace the store by a backup."""
    from dashboard.config import get_settings
    from dashboard.i18n.catalogue import t
    from dashboard.services.backups import BackupError, restore_store

    lang = language(lang)
    settings = get_settings()
    target = settings.database_url and "PostgreSQL" or str(settings.store_path)
    if not yes:
        if not sys.stdin.isatty():
            error("restore replaces the whole store; confirm with --yes")
            return 2
        answer = input(t("cli.restore.ask", lang, target=target, file=file) + " ")
        if answer.strip().lower() not in ("ja", "j", "yes", "y"):
            say("cli.restore.cancelled", lang)
            return 1
    try:
        version = restore_store(settings, Path(file).expanduser())
    except BackupError as exc:
        error(exc)
        return 1
    say("cli.restore.done", lang, file=file, version=version)
    return 0


@click.command(
    "serve",
    help=(
        "Start N Streamlit processes on 127.0.0.1 and Debian's nginx in front "
        "(deploy/nginx.conf.template): sticky sessions, Host check, security headers, no "
        "public metrics. All processes use the configured store. See deploy/README.md."
    ),
    short_help="run N dashboard processes behind nginx",
)
@click.option("--processes", type=int, default=2, show_default=True, help="app processes")
@click.option(
    "--listen", default="127.0.0.1:8080", show_default=True,
    help="nginx's address host:port (this machine only by default)",
)  # fmt: skip
@click.option(
    "--server-name", "server_names", multiple=True, metavar="HOST",
    help="a host name the public uses (repeatable); any other Host is refused",
)  # fmt: skip
@click.option(
    "--first-port", type=int, default=8601, show_default=True, help="port of the first process"
)
@click.option("--run-dir", help="nginx config, logs and pid (default var/serve)")
@click.option("--tls-cert", metavar="FILE", help="certificate chain (PEM) for HTTPS")
@click.option("--tls-key", metavar="FILE", help="private key (PEM) for HTTPS")
@click.option(
    "--http-redirect", metavar="ADDR", help="with TLS: redirect plain HTTP on ADDR (0.0.0.0:80)"
)
@click.option("--max-upload-mb", type=int, default=25, show_default=True, help="largest upload")
@click.option(
    "--print-config", is_flag=True,
    help="print the nginx configuration and exit (to run nginx as a system service)",
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
