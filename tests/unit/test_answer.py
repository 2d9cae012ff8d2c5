"""The answer first (issue 23): what an analysis says and what a planned facility
changes, in sentences made from the analysis's own figures, and a what-if table of only
what changes."""

from __future__ import annotations

import math
import re

import pytest

from dashboard.analysis.gaps import Effect, Thresholds, WhatIfEffects
from dashboard.analysis.gapview import GapResult
from dashboard.render import gaps_text
from dashboard.render.gaps_text import answer as words
from dashboard.services.view import RoleView
from dashboard.services.workspace import Workspace

VINTAGE = 2019
IN_WEILERBACH = (49.4786, 7.6336)  # the centre of the Gemeinde Weilerbach


@pytest.fixture(scope="module")
def view(tmp_path_factory: pytest.TempPathFactory) -> RoleView:
    from dashboard.config import get_settings
    from dashboard.data.store import Store
    from dashboard.services.context import load_boundaries
    from tests.conftest import REPO

    store = Store(tmp_path_factory.mktemp("store") / "s.gpkg", REPO / "datasets")
    return Workspace(store, None, load_boundaries(get_settings())).view()


def _analyse(view: RoleView, selector: str, planned: bool) -> GapResult:
    return view.analyse(
        selector, Thresholds(), level="gemeinde", vintage=VINTAGE, include_outside=True,
        planned=(*IN_WEILERBACH, None) if planned else None,
    )  # fmt: skip


def test_summary_says_what_is_unknown_why_and_what_is_missing(view: RoleView) -> None:
    s = _analyse(view, "Kita", planned=False).summary
    assert s.total == 50 and s.counts["unknown"] == 50 and s.offers > 0
    assert [m.vg_name for m in s.missing] == sorted(view.vg_names(VINTAGE).values())
    assert all(m.categories == ("Kita",) for m in s.missing)
    assert sum(m.areas for m in s.missing) == 50
    assert s.demand_fallback and s.demand_missing == 50
    lines = words.answer_lines(s, "de")
    text = " ".join(lines)
    assert "Ob es Lücken gibt, ist für alle 50 Gemeinden unbekannt." in text
    assert "Liste der Kategorie Kita noch nicht als vollständig bestätigt" in text
    assert "„Kinder unter 6 Jahren“" in text  # the missing demand indicator, by name
    public = words.public_next_step(s, "en")
    assert public.startswith("What is missing: the confirmations of the Verbandsgemeinden")
    assert "Weilerbach" in public


def test_whatif_sentences_are_the_tables_figures(view: RoleView) -> None:
    """The planned facility in Weilerbach: the sentences name the areas whose nearest offer
    comes nearer with the figures of the what-if's own table, and the headline never says
    that nothing changes while distances move."""
    result = _analyse(view, "sprache", planned=True)
    assert result.whatif is not None and result.effects is not None
    effects = result.effects
    assert effects.place == "Weilerbach" and effects.effects, "changes expected"
    head, lines = words.whatif_lines(effects, "de", all_unknown=True)
    assert head.startswith("Die geplante Einrichtung in Weilerbach ändert Werte in ")
    assert "keine Markierung" not in head and "Die Einstufung bleibt „unbekannt“" in head
    changes = result.whatif.changes.set_index("name")
    for effect, line in zip(effects.effects[: words.EFFECTS_SHOWN], lines, strict=False):
        assert line.startswith(f"{effect.name}: "), line
        row = changes.loc[effect.name]
        if effect.nearest is not None:
            (lo_b, _hi_b), (lo_a, _hi_a) = effect.nearest
            assert lo_b == pytest.approx(row["distance_km_low_before"])
            assert lo_a == pytest.approx(row["distance_km_low_after"])
            assert re.search(r"nächstes Angebot [\d,–]+ → [\d,–]+ km", line), line
        covered = row["population_covered_low_after"] - row["population_covered_low_before"]
        assert effect.covered == pytest.approx(max(covered, 0.0))
    covered = [e for e in effects.effects if e.covered]
    assert covered, "the radius takes in new inhabitants"
    assert (
        f"{covered[0].covered:,.0f}".replace(",", ".") in lines[effects.effects.index(covered[0])]
    )


def test_whatif_table_has_only_changed_areas_and_measures(view: RoleView) -> None:
    result = _analyse(view, "sprache", planned=True)
    assert result.whatif is not None
    table = gaps_text.whatif_table(result.whatif.changes, Thresholds(), "gemeinde", "de")
    assert len(table) > 0
    assert "Handlungsfeld" not in " ".join(table.columns)  # one selection: said once above
    befores = [c for c in table.columns if c.endswith("(vorher)")]
    assert befores and len(table.columns) == 1 + 2 * len(befores)
    assert "Einstufung (vorher)" not in befores  # no status changes: no status column
    for before in befores:
        after = before.replace("(vorher)", "(nachher)")
        assert (table[before] != table[after]).any(), before  # a column that changes
    for _, row in table.iterrows():
        assert any(row[b] != row[b.replace("(vorher)", "(nachher)")] for b in befores)


def test_effect_sentence_in_both_languages() -> None:
    effect = Effect(
        key="07335009", name="Weilerbach", status=("gap", "no_gap"),
        nearest=((4.2, 4.2), (1.6, 1.6)), approx=(False, False), covered=3161.0,
        possibly=3161.0, offers=None,
    )  # fmt: skip
    de = words.effect_text(effect, "gemeinde", 5.0, "de")
    assert de == (
        "Weilerbach: Lücke → keine Lücke; 3.161 Einwohner neu im 5-km-Radius; "
        "nächstes Angebot 4,2 → 1,6 km"
    ), de
    en = words.effect_text(effect, "gemeinde", 5.0, "en")
    assert "3,161" in en and "4.2 → 1.6 km" in en, en
    head, _ = words.whatif_lines(WhatIfEffects("Rodenbach", "gemeinde", 5.0, (effect,)), "de")
    assert "1 Gemeinde" in head and "Einstufung ändert sich in 1 Gemeinde" in head, head
    assert not math.isnan(effect.gained_km) and effect.gained_km == pytest.approx(2.6)
