"""The command line's words in one language: help texts and Click's own words.

A command's help, the help of its options and arguments and the one-line help in the
group's list are message keys of the catalogue (``cli.help.*``), worded when the command
is looked up (:func:`localize`), so that ``--help`` imports no command module it does not
show. Click writes its own words ("Usage:", "Missing option", "Try ... for help.") with
:mod:`gettext`; :func:`speak` hands Click the catalogue's words for them
(:data:`CLICK_TEXTS`, :data:`CLICK_PLURALS`: Click's English text -> key; the English
messages are Click's own text). ``tests/unit/test_cli_texts.py`` fails when a Click
release no longer writes one of the listed texts, ``tests/app/test_cli_language.py`` on
any English word in a German run and any German word in an English one.

The language is the setting of the run: ``--lang de|en`` of the group or of the command
(the last one given), read before Click parses anything, so that its parser's complaints
speak it too; German by default.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import click

from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES, N_, Nn_

#: Click's own texts (``gettext``) -> the catalogue's key.
CLICK_TEXTS: dict[str, str] = {
    "(dynamic)": N_("click.dynamic"),
    "Aborted!": N_("click.aborted"),
    "Argument {name!r} takes {nargs} values.": N_("click.argument_nargs"),
    "Commands": N_("click.commands"),
    "Could not open file {filename!r}: {message}": N_("click.cannot_open"),
    "Error: The two entered values do not match.": N_("click.no_match"),
    "Error: invalid input": N_("click.invalid_input"),
    "Error: {message}": N_("click.error"),
    "Invalid value for {param_hint}: {message}": N_("click.invalid_value_for"),
    "Invalid value: {message}": N_("click.invalid_value"),
    "Missing argument": N_("click.missing_argument"),
    "Missing command.": N_("click.missing_command"),
    "Missing option": N_("click.missing_option"),
    "Missing parameter": N_("click.missing_parameter"),
    "Missing parameter: {param_name}": N_("click.missing_parameter_name"),
    "Missing {param_type}": N_("click.missing_type"),
    "No such command {name!r}.": N_("click.no_such_command"),
    "No such option {name!r}.": N_("click.no_such_option"),
    "Option {name!r} does not take a value.": N_("click.no_value"),
    "Option {name!r} requires an argument.": N_("click.option_value"),
    "Option {name!r} requires {nargs} arguments.": N_("click.option_values"),
    "Options": N_("click.options"),
    "Positional arguments": N_("click.arguments"),
    "Repeat for confirmation": N_("click.repeat"),
    "Show this message and exit.": N_("click.help"),
    "Try '{command} {option}' for help.": N_("click.try_help"),
    "Usage:": N_("click.usage"),
    "default: {default}": N_("click.default"),
    "env var: {var}": N_("click.envvar"),
    "required": N_("click.required"),
    "unknown error": N_("click.unknown_error"),
    "{value!r} is not a valid boolean. Recognized values: {states}": N_("click.not_bool"),
    "{value!r} is not a valid {number_type}.": N_("click.not_number"),
    "{value} is not in the range {range}.": N_("click.not_in_range"),
}
#: Click's own texts with plural forms (``ngettext``; the singular) -> the catalogue's key
#: (forms with different placeholders are two texts of :data:`CLICK_TEXTS` instead).
CLICK_PLURALS: dict[str, str] = {
    "Did you mean {possibility}?": Nn_("click.did_you_mean"),
    "Got unexpected extra argument ({args})": Nn_("click.extra_arguments"),
    "{value!r} does not match the format {format}.": Nn_("click.not_format"),
    "{value!r} is not {choice}.": Nn_("click.not_choice"),
}
#: The modules of Click that write words (each binds ``gettext`` as ``_`` when imported).
CLICK_MODULES: tuple[str, ...] = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
    "click.termui", "click.types", "click.utils",
)  # fmt: skip

#: Where a command keeps the keys of its help texts once they are worded.
_KEYS = "_help_keys"
#: The language of this run (:func:`speak`).
_spoken: list[str] = [DEFAULT_LANGUAGE]


def requested_language(args: Sequence[str]) -> str:
    """The language a run asks for: the last ``--lang de|en`` (``--lang=en``) among the
    arguments, else German; an unknown value is left to Click to refuse (in German)."""
    lang = DEFAULT_LANGUAGE
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        if value in LANGUAGES:
            lang = value
    return lang


def speak(lang: str) -> None:
    """Let Click write its own words in ``lang`` (from the catalogue) in this process."""
    from dashboard.i18n.catalogue import check_language, template

    _spoken[0] = check_language(lang)

    def gettext(message: str) -> str:
        key = CLICK_TEXTS.get(message)
        return template(key, lang) if key else message

    def ngettext(singular: str, plural: str, n: int) -> str:
        key = CLICK_PLURALS.get(singular)
        if key:
            return template(key, lang, n)
        return gettext(singular if n == 1 else plural)  # forms with their own placeholders

    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def spoken() -> str:
    """The language of this run (:func:`speak`; German before)."""
    return _spoken[0]


class _Decimal(float):
    """A decimal default of an option, written in the help as the language writes it."""

    lang: str

    def __new__(cls, value: float, lang: str) -> _Decimal:
        number = super().__new__(cls, value)
        number.lang = lang
        return number

    def __str__(self) -> str:
        return number_text(float(self), self.lang)


def number_text(value: float, lang: str) -> str:
    """A number of the command line's help and refusals: ``0,5`` (de) / ``0.5`` (en),
    ``50``, ``1e+308`` (short, no grouping)."""
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "de" else text


def localize(command: click.Command, lang: str) -> click.Command:
    """Word the help texts of ``command`` (and of its subcommands) in ``lang``.

    The help texts are written as catalogue keys; the keys are kept with the command, so
    that it can be worded again in another language (tests run several in one process).

    Parameters
    ----------
    command
        A command whose ``help``, ``short_help`` and parameters' ``help`` are keys.
    lang
        ``de`` or ``en``.

    Returns
    -------
    click.Command
        The same command.
    """
    from dashboard.i18n.catalogue import t

    keys: dict[object, str | None] = command.__dict__.setdefault(_KEYS, {})
    if not keys:
        keys["help"], keys["short_help"] = command.help, command.short_help
        keys.update({param: getattr(param, "help", None) for param in command.params})
    command.help = t(keys["help"], lang) if keys["help"] else None
    command.short_help = t(keys["short_help"], lang) if keys["short_help"] else None
    for param in command.params:
        key = keys.get(param)
        if key:
            param.help = t(key, lang)
        if isinstance(param, click.Option) and isinstance(param.default, float):
            param.default = _Decimal(param.default, lang)  # shown as "0,5" in German
    command._help_option = None  # made again, in this language
    command.options_metavar = t("cli.metavar.options", lang)
    if isinstance(command, click.Group):
        command.subcommand_metavar = t("cli.metavar.command", lang)
        for sub in command.commands.values():
            localize(sub, lang)
    return command
