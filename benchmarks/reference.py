"""The reference a change of the map is measured against: the app at an earlier revision.

:func:`reference_tree` unpacks the repository at a git revision (``git archive``: the
tracked files, data included) into a temporary folder. Run from there with this
environment, the older app imports its own ``dashboard`` package (the script's folder comes
first on the path), so the benchmarks can start both apps, or build both maps, in one run on
one machine and report them side by side.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dashboard.config import REPO_ROOT

#: ``main`` before the map became a Custom Component v2 (the v1 iframe component with the
#: single ``atlas.js``): "today's component" of the benchmark tables.
REFERENCE_REVISION = "6cb17e6"


@contextmanager
def reference_tree(revision: str = REFERENCE_REVISION) -> Iterator[Path]:
    """The repository at ``revision``, unpacked into a temporary folder (removed on exit).

    Parameters
    ----------
    revision
        Anything ``git archive`` accepts (a commit, a branch).
    """
    archive = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "archive", "--format=tar", revision],
        capture_output=True,
        check=True,
    ).stdout
    with tempfile.TemporaryDirectory(prefix="ia-reference-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        yield Path(tmp)


#: Builds the district map with ``n`` synthetic offers (seed 2, as the benchmark cases)
#: in the tree's own code and writes its offline HTML export to ``out``.
_STANDALONE = """
import sys, tempfile
from pathlib import Path
from benchmarks.bench import load_district_data
from benchmarks.bench_map import build_ours, district_case
from benchmarks.synthetic import random_points_in, synthetic_located
from dashboard.config import get_settings
from dashboard.data.boundaries import load_layer
from dashboard.data.store import Store
from dashboard.render.web.html_export import standalone_html
n, out = int(sys.argv[1]), Path(sys.argv[2])
settings = get_settings()
data = load_district_data()
full = load_layer(settings.geodata_dir, "gemeinden")
with tempfile.TemporaryDirectory() as tmp:
    values = Store(Path(tmp) / "b.gpkg", settings.datasets_dir).indicators()
points = synthetic_located(random_points_in(full, n, seed=2), data.membership, seed=2)
case = district_case(data, full, points, values, "reference")
out.write_text(standalone_html(build_ours(case)), encoding="utf-8")
"""


def reference_standalone(tree: Path, n_facilities: int, out: Path) -> Path:
    """The offline map of the district with ``n_facilities`` synthetic offers, as the app
    in ``tree`` draws it (its own renderer), written to ``out``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run(
        [sys.executable, "-c", _STANDALONE, str(n_facilities), str(out)],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    return out
