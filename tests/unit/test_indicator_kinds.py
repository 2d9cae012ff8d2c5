"""Indicators know their kind (count, share, rate) and numbers are bounded by meaning.

* A ``%`` table with a name the atlas does not know: the planner is asked what it is; as a
  share it is never summed to VGs (no VG value on the map, the map table, the printed map,
  the Steckbrief or the VG view) and never divided per 1,000 (refused with the reason on
  the map service and the command line).
* A table whose indicator is named by its German label ("Kinder unter 6 Jahren") becomes
  the known key and thereby the Kitas' demand of the supply analysis (hand-computed).
* 1e308 as a count of children is refused; a value stored anyway (an older release) makes
  no page fail: every formatter and the map overlay cope.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from dashboard.analysis.demand import DEMAND
from dashboard.analysis.gaps import Thresholds
from dashboard.cli.main import main
from dashboard.config import get_settings
from dashboard.data.store import Store
from dashboard.domain.indicators import ROLES, IndicatorRefused, indicator_key, value_problem
from dashboard.domain.model import IndicatorValue
from dashboard.domain.roles import User
from dashboard.domain.viewstate import ViewState
from dashboard.i18n import format as fmt
from dashboard.render.collection_text import aggregation_lines
from dashboard.render.gaps_text import demand_label
from dashboard.services import indicators
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from tests.conftest import REPO
from tests.hostile import corpus_inputs as corpus

MEMBERSHIP = pd.read_csv(REPO / "datasets" / "gemeinden_vg_membership.csv", dtype=str)
GEMEINDEN = sorted(MEMBERSHIP["ags"])
WEILERBACH = "073355009"
CLOCK = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    path = tmp_path / "store.gpkg"
    monkeypatch.setenv("INTEGRATIONSATLAS_STORE", str(path))
    monkeypatch.setenv("INTEGRATIONSATLAS_USERS", str(tmp_path / "users.json"))
    return Store(path, REPO / "datasets", clock=lambda: CLOCK)


def workspace(store: Store) -> Workspace:
    return Workspace(store, User(name="planer", role="district_editor"),
                     load_boundaries(get_settings()))  # fmt: skip


def load(ws: Workspace, path: Path, **given: str) -> indicators.IndicatorPlan:
    data = path.read_bytes()
    plan = indicators.plan_indicator_file(
        ws, data, path.name, indicators.IndicatorDefaults(**given)
    )
    assert plan.n_invalid == 0, plan.problems
    indicators.write_indicators(ws, plan, path.name, data)
    return plan


def percentages(tmp_path: Path) -> Path:
    """A share per Gemeinde between 62 and 98 % (synthetic; summed they made 164 %)."""
    values = [f"{62 + (i * 7) % 37},5" for i in range(len(GEMEINDEN))]
    return corpus.indicator_values_csv(tmp_path / "anteil.csv", GEMEINDEN, values, "%", "quote_x")


def test_an_unknown_percentage_is_asked_for_and_never_summed(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace(store)
    path = percentages(tmp_path)
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    assert plan.unknown_kinds == {"quote_x"}
    assert main(["indicators", str(path)]) == 1  # the command line asks as well
    assert "--kind" in capsys.readouterr().err
    assert store.indicators()["indicator"].eq("quote_x").sum() == 0
    assert main(["indicators", str(path), "--kind", "share"]) == 0
    out = capsys.readouterr().out
    assert "wird nicht summiert" in out
    view = ws.view()
    assert len(view.indicators().query("indicator == 'quote_x'")) == len(GEMEINDEN)
    # no VG value anywhere: the overlay (map, map table, printed map) and the VG profile
    assert "quote_x" in view.indicator_choices("gemeinde", 2019)
    assert "quote_x" not in view.indicator_choices("vg", 2019)
    vg_state = ViewState(layers=("choropleth",), indicator="quote_x", level="vg")
    overlay = view.choropleth(vg_state)
    assert overlay is None or all(math.isnan(v) for v in overlay.values.values())
    profile = view.vg_profile(WEILERBACH, 2019, "de")
    assert "quote_x" not in " ".join(profile.indicators.astype(str).to_numpy().ravel())
    gem = view.choropleth(ViewState(layers=("choropleth",), indicator="quote_x", level="gemeinde"))
    assert gem is not None and max(gem.values.values()) <= 100
    # never per 1,000: refused with the reason, by the service and the command line
    from dashboard.analysis.classify import build_choropleth

    with pytest.raises(IndicatorRefused, match="je 1.000 Einwohner wird nur eine Anzahl"):
        build_choropleth(view.indicators(), MEMBERSHIP, GEMEINDEN, "quote_x", "gemeinde", 2019,
                         per_1000=True)  # fmt: skip
    out_map = tmp_path / "karte.png"
    code = main(["map", "--indicator", "quote_x", "--level", "gemeinde", "--per-1000",
                 "--out", str(out_map)])  # fmt: skip
    assert code == 1 and not out_map.exists()
    assert "nie ein Anteil oder eine Rate" in capsys.readouterr().err
    # no demand either: the people an offer serves are counted, a share is no number of them
    assert "quote_x" not in view.demand_choices()
    with pytest.raises(IndicatorRefused, match="kann nicht als Bedarf"):
        view.gaps_table("Kita", Thresholds(), level="gemeinde", vintage=2019, demand="quote_x")
    assert main(["gaps", "--category", "Kita", "--demand", "quote_x", "--lang", "en"]) == 1
    assert "cannot be the demand" in capsys.readouterr().err
    lines = aggregation_lines(indicators.aggregations(ws, ["quote_x"]), "en")
    assert "not summed" in lines[0] or "never" in lines[0], lines


def test_a_german_label_becomes_the_kita_demand(store: Store, tmp_path: Path) -> None:
    ws = workspace(store)
    children = {a: 100 + 3 * i for i, a in enumerate(GEMEINDEN)}  # synthetic test values
    path = corpus.indicator_values_csv(
        tmp_path / "kinder.csv", GEMEINDEN, [str(v) for v in children.values()],
        indicator="Kinder unter 6 Jahren",
    )  # fmt: skip
    plan = load(ws, path)
    assert plan.renamed == {"Kinder unter 6 Jahren": "population_under_6"}
    assert plan.unknown_kinds == set() and plan.kinds == {}
    values = store.indicators()
    assert set(values.loc[values["reference_date"] == "2023", "indicator"]) == {
        "population_under_6"
    }
    # the demand list offers it once, by its label, and no second "Kinder unter 6 Jahren"
    choices = ws.view().demand_choices()
    labels = [demand_label(c, "de") for c in choices]
    assert "population_under_6" in choices and "Kinder unter 6 Jahren" not in choices
    assert len(labels) == len(set(labels)) and labels.count("Kinder unter 6 Jahren") == 1
    # the analysis uses it as the Kitas' demand: per 1,000 children, by hand
    flags = ws.view().gaps_table("Kita", Thresholds(), level="gemeinde", vintage=2019)
    assert set(flags["demand_indicator"]) == {"population_under_6"}
    assert not flags["demand_fallback"].any()
    row = flags.set_index("key").loc["07335006"]  # Weilerbach: one Kita in the shipped data
    assert row["demand"] == children["07335006"]
    assert row["per_1000"] == pytest.approx(row["offers"] / children["07335006"] * 1000)


def test_labels_map_to_keys_and_the_page_offers_each_label_once() -> None:
    assert indicator_key("Kinder unter 6 Jahren") == "population_under_6"
    assert indicator_key("kinder unter 6 jahren ") == "population_under_6"
    assert indicator_key("Children under 6") == "population_under_6"
    assert indicator_key("Einwohner") == "population"
    assert indicator_key("Quote X") == "Quote X"
    for lang in ("de", "en"):
        offered = indicators.known_indicators(lang)
        texts = [text for _, text in offered]
        assert len(texts) == len(set(texts))
    offered = dict(indicators.known_indicators("de"))
    assert offered["population_under_6"] == "Kinder unter 6 Jahren – Bedarf für Kitas"
    assert offered["population_6_to_9"].endswith("Bedarf für Grundschulen")
    assert offered["population"] == "Einwohner – Bevölkerung"
    # the roles are those of the analysis' demand
    assert {ROLES[i] for i in DEMAND.values()} <= set(ROLES.values())
    assert ROLES["population_under_6"] == "demand_kita" and DEMAND["Kita"] == "population_under_6"


def test_numbers_are_bounded_by_their_kind(store: Store, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    ws = workspace(store)
    rows = ["1e308", "2,5", "-3", "150000000", "12"]
    path = corpus.indicator_values_csv(tmp_path / "n.csv", GEMEINDEN[:5], rows)
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    codes = [p.code for p in plan.problems]
    assert codes == ["too_large", "not_whole", "negative", "over_count"]
    assert [v.value for v in plan.valid] == [12]
    shares = corpus.indicator_values_csv(tmp_path / "s.csv", GEMEINDEN[:3], ["120", "0,5", "99"],
                                         unit="Anteil", indicator="quote_y")  # fmt: skip
    plan = indicators.plan_indicator_file(ws, shares.read_bytes(), shares.name,
                                          indicators.IndicatorDefaults(kind="share"))  # fmt: skip
    assert [p.code for p in plan.problems] == ["over_1", "over_1"]
    count_pct = indicators.plan_indicator_file(
        ws, percentages(tmp_path).read_bytes(), "anteil.csv", indicators.IndicatorDefaults(kind="count")
    )  # fmt: skip
    assert {p.code for p in count_pct.problems} == {"count_percent"}
    monkeypatch.setenv("INTEGRATIONSATLAS_INDICATOR_MAX", "100")
    plan = indicators.plan_indicator_file(ws, path.read_bytes(), path.name)
    assert "too_large" in [p.code for p in plan.problems if p.value == "12"] or plan.valid
    assert value_problem("rate", "per_1000", 1500.0, 100.0) == "too_large"
    assert value_problem("count", "persons", math.inf, 1e9) == "not_finite"
    with pytest.raises(ValueError):
        IndicatorValue(area_level="gemeinde", area_key=GEMEINDEN[0], indicator="x", value=1e308,
                       unit="persons", reference_date="2023", source="q")  # fmt: skip


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")  # classes of 1e308
def test_no_stored_value_breaks_formatting_or_the_map(store: Store) -> None:
    # as an older release could have stored them: written directly into the store
    with store.db.transaction() as conn:
        for ags, value in zip(GEMEINDEN[:3], (1e308, -1e308, 1e20), strict=True):
            conn.execute(
                "INSERT INTO indicators (area_level, area_key, area_name, indicator, value, unit,"
                " reference_date, source, note) VALUES ('gemeinde', ?, '', 'kinder_x', ?,"
                " 'persons', '2023', 'Test', '')",
                (ags, value),
            )
    view = workspace(store).view()
    overlay = view.choropleth(
        ViewState(layers=("choropleth",), indicator="kinder_x", level="gemeinde")
    )
    from dashboard.render.common.legend import class_labels, date_note, value_text
    from dashboard.render.web.legend import choropleth_table

    assert overlay is not None
    keys = GEMEINDEN[:3]
    for lang in ("de", "en"):
        texts = [value_text(overlay.values[k], False, "persons", lang) for k in keys]
        assert texts[0] == "1E308" and texts[1] == "-1E308"
        class_labels(overlay, lang)
        date_note(overlay, lang)
        table = choropleth_table(overlay, keys, ["a", "b", "c"], lang)
        assert "1E308" in table.to_string()
    weird: list[object] = [1e308, -1e308, math.inf, -math.inf, math.nan, 5e-324, 10**400, "x",
                           None, "", object(), [1]]  # fmt: skip
    for value in weird:
        for lang in ("de", "en"):
            for text in (fmt.fmt_int(value, lang), fmt.fmt_float(value, 2, lang),  # type: ignore[arg-type]
                         fmt.fmt_exact(value, lang), fmt.fmt_percent(value, lang),  # type: ignore[arg-type]
                         fmt.fmt_date(value, lang), fmt.fmt_datetime(value, lang)):  # type: ignore[arg-type]  # fmt: skip
                assert isinstance(text, str)
    assert fmt.fmt_int(1e308, "de") == "1E308" and fmt.fmt_float(2.5, 1, "de") == "2,5"
