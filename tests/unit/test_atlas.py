"""Atlas map builder, view state, filters and choropleth: pure functions and rendered HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from benchmarks.bench import load_district_data
from dashboard.analysis.classify import NO_DATA_COLOR, build_choropleth
from dashboard.analysis.filters import apply_filters, search
from dashboard.config import get_settings
from dashboard.data.boundaries import DistrictData
from dashboard.data.locate import located_facilities
from dashboard.data.records import frame_to_facilities
from dashboard.domain.privacy import drawable
from dashboard.domain.staleness import Confirmations, stale_mask
from dashboard.domain.viewstate import ViewState, from_query, to_query
from dashboard.render.common.symbols import symbol_svg
from dashboard.render.web.assets import STATIC_DIR
from dashboard.render.web.atlas import MapMark, MapSpec, build_atlas_map, vg_at
from dashboard.render.web.codec import unpack_strings, unvlq
from dashboard.render.web.resources import facility_payload
from tests.conftest import REPO, shipped_populations

POP = shipped_populations()


@pytest.fixture(scope="module")
def data() -> DistrictData:
    return load_district_data()


@pytest.fixture(scope="module")
def located() -> gpd.GeoDataFrame:
    df = pd.read_csv(REPO / "datasets" / "facilities.csv", dtype=str, keep_default_na=False)
    return located_facilities(frame_to_facilities(df), get_settings())


@pytest.fixture(scope="module")
def values() -> pd.DataFrame:
    return pd.read_csv(
        REPO / "datasets" / "indicators.csv", dtype={"area_key": str}, keep_default_na=False
    )


def test_state_round_trip_and_validation() -> None:
    s = ViewState(
        vintage=2013,
        categories=("Kita", "Schule"),
        breaks=(1.5, 10.0),
        vg="073355001",
        search="<b>x</b>",
        per_1000=True,
    )
    vgs = {2013: {"073355001"}, 2014: set(), 2019: set()}
    assert from_query(to_query(s, 2019), vgs, 2019) == s
    assert to_query(ViewState(vintage=2019), 2019) == {"lang": "de"}
    bad = from_query(
        {"v": "1999", "cat": "Kita~Zirkus", "k": "99", "vg": "999"}, {2019: {"073355011"}}, 2019
    )
    assert bad.vintage == 2019 and bad.categories == ("Kita",) and bad.k == 4 and bad.vg == ""
    assert set(bad.notes) == {"v=1999", "cat=Zirkus", "k=99", "vg=999"}


def test_filters(located: gpd.GeoDataFrame) -> None:
    today = dt.date(2026, 11, 25)
    assert len(apply_filters(located, ViewState(), today)) == 29
    kitas = apply_filters(located, ViewState(categories=("Kita",)), today)
    assert set(kitas["category"]) == {"Kita"} and len(kitas) == 11
    weilerbach = apply_filters(located, ViewState(vintage=2019, vg="073355009"), today)
    assert set(weilerbach["vg_2019"]) == {"Weilerbach"}
    old_vg = apply_filters(located, ViewState(vintage=2013, vg="073355004"), today)
    assert old_vg.empty  # Kaiserslautern-Süd (2013) has no documented facility
    sprache = apply_filters(located, ViewState(handlungsfelder=("sprache",)), today)
    assert set(sprache["category"]) == {"Sprachkurs"}
    assert apply_filters(located, ViewState(verified="12m"), today).empty
    assert len(apply_filters(located, ViewState(verified="never"), today)) == 29
    assert len(apply_filters(located, ViewState(precisions=("unknown",)), today)) == 1
    assert list(search(located, "pinocchio")["name"]) == ["Kommunale Kita Pinocchio"]


def test_sensitive_never_points(located: gpd.GeoDataFrame) -> None:
    shelter = located.iloc[[0]].assign(category="Unterkunft", id="test-u")
    both = pd.concat([located, shelter])
    assert "test-u" not in set(drawable(both)["id"])


def test_choropleth_no_data_and_per_1000(data: DistrictData, values: pd.DataFrame) -> None:
    keys = list(data.vgs[2014]["rs"])
    ch = build_choropleth(values, data.membership, keys, "foreign_population_share", "vg", 2014)
    assert ch.classes["073355005"] == 0 and ch.values["073355005"] == 7.3
    assert all(
        ch.classes[k] == -1 and ch.color(k) == NO_DATA_COLOR for k in keys if k != "073355005"
    )
    keys = list(data.vgs[2019]["rs"])
    ch = build_choropleth(
        values, data.membership, keys, "refugees_ukraine", "vg", 2019, per_1000=True
    )
    assert ch.values["073355008"] == pytest.approx(346 / 17539 * 1000)
    assert ch.reference_date == "2021-12-31" and ch.dates_mixed  # oldest of counts and populations
    manual = build_choropleth(
        values,
        data.membership,
        keys,
        "refugees_ukraine",
        "vg",
        2019,
        scheme="manual",
        breaks=(150.0, 300.0),
    )
    assert manual.bounds == [150.0, 300.0, 346.0]


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
def test_classification_schemes(data: DistrictData, values: pd.DataFrame, scheme: str) -> None:
    keys = list(data.gemeinden["ags"])
    ch = build_choropleth(
        values, data.membership, keys, "population", "gemeinde", 2019, scheme=scheme, k=5
    )
    assert len(ch.bounds) == 5 and len(ch.colors) == 5
    assert ch.bounds[-1] == 8870 and ch.lower == 174
    assert all(0 <= c < 5 for c in ch.classes.values())


def _resource(spec: MapSpec, kind: str) -> dict:
    found = [r for r in spec.resources if r.name.startswith(kind + "-")]
    assert len(found) == 1, [r.name for r in spec.resources]
    return json.loads(found[0].text)


def test_atlas_spec(data: DistrictData, located: gpd.GeoDataFrame, values: pd.DataFrame) -> None:
    ch = build_choropleth(
        values, data.membership, list(data.vgs[2019]["rs"]), "population", "vg", 2019
    )
    spec = build_atlas_map(
        data, 2019, "de", located=drawable(located), choropleth=ch, populations=POP
    )
    text = json.dumps(spec.args, ensure_ascii=False) + "".join(r.text for r in spec.resources)
    assert not re.search(r"""(?:src|href)=["']https?://""", text)
    fac = _resource(spec, "fac")
    assert fac["n"] == 28  # one without a location
    names = unpack_strings(fac["cols"]["name"], fac["n"])
    assert "Kommunale Kita Pinocchio" in names
    assert (
        spec.args["res"]["fac"] == [r.name for r in spec.resources if r.name.startswith("fac-")][0]
    )
    assert "Einwohner" in text and "keine Daten" in text and "Stand: ab" in text
    assert spec.args["mask"] is None and spec.args["fit"] == "all" and spec.args["basemap"] is None


def test_payload_escapes_html(located: gpd.GeoDataFrame, data: DistrictData) -> None:
    evil = located.iloc[[0]].assign(name="<img src=x onerror=alert(1)>", id="x1")
    spec = build_atlas_map(data, 2019, "de", located=evil, populations=POP)
    text = "".join(r.text for r in spec.resources)
    assert "<img src=x" not in text and "\\u003cimg src=x onerror=alert(1)\\u003e" in text
    assert unpack_strings(_resource(spec, "fac")["cols"]["name"], 1) == [
        "<img src=x onerror=alert(1)>"
    ]


def test_renderer_sets_text_from_data_as_text() -> None:
    """The renderer parses markup only for symbol SVG built on the server from constants."""
    js = "\n".join(p.read_text(encoding="utf-8") for p in sorted(STATIC_DIR.glob("*.js")))
    inner = [line.strip() for line in js.splitlines() if "innerHTML" in line]
    assert inner == [
        "box.innerHTML = s.svg;  // trusted: symbol SVG built on the server from constants"
    ]
    html_options = re.findall(r"html: ([^,}]+)", js)
    assert sorted(set(html_options)) == [
        '""',
        '"<span>" + n + "</span>"',
        "P.tables.categories[cat][approx ? 2 : 1]",
    ]
    assert 'el("strong", null, F.text(i, "name"))' in js  # names via textContent


def test_facility_payload_is_compact(located: gpd.GeoDataFrame) -> None:
    p, ids = facility_payload(drawable(located), "de")
    assert len(ids) == p["n"] == 28
    lat = np.cumsum(unvlq(p["lat"])) / 1e5
    assert (
        np.all(np.diff(lat) >= 0) and 49.2 < lat.min() < lat.max() < 49.7
    )  # sorted, in the district
    assert (
        unvlq(p["flags"])[ids.index(located.loc[located["precision"] == "gemeinde", "id"].iloc[0])]
        & 1
    )
    assert len(p["cols"]["source"]["t"]) < 28  # repeated texts travel once


def test_symbols_differ_by_shape_and_fill() -> None:
    assert symbol_svg("Kita", False) != symbol_svg("Schule", False)
    assert "stroke-dasharray" in symbol_svg("Kita", True) and "stroke-dasharray" not in symbol_svg(
        "Kita", False
    )


def test_selected_vg_and_click(data: DistrictData) -> None:
    spec = build_atlas_map(data, 2019, "de", selected_vg="073355009", populations=POP)
    assert spec.args["selected"] == "073355009" and spec.args["fit"] == "vg:073355009"
    texts = [it["text"] for s in spec.args["legend"]["sections"] for it in s["items"]]
    assert "ausgewählte Verbandsgemeinde" in texts
    unknown = build_atlas_map(data, 2019, "de", selected_vg="999", populations=POP)
    assert unknown.args["selected"] == "" and unknown.args["fit"] == "all"
    assert vg_at(data.vgs[2019], 49.4785, 7.6352) == "073355009"
    assert vg_at(data.vgs[2019], 52.5, 13.4) == ""


def test_english_atlas(data: DistrictData, located: gpd.GeoDataFrame) -> None:
    spec = build_atlas_map(data, 2019, "en", located=drawable(located), populations=POP)
    text = json.dumps(spec.args, ensure_ascii=False) + "".join(r.text for r in spec.resources)
    assert "Offers" in text and "approximate location" in text and "Legend" in text
    assert "Angebote" not in text


def test_legend_explains_every_symbol(data: DistrictData, located: gpd.GeoDataFrame) -> None:
    points = drawable(located).assign(stale=True)
    spec = build_atlas_map(
        data, 2019, "de", located=points, populations=POP,
        marks=[MapMark(49.45, 7.65, "planned")],
    )  # fmt: skip
    items = {
        it.get("cls"): it["text"] for s in spec.args["legend"]["sections"] for it in s["items"]
    }
    assert "beieinander" in items["ia-legend-cluster"]  # the cluster circle
    assert items["ia-legend-stale"].startswith("roter Punkt")
    assert items["ia-legend-mark"] == "geplant, nicht gespeichert"
    assert spec.args["marks"] == [[49.45, 7.65, "planned", "geplant, nicht gespeichert"]]
    with pytest.raises(ValueError, match="mark kind"):
        MapMark(49.4, 7.6, "real")


def test_district_bytes_near_the_limit(data: DistrictData, values: pd.DataFrame) -> None:
    """The district with 1,000 facilities travels in under 150 KB (issue: bytes near the limit)."""
    from benchmarks.bench_map import district_case, lower_bound_bytes, spec_bytes
    from benchmarks.synthetic import random_points_in, synthetic_located
    from dashboard.data.boundaries import load_layer

    full = load_layer(get_settings().geodata_dir, "gemeinden")
    fac = synthetic_located(random_points_in(full, 1000, seed=2), data.membership, seed=2)
    case = district_case(data, full, fac, values, "district, 1,000 synthetic")
    ch = build_choropleth(
        values, data.membership, list(data.vgs[2019]["rs"]), "population", "vg", 2019
    )
    spec = build_atlas_map(data, 2019, "de", located=fac, choropleth=ch, populations=POP)
    assert spec_bytes(spec) < 150_000
    assert spec_bytes(spec) < 2 * lower_bound_bytes(case)


def test_replace_keeps_state_hashable() -> None:
    s = replace(ViewState(), categories=("Kita",))
    assert hash(s) == hash(ViewState(categories=("Kita",)))


def test_stale_offers_marked(located: gpd.GeoDataFrame, data: DistrictData) -> None:
    today = dt.date(2026, 11, 25)
    fresh = located.assign(last_verified=[dt.date(2026, 6, 1)] + [None] * (len(located) - 1))
    flags = stale_mask(fresh, today)
    assert not flags.iloc[0] and flags.iloc[1:].all()
    confirmed = stale_mask(fresh, today, Confirmations(2019, {"073355009": dt.date(2026, 1, 10)}))
    assert not confirmed[fresh["vg_rs_2019"] == "073355009"].any()
    points = drawable(fresh).assign(stale=stale_mask(drawable(fresh), today))
    payload, ids = facility_payload(points, "de")
    stale_bits = [f & 2 for f in unvlq(payload["flags"])]
    assert stale_bits.count(2) == len(ids) - 1
    assert stale_bits[ids.index(str(fresh["id"].iloc[0]))] == 0
    spec = build_atlas_map(data, 2019, "de", located=points, populations=POP)
    text = json.dumps(spec.args, ensure_ascii=False) + "".join(r.text for r in spec.resources)
    assert "seit über 12 Monaten nicht geprüft" in text


def test_sensitive_counts_never_exact(
    located: gpd.GeoDataFrame, data: DistrictData, values: pd.DataFrame
) -> None:
    from dashboard.render.context import ReportContext
    from dashboard.render.profile import vg_profile
    from dashboard.render.web.presentation import build_slide

    shelters = (
        located[located["vg_rs_2019"] == "073355009"]
        .iloc[:3]
        .assign(category="Unterkunft", id=["u1", "u2", "u3"])
    )
    both = pd.concat([located, shelters], ignore_index=True)
    pop = POP.of("vg", "073355009", 2019)
    p = vg_profile(
        "073355009", 2019, data, both, values, [], "de", population=pop,
        sensitive={"Unterkunft": "<5"},
    )  # fmt: skip
    by_cat = dict(p.by_category.itertuples(index=False))
    assert by_cat["Unterkunft"] == "<5"  # the text the privacy rule gave, never a count here
    plain = vg_profile(
        "073355009", 2019, data, located, values, [], "de", population=pop, sensitive={}
    )
    assert p.figures.iloc[3, 1] == plain.figures.iloc[3, 1]
    ctx = ReportContext(
        data=data, located=both, values=values, projects=[], populations=POP,
        sensitive=pd.DataFrame(columns=["vg_rs", "category", "count"]),
    )  # fmt: skip
    slide = build_slide("hf:asyl", ctx, "de")
    assert set(slide.figures.iloc[:, 1]) == {"0"}


def test_district_without_a_city(data: DistrictData, located: gpd.GeoDataFrame) -> None:
    """Another Kreis may have no city beside it: the map is made all the same."""
    from dataclasses import replace as dc_replace

    alone = dc_replace(data, city=data.city.iloc[0:0])
    spec = build_atlas_map(alone, 2019, "de", located=drawable(located), populations=POP)
    areas = _resource(spec, "areas")
    assert areas["city"]["n"] == 0 and areas["vg"]["n"] == 6
    assert (
        json.loads([r for r in spec.resources if r.name.startswith("topo-")][0].text)["objects"][
            "city"
        ]
        == ""
    )
