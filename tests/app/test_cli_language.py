"""The command line speaks one language too: help and refusals in German or in English.

Run as a person runs it (``python -m dashboard --lang de|en ...`` in a fresh process): the help of the tool and of its commands, and the messages
of mistakes (a missing file, an unknown category, a missing option, an unconfirmed
restore). A German run may hold no English words of the catalogue and none of the
argument parser's own English ("usage:", "show this help message and exit"); an English
run no German words of the catalogue (:mod:`tests.languages`).

Option names, command names, identifiers and placeholders are the tool's words, the same
in both languages. The help, Click's own words and every message come from the catalogue
(``docs/cli.md``, "Language"); a reintroduced English literal turns the German run red.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli.main import COMMANDS
from tests.conftest import REPO
from tests.languages import foreign_words

#: What a person types: the help, and mistakes.
RUNS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("import", "--help"),
    ("gaps", "--help"),
    ("import", "/nonexistent/liste.csv"),
    ("gaps", "--category", "Zirkus"),
    ("export", "--format", "xlsx"),
    ("restore", "sicherung.gpkg"),
    ("gaps", "--category", "Kita", "--radius-km", "1e308"),
    ("gaps", "--category", "Kita", "--radius-km", "nan"),
    ("map", "--dpi", "100000", "--out", "{tmp}/karte.png"),
    ("backup", "--out", "{tmp}/sicherungen", "--keep", "0"),
)
#: The English of the argument parsers (argparse, Click) themselves.
PARSER_ENGLISH = (
    "usage:",
    "Usage:",
    "options:",
    "Options:",
    "positional arguments",
    "show this help message and exit",
    "Show this message and exit",
    "the following arguments are required",
    "invalid choice",
    "Missing option",
    "No such command",
    "for help",
    "error:",
    "Error:",
)


#: The tool's own words: options, placeholders, file names, identifiers (population_under_6)
#: and the names of the commands (gaps, build-geodata), the same in every language.
_CODE = re.compile(
    r"--?[\w-]+|\b[A-Z][A-Z0-9_]+\b|\b\w+\.(?:csv|gpkg|xlsx|pdf|png)\b|\b\w+_\w+\b|"
    + "|".join(rf"(?<![\w-]){re.escape(name)}(?![\w-])" for name in sorted(COMMANDS, key=len)[::-1])
)


def _run(args: tuple[str, ...], lang: str, tmp: Path) -> str:
    env = {
        **os.environ,
        "INTEGRATIONSATLAS_STORE": str(tmp / "store.gpkg"),
        "INTEGRATIONSATLAS_USERS": str(tmp / "users.json"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "--lang", lang, *(a.format(tmp=tmp) for a in args)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.parametrize("lang", ["de", "en"])
def test_command_line_speaks_one_language(lang: str, tmp_path: Path) -> None:
    found: dict[str, object] = {}
    for args in RUNS:
        output = _run(args, lang, tmp_path)
        assert output.strip(), args  # every run says something
        assert "Traceback" not in output, (args, output[-500:])  # a message, never a trace
        if "--radius-km" in args:  # refused by its range, in the run's language
            assert ("liegt nicht im Bereich 0,5<=x<=50" if lang == "de" else
                    "is not in the range 0.5<=x<=50") in output, output  # fmt: skip
        # option names and placeholders (--out FILE) are the tool's words, not the language's
        lines = [_CODE.sub(" ", line) for line in output.splitlines() if line.strip()]
        words = foreign_words(lines, lang)
        parser = [p for p in PARSER_ENGLISH if p in output] if lang == "de" else []
        if words or parser:
            found[" ".join(args)] = {**words, **dict.fromkeys(parser, "parser")}
    assert not found, found
    # refused before anything was written: no map, no backup
    assert not (tmp_path / "karte.png").exists() and not (tmp_path / "sicherungen").exists()
