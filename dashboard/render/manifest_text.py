"""The words of a data folder's MANIFEST in the page's language.

The data builds (``python -m dashboard build-datasets``, ``build-geodata``) describe each
file they write in ``MANIFEST.json``: a title (German), where the data comes from, its
licence and date (English). Those texts are written by the product, so a page shows them
in its own language: :func:`manifest_words` recognises each phrase a build writes
(:data:`PHRASES`) and words it from the catalogue (``manifest.*``), with the phrase's
variable parts (a year, dates, a package) put in. A text no build writes (a file put there
by hand) is shown as written.

``tests/unit/test_manifest_text.py`` checks that every text of the shipped manifests is
recognised, so a build that writes a new phrase is noticed.
"""

from __future__ import annotations

import datetime as dt
import re

from dashboard.i18n.catalogue import N_, t
from dashboard.i18n.format import MISSING, fmt_date

_DATE = r"\d{4}(?:[-/]\d{2}(?:[-/]\d{2})?)?|\d{2}\.\d{2}\.\d{4}"

#: Each phrase the data builds write (a regular expression of the whole text) and the
#: message that words it; named groups fill the message's placeholders (``date*`` groups
#: are dates, worded per language).
PHRASES: tuple[tuple[str, str], ...] = (
    # titles
    (r"Dokumentierte Einrichtungen \(öffentliche Quellen\)", N_("manifest.title.facilities_public")),
    (r"Einrichtungen", N_("manifest.title.facilities")),
    (r"Einrichtungen \(SYNTHETISCH\)", N_("manifest.title.facilities_synthetic")),
    (r"Gemeinden (?:des|der) .+ und ihre Verbandsgemeinde je Gebietsstand", N_("manifest.title.membership")),
    (r"Gemeinden und ihre Verbandsgemeinde je Gebietsstand", N_("manifest.title.membership")),
    (r"Die neun Handlungsfelder des Integrationskonzepts", N_("manifest.title.handlungsfelder_paper")),
    (r"Handlungsfelder \(Klassifikation der Angebote\)", N_("manifest.title.handlungsfelder")),
    (r"Indikatoren \(Langformat\): Einwohner, Zensus, Geflüchtete, Schulen, \.\.\.", N_("manifest.title.indicators_public")),
    (r"Indikatoren \(Langformat\)", N_("manifest.title.indicators")),
    (r"Einwohner je Gemeinde \(Stand je Wert verschieden\)", N_("manifest.title.population_mixed")),
    (r"Einwohner je Gemeinde", N_("manifest.title.population")),
    (r"Einwohner je Gemeinde \(SYNTHETISCH\)", N_("manifest.title.population_synthetic")),
    (r"Projekte des Integrationskonzepts \(in der Vorlage benannte\)", N_("manifest.title.projects_paper")),
    (r"Projekte", N_("manifest.title.projects")),
    (r"Kontextgebiet: keines konfiguriert", N_("manifest.title.context_none")),
    (r"Kontextgebiet: .+, vereinfacht \(Web\)", N_("manifest.title.context_web")),
    (r"Kontextgebiet: .+", N_("manifest.title.context")),
    (r"Gemeinden, vereinfacht \(Web\)", N_("manifest.title.gemeinden_web")),
    (r"Gemeinden (?:des|der) .+", N_("manifest.title.gemeinden")),
    (r"Umriss, vereinfacht \(Web\)", N_("manifest.title.outline_web")),
    (r".+, Umriss", N_("manifest.title.outline")),
    (r"Verbandsgemeinden (?P<year>\d{4}), vereinfacht \(Web\)", N_("manifest.title.vg_web")),
    (r"Verbandsgemeinden, Gebietsstand (?P<year>\d{4})", N_("manifest.title.vg")),
    # sources
    (r"per row: column source \(regional press, Landtag, council paper, self-descriptions\)", N_("manifest.source.facilities")),
    (
        r"Reference facts collected from public sources \(Wikipedia \(de\) pages of the "
        rf"Verbandsgemeinden\); boundary changes of (?P<date_a>{_DATE}) and (?P<date_b>{_DATE})",
        N_("manifest.source.membership"),
    ),
    (r"per row: column population_source \(Wikipedia \(de\) pages and mirrors\)", N_("manifest.source.population")),
    (
        r"per row: column source; Gemeinde population from population_gemeinden\.csv; "
        r"population of the context areas and the neighbouring Kreise from "
        r"kreise_population_(?P<package>.+)\.csv",
        N_("manifest.source.indicators"),
    ),
    (r"BKG Verwaltungsgebiete 1:250 000 \(VG250\), layer Gemeinden", N_("manifest.source.vg250")),
    (
        r"BKG VG250 \(package (?P<package>[^)]+)\): Gemeinde keys \(RS\) and the layer "
        r"verwaltungsgemeinschaften(?: \(.+\))?",
        N_("manifest.source.vg250_vwg"),
    ),
    (r"none: no population source is configured for this district", N_("manifest.source.no_population")),
    (r"none: the administrations import their lists \(page Import\)", N_("manifest.source.no_facilities")),
    (r"none", N_("manifest.source.none")),
    (r"population_gemeinden\.csv", N_("manifest.source.population_table")),
    (r"the app's classification of offers \(dashboard\.domain\.model\)", N_("manifest.source.classification")),
    # licences
    (r"facts \(not copyrightable\); compiled by the project", N_("manifest.licence.facts")),
    (r"facts \(not copyrightable\); compiled by the project; area level 'kreis': (?P<kreis>.+)", N_("manifest.licence.facts_kreis")),
    (r"public council paper", N_("manifest.licence.council_paper")),
    (r"Datenlizenz Deutschland – Namensnennung – Version 2\.0 \(dl-de/by-2-0\); GeoNutzV", N_("manifest.licence.dl_de_by")),
    (r"dl-de/by-2-0 \(BKG\); derived", N_("manifest.licence.bkg_derived")),
    (r"synthetic", N_("manifest.licence.synthetic")),
    # dates
    (
        rf"per row: column reference_date in its source's precision \((?P<date_a>{_DATE}) to (?P<date_b>{_DATE})\)",
        N_("manifest.date.per_row_precision"),
    ),
    (rf"per row: column (?:reference|population)_date \((?P<date_a>{_DATE}) to (?P<date_b>{_DATE})\)", N_("manifest.date.per_row")),
    (rf"(?P<year>\d{{4}}) \(newest WSK in the input: (?P<date_a>{_DATE})\)", N_("manifest.date.vg250")),
    (rf"(?P<date_a>{_DATE})", N_("manifest.date.date")),
)  # fmt: skip

_COMPILED = tuple((re.compile(pattern), key) for pattern, key in PHRASES)


def _date(text: str, lang: str) -> str:
    """A date as the builds write it (``2024-08``, ``2016/01/01``, ``01.07.2014``)."""
    if re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", text):
        return fmt_date(dt.datetime.strptime(text, "%d.%m.%Y").date(), lang)
    return fmt_date(text.replace("/", "-"), lang)


def known(text: str) -> bool:
    """Whether ``text`` is a phrase a data build writes (and so has words in the catalogue)."""
    return any(pattern.fullmatch(text) for pattern, _ in _COMPILED) or text in ("", "-")


def manifest_words(text: object, lang: str) -> str:
    """A MANIFEST text in ``lang``: the catalogue's words for a phrase a build writes, the
    text as written otherwise; ``–`` for none.

    Parameters
    ----------
    text
        A title, source, licence or date of a MANIFEST entry.
    lang
        ``de`` or ``en``.
    """
    text = "" if text is None else str(text).strip()
    if text in ("", "-"):
        return MISSING
    for pattern, key in _COMPILED:
        match = pattern.fullmatch(text)
        if match:
            values = {
                name: _date(value, lang) if name.startswith("date") else value
                for name, value in match.groupdict().items()
                if value is not None
            }
            return t(key, lang, **values)
    return text
