"""Words for the configured district's boundary vintages (one home for their labels).

The vintages are configuration (the district's ``vintages``); their labels and validity
texts are made here from the catalogue, so the vintage switch, map tooltips, printed maps
and reports say the same. The district is the one the messages name
(:func:`dashboard.i18n.catalogue.spoken_district`).
"""

from __future__ import annotations

from dashboard.i18n.catalogue import spoken_district, t, tn
from dashboard.i18n.format import fmt_date, fmt_int


def validity_text(vintage: int, lang: str) -> str:
    """When a vintage's VG boundaries were valid ("01.07.2014–30.06.2019", "seit ...").

    Parameters
    ----------
    vintage
        A configured vintage.
    lang
        ``de`` or ``en``.

    Raises
    ------
    ValueError
        For a vintage the district does not have.
    """
    v = spoken_district().vintage(vintage)
    if v.valid_from and v.valid_to:
        return t(
            "validity.from_to",
            lang,
            start=fmt_date(v.valid_from, lang),
            end=fmt_date(v.valid_to, lang),
        )
    if v.valid_to:
        return t("validity.until", lang, end=fmt_date(v.valid_to, lang))
    if v.valid_from:
        return t("validity.since", lang, start=fmt_date(v.valid_from, lang))
    if v.as_of:
        return t("validity.as_of", lang, date=fmt_date(v.as_of, lang))
    return t("validity.unknown", lang)


def vintage_label(vintage: int, lang: str, n_vgs: int | None = None) -> str:
    """The vintage as offered in the vintage switch ("2019 (6 VG, seit 01.07.2019, aktuell)").

    Parameters
    ----------
    vintage
        A configured vintage.
    lang
        ``de`` or ``en``.
    n_vgs
        Its number of VGs, if the caller has the boundaries at hand.
    """
    district = spoken_district()
    v = district.vintage(vintage)
    details = [] if n_vgs is None else [tn("vintage.n_vgs", n_vgs, lang, n=fmt_int(n_vgs, lang))]
    details.append(validity_text(vintage, lang))
    if vintage == district.current_vintage and v.valid_to is None and v.source != "package":
        details.append(t("vintage.current", lang))
    if v.source == "package":
        details.append(t("vintage.package", lang))
    return t("vintage.option", lang, year=str(v.year), details=", ".join(details))


def package_only_note(lang: str) -> str | None:
    """Why only one vintage is offered (``None`` if there are vintages from a table)."""
    district = spoken_district()
    if not district.package_only:
        return None
    return t("vintage.package_only", lang, validity=validity_text(district.current_vintage, lang))
