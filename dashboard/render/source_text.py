"""A record's source in the reader's language.

The shipped reference facts cite their sources partly in English words written by the
project ("Wikipedia (de) mirror, ...", "Die Rheinpfalz, article arid 5684625 (August
2024)", "... figures reported by ...") and partly in German ("Stand 31.12.2021"). The names
in a source (a newspaper, an office, an article number) stay as they are; the connecting
words the project wrote are worded from the catalogue (``source.*``) and a month name in
the reader's language, so a German print has no English words in its sources and an
English one none of these German ones. One home: every print, footer and note that names
a source calls :func:`source_words`.
"""

from __future__ import annotations

import datetime as dt
import re

from babel.dates import get_month_names

from dashboard.i18n.catalogue import LOCALES, N_, check_language, t
from dashboard.i18n.format import fmt_date

#: The words the project wrote into its source citations (a regular expression each) and
#: the message that words them.
PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bmirror\b", N_("source.mirror")),
    (r"\bfigures reported by\b", N_("source.figures_reported_by")),
    (r"\bresult as reported by\b", N_("source.result_reported_by")),
    (r"\barticle\b", N_("source.article")),
    (r"\bportrait of VG\b", N_("source.portrait_of_vg")),
    (r"\bself-description\b", N_("source.self_description")),
    (r"\banswer to a parliamentary question\b", N_("source.parliamentary_answer")),
    (r"\bcouncil paper of the Landkreis\b", N_("source.council_paper")),
    (r"\bvenue of the integration-concept workshop on\b", N_("source.workshop_venue")),
    (r"\breports\b", N_("source.reports")),
    (r"\band\b", N_("source.and")),
    (r"\bpage\b", N_("source.page")),
    (r"\binfobox\b", N_("source.infobox")),
    (r"\bvia\b", N_("source.via")),
    (r"\bEinwohnertabelle\b", N_("source.population_table")),
    (r"\bEinwohner am\b", N_("source.population_on")),
    (r"\bStand\b", N_("source.as_of")),
)
_PATTERN = re.compile("|".join(f"({p})" for p, _ in PHRASES))
_MONTHS_EN = tuple(get_month_names("wide", locale="en_GB")[i] for i in range(1, 13))
_MONTH = re.compile(rf"\b({'|'.join(_MONTHS_EN)}) (\d{{4}})\b")
#: A day in a citation, German (31.12.2018) or ISO (2018-12-31): written as the reader's
#: language writes dates.
_DAY = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


def _day(m: re.Match[str], lang: str) -> str:
    day, month, year = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    try:
        return fmt_date(dt.date(int(year), int(month), int(day)), lang)
    except ValueError:  # not a date after all (31.02.2018): kept as written
        return m[0]


def source_words(source: object, lang: str) -> str:
    """A source citation with the project's connecting words, month names and days in
    ``lang`` (``Die Rheinpfalz, Artikel arid 5684625 (August 2024)``; ``as of 2018-12-31``);
    names kept as written."""
    text = "" if source is None else str(source)
    if not text:
        return text
    lang = check_language(lang)

    def phrase(m: re.Match[str]) -> str:
        key = PHRASES[(m.lastindex or 1) - 1][1]
        return t(key, lang)

    months = get_month_names("wide", locale=LOCALES[lang])

    def month(m: re.Match[str]) -> str:
        return f"{months[_MONTHS_EN.index(m.group(1)) + 1]} {m.group(2)}"

    worded = _MONTH.sub(month, _PATTERN.sub(phrase, text))
    return _DAY.sub(lambda m: _day(m, lang), worded)
