"""The datasets of a district without reference facts, derived from the boundary build.

A district configured with ``datasets_build = "package"`` (any Kreis or Land of the
boundary package) gets what the app needs and nothing invented:

* ``gemeinden_vg_membership.csv``: each Gemeinde's VG for every configured vintage;
* ``population_gemeinden.csv``: no rows (no population source is configured), so the app
  shows "keine Daten"; a synthetic test configuration gets a synthetic population;
* ``facilities.csv``: none (the administrations import their lists), or synthetic ones
  for a synthetic test configuration;
* ``projects.csv``: none; ``indicators.csv``: the Gemeinde population (if any);
* ``handlungsfelder.csv``: the app's classification of offers;
* ``MANIFEST.json``: provenance; synthetic files are flagged ``"synthetic": true``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from dashboard.build.publish import publish
from dashboard.build.vg250 import Vg250Source
from dashboard.config import PACKAGE_AS_OF, District
from dashboard.data.files import (
    FACILITIES_FILE,
    HANDLUNGSFELDER_FILE,
    INDICATORS_FILE,
    MEMBERSHIP_FILE,
    POPULATION_FILE,
    PROJECTS_FILE,
)
from dashboard.data.manifest import MANIFEST_NAME, dumps_manifest, sha256_file
from dashboard.data.records import facilities_to_frame, projects_to_frame
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, Facility, IndicatorValue

SYNTHETIC_NAME = "Synthetische Einrichtung"
_POPULATION_COLUMNS = ["ags", "name", "population", "population_date", "population_source"]
_INDICATOR_COLUMNS = list(IndicatorValue.model_fields)


def _synthetic_source(district: District) -> str:
    return (
        f"SYNTHETISCH – Testkonfiguration {district.config_path.parent.name} "
        f"(python -m dashboard build-geodata, Seed {district.synthetic_seed}); keine echten Daten"
    )


def synthetic_population(district: District, gemeinden: pd.DataFrame) -> pd.DataFrame:
    """A synthetic population per Gemeinde (log-normal, seeded), labelled as synthetic.

    Parameters
    ----------
    district
        A synthetic test configuration (its seed).
    gemeinden
        Frame with ``ags`` and ``name``.
    """
    rng = np.random.default_rng(district.synthetic_seed)
    values = np.clip(rng.lognormal(7.0, 1.1, len(gemeinden)), 60, 200_000).astype(int)
    return pd.DataFrame(
        {
            "ags": gemeinden["ags"].to_numpy(),
            "name": gemeinden["name"].to_numpy(),
            "population": values,
            "population_date": PACKAGE_AS_OF,
            "population_source": _synthetic_source(district),
        }
    )


def synthetic_facilities(district: District, gemeinden: gpd.GeoDataFrame) -> list[Facility]:
    """``district.synthetic_facilities`` random facilities inside the Gemeinden, seeded.

    Every name starts with "Synthetische Einrichtung", every source says SYNTHETISCH;
    all categories occur, the sensitive one included (so privacy holds at size).
    """
    from dashboard.build.synthetic import random_points_in

    n = district.synthetic_facilities
    points = random_points_in(gemeinden, n, seed=district.synthetic_seed, inset_m=5.0)
    rng = np.random.default_rng(district.synthetic_seed + 1)
    cats = list(CATEGORIES)
    chosen = rng.integers(0, len(cats), n)
    approx = rng.random(n) < 0.2
    source = _synthetic_source(district)
    out = []
    for i, row in enumerate(points.itertuples(index=False)):
        cat = cats[int(chosen[i])]
        out.append(
            Facility(
                id=f"syn-{i + 1:06d}",
                name=f"{SYNTHETIC_NAME} {i + 1:05d}",
                category=cat,  # type: ignore[arg-type]  # a key of CATEGORIES
                handlungsfelder=cast("list[Any]", CATEGORIES[cat]["default_hf"]),
                operator=f"Synthetischer Träger {int(chosen[i]) * 7 % 41}",
                ags=str(row.ags),
                lat=round(float(row.lat), 6),
                lon=round(float(row.lon), 6),
                precision="gemeinde" if approx[i] else "exact",
                languages=["de"],
                source=source,
                reference_date=PACKAGE_AS_OF,  # parsed by the model
                note="Testdaten – keine echte Einrichtung",
            )
        )
    return out


def _indicators(population: pd.DataFrame) -> pd.DataFrame:
    values = [
        IndicatorValue(
            area_level="gemeinde",
            area_key=str(r.ags),
            area_name=str(r.name),
            indicator="population",
            value=float(r.population),
            unit="persons",
            reference_date=str(r.population_date),  # parsed by the model
            source=str(r.population_source),
        ).model_dump(mode="json")
        for r in population.itertuples(index=False)
    ]
    return pd.DataFrame(values, columns=_INDICATOR_COLUMNS)


def build_derived_datasets(
    district: District,
    membership: pd.DataFrame,
    gemeinden: gpd.GeoDataFrame,
    datasets_dir: Path,
    src: Vg250Source,
    vwg: Vg250Source | None,
    command: str,
) -> dict[str, int]:
    """Write the derived datasets of ``district`` into ``datasets_dir`` (all or nothing).

    Parameters
    ----------
    district
        A district with ``datasets_build = "package"``.
    membership
        Gemeinde -> VG per vintage (from the boundary build).
    gemeinden
        Full-resolution Gemeinden (EPSG:4326) with ``ags`` and ``name``.
    datasets_dir
        Output folder; unchanged if anything fails.
    src, vwg
        The VG250 inputs read (Gemeinden; Verwaltungsgemeinschaften if used).
    command
        The command line recorded in the MANIFEST.

    Returns
    -------
    dict
        File name -> row count.
    """
    synthetic = district.synthetic
    population = (
        synthetic_population(district, gemeinden)
        if district.synthetic_population
        else pd.DataFrame(columns=_POPULATION_COLUMNS)
    )
    facilities = synthetic_facilities(district, gemeinden) if synthetic else []
    indicators = _indicators(population)
    hf = pd.DataFrame(
        [{"code": c, "name_de": v["de"], "name_en": v["en"]} for c, v in HANDLUNGSFELDER.items()]
    )
    package = {"file": src.input_file.name, "sha256": src.input_sha256}
    common = {"command": command, "input": package, "district": district.key}
    vintages = ", ".join(
        f"{v.year} ({'package' if v.source == 'package' else 'membership table'})"
        for v in district.vintages
    )
    synthetic_note = "SYNTHETIC test data generated by code (seeded); not real" if synthetic else ""
    outputs: dict[str, tuple[pd.DataFrame, dict[str, Any]]] = {
        MEMBERSHIP_FILE: (
            membership,
            {
                "title": "Gemeinden und ihre Verbandsgemeinde je Gebietsstand",
                "source": "BKG VG250 (package " + src.label + "): Gemeinde keys (RS) and the "
                "layer verwaltungsgemeinschaften" + (f" ({vwg.input_file.name})" if vwg else ""),
                "licence": "dl-de/by-2-0 (BKG); derived",
                "reference_date": PACKAGE_AS_OF,
                "note": f"vintages: {vintages}",
            },
        ),
        POPULATION_FILE: (
            population,
            {
                "title": "Einwohner je Gemeinde"
                + (" (SYNTHETISCH)" if district.synthetic_population else ""),
                "source": _synthetic_source(district)
                if district.synthetic_population
                else "none: no population source is configured for this district",
                "licence": "synthetic" if district.synthetic_population else "-",
                "reference_date": PACKAGE_AS_OF if district.synthetic_population else "-",
                "note": synthetic_note
                if district.synthetic_population
                else "no rows: the app shows 'keine Daten' for population",
                **({"synthetic": True} if district.synthetic_population else {}),
            },
        ),
        FACILITIES_FILE: (
            facilities_to_frame(facilities),
            {
                "title": "Einrichtungen" + (" (SYNTHETISCH)" if synthetic else ""),
                "source": _synthetic_source(district)
                if synthetic
                else "none: the administrations import their lists (page Import)",
                "licence": "synthetic" if synthetic else "-",
                "reference_date": PACKAGE_AS_OF if synthetic else "-",
                "note": synthetic_note or "no facilities are shipped for this district",
                **({"synthetic": True} if synthetic else {}),
            },
        ),
        PROJECTS_FILE: (
            projects_to_frame([]),
            {
                "title": "Projekte",
                "source": "none",
                "licence": "-",
                "reference_date": "-",
                "note": "no projects are shipped for this district",
            },
        ),
        INDICATORS_FILE: (
            indicators,
            {
                "title": "Indikatoren (Langformat)",
                "source": "population_gemeinden.csv",
                "licence": "synthetic" if district.synthetic_population else "-",
                "reference_date": PACKAGE_AS_OF if len(indicators) else "-",
                "note": synthetic_note if len(indicators) else "no indicator values",
                **({"synthetic": True} if district.synthetic_population else {}),
            },
        ),
        HANDLUNGSFELDER_FILE: (
            hf,
            {
                "title": "Handlungsfelder (Klassifikation der Angebote)",
                "source": "the app's classification of offers (dashboard.domain.model)",
                "licence": "-",
                "reference_date": "-",
            },
        ),
    }

    def write(staging: Path) -> None:
        manifest: dict[str, Any] = {
            "description": f"Datasets of district {district.key}, derived by "
            "python -m dashboard build-geodata"
            + (" (SYNTHETIC test configuration)" if synthetic else ""),
            "outputs": {},
        }
        for name, (frame, entry) in outputs.items():
            frame.to_csv(staging / name, index=False, lineterminator="\n")
            manifest["outputs"][name] = {
                **common,
                **entry,
                "rows": len(frame),
                "sha256": sha256_file(staging / name),
            }
        (staging / MANIFEST_NAME).write_text(dumps_manifest(manifest), encoding="utf-8")

    publish(datasets_dir, write)
    return {name: len(frame) for name, (frame, _) in outputs.items()}
