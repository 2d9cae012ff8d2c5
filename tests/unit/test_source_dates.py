"""Dates keep their source's precision from raw facts to the screen: "2012", not
"01.01.2012" (model, store, importer, exports, displays; one formatter)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from dashboard.config import get_settings
from dashboard.data.importer.plan import Defaults
from dashboard.data.store import Store
from dashboard.domain.dates import distance_days, precision, source_date, span
from dashboard.domain.model import Facility
from dashboard.export.facilities import export_facilities
from dashboard.i18n.format import fmt_date
from dashboard.render.print.steckbrief import all_vgs_report
from dashboard.services import outputs
from dashboard.services.context import load_boundaries
from dashboard.services.workspace import Workspace
from tests.conftest import REFERENCE, REPO, plan_file

DATASETS = REPO / "datasets"


def test_source_dates_parse_and_format_in_their_precision() -> None:
    assert source_date("2012") == "2012" and source_date(2012) == "2012"
    assert source_date("08.2024") == source_date("8/2024") == source_date("2024-08") == "2024-08"
    assert source_date("31.12.24") == source_date(dt.date(2024, 12, 31)) == "2024-12-31"
    assert [precision(v) for v in ("2012", "2024-08", "2024-08-01")] == ["year", "month", "day"]
    assert span("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert distance_days("2022", "2022-12-12") == 0 and distance_days("2021-12-31", "2022") == 1
    for bad in ("31.02.2025", "13.2024", "1800", "", "gestern"):
        with pytest.raises(ValueError):
            source_date(bad)
    assert [fmt_date(v, "de") for v in ("2012", "2024-08", "2024-08-01")] == [
        "2012", "08.2024", "01.08.2024",
    ]  # fmt: skip
    assert [fmt_date(v, "en") for v in ("2012", "2024-08", "2024-08-01")] == [
        "2012", "2024-08", "2024-08-01",
    ]  # fmt: skip
    assert Facility(id="x", name="x", category="Kita", precision="unknown", source="s",
                    reference_date="2012").reference_date == "2012"  # fmt: skip


def test_no_year_only_value_is_shown_as_the_first_of_january() -> None:
    corrections = pd.read_csv(REFERENCE / "date_precision_and_confirmation.csv", dtype=str,
                              keep_default_na=False)  # fmt: skip
    years = corrections[corrections["reference_date"].str.len() == 4]
    assert len(years) == 21  # 20 facilities and one indicator whose source gives a year only
    facilities = pd.read_csv(DATASETS / "facilities.csv", dtype=str, keep_default_na=False)
    indicators = pd.read_csv(DATASETS / "indicators.csv", dtype=str, keep_default_na=False)
    projects = pd.read_csv(DATASETS / "projects.csv", dtype=str, keep_default_na=False)
    by_record = {f"{n}|{a}": d for n, a, d in
                 zip(facilities["name"], facilities["ags"], facilities["reference_date"], strict=True)}  # fmt: skip
    for _, row in years.iterrows():
        if row["file"] == "facilities_public_sources.csv":
            assert by_record[row["record"]] == row["reference_date"], row["record"]
    # over every shipped value: a year stays a year on screen, and nothing reads "01.01."
    shipped = [*facilities["reference_date"], *indicators["reference_date"],
               *projects["reference_date"]]  # fmt: skip
    year_only = [d for d in shipped if len(d) == 4]
    assert len(year_only) >= 20 + 1 + 3  # facilities, the share of 2017, the three projects
    for value in shipped:
        for lang in ("de", "en"):
            shown = fmt_date(value, lang)
            assert not shown.startswith(("01.01.", "1.1.")) and not shown.endswith("-01-01")
            if len(value) == 4:
                assert shown == value
    # the three Kitas whose only source (2003) says "still to be confirmed" are unconfirmed
    unconfirmed = facilities[facilities["unconfirmed"] == "True"]
    assert sorted(unconfirmed["reference_date"]) == ["2003"] * 3
    assert set(unconfirmed["note"]) == {"old source; still to be confirmed"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    return Store(tmp_path_factory.mktemp("dates") / "s.gpkg", DATASETS)


def test_store_exports_and_reports_keep_the_precision(store: Store, tmp_path: Path) -> None:
    kita = next(f for f in store.facilities() if f.name == "Kita Eulenbis")
    assert kita.reference_date == "2012"  # the store keeps the text of its precision
    view = Workspace(store, None, load_boundaries(get_settings())).view()
    out = tmp_path / "f.csv"
    export_facilities(view.facilities(), "csv", out, "de", vintage=2019)
    text = out.read_text(encoding="utf-8-sig")
    assert ";2012;" in text and ";08.2024;" in text and "01.01.20" not in text
    xlsx = tmp_path / "f.xlsx"
    export_facilities(view.facilities(), "xlsx", xlsx, "de", vintage=2019)
    pdf = all_vgs_report(
        2019, out=tmp_path / "h.pdf", lang="de", context=view.render_context,
        analysis=outputs.gap_report(view, 2019, None),
    )  # fmt: skip
    handout = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "2012" in handout and not re.search(r"01\.01\.(19|20)\d\d", handout)


def test_the_importer_reads_a_year_or_a_month(store: Store, tmp_path: Path) -> None:
    from dashboard.data.importer import default_geocoder

    path = tmp_path / "liste.csv"
    path.write_text(
        "Name;Kategorie;Ort;Stand;Quelle\n"
        "Kita Jahr;Kita;Weilerbach;2019;Liste\n"
        "Kita Monat;Kita;Weilerbach;03.2021;Liste\n"
        "Kita Tag;Kita;Weilerbach;15.03.2021;Liste\n",
        encoding="utf-8",
    )
    plan = plan_file(path, store, default_geocoder(get_settings()), Defaults())
    assert [r.facility.reference_date for r in plan.rows if r.facility] == [
        "2019", "2021-03", "2021-03-15",
    ]  # fmt: skip


def test_offers_still_to_be_confirmed_are_shown_so(store: Store) -> None:
    from dashboard.render.tables import facility_table
    from dashboard.render.web.codec import unpack_strings
    from dashboard.render.web.resources import facility_payload

    view = Workspace(store, None, load_boundaries(get_settings())).view()
    payload, ids = facility_payload(view.active(), "de")
    marked = "2003 · Bestätigung ausstehend (nicht in der Versorgungsanalyse)"
    assert marked in unpack_strings(payload["cols"]["date"], len(ids))
    table = facility_table(view.active(), "de", vintage=2019)
    status = table.set_index("Name")["Status"]
    assert status["Kommunale Kita Pinocchio"] == (
        "aktiv · Bestätigung ausstehend (nicht in der Versorgungsanalyse)"
    )
    assert status["Kita Eulenbis"] == "aktiv"
