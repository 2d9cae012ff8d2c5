"""``users``: editor accounts for the local sign-in (kept in the store's database)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import error, lang_option, language, say
from dashboard.i18n.catalogue import N_

if TYPE_CHECKING:
    from dashboard.services.workspace import Workspace


def _read_password(lang: str, from_stdin: bool, none: bool = False) -> str | None:
    """The new password: from standard input, asked twice, or none (identity provider)."""
    import getpass

    from dashboard.i18n.catalogue import t

    if none:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(t("cli.users.ask_password", lang) + " ")
    if first != getpass.getpass(t("cli.users.ask_again", lang) + " "):
        raise click.ClickException(t("cli.users.mismatch", lang))
    return first


def _admin() -> Workspace:
    from dashboard.services.app import command_line_user, workspace_for

    return workspace_for(command_line_user())


@click.group("users", help=N_("cli.help.users"))
def users() -> None:
    """The account commands."""


def _guarded(run: Callable[[], None]) -> int:
    from dashboard.services.workspace import PermissionDenied, UserError

    try:
        run()
    except (UserError, PermissionDenied) as exc:
        error(exc)
        return 1
    return 0


@users.command("add", help=N_("cli.help.users_add"))
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["vg_editor", "district_editor", "admin"]))
@click.option(
    "--vg", "vgs", multiple=True, metavar="VG_RS",
    help=N_("cli.opt.users_add.vg"),
)  # fmt: skip
@click.option("--password-stdin", is_flag=True, help=N_("cli.opt.users_add.password_stdin"))
@click.option("--no-password", is_flag=True, help=N_("cli.opt.users_add.no_password"))
@lang_option()
def add(
    name: str,
    role: str,
    vgs: tuple[str, ...],
    password_stdin: bool,
    no_password: bool,
    lang: str | None,
) -> int:
    """Create an account."""
    from dashboard.i18n.catalogue import t

    lang = language(lang)
    if password_stdin and no_password:
        raise click.UsageError(t("cli.users.stdin_or_none", lang))

    def run() -> None:
        password = _read_password(lang, password_stdin, no_password)
        user = _admin().add_user(name, password, role, vgs)
        say("cli.users.added", lang, name=user.name, role=t(f"role.{user.role}", lang))

    return int(_guarded(run))


@users.command("passwd", help=N_("cli.help.users_passwd"))
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help=N_("cli.opt.users_add.password_stdin"))
@lang_option()
def passwd(name: str, password_stdin: bool, lang: str | None) -> int:
    """Set a new password."""

    def run() -> None:
        password = _read_password(language(lang), password_stdin)
        assert password is not None
        _admin().set_password(name, password)
        say("cli.users.password", language(lang), name=name)

    return int(_guarded(run))


@users.command("remove", help=N_("cli.help.users_remove"))
@click.argument("name")
@lang_option()
def remove(name: str, lang: str | None) -> int:
    """Delete an account."""

    def run() -> None:
        _admin().remove_user(name)
        say("cli.users.removed", language(lang), name=name)

    return int(_guarded(run))


@users.command("list", help=N_("cli.help.users_list"))
@lang_option()
def list_users(lang: str | None) -> int:
    """Print the accounts, one per line, tab-separated (name, role, its label, VGs, created)."""
    import datetime as dt

    from dashboard.i18n.catalogue import t
    from dashboard.i18n.format import fmt_datetime
    from dashboard.i18n.message import moment

    lang = language(lang)

    def run() -> None:
        for u in _admin().list_users():
            at = moment(u.created)
            created = fmt_datetime(at, lang) if isinstance(at, dt.datetime) else at
            label = t(f"role.{u.role}", lang)
            print(f"{u.name}\t{u.role}\t{label}\t{','.join(u.vgs)}\t{created}")

    return int(_guarded(run))


@users.command(
    "import",
    help=(N_("cli.help.users_import")),
)
@click.argument("file", metavar="FILE")
@lang_option()
def import_users(file: str, lang: str | None) -> int:
    """Import an old user file."""

    def run() -> None:
        from dashboard.i18n.catalogue import tn
        from dashboard.i18n.format import fmt_int

        n = _admin().import_users(Path(file).expanduser().resolve())
        lang_ = language(lang)
        print(tn("cli.users.imported", n, lang_, n=fmt_int(n, lang_), file=file))

    return int(_guarded(run))


COMMANDS: dict[str, click.Command] = {"users": users}
