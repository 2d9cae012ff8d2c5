"""``python -m dashboard projects import|export|report`` as an administrator uses it: the
list written reads back, a list with bad rows writes nothing (exit 1) or only its valid
rows, the Sachstandsbericht is written as the public may see it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from openpyxl import Workbook
from pypdf import PdfReader

from dashboard.data.projects import ProjectLedger
from dashboard.data.store import Store
from tests.conftest import REPO


def _run(store: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTEGRATIONSATLAS_STORE": str(store)}
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "projects", *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _bad_list(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["Titel", "Status", "Status seit", "Gemeinden", "Quelle", "Stand", "Interne Notiz"])
    ws.append(["Lesepaten CLI", "laufend", "2024", "Landstuhl", "Liste", "2025", "Zq7CLI-Notiz"])
    ws.append(["Kochkurs CLI", "fertig", "2024", "Atlantis", "Liste", "2025", ""])
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return path


def test_projects_command_line(tmp_path: Path) -> None:
    store = tmp_path / "store.gpkg"
    Store(store, REPO / "datasets")
    listed = tmp_path / "liste.xlsx"
    done = _run(store, "export", "--out", str(listed))
    assert done.returncode == 0, done.stderr
    done = _run(store, "import", str(listed), "--dry-run")
    assert done.returncode == 0 and "3 Zeilen, 3 gültig, 0 fehlerhaft" in done.stdout, done.stderr

    bad = _bad_list(tmp_path / "neu.xlsx")
    done = _run(store, "import", str(bad), "--author", "k.meier")
    assert done.returncode == 1 and "Zeile 3" in done.stdout and "Atlantis" in done.stdout
    assert len(ProjectLedger(Store(store, REPO / "datasets").db).records()) == 3  # nothing
    done = _run(store, "import", str(bad), "--skip-invalid", "--author", "k.meier")
    assert done.returncode == 0 and "1 Maßnahmen gespeichert." in done.stdout, done.stderr
    history = ProjectLedger(Store(store, REPO / "datasets").db).history()
    assert history["author"].tolist() == ["k.meier"]

    pdf = tmp_path / "sachstand.pdf"
    done = _run(store, "report", "--since", "31.12.2023", "--day", "31.12.2025", "--out", str(pdf))
    assert done.returncode == 0, done.stderr
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Lesepaten CLI" in text and "4 von 23 dokumentiert" in " ".join(text.split())
    assert "Zq7CLI-Notiz" not in text  # the public version
    done = _run(store, "report", "--since", "31.12.2026", "--day", "31.12.2025", "--out", str(pdf))
    assert done.returncode == 1 and done.stderr.startswith("error: ")
