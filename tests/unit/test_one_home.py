"""One figure, one home, tested by what the outputs say (not by reading source text).

For every VG and every category of the Steckbrief, the population (number and date), the
count of offers and the offers per 1,000 must read the same in every output a planner
or the Kreistag sees: the map's VG table (tooltips), the VG view, the Versorgungsanalyse
(the page's table), the Steckbrief PDF (its text, read with pypdf), the ``gaps`` CSV and
the ``report`` command's PDF (both run as commands, as a clerk does). The same holds after
a population table and a demand table were loaded through the indicator import: the new
figures reach all of them on the next run.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.analysis.gaps import Thresholds
from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.roles import User
from dashboard.i18n.catalogue import t
from dashboard.render import gaps_text
from dashboard.render.print.steckbrief import GAP_CATEGORIES
from dashboard.render.web.basemap import tooltip_columns
from dashboard.services import indicators, outputs
from dashboard.services.context import load_boundaries
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace
from tests.conftest import REPO

VINTAGE = 2019
WEILERBACH = "073355009"
TH = Thresholds()


@dataclass(frozen=True)
class Figures:
    """What one output says of one VG: population (text) and date, and per category the
    number of offers and the offers per 1,000 (two decimals), where the output shows them."""

    population: int
    date: str
    offers: dict[str, int]
    per_1000: dict[str, str]


def _int(text: str) -> int:
    return int(text.replace(".", "").replace("\u202f", "").strip())


def _two(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _flat(text: str) -> str:
    return re.sub(r"(?<=\w)- (?=\w)", "-", " ".join(text.split()))


def _pdf(data: bytes) -> str:
    return _flat("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


# -- the outputs -----------------------------------------------------------------------------
def map_table(view: RoleView, key: str) -> Figures:
    labels, columns = tooltip_columns(view.district, "vg", VINTAGE, "de", view.populations)
    row = dict(zip(labels, [c[[k for k in columns[1]].index(key)] for c in columns], strict=True))
    return Figures(_int(row["Einwohner"]), row["Stand"], {}, {})


def vg_view(view: RoleView, key: str) -> Figures:
    p = view.vg_profile(key, VINTAGE, "de")
    figures = p.figures.set_index(p.figures.columns[0])
    counts = dict(p.by_category.itertuples(index=False))
    # "0 (+1 noch zu bestätigen)": the count the analysis uses, the rest apart
    offers = {c: _int(counts[t(f"cat.{c}", "de")].split(" ")[0]) for c in GAP_CATEGORIES}
    return Figures(
        _int(figures.loc["Einwohner", "Wert"]), figures.loc["Einwohner", "Stand"], offers, {}
    )


def analysis_page(view: RoleView, key: str) -> Figures:
    """The Versorgungsanalyse as the page shows it (its table, one category at a time)."""
    offers, per_1000, population, date = {}, {}, set(), set()
    for category in GAP_CATEGORIES:
        result = view.analyse(category, TH, level="vg", vintage=VINTAGE, include_outside=False)
        flags = result.flags[result.flags["key"] == key]
        table = gaps_text.display_table(flags, "de").iloc[0]
        offers[category] = _int(table["Angebote"])
        per_1000[category] = _two(float(flags["per_1000"].iloc[0]))
        assert table["Angebote je 1.000 (Bedarf)"] == per_1000[category].rstrip("0").rstrip(",")
        population.add(_int(table["Einwohner"]))
        date.add(gaps_text.date_text(flags["population_date"].iloc[0], None, "de"))
    assert len(population) == len(date) == 1  # one population for every category
    return Figures(population.pop(), date.pop(), offers, per_1000)


def _gap_rows(text: str) -> tuple[dict[str, int], dict[str, str]]:
    """The rows of the Steckbrief's gap section: ``Kita 8 0,54 ...``."""
    section = text[text.index("Versorgungslücken") :]
    offers, per_1000 = {}, {}
    for category in GAP_CATEGORIES:
        found = re.search(rf"{re.escape(t(f'cat.{category}', 'de'))} (\d+) (\d+,\d\d) ", section)
        assert found, (category, section[:400])
        offers[category], per_1000[category] = int(found.group(1)), found.group(2)
    return offers, per_1000


def steckbrief(view: RoleView, key: str) -> Figures:
    text = _pdf(outputs.steckbrief_pdf(view, key, VINTAGE, "de"))
    found = re.search(r"Einwohner ([\d.]+) (\S+)", text)
    assert found, text[:400]
    offers, per_1000 = _gap_rows(text)
    return Figures(_int(found.group(1)), found.group(2), offers, per_1000)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=REPO, env=env, capture_output=True,
        text=True, timeout=600, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def gaps_csv(env: dict[str, str]) -> dict[str, Figures]:
    """The ``gaps`` command's CSV, one run per category, every VG."""
    rows: dict[str, dict[str, dict[str, str]]] = {}
    for category in GAP_CATEGORIES:
        out = _run(env, "gaps", "--category", category, "--level", "vg", "--vintage",
                   str(VINTAGE), "--format", "csv").stdout  # fmt: skip
        for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")), delimiter=";"):
            rows.setdefault(row["Schlüssel"], {})[category] = row
    out = {}
    for key, by_category in rows.items():
        first = next(iter(by_category.values()))
        assert {r["Einwohner"] for r in by_category.values()} == {first["Einwohner"]}
        out[key] = Figures(
            int(first["Einwohner"]),
            first["Einwohner Stand"],
            {c: int(r["Angebote"]) for c, r in by_category.items()},
            {c: _two(float(r["Angebote je 1.000 (Bedarf)"].replace(",", "."))) for c, r in by_category.items()},
        )  # fmt: skip
    return out


def report(env: dict[str, str], key: str, folder: Path) -> Figures:
    """The ``report`` command's Steckbrief."""
    out = folder / f"report-{key}.pdf"
    _run(env, "report", "--vg", key, "--vintage", str(VINTAGE), "--out", str(out))
    text = _pdf(out.read_bytes())
    found = re.search(r"Einwohner ([\d.]+) (\S+)", text)
    assert found, text[:400]
    offers, per_1000 = _gap_rows(text)
    return Figures(_int(found.group(1)), found.group(2), offers, per_1000)


# -- the store -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("one-home")
    Store(folder / "store.gpkg", REPO / "datasets")
    env = {
        **os.environ,
        "INTEGRATIONSATLAS_STORE": str(folder / "store.gpkg"),
        "INTEGRATIONSATLAS_USERS": str(folder / "users.json"),
    }
    yield folder, env


def _workspace(folder: Path) -> Workspace:
    store = Store(folder / "store.gpkg", REPO / "datasets")
    return Workspace(store, User(name="planer", role="district_editor"),
                     load_boundaries(get_settings()))  # fmt: skip


def _public(folder: Path) -> RoleView:
    return Workspace(Store(folder / "store.gpkg", REPO / "datasets"), None,
                     load_boundaries(get_settings())).view()  # fmt: skip


def _assert_one_figure(folder: Path, env: dict[str, str], keys: list[str]) -> dict[str, Figures]:
    view = _public(folder)
    from_csv = gaps_csv(env)
    seen = {}
    for key in keys:
        outputs_ = {
            "map table": map_table(view, key),
            "VG view": vg_view(view, key),
            "Versorgungsanalyse": analysis_page(view, key),
            "Steckbrief": steckbrief(view, key),
            "gaps CSV": from_csv[key],
        }
        if key == WEILERBACH:  # the command runs once (a process of its own)
            outputs_["report"] = report(env, key, folder)
        population = {n: (f.population, f.date) for n, f in outputs_.items()}
        assert len(set(population.values())) == 1, (key, population)
        offers = {n: f.offers for n, f in outputs_.items() if f.offers}
        assert all(o == offers["VG view"] for o in offers.values()), (key, offers)
        per_1000 = {n: f.per_1000 for n, f in outputs_.items() if f.per_1000}
        assert len(per_1000) >= 3 and all(
            p == per_1000["Versorgungsanalyse"] for p in per_1000.values()
        ), (key, per_1000)
        seen[key] = outputs_["Versorgungsanalyse"]
    return seen


def test_every_output_says_the_same_figures(district: tuple[Path, dict[str, str]]) -> None:
    folder, env = district
    keys = sorted(_public(folder).vg_names(VINTAGE))
    seen = _assert_one_figure(folder, env, keys)
    # the case: Weilerbach's headline population of 2023, and 8 Kitas per 14,888
    weilerbach = seen[WEILERBACH]
    assert (weilerbach.population, weilerbach.date) == (14_888, "31.12.2023")
    assert weilerbach.offers["Kita"] == 8 and weilerbach.per_1000["Kita"] == "0,54"


def _load(folder: Path, name: str, rows: list[tuple[str, str, float, str]]) -> None:
    lines = ["Gemeindeschlüssel;Indikator;Wert;Einheit;Stand;Quelle;Gebietsstand"]
    for key, indicator, value, vintage in rows:
        lines.append(
            f"{key};{indicator};{value:g};Personen;31.12.2024;Testtabelle {name};{vintage}"
        )
    data = ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
    ws = _workspace(folder)
    plan = indicators.plan_indicator_file(ws, data, f"{name}.csv")
    assert plan.n_invalid == 0, plan
    indicators.write_indicators(ws, plan, f"{name}.csv", data)


def test_a_loaded_population_and_demand_reach_every_output(
    district: tuple[Path, dict[str, str]],
) -> None:
    """A newer population of Weilerbach (test figures, not real) and the children under 6 of
    every Gemeinde, loaded like a planner loads them: every output shows the new figure
    and divides the Kitas by the children."""
    folder, env = district
    membership = pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
    children = [
        (a, "population_under_6", 100 + i, "") for i, a in enumerate(sorted(membership["ags"]))
    ]
    _load(folder, "kinder", children)
    _load(folder, "einwohner", [(WEILERBACH, "population", 15_000, str(VINTAGE))])
    seen = _assert_one_figure(folder, env, [WEILERBACH])[WEILERBACH]
    assert (seen.population, seen.date) == (15_000, "31.12.2024")
    members = sorted(membership.loc[membership[f"vg_rs_{VINTAGE}"] == WEILERBACH, "ags"])
    under_6 = sum(100 + sorted(membership["ags"]).index(a) for a in members)
    assert seen.per_1000["Kita"] == _two(8 / under_6 * 1000)  # the Kitas per 1,000 children


@pytest.mark.parametrize("vintage", [2013, 2014, 2019])
def test_the_vg_view_gives_one_population_date(vintage: int, tmp_path: Path) -> None:
    """The key figures and the indicator list of the VG view give a population summed from
    Gemeinden of several dates with the same dates (Ramstein-Miesenbach 2014: 2020 to 2023)."""
    view = _public_of(tmp_path)
    seen = 0
    for key in view.vg_names(vintage):
        p = view.vg_profile(key, vintage, "de")
        figures = p.figures.set_index(p.figures.columns[0])
        listed = p.indicators.set_index(p.indicators.columns[0])
        date = figures.loc["Einwohner", "Stand"].split(" (")[0]  # "(Summe der Gemeinden)"
        assert listed.loc["Einwohner", "Stand"] == date, (key, vintage)
        seen += " bis " in date
    assert seen or vintage != 2014  # the case of the issue is among them


def _public_of(folder: Path) -> RoleView:
    Store(folder / "store.gpkg", REPO / "datasets")
    return _public(folder)
