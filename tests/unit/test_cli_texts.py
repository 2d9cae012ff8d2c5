"""The command line's words come from the catalogue: help texts, Click's own words, the
language a run asks for (``dashboard/cli/texts.py``).

What a person reads in both languages is checked in ``tests/app/test_cli_language.py``;
here: the listed Click texts are still Click's, ``--help`` stays light, and one process
can speak both languages.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_dir

from dashboard.cli import texts
from dashboard.cli.main import COMMANDS, cli, main
from dashboard.i18n.catalogue import t
from tests.conftest import REPO


def _click_messages() -> set[str]:
    """The texts Click's installed release passes to ``gettext``/``ngettext``."""
    found: set[str] = set()
    for _, _, message, _, _ in extract_from_dir(
        Path(click.__file__).parent,
        method_map=[("**.py", "python")],
        keywords={"_": None, "ngettext": (1, 2)},
        comment_tags=(),
    ):
        found.update(message if isinstance(message, tuple) else (message,))
    return found


def test_every_listed_click_text_is_still_written_by_click() -> None:
    # after a Click upgrade, a changed text would silently be English again
    written = _click_messages()
    listed = set(texts.CLICK_TEXTS) | set(texts.CLICK_PLURALS)
    # "required" reaches gettext as a value (``_(extra["required"])``), not as a literal
    assert 'extra["required"] = "required"' in Path(click.core.__file__).read_text()
    assert listed - {"required"} <= written, sorted(listed - written)
    # the words a person meets first are all listed
    for text in ("Usage:", "Options", "Error: {message}", "Missing option", "required"):
        assert text in texts.CLICK_TEXTS


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        ([], "de"),
        (["--help"], "de"),
        (["--lang", "en", "--help"], "en"),
        (["--lang=en", "gaps"], "en"),
        (["--lang", "en", "gaps", "--lang", "de"], "de"),  # the command's own wins
        (["--lang", "xx"], "de"),  # Click refuses it, in German
        (["import", "--", "--lang", "en"], "de"),  # a file name, not the option
    ],
)
def test_the_run_asks_for_its_language(args: list[str], lang: str) -> None:
    assert texts.requested_language(args) == lang


def test_help_speaks_the_language_asked_for_in_one_process(
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen = {}
    for lang in ("en", "de", "en"):
        with pytest.raises(SystemExit):
            main(["--lang", lang, "import", "--help"])
        seen[lang] = capsys.readouterr().out
    assert seen["de"].startswith("Aufruf:") and "Optionen:" in seen["de"]
    assert t("cli.help.import", "de").split()[0] in seen["de"]
    assert seen["en"].startswith("Usage:") and "Show this message and exit." in seen["en"]
    assert t("cli.help.import", "en").split()[0] in seen["en"]
    texts.speak("de")
    texts.localize(cli, "de")


def test_a_parser_complaint_is_german_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["export", "--format", "xlsx"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Fehler: Es fehlt die Option '--out'." in err and "Usage" not in err


def test_help_of_the_group_imports_no_command() -> None:
    # ``--help`` stays fast: no command module, no data, no configuration is imported
    probe = (
        "import json, sys\n"
        "from dashboard.cli.main import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "Befehle:" in done.stdout
    loaded = {m for m in modules if m.startswith("dashboard.")}
    commands = {f"dashboard.cli.{module}" for module, _ in COMMANDS.values()}
    assert not loaded & commands, loaded & commands
    assert not {"pandas", "dashboard.config", "dashboard.services"} & modules
