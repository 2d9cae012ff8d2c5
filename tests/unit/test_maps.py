"""Map builders, tested on the HTML they render."""

from __future__ import annotations

import re

import folium
import geopandas as gpd
import pytest
from shapely.geometry import box

from benchmarks.bench import component_payload, load_district_data
from dashboard.data.boundaries import DistrictData
from dashboard.render.web.assets import UnknownAssetError, localize
from dashboard.render.web.basemap import (
    SafeGeoJson,
    build_district_map,
    safe_json,
    vg_table,
)
from tests.conftest import shipped_populations

POP = shipped_populations()
BASES = {"leaflet": "../assets-leaflet", "markercluster": "../assets-mc"}
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def data() -> DistrictData:
    return load_district_data()


def _html(m: folium.Map) -> str:
    return m.get_root().render()


@pytest.mark.parametrize("vintage,count", [(2013, 9), (2014, 7), (2019, 6)])
def test_vintage_layer_has_its_vgs(data: DistrictData, vintage: int, count: int) -> None:
    html = _html(build_district_map(data, vintage, asset_base_urls=BASES, populations=POP))
    end = html.index('className: "ia-vg"')
    start = html.rindex("L.geoJSON(", 0, end)
    assert html[start:end].count('"type":"Feature"') == count


def test_no_external_assets(data: DistrictData) -> None:
    html = _html(build_district_map(data, 2019, asset_base_urls=BASES, populations=POP))
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert "../assets-leaflet/leaflet.js" in html and "../assets-leaflet/leaflet.css" in html
    assert "cdn" not in html.lower()


def test_payload_links_are_local(data: DistrictData) -> None:
    payload = component_payload(
        build_district_map(data, 2019, asset_base_urls=BASES, populations=POP)
    )
    assert payload["js_links"] == ["../assets-leaflet/leaflet.js"]
    assert payload["css_links"] == ["../assets-leaflet/leaflet.css"]
    assert "http://" not in payload["header"] and "https://" not in payload["header"]


def test_max_zoom_and_attribution(data: DistrictData) -> None:
    html = _html(build_district_map(data, 2019, asset_base_urls=BASES, populations=POP))
    assert '"maxZoom": 18' in html
    assert "© GeoBasis-DE / BKG (2016)" in html
    assert "addAttribution" in html


def test_tooltips_carry_population_and_date(data: DistrictData) -> None:
    html = _html(build_district_map(data, 2019, asset_base_urls=BASES, populations=POP))
    assert "Bann" in html and "07335002" in html and "2.294" in html and "30.05.2018" in html
    en = _html(build_district_map(data, 2019, lang="en", asset_base_urls=BASES, populations=POP))
    assert "2,294" in en and "2018-05-30" in en and "Population" in en


def test_basemap_is_opt_in(data: DistrictData) -> None:
    offline = _html(build_district_map(data, 2019, asset_base_urls=BASES, populations=POP))
    assert "tileLayer" not in offline
    online = _html(
        build_district_map(data, 2019, basemap="osm", asset_base_urls=BASES, populations=POP)
    )
    assert "tile.openstreetmap.org" in online
    with pytest.raises(ValueError, match="unknown basemap"):
        build_district_map(data, 2019, basemap="google", populations=POP)


def test_inline_assets_for_standalone_html(data: DistrictData) -> None:
    html = _html(build_district_map(data, 2019, asset_base_urls=None, populations=POP))
    assert "data:text/javascript;base64," in html and not EXTERNAL.search(html)


def test_unknown_asset_is_refused() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("mystery", "https://example.org/x.js")]
    with pytest.raises(UnknownAssetError, match="mystery"):
        localize(m, BASES)


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a & b </script>"]
)
def test_text_from_data_cannot_become_html(name: str) -> None:
    gdf = gpd.GeoDataFrame({"name": [name]}, geometry=[box(7.7, 49.4, 7.8, 49.5)], crs="EPSG:4326")
    m = folium.Map(tiles=None)
    m.add_child(SafeGeoJson(gdf, [[("Name", name)]], {}, "x", "ia-test"))
    html = _html(m)
    assert name not in html
    assert "\\u003cscript\\u003e" in html or "\\u003cimg" in html or "\\u003c/script" in html
    assert safe_json(name).count("<") == 0


def test_vg_table(data: DistrictData) -> None:
    table = vg_table(data, 2013, "de", POP)
    assert len(table) == 9
    assert list(table.columns)[:2] == ["Name", "Schlüssel"]
