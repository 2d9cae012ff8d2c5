"""What ``python -m dashboard report`` and ``python -m dashboard map`` call.

``report --vg NAME --format pdf --out vg.pdf`` writes one VG handout,
``report --all-vgs --out handout.pdf`` all of them in one PDF, ``map --indicator
refugees_ukraine --per-1000 --format png --paper A4 --out map.png`` a printable map.
The data comes through the service, as the audience may see it
(:mod:`dashboard.services.outputs`): by default the public's view.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import geopandas as gpd

from dashboard.domain.indicators import kind_in, refuse_per_1000
from dashboard.domain.viewstate import ViewState
from dashboard.i18n.catalogue import N_
from dashboard.i18n.message import Refused
from dashboard.services import outputs
from dashboard.services.view import RoleView

#: Formats of ``map``.
MAP_FORMATS: tuple[str, ...] = ("png", "pdf")

#: Formats of ``report``.
REPORT_FORMATS: tuple[str, ...] = ("pdf",)


def _fold(text: str) -> str:
    text = text.strip().casefold()
    for prefix in ("verbandsgemeinde ", "vg "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return " ".join(text.replace("ß", "ss").split())


def resolve_vg(vg: str, vgs: gpd.GeoDataFrame) -> str:
    """The 9-digit key of a VG given by name (case-insensitive, "VG " optional) or key.

    Parameters
    ----------
    vg
        its name, ``VG`` and its name, in any case, or its 9-digit key.
    vgs
        The VGs of one vintage (columns ``rs``, ``name``).

    Returns
    -------
    str
        The key.

    Raises
    ------
    ValueError
        For an unknown VG, listing the valid names and keys.
    """
    keys: list[str] = vgs["rs"].astype(str).tolist()
    names: list[str] = vgs["name"].astype(str).tolist()
    wanted = vg.strip()
    if wanted in keys:
        return wanted
    folded = _fold(wanted)
    hits = [k for k, n in zip(keys, names, strict=True) if _fold(n) == folded]
    if len(hits) == 1:
        return hits[0]
    valid = ", ".join(f"{n} ({k})" for n, k in sorted(zip(names, keys, strict=True)))
    raise Refused(N_("err.unknown_vg_name"), vg=vg, valid=valid)


def stderr_progress(step: int, total: int, message: str) -> None:
    """Print ``[step/total] message`` to standard error (progress of long exports)."""
    print(f"[{step}/{total}] {message}", file=sys.stderr, flush=True)


def cli_report(
    view: RoleView,
    vg: str | None,
    all_vgs: bool,
    fmt: str,
    out: Path,
    vintage: int | None = None,
    lang: str = "de",
    *,
    progress: outputs.Progress | None = None,
) -> Path:
    """Write a VG Steckbrief (``vg``) or the handout of all VGs (``all_vgs``).

    Parameters
    ----------
    view
        Whose view the file shows (the public by default on the command line).
    vg
        VG name or 9-digit key of ``vintage``; ``None`` with ``all_vgs``.
    all_vgs
        One PDF with a section per VG.
    fmt
        ``pdf``.
    out
        Target file.
    vintage
        Boundary vintage (default: the district's current one).
    lang
        ``de`` or ``en``.
    progress
        Progress callback, e.g. :func:`stderr_progress`.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        For an unknown VG (listing the valid names), a wrong format, or neither/both of
        ``vg`` and ``all_vgs``.
    """
    if fmt not in REPORT_FORMATS:
        raise Refused(N_("err.unknown_format"), value=fmt, expected=list(REPORT_FORMATS))
    if bool(vg) == bool(all_vgs):
        raise Refused(N_("err.vg_or_all"))
    vgs = view.district.vgs
    vintage = _vintage(view, vintage)
    if all_vgs:
        data = outputs.handout_pdf(view, vintage, lang, progress)
    else:
        key = resolve_vg(str(vg), vgs[vintage])
        data = outputs.steckbrief_pdf(view, key, vintage, lang, progress)
    out.write_bytes(data)
    return out


def _vintage(view: RoleView, vintage: int | None) -> int:
    """The vintage asked for (default: the district's current one), if the district has it."""
    chosen = view.current_vintage if vintage is None else vintage
    if chosen not in view.district.vgs:
        raise Refused(
            N_("err.unknown_vintage"),
            vintage=str(chosen),
            expected=[str(v) for v in sorted(view.district.vgs)],
        )
    return chosen


def _check_indicator(
    view: RoleView, indicator: str, level: str, vintage: int, per_1000: bool
) -> None:
    """Refuse an indicator without values at ``level`` (listing those with values), and a
    share or rate per 1,000 (the reason, not a blank map)."""
    available = view.indicator_choices(level, vintage)
    if indicator not in available:
        raise Refused(
            N_("err.unknown_indicator"), indicator=indicator, level=level, available=list(available)
        )
    if per_1000:
        refuse_per_1000(indicator, kind_in(view.indicators(), indicator))


def _check_map_format(fmt: str, level: str, paper: str, orientation: str) -> None:
    """Refuse an unknown format, level, paper or orientation (``ValueError``)."""
    if fmt not in MAP_FORMATS:
        raise Refused(N_("err.unknown_format"), value=fmt, expected=list(MAP_FORMATS))
    if level not in ("vg", "gemeinde"):
        raise Refused(N_("err.unknown_level"), level=level)
    if paper.upper() not in ("A4", "A3") or orientation not in ("landscape", "portrait"):
        raise Refused(N_("err.unknown_paper"), paper=paper, orientation=orientation)


def cli_map(
    view: RoleView,
    indicator: str | None,
    level: str,
    fmt: str,
    paper: str,
    orientation: str,
    out: Path,
    vintage: int | None = None,
    lang: str = "de",
    per_1000: bool = False,
    scheme: str = "quantiles",
    k: int = 4,
    *,
    vg: str | None = None,
    dpi: int = 300,
    breaks: tuple[float, ...] = (),
    facilities: bool = True,
) -> Path:
    """Write a printable map of the district (or one VG) as PNG or PDF.

    Parameters
    ----------
    view
        Whose view the map shows.
    indicator
        Indicator to shade (e.g. ``refugees_ukraine``); ``None`` or "" for none.
    level
        ``vg`` or ``gemeinde``.
    fmt, paper, orientation
        ``png``/``pdf``, ``A4``/``A3``, ``landscape``/``portrait``.
    out
        Target file.
    vintage
        Boundary vintage (default: the district's current one).
    lang
        ``de`` or ``en``.
    per_1000, scheme, k, breaks
        As on the map page.
    vg
        Zoom to this VG (name or key).
    dpi
        PNG resolution.
    facilities
        Draw the active offers (never the sensitive categories).

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        For an unknown indicator (listing the available ones), level, format, paper,
        orientation or VG, and for a share or rate per 1,000 (``IndicatorRefused``).
    """
    _check_map_format(fmt, level, paper, orientation)
    vgs = view.district.vgs
    vintage = _vintage(view, vintage)
    if indicator:
        _check_indicator(view, indicator, level, vintage, per_1000)
    layers: tuple[str, ...] = ("facilities",) if facilities else ()
    layers += ("choropleth",) if indicator else ()
    state = ViewState(
        lang=lang, vintage=vintage, layers=(*layers, "gemeinden", "city"),
        indicator=indicator or "", level=level, per_1000=per_1000, scheme=scheme, k=k,
        breaks=tuple(breaks), vg=resolve_vg(vg, vgs[vintage]) if vg else "",
    )  # fmt: skip
    data = outputs.map_file(
        view, state, dt.date.today(), paper=paper.upper(), orientation=orientation, fmt=fmt,
        dpi=dpi,
    )  # fmt: skip
    out.write_bytes(data)
    return out
