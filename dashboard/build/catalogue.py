"""Build the shipped facilities, projects, Handlungsfelder and indicators into ``datasets/``.

Sources: ``raw/reference/facilities_public_sources.csv`` and
``indicators_public_sources.csv`` (facts with source and date per row), the council
paper 0285/2013 in ``raw/council-paper/`` (Handlungsfelder, named projects), the
population of the context areas and the neighbouring Kreise
(``kreise_population_landkreise-deutschland-3.0.0.csv``, made by
``python -m dashboard build-border-population``) and the corrections
``date_precision_and_confirmation.csv``: the date of a row as precise as its source gives
it (``2012``, not ``2012-01-01``) and whether its source says it is still to be confirmed.
Facilities documented only by their Gemeinde are placed at a point inside that Gemeinde
(precision ``gemeinde``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import cast

import geopandas as gpd
import pandas as pd

from dashboard.build import BuildError, input_entry
from dashboard.build.border import ATTRIBUTION as BORDER_ATTRIBUTION
from dashboard.build.border import LICENCE as BORDER_LICENCE
from dashboard.build.border import RAW_FILE as BORDER_FILE
from dashboard.config import CRS_DISPLAY, CRS_METRIC, District
from dashboard.data.files import (
    FACILITIES_FILE,
    HANDLUNGSFELDER_FILE,
    INDICATORS_FILE,
    PROJECTS_FILE,
)
from dashboard.data.records import facilities_to_frame, projects_to_frame
from dashboard.domain.dates import source_date, span
from dashboard.domain.model import (
    CATEGORIES,
    HANDLUNGSFELDER,
    AreaLevel,
    Facility,
    HandlungsfeldCode,
    IndicatorValue,
    Project,
)

#: The district's reference facts (``[reference]`` of its ``district.toml``).
COUNCIL_DATE = "2013"  # the council paper 0285/2013 names its year
#: The council paper's text, in the folder ``council-paper`` beside the reference facts.
COUNCIL_PAPER_FILE = Path("council-paper") / "beschlussvorlage-0285-2013-integrationskonzept.txt"

#: The projects the council paper names (23 are proposed; only these three are named).
NAMED_PROJECTS: list[dict[str, object]] = [
    {
        "id": "proj-sprache-lernen-im-verein",
        "title": "Sprache lernen im Verein",
        "handlungsfelder": ["sprache", "verein_ehrenamt"],
        "handlungsfeld_basis": "aus dem Titel abgeleitet; die Vorlage nennt kein Handlungsfeld",
        "status": "vorgeschlagen",
        "note": "neue Projektidee laut Vorlage",
    },
    {
        "id": "proj-mediale-plattform",
        "title": "Mediale Plattform",
        "handlungsfelder": [],
        "handlungsfeld_basis": "nicht angegeben",
        "status": "vorgeschlagen",
        "note": "neue Projektidee laut Vorlage",
    },
    {
        "id": "proj-einbuergerungskampagne",
        "title": "Einbürgerungskampagne des Landkreises",
        "handlungsfelder": ["interkulturelle_oeffnung"],
        "handlungsfeld_basis": "aus dem Inhalt abgeleitet; die Vorlage nennt kein Handlungsfeld",
        "status": "abgeschlossen",
        "lead_organisation": "",  # the district's ([reference] lead_organisation)
        "note": "bereits durchgeführte Maßnahme laut Vorlage",
    },
]

#: Corrections of the raw facts: dates in their source's precision, unconfirmed records.
CORRECTIONS_FILE = "date_precision_and_confirmation.csv"

_LEVELS: dict[str, AreaLevel] = {
    "landkreis": "landkreis",
    "vg": "vg_2019",
    "vg_2014": "vg_2014",
    "gemeinde": "gemeinde",
}


def _context_names(district: District) -> str:
    return ", ".join(c.name for c in district.context)


def stable_id(prefix: str, *parts: str) -> str:
    """A stable record id from identifying text (same input, same id, every build)."""
    digest = hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:10]
    return f"{prefix}-{digest}"


def gemeinde_points(geodata_dir: Path) -> dict[str, tuple[float, float]]:
    """AGS -> (lat, lon) of a point inside each Gemeinde (and the city), 6 decimals."""
    frames = []
    for name in ("gemeinden", "context"):
        path = geodata_dir / f"{name}.geojson"
        if not path.is_file():
            raise BuildError(f"{path}: file not found; run python -m dashboard build-geodata first")
        frames.append(gpd.read_file(path)[["ags", "geometry"]])
    gdf = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=CRS_DISPLAY)
    points = gdf.to_crs(CRS_METRIC).representative_point().to_crs(CRS_DISPLAY)
    return {str(a): (round(p.y, 6), round(p.x, 6)) for a, p in zip(gdf["ags"], points, strict=True)}


def read_corrections(reference_dir: Path) -> dict[tuple[str, str], dict[str, str]]:
    """(raw file name, record key) -> the corrected ``reference_date`` and ``confirmation``.

    Every corrected date must stand for a period holding the recorded one (the correction
    changes the precision, not the time).

    Raises
    ------
    BuildError
        For a missing file, an unknown date, a date outside the recorded one's period or a
        record listed twice.
    """
    path = reference_dir / CORRECTIONS_FILE
    if not path.is_file():
        raise BuildError(f"{path}: file not found; expected the date and confirmation corrections")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out: dict[tuple[str, str], dict[str, str]] = {}
    for i, row in df.iterrows():
        where = f"{path}: line {int(i) + 2}"
        try:
            date = source_date(row["reference_date"])
            first, last = span(date)
            recorded = dt.date.fromisoformat(row["reference_date_recorded"])
        except ValueError as exc:
            raise BuildError(f"{where}: {exc}") from exc
        if not first <= recorded <= last:
            raise BuildError(f"{where}: {date} does not hold the recorded date {recorded}")
        if row["confirmation"] not in ("", "unconfirmed"):
            raise BuildError(f"{where}: confirmation must be empty or 'unconfirmed'")
        key = (row["file"], row["record"])
        if key in out:
            raise BuildError(f"{where}: {row['record']!r} is corrected twice")
        out[key] = {
            "reference_date": date,
            "recorded": row["reference_date_recorded"],
            "confirmation": row["confirmation"],
        }
    return out


def _corrected(
    corrections: dict[tuple[str, str], dict[str, str]], path: Path, key: str, recorded: str
) -> dict[str, str]:
    found = corrections.get((path.name, key))
    if found is None:
        return {"reference_date": recorded, "confirmation": ""}
    if found["recorded"] != recorded:
        raise BuildError(
            f"{path}: {key!r} is dated {recorded}, its correction expects {found['recorded']}"
        )
    return found


def _facilities(
    path: Path,
    points: dict[str, tuple[float, float]],
    corrections: dict[tuple[str, str], dict[str, str]],
) -> list[Facility]:
    if not path.is_file():
        raise BuildError(f"{path}: file not found; expected the documented facilities")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out: list[Facility] = []
    for i, row in df.iterrows():
        ags = row["ags"]
        fixed = _corrected(corrections, path, f"{row['name']}|{ags}", row["reference_date"])
        located = row["precision"] == "gemeinde" and ags in points
        lat, lon = points[ags] if located else (None, None)
        try:
            out.append(
                Facility(
                    id=stable_id("ref", row["name"], ags),
                    name=row["name"],
                    category=row["category"],
                    handlungsfelder=list(
                        cast("list[HandlungsfeldCode]", CATEGORIES[row["category"]]["default_hf"])
                    ),
                    operator=row["operator"],
                    place=row["gemeinde"],
                    ags=ags,
                    lat=lat,
                    lon=lon,
                    precision="gemeinde" if located else "unknown",
                    languages=[x.strip() for x in row["languages"].split(",") if x.strip()],
                    source=row["source"],
                    reference_date=fixed["reference_date"],
                    unconfirmed=fixed["confirmation"] == "unconfirmed",
                    note=row["note"],
                )
            )
        except (ValueError, KeyError) as exc:
            raise BuildError(f"{path}: line {int(i) + 2}: {str(exc).splitlines()[0]}") from exc
    return out


def _indicators(
    path: Path,
    population: pd.DataFrame,
    corrections: dict[tuple[str, str], dict[str, str]],
    kreise: Path,
) -> pd.DataFrame:
    if not path.is_file():
        raise BuildError(f"{path}: file not found; expected the indicator table")
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    values: list[IndicatorValue] = []
    for i, row in df.iterrows():
        if row["area_level"] not in _LEVELS:
            raise BuildError(f"{path}: line {int(i) + 2}: unknown area_level {row['area_level']!r}")
        key = f"{row['indicator']}|{row['area_key']}|{row['reference_date']}"
        fixed = _corrected(corrections, path, key, row["reference_date"])
        try:
            values.append(
                IndicatorValue(
                    area_level=_LEVELS[row["area_level"]],
                    area_key=row["area_key"],
                    area_name=row["area_name"],
                    indicator=row["indicator"],
                    value=float(row["value"]),
                    unit=row["unit"],
                    reference_date=fixed["reference_date"],
                    source=row["source"],
                    note=row["note"],
                )
            )
        except ValueError as exc:
            raise BuildError(f"{path}: line {int(i) + 2}: {str(exc).splitlines()[0]}") from exc
    values += _kreise(kreise)
    for _, row in population.iterrows():
        values.append(
            IndicatorValue(
                area_level="gemeinde",
                area_key=row["ags"],
                area_name=row["name"],
                indicator="population",
                value=float(row["population"]),
                unit="persons",
                reference_date=row["population_date"],
                source=row["population_source"],
            )
        )
    frame = pd.DataFrame([v.model_dump(mode="json") for v in values])
    return frame.sort_values(["indicator", "area_level", "area_key", "reference_date"]).reset_index(
        drop=True
    )


def _kreise(path: Path) -> list[IndicatorValue]:
    """Population of the city and the neighbouring Kreise (area level ``kreis``)."""
    if not path.is_file():
        raise BuildError(
            f"{path}: file not found; run python -m dashboard build-border-population first"
        )
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    out = []
    for i, row in df.iterrows():
        try:
            out.append(
                IndicatorValue(
                    area_level="kreis",
                    area_key=row["ags"],
                    area_name=row["name"],
                    indicator="population",
                    value=float(row["population"]),
                    unit="persons",
                    reference_date=row["reference_date"],
                    source=row["source"],
                    note=f"{row['type']}; licence {row['licence']}",
                )
            )
        except (ValueError, KeyError) as exc:
            raise BuildError(f"{path}: line {int(i) + 2}: {str(exc).splitlines()[0]}") from exc
    return out


def build_catalogue(
    reference_dir: Path,
    geodata_dir: Path,
    population: pd.DataFrame,
    staging: Path,
    district: District,
) -> dict[str, dict[str, object]]:
    """Write facilities, projects, Handlungsfelder and indicators into ``staging``.

    Parameters
    ----------
    reference_dir
        Folder of the reference facts.
    geodata_dir
        Built boundaries (for the Gemeinde points).
    population
        Validated population per Gemeinde.
    staging
        Output folder (published by the caller).
    district
        The district built (its ``[reference]`` facts: council paper, lead organisation).

    Returns
    -------
    dict
        File name -> MANIFEST entry (without sha256).
    """
    fac_src = reference_dir / "facilities_public_sources.csv"
    ind_src = reference_dir / "indicators_public_sources.csv"
    kreise = reference_dir / BORDER_FILE
    paper = reference_dir.parent / COUNCIL_PAPER_FILE
    if not paper.is_file():
        raise BuildError(f"{paper}: file not found; expected the text of council paper 0285/2013")
    corrections = read_corrections(reference_dir)
    facilities = _facilities(fac_src, gemeinde_points(geodata_dir), corrections)
    reference = district.section("reference")
    council_paper = str(reference.get("council_paper", ""))
    lead = str(reference.get("lead_organisation", ""))
    projects = [
        Project(
            source=council_paper,
            reference_date=COUNCIL_DATE,
            **{**spec, **({"lead_organisation": lead} if "lead_organisation" in spec else {})},  # type: ignore[arg-type]
        )  # fmt: skip
        for spec in NAMED_PROJECTS
    ]
    indicators = _indicators(ind_src, population, corrections, kreise)
    fac_frame = facilities_to_frame(facilities)
    fac_frame.to_csv(staging / FACILITIES_FILE, index=False, lineterminator="\n")
    projects_to_frame(projects).to_csv(staging / PROJECTS_FILE, index=False, lineterminator="\n")
    indicators.to_csv(staging / INDICATORS_FILE, index=False, lineterminator="\n")
    pd.DataFrame(
        [{"code": c, "name_de": v["de"], "name_en": v["en"]} for c, v in HANDLUNGSFELDER.items()]
    ).to_csv(staging / HANDLUNGSFELDER_FILE, index=False, lineterminator="\n")
    dates = sorted(str(f.reference_date) for f in facilities)
    in_city = sum(f.ags in district.context_ags for f in facilities)
    unconfirmed = sum(f.unconfirmed for f in facilities)
    fixes = input_entry(reference_dir / CORRECTIONS_FILE)
    return {
        FACILITIES_FILE: {
            "title": "Dokumentierte Einrichtungen (öffentliche Quellen)",
            "source": "per row: column source (regional press, Landtag, council paper, self-descriptions)",
            "input": input_entry(fac_src),
            "inputs": [fixes],
            "licence": "facts (not copyrightable); compiled by the project",
            "reference_date": (
                f"per row: column reference_date in its source's precision ({dates[0]} to "
                f"{dates[-1]})"
            ),
            "note": (
                f"{len(facilities)} facilities, names and Gemeinde only (no street addresses): "
                "placed at a point inside their Gemeinde, precision 'gemeinde'; "
                f"{in_city} in the city of {_context_names(district)} (outside the district, serving it); "
                "one without a known location (precision 'unknown'); "
                f"{unconfirmed} whose only source says they are still to be confirmed "
                "(unconfirmed). Dates as precise as their source (year, month or day, "
                f"{CORRECTIONS_FILE}). Handlungsfelder derived from the category "
                "(documented table in dashboard/domain/model.py)."
            ),
            "rows": len(facilities),
        },
        PROJECTS_FILE: {
            "title": "Projekte des Integrationskonzepts (in der Vorlage benannte)",
            "source": council_paper,
            "input": input_entry(paper),
            "licence": "public council paper",
            "reference_date": "2013",
            "note": "23 projects are proposed; the paper names three. Others are added by import.",
            "rows": len(projects),
        },
        HANDLUNGSFELDER_FILE: {
            "title": "Die neun Handlungsfelder des Integrationskonzepts",
            "source": council_paper,
            "input": input_entry(paper),
            "licence": "public council paper",
            "reference_date": "2013",
            "rows": len(HANDLUNGSFELDER),
        },
        INDICATORS_FILE: {
            "title": "Indikatoren (Langformat): Einwohner, Zensus, Geflüchtete, Schulen, ...",
            "source": (
                "per row: column source; Gemeinde population from population_gemeinden.csv; "
                "population of the context areas and the neighbouring Kreise from "
                f"{BORDER_FILE}"
            ),
            "input": input_entry(ind_src),
            "inputs": [fixes, input_entry(kreise)],
            "licence": (
                "facts (not copyrightable); compiled by the project; area level 'kreis': "
                f"{BORDER_LICENCE}, {BORDER_ATTRIBUTION}"
            ),
            "reference_date": (
                f"per row: column reference_date ({indicators['reference_date'].min()} "
                f"to {indicators['reference_date'].max()})"
            ),
            "rows": len(indicators),
        },
    }
