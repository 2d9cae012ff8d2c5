"""The command line meets hostile files the same way: a clear line, exit status, CSV safe."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dashboard.cli.main import main
from tests.hostile import corpus


def test_report_of_the_command_line_is_formula_safe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "bericht.csv"
    path = corpus.payload_csv(tmp_path / "payloads.csv")
    code = main(["import", str(path), "--dry-run", "--report", str(report)])
    assert code == 1  # invalid rows
    with report.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0] == ["row", "field", "problem", "value"]
    values = [r[3] for r in rows[1:]]
    assert "'" + corpus.FORMULA in values and corpus.HTML in values
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    assert "unbekannte Kategorie" in capsys.readouterr().out


def test_a_refused_file_gives_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = corpus.dimension_bomb(tmp_path / "bombe.xlsx")
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("Fehler: bombe.xlsx: das Blatt „Einrichtungen“ erklärt den Bereich")
    assert "\n" not in err and str(tmp_path) not in err
