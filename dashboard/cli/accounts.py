"""``users``: editor accounts for the local sign-in (kept in the store's database)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from dashboard.cli.common import error, lang_option, language, say

if TYPE_CHECKING:
    from dashboard.services.workspace import Workspace


def _read_password(from_stdin: bool, none: bool = False) -> str | None:
    """The new password: from standard input, asked twice, or none (identity provider)."""
    import getpass

    if none:
        return None
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Passwort: ")
    if first != getpass.getpass("Passwort wiederholen: "):
        raise click.ClickException("die Passwörter stimmen nicht überein")
    return first


def _admin() -> Workspace:
    from dashboard.services.app import command_line_user, workspace_for

    return workspace_for(command_line_user())


@click.group(
    "users", help="Manage editor accounts for the local sign-in (kept in the store's database)."
)
def users() -> None:
    """The account commands."""


def _guarded(run: Callable[[], None]) -> int:
    from dashboard.services.workspace import UserError

    try:
        run()
    except UserError as exc:
        error(exc)
        return 1
    return 0


@users.command("add", help="Create an account (the password is asked for).")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(["vg_editor", "district_editor", "admin"]))
@click.option(
    "--vg", "vgs", multiple=True, metavar="VG_RS",
    help="9-digit VG key (current vintage), repeatable; required for vg_editor",
)  # fmt: skip
@click.option("--password-stdin", is_flag=True, help="read the password from stdin")
@click.option("--no-password", is_flag=True, help="no local password (OIDC sign-in only)")
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
    if password_stdin and no_password:
        raise click.UsageError("--password-stdin and --no-password exclude each other")

    def run() -> None:
        user = _admin().add_user(name, _read_password(password_stdin, no_password), role, vgs)
        say("cli.users.added", language(lang), name=user.name, role=user.role_label)

    return int(_guarded(run))


@users.command("passwd", help="Set a new password.")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from stdin")
@lang_option()
def passwd(name: str, password_stdin: bool, lang: str | None) -> int:
    """Set a new password."""

    def run() -> None:
        password = _read_password(password_stdin)
        assert password is not None
        _admin().set_password(name, password)
        say("cli.users.password", language(lang), name=name)

    return int(_guarded(run))


@users.command("remove", help="Delete an account.")
@click.argument("name")
@lang_option()
def remove(name: str, lang: str | None) -> int:
    """Delete an account."""

    def run() -> None:
        _admin().remove_user(name)
        say("cli.users.removed", language(lang), name=name)

    return int(_guarded(run))


@users.command("list", help="List accounts (name, role, VGs, created).")
def list_users() -> int:
    """Print the accounts, one per line, tab-separated."""
    from dashboard.domain.roles import ROLES

    def run() -> None:
        for u in _admin().list_users():
            print(f"{u.name}\t{u.role}\t{ROLES[u.role]}\t{','.join(u.vgs)}\t{u.created}")

    return int(_guarded(run))


@users.command(
    "import",
    help=(
        "Import the JSON user file of an earlier release (once per store; done "
        "automatically for $INTEGRATIONSATLAS_USERS or users.json beside the store)."
    ),
)
@click.argument("file", metavar="FILE")
@lang_option()
def import_users(file: str, lang: str | None) -> int:
    """Import an old user file."""

    def run() -> None:
        n = _admin().import_users(Path(file).expanduser().resolve())
        say("cli.users.imported", language(lang), n=n, file=file)

    return int(_guarded(run))


COMMANDS: dict[str, click.Command] = {"users": users}
