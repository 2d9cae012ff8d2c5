"""What every command module shares: the language, printing through the catalogue, the
view a command's files show. Imports of the dashboard happen inside, when a command runs."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from dashboard.cli.texts import spoken
from dashboard.i18n.catalogue import N_

if TYPE_CHECKING:
    from dashboard.services.view import RoleView

F = TypeVar("F", bound=Callable[..., Any])

#: Help of ``--intern`` (the internal view instead of the public's).
INTERN_HELP = N_("cli.help.intern")
#: Help of ``--author`` (the name written into the history).
AUTHOR_HELP = N_("cli.help.author")


def lang_option(help: str = N_("cli.help.lang")) -> Callable[[F], F]:
    """``--lang de|en`` for one command; without it the group's ``--lang`` applies."""
    return click.option("--lang", type=click.Choice(["de", "en"]), default=None, help=help)


def language(lang: str | None) -> str:
    """The language of this command: its own ``--lang``, else the group's, else the run's
    (German)."""
    if lang:
        return lang
    ctx = click.get_current_context(silent=True)
    while ctx is not None:
        if isinstance(ctx.obj, dict) and ctx.obj.get("lang"):
            return str(ctx.obj["lang"])
        ctx = ctx.parent
    return spoken()


def say(key: str, lang: str, *, err: bool = False, **values: object) -> None:
    """Print one message of the catalogue (``err``: on standard error)."""
    from dashboard.i18n.catalogue import t

    print(t(key, lang, **values), file=sys.stderr if err else sys.stdout)


def error(problem: object, lang: str | None = None) -> None:
    """Print ``Fehler: <problem>`` on standard error, in one line and the command's language
    (an error or a :class:`~dashboard.i18n.message.Message` worded in it)."""
    from dashboard.i18n.catalogue import t
    from dashboard.i18n.message import Message, error_text

    lang = language(lang)
    if isinstance(problem, Message):
        text = problem.text(lang)
    elif isinstance(problem, BaseException):
        text = error_text(problem, lang)
    else:
        text = str(problem)
    print(t("cli.error", lang, problem=" ".join(text.split())), file=sys.stderr)


def public_or_intern(intern: bool) -> RoleView:
    """Whose view a file of the command line shows: the public's, unless ``--intern``."""
    from dashboard.services.app import command_line_user, workspace_for

    role = "admin" if intern else "public"
    return workspace_for(command_line_user(role=role)).view()
