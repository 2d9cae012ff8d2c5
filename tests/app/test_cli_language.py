"""The command line speaks one language too: help and refusals in German or in English.

Run as a person runs it (``python -m dashboard ...`` in a fresh process, the language set
by ``INTEGRATIONSATLAS_LANG``): the help of the tool and of its commands, and the messages
of mistakes (a missing file, an unknown category, a missing option, an unconfirmed
restore). A German run may hold no English words of the catalogue and none of the
argument parser's own English ("usage:", "show this help message and exit"); an English
run no German words of the catalogue (:mod:`tests.languages`).

Today the command line's help is English only and its messages are mixed; its commands
are being regrouped (issue 22.3), and its texts move into the catalogue with that work.
Until then this test is expected to fail (``strict``: it turns red the moment it passes,
so that the mark is removed).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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
    "error:",
    "Error:",
)


_CODE = re.compile(r"--?[\w-]+|\b[A-Z][A-Z0-9_]+\b|\b\w+\.(?:csv|gpkg|xlsx|pdf|png)\b")


def _run(args: tuple[str, ...], lang: str, tmp: Path) -> str:
    env = {
        **os.environ,
        "INTEGRATIONSATLAS_LANG": lang,
        "INTEGRATIONSATLAS_STORE": str(tmp / "store.gpkg"),
        "INTEGRATIONSATLAS_USERS": str(tmp / "users.json"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.mark.xfail(strict=True, reason="CLI texts move into the catalogue with issue 22.3")
@pytest.mark.parametrize("lang", ["de", "en"])
def test_command_line_speaks_one_language(lang: str, tmp_path: Path) -> None:
    found: dict[str, object] = {}
    for args in RUNS:
        output = _run(args, lang, tmp_path)
        assert output.strip(), args  # every run says something
        # option names and placeholders (--out FILE) are the tool's words, not the language's
        lines = [_CODE.sub(" ", line) for line in output.splitlines() if line.strip()]
        words = foreign_words(lines, lang)
        parser = [p for p in PARSER_ENGLISH if p in output] if lang == "de" else []
        if words or parser:
            found[" ".join(args)] = {**words, **dict.fromkeys(parser, "parser")}
    assert not found, found
