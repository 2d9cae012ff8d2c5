"""The text alternative of a presentation map says which layer (indicator, date), its
classes with how many areas fall into each, the areas without data, and which offers are
drawn, in the user's language and in the words of the areas' level."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import Point

from dashboard.analysis.classify import Choropleth
from dashboard.render.common.alt import map_alt_text


def _choropleth() -> Choropleth:
    values = {"a": 12.0, "b": 17.0, "c": 25.0, "d": float("nan")}
    return Choropleth(
        values=values, classes={"a": 0, "b": 1, "c": 1, "d": -1}, lower=10.0,
        bounds=[15.0, 26.0], colors=["#eee", "#333"], indicator="population", unit="",
        per_1000=False, reference_date="2023-12-31", dates={}, dates_mixed=False,
        sources=["Statistisches Landesamt"], derived=False,
    )  # fmt: skip


def _points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"category": ["Kita", "Kita", "Sprachkurs"]},
        geometry=[Point(7.6, 49.4), Point(7.7, 49.5), Point(7.65, 49.45)],
        crs="EPSG:4326",
    )


def test_german_alt_text_names_layer_classes_counts_and_offers() -> None:
    text = map_alt_text(_choropleth(), _points(), "gemeinde", "de")
    assert "Einwohner" in text and "31.12.2023" in text
    # the classes as the legend beside the map shows them: the last ends at the largest value
    assert "10 bis 15: 1 Gemeinde" in text and "15 bis 25: 2 Gemeinden" in text
    assert "keine Angabe: 1 Gemeinde" in text
    assert "3 Angebote als Symbole: Kita, Sprachkurs." in text


def test_english_alt_text_in_the_words_of_the_vg_level() -> None:
    text = map_alt_text(_choropleth(), None, "vg", "en")
    assert "10 to 15: 1 Verbandsgemeinde" in text and "15 to 25: 2 Verbandsgemeinden" in text
    assert "no data: 1 Verbandsgemeinde" in text and "offer" not in text


def test_a_map_without_layer_or_offers_says_nothing_more() -> None:
    assert map_alt_text(None, None, "vg", "de") == ""
