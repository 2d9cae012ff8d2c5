"""The web map's pieces: encodings, topology, legend classes, assets, escaping."""

from __future__ import annotations

import math
import re

import folium
import numpy as np
import pytest
import shapely

from benchmarks.bench import load_district_data
from benchmarks.bench_map import UnknownAssetError, localize
from dashboard.analysis.classify import Choropleth, legend_classes
from dashboard.data.boundaries import DistrictData
from dashboard.render.common.legend import class_labels, date_note
from dashboard.render.tables import vg_table
from dashboard.render.web.assets import STATIC_DIR
from dashboard.render.web.atlas import build_atlas_map, map_args
from dashboard.render.web.basemap import safe_json
from dashboard.render.web.codec import bitset, string_table, unpack_strings, unvlq, vlq
from dashboard.render.web.resources import resource
from dashboard.render.web.topology import GRID_DEGREES, build_topology
from tests.conftest import REPO, shipped_populations

POP = shipped_populations()


@pytest.fixture(scope="module")
def data() -> DistrictData:
    return load_district_data()


# -- encodings ---------------------------------------------------------------------------------
def test_vlq_round_trip() -> None:
    rng = np.random.default_rng(1)
    values = [0, 1, -1, 15, 16, -16, 31, 32, 2**31, -(2**40), *rng.integers(-5000, 5000, 500)]
    text = vlq(values)
    assert unvlq(text) == [int(v) for v in values]
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
    assert len(vlq([3, -7, 12])) == 3  # small numbers take one character
    assert np.cumsum(unvlq(vlq([5, 9, 9, 20], delta=True))).tolist() == [5, 9, 9, 20]
    with pytest.raises(ValueError, match="2\\*\\*45"):
        vlq([2**50])


def test_bitset_and_string_table() -> None:
    mask = np.array([1, 0, 0, 1, 1, 1, 0, 1, 0, 1], dtype=bool)
    import base64

    raw = base64.b64decode(bitset(mask) + "==")
    assert np.unpackbits(np.frombuffer(raw, np.uint8), bitorder="little")[:10].tolist() == [
        int(x) for x in mask
    ]
    names = ["Kita Sonnenschein", "Kita Sonnenblume", "Schule", "Kita Sonnenschein", "<b>&</b>"]
    table = string_table(names)
    assert unpack_strings(table, 5) == names
    assert len(table["t"]) == 4  # distinct strings once
    assert string_table(["x"] * 3) == {"t": ["Ax"]}  # one value: no index column


# -- topology ----------------------------------------------------------------------------------
def _rings(topo, name: str, feature: int) -> list[np.ndarray]:
    out = []
    for ring in topo.objects[name][feature]:
        parts = []
        for k, ref in enumerate(ring):
            arc = topo.arcs[ref] if ref >= 0 else topo.arcs[~ref][::-1]
            parts.append(arc if k == 0 else arc[1:])
        out.append(np.concatenate(parts) * topo.step + np.array(topo.origin))
    return out


def test_topology_shares_borders_and_keeps_shapes(data: DistrictData) -> None:
    layers = {"gemeinden": data.gemeinden, "city": data.city}
    layers.update({f"vg_{v}": g for v, g in data.vgs.items()})
    topo = build_topology(layers)
    alone = build_topology({"gemeinden": data.gemeinden, "city": data.city})
    assert len(topo.arcs) == len(alone.arcs)  # the VGs of every vintage reuse Gemeinde arcs
    coords = sum(
        int(shapely.get_num_coordinates(g.geometry.to_numpy()).sum()) for g in layers.values()
    )
    assert topo.vertex_count() < coords / 2  # each shared border once
    worst = 0.0
    for name, frame in layers.items():
        for f, geom in enumerate(frame.geometry):
            rebuilt = None
            for xy in _rings(topo, name, f):
                ring = shapely.Polygon(xy)
                rebuilt = ring if rebuilt is None else rebuilt.symmetric_difference(ring)
            assert rebuilt is not None
            worst = max(worst, rebuilt.boundary.hausdorff_distance(geom.boundary))
    assert worst <= GRID_DEGREES * math.sqrt(2) / 2 + 1e-9  # only the snapping to the grid


def test_topology_rejects_bad_input(data: DistrictData) -> None:
    with pytest.raises(ValueError, match="EPSG:4326"):
        build_topology({"gemeinden": data.gemeinden.to_crs("EPSG:25832")})
    with pytest.raises(ValueError, match="positive"):
        build_topology({"gemeinden": data.gemeinden}, step=0)


# -- legend classes ------------------------------------------------------------------------------
def _severity(values: list[float]) -> Choropleth:
    keys = [str(i) for i in range(len(values))]
    return Choropleth(
        values=dict(zip(keys, values, strict=True)), classes={}, lower=0.0,
        bounds=[0.0, 1.0, 3.0, 11.0], colors=["#a", "#b", "#c", "#d"], indicator="gap_severity",
        unit="", per_1000=False, reference_date="", dates={}, dates_mixed=False, sources=[],
        derived=False,
    )  # fmt: skip


def test_legend_classes_fit_the_data() -> None:
    assert legend_classes(_severity([0.0, 0.5, 3.3])) == [
        ("#a", 0.0, 0.0), ("#b", 0.0, 1.0), ("#c", 1.0, 3.0), ("#d", 3.0, 3.3),
    ]  # fmt: skip
    labels = [label for _, label in class_labels(_severity([0.0, 0.5, 3.3]), "de")]
    assert labels == ["0", "0 – 1", "1 – 3", "3 – 3,3"]  # never "0 – 0", never "3 – 11"
    assert [c for c, *_ in legend_classes(_severity([0.0, 0.4]))] == ["#a", "#b"]
    assert legend_classes(_severity([float("nan")])) == []
    assert date_note(_severity([1.0]), "de") == "ohne Datum"  # never "Stand: –"
    assert date_note(_severity([1.0]), "en") == "undated"


def test_population_classes_are_whole_numbers(data: DistrictData) -> None:
    import pandas as pd

    from dashboard.analysis.classify import build_choropleth
    from tests.conftest import REPO

    values = pd.read_csv(
        REPO / "datasets" / "indicators.csv", dtype={"area_key": str}, keep_default_na=False
    )
    ch = build_choropleth(
        values, data.membership, list(data.vgs[2019]["rs"]), "population", "vg", 2019
    )
    labels = [label for _, label in class_labels(ch, "de")]
    assert labels and all("," not in label for label in labels), labels  # counts: no decimals
    assert labels[-1].endswith("26.205")  # the largest value ends the last class


# -- spec, assets, escaping ------------------------------------------------------------------------
def test_spec_is_small_and_rejects_bad_input(data: DistrictData) -> None:
    spec = build_atlas_map(data, 2019, "de", populations=POP)
    names = {r.name.split("-")[0]: r for r in spec.resources}
    with pytest.raises(ValueError, match="unknown basemap"):
        map_args(data, 2019, "de", topo=names["topo"], areas=names["areas"], facilities=None,
                 overlay=None, choropleth=None, basemap="google")  # fmt: skip
    with pytest.raises(ValueError, match="unknown vintage"):
        map_args(data, 1999, "de", topo=names["topo"], areas=names["areas"], facilities=None,
                 overlay=None, choropleth=None)  # fmt: skip
    online = map_args(data, 2019, "de", topo=names["topo"], areas=names["areas"],
                      facilities=None, overlay=None, choropleth=None, basemap="osm")  # fmt: skip
    assert "tile.openstreetmap.org" in online["basemap"]["url"] and spec.args["basemap"] is None
    assert "© GeoBasis-DE / BKG (2016)" in spec.args["attribution"]


def test_resources_are_content_addressed() -> None:
    a, b = resource("x", {"v": 1}), resource("x", {"v": 1})
    assert a == b and a.name.startswith("x-") and a.name.endswith(".json")
    assert resource("x", {"v": 2}).name != a.name


def test_component_is_declared_by_the_package_and_loads_only_local_files() -> None:
    """The map is a Custom Component v2 whose asset folder the package declares; its modules
    import only each other (relative, no build step) and name no other host."""
    import subprocess
    import sys
    import tomllib

    from dashboard.render.web.assets import (
        COMPONENT,
        COMPONENT_CSS,
        COMPONENT_JS,
        PAGE_COMPONENT,
        PAGE_COMPONENT_JS,
    )

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = project["tool"]["streamlit"]["component"]["components"]
    names = [f"{project['project']['name']}.{c['name']}" for c in declared]
    assert names == [COMPONENT, PAGE_COMPONENT]
    assert {(REPO / c["asset_dir"]).resolve() for c in declared} == {STATIC_DIR}
    modules = {p.name: p.read_text(encoding="utf-8") for p in STATIC_DIR.glob("*.js")}
    assert {COMPONENT_JS, PAGE_COMPONENT_JS} <= set(modules)
    assert (STATIC_DIR / COMPONENT_CSS).is_file()
    for name, text in modules.items():
        for target in re.findall(r"""^import .*from "([^"]+)";$""", text, re.MULTILINE):
            assert target.startswith("./") and target[2:] in modules, (name, target)
        assert not re.search(r"https?://", text), name
    assert not re.search(r"https?://", (STATIC_DIR / COMPONENT_CSS).read_text(encoding="utf-8"))
    # Streamlit finds the declaration as a running app does: the app's folder on the path,
    # started from anywhere
    found = subprocess.run(
        [sys.executable, "-c",
         "import sys; sys.path.insert(0, sys.argv[1]);"
         "from streamlit.components.v2.manifest_scanner import scan_component_manifests as s;"
         "print([(m.name, c.name, str((r / c.asset_dir).resolve())) for m, r in s()"
         " for c in m.components])", str(REPO)],
        cwd="/", capture_output=True, text=True, check=True,
    )  # fmt: skip
    for name in ("map", "page"):
        assert f"('integrationsatlas', '{name}', '{STATIC_DIR}')" in found.stdout, found


def test_unknown_asset_is_refused() -> None:
    m = folium.Map(tiles=None)
    m.default_js = [("mystery", "https://example.org/x.js")]
    with pytest.raises(UnknownAssetError, match="mystery"):
        localize(m, {"leaflet": "../leaflet"})


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "a & b </script>"]
)
def test_text_from_data_cannot_become_html(name: str) -> None:
    text = safe_json({"name": name, "rows": [["Name", name]]})
    assert name not in text and "<" not in text and ">" not in text and "&" not in text
    assert resource("areas", {"n": name}).text.count("<") == 0


def test_vg_table(data: DistrictData) -> None:
    table = vg_table(data, 2013, "de", POP)
    assert len(table) == 9
    assert list(table.columns)[:2] == ["Name", "Schlüssel"]


def test_map_data_is_written_once_or_sent_inline(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from dashboard.ui import mapview

    monkeypatch.setattr(mapview, "DATA_DIR", tmp_path)
    res, inline = resource("topo", {"arcs": [1, 2]}), {}
    mapview._publish(res, inline)
    assert (tmp_path / res.name).read_text(encoding="utf-8") == res.text and inline == {}
    (tmp_path / "a-file").write_text("")
    monkeypatch.setattr(mapview, "DATA_DIR", tmp_path / "a-file" / "folder")
    mapview._publish(res, inline)  # cannot be written: travels with the spec instead
    assert inline == {res.name: {"arcs": [1, 2]}}
    monkeypatch.setattr(mapview, "DATA_DIR", tmp_path)
    monkeypatch.setattr(mapview, "MAX_FILES", 2)
    import os

    for i in range(4):
        mapview._publish(resource("x", {"i": i}), {})
    for f in tmp_path.glob("*.json"):
        os.utime(f, (1, 1))  # long unused
    mapview._publish(resource("x", {"i": 9}), {})
    assert len(list(tmp_path.glob("*.json"))) == 2  # the least recently used are removed


def test_string_table_keeps_every_character() -> None:
    values = ["a\x00", "a", "b\x00c", "x" * 300, "", "Ä ö", "a\x00"]
    assert unpack_strings(string_table(values), len(values)) == values
