"""The VG of another vintage that continues a selected one (membership table)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.data.population import load_membership, load_population
from dashboard.domain.vintages import carry_vg
from tests.conftest import REPO


@pytest.fixture(scope="module")
def membership() -> pd.DataFrame:
    return load_membership(REPO / "datasets")


@pytest.fixture(scope="module")
def population() -> dict[str, int]:
    pop = load_population(REPO / "datasets")
    return dict(zip(pop["ags"], pop["population"], strict=True))


@pytest.mark.parametrize(
    ("key", "source", "target", "expected"),
    [
        ("073355005", 2013, 2014, "073355005"),  # Landstuhl exists in all three vintages
        ("073355005", 2014, 2019, "073355011"),  # ... with a new key since 2019
        ("073355011", 2019, 2013, "073355005"),
        ("073355004", 2013, 2019, "073355011"),  # Kaiserslautern-Süd joined Landstuhl
        ("073355004", 2014, 2019, "073355011"),
        ("073355006", 2013, 2019, "073355010"),  # Otterbach -> Otterbach-Otterberg
        ("073355007", 2013, 2014, "073355010"),  # Otterberg -> Otterbach-Otterberg
        ("073355003", 2013, 2019, "073355002"),  # Hochspeyer -> Enkenbach-Alsenborn
        ("073355009", 2019, 2013, "073355009"),
        ("", 2013, 2019, ""),
        ("999999999", 2013, 2019, ""),
    ],
)
def test_carry_vg(
    key: str, source: int, target: int, expected: str, membership: pd.DataFrame,
    population: dict[str, int],
) -> None:  # fmt: skip
    assert carry_vg(key, source, target, membership, population) == expected


def test_successor_holds_most_of_the_population() -> None:
    """Synthetic test data: a VG split in two goes to the part with more inhabitants, not
    the part with more Gemeinden."""
    m = pd.DataFrame(
        {
            "ags": ["1", "2", "3"],
            "vg_rs_2013": ["A", "A", "A"],
            "vg_rs_2019": ["X", "X", "Y"],
        }
    )
    assert carry_vg("A", 2013, 2019, m, {"1": 100, "2": 100, "3": 5000}) == "Y"
    assert carry_vg("A", 2013, 2019, m) == "X"  # no figures: most Gemeinden


def test_missing_column_is_refused(membership: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="vg_rs_2020"):
        carry_vg("073355005", 2013, 2020, membership)
