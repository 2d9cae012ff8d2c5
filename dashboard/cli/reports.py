"""What ``python -m dashboard report`` and ``python -m dashboard map`` call.

``report --vg Landstuhl --format pdf --out landstuhl.pdf`` writes one VG handout,
``report --all-vgs --out handout.pdf`` all of them in one PDF, ``map --indicator
refugees_ukraine --per-1000 --format png --paper A4 --out map.png`` a printable map.
Data is loaded as the app loads it (settings, store, shipped boundaries).
"""

from __future__ import annotations

import sys
from pathlib import Path

import geopandas as gpd

from dashboard.config import CURRENT_VINTAGE
from dashboard.render.print.static_map import MAP_FORMATS, paper_size_mm, render_map
from dashboard.render.print.steckbrief import (
    Progress,
    ReportContext,
    all_vgs_report,
    load_context,
    vg_report,
)

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
        ``Landstuhl``, ``VG Landstuhl``, ``landstuhl`` or ``073355011``.
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
    keys = vgs["rs"].astype(str).tolist()
    names = vgs["name"].astype(str).tolist()
    wanted = vg.strip()
    if wanted in keys:
        return wanted
    folded = _fold(wanted)
    hits = [k for k, n in zip(keys, names, strict=True) if _fold(n) == folded]
    if len(hits) == 1:
        return hits[0]
    valid = ", ".join(f"{n} ({k})" for n, k in sorted(zip(names, keys, strict=True)))
    raise ValueError(f"unknown VG {vg!r}; valid: {valid}")


def stderr_progress(step: int, total: int, message: str) -> None:
    """Print ``[step/total] message`` to standard error (progress of long exports)."""
    print(f"[{step}/{total}] {message}", file=sys.stderr, flush=True)


def cli_report(
    vg: str | None,
    all_vgs: bool,
    fmt: str,
    out: Path,
    vintage: int = CURRENT_VINTAGE,
    lang: str = "de",
    *,
    progress: Progress | None = None,
    context: ReportContext | None = None,
) -> Path:
    """Write a VG handout (``vg``) or the handout of all VGs (``all_vgs``).

    Parameters
    ----------
    vg
        VG name or 9-digit key of ``vintage``; ``None`` with ``all_vgs``.
    all_vgs
        One PDF with a section per VG.
    fmt
        ``pdf``.
    out
        Target file.
    vintage
        Boundary vintage.
    lang
        ``de`` or ``en``.
    progress
        Progress callback, e.g. :func:`stderr_progress`.
    context
        Loaded data; default :func:`dashboard.render.print.steckbrief.load_context`.

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
        raise ValueError(f"unknown report format {fmt!r}; expected one of {REPORT_FORMATS}")
    if bool(vg) == bool(all_vgs):
        raise ValueError("give either a VG (--vg NAME) or --all-vgs")
    ctx = context or load_context()
    if vintage not in ctx.data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(ctx.data.vgs)}")
    if all_vgs:
        return all_vgs_report(vintage, out=out, lang=lang, context=ctx, progress=progress)
    key = resolve_vg(str(vg), ctx.data.vgs[vintage])
    return vg_report(key, vintage, out=out, lang=lang, context=ctx, progress=progress)


def cli_map(
    indicator: str | None,
    level: str,
    fmt: str,
    paper: str,
    orientation: str,
    out: Path,
    vintage: int = CURRENT_VINTAGE,
    lang: str = "de",
    per_1000: bool = False,
    scheme: str = "quantiles",
    k: int = 4,
    *,
    vg: str | None = None,
    dpi: int = 300,
    breaks: tuple[float, ...] = (),
    facilities: bool = True,
    context: ReportContext | None = None,
) -> Path:
    """Write a printable map of the district (or one VG) as PNG or PDF.

    Parameters
    ----------
    indicator
        Indicator to shade (e.g. ``refugees_ukraine``); ``None`` or "" for none.
    level
        ``vg`` or ``gemeinde``.
    fmt
        ``png`` or ``pdf``.
    paper, orientation
        ``A4``/``A3``, ``landscape``/``portrait``.
    out
        Target file.
    vintage
        Boundary vintage.
    lang
        ``de`` or ``en``.
    per_1000, scheme, k, breaks
        As on the map page (:func:`dashboard.analysis.classify.build_choropleth`).
    vg
        Zoom to this VG (name or key).
    dpi
        PNG resolution.
    facilities
        Draw the active offers (never the sensitive categories).
    context
        Loaded data; default :func:`dashboard.render.print.steckbrief.load_context`.

    Returns
    -------
    pathlib.Path
        The written file.

    Raises
    ------
    ValueError
        For an unknown indicator (listing the available ones), level, format, paper,
        orientation or VG.
    """
    from dashboard.analysis.classify import available_indicators, build_choropleth

    if fmt not in MAP_FORMATS:
        raise ValueError(f"unknown map format {fmt!r}; expected one of {MAP_FORMATS}")
    if level not in ("vg", "gemeinde"):
        raise ValueError(f"unknown level {level!r}; expected vg or gemeinde")
    paper_size_mm(paper, orientation)  # validates both
    ctx = context or load_context()
    data = ctx.data
    if vintage not in data.vgs:
        raise ValueError(f"unknown vintage {vintage}; expected one of {sorted(data.vgs)}")
    choropleth = None
    if indicator:
        available = available_indicators(ctx.values, level, vintage)
        if indicator not in available:
            raise ValueError(
                f"unknown indicator {indicator!r} for level {level}; available: "
                + ", ".join(available)
            )
        keys = list(data.gemeinden["ags"] if level == "gemeinde" else data.vgs[vintage]["rs"])
        choropleth = build_choropleth(
            ctx.values,
            data.membership,
            keys,
            indicator,
            level,
            vintage,
            per_1000,
            scheme,
            k,
            tuple(breaks),
        )
    key = resolve_vg(vg, data.vgs[vintage]) if vg else ""
    located = ctx.located[ctx.located["status"] == "active"] if facilities else None
    return render_map(
        data,
        vintage,
        located,
        choropleth,
        paper=paper.upper(),
        orientation=orientation,
        dpi=dpi,
        fmt=fmt,
        lang=lang,
        out=out,
        choropleth_level=level,
        selected_vg=key,
    )
