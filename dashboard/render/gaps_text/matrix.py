"""Words of the coverage: which lists are confirmed, and what an empty matrix cell means."""

from __future__ import annotations

import pandas as pd

from dashboard.domain.model import HANDLUNGSFELDER
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render.gaps_text.labels import column_label, vg_label


def meaning_text(code: str, handlungsfeld: str, vg: str, lang: str) -> str:
    """What an empty cell of the coverage matrix means (``""`` for a full cell)."""
    if not code:
        return ""
    hf = t(f"hf.{handlungsfeld}", lang)
    return t(f"gaps.meaning.{code}", lang, hf=hf, vg=vg_label(vg, lang))


def meanings(matrix: pd.DataFrame, lang: str) -> list[str]:
    """:func:`meaning_text` of every row of :func:`dashboard.analysis.gaps.coverage_matrix`."""
    return [
        meaning_text(str(code), str(hf), str(vg), lang)
        for code, hf, vg in zip(
            matrix["meaning"], matrix["handlungsfeld"], matrix["vg"], strict=True
        )
    ]


def matrix_tables(matrix: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """VG x Handlungsfeld cells "offers / projects", and a same-shaped frame of meanings.

    Rows are the VGs (index labelled in ``lang``), columns the Handlungsfelder in model
    order, labelled in ``lang``. A cell without a recorded offer whose lists are not
    confirmed shows ``?`` for the offers: unknown, not none.
    """
    known = matrix["list_complete"] if "list_complete" in matrix else True
    offers = matrix["offers"].astype(str).where((matrix["offers"] > 0) | known, "?")
    cells = matrix.assign(
        hf=[t(f"hf.{c}", lang) for c in matrix["handlungsfeld"]],
        cell=offers + " / " + matrix["projects"].astype(str),
        text=meanings(matrix, lang),
    )
    order = [t(f"hf.{c}", lang) for c in HANDLUNGSFELDER]
    table = cells.pivot(index="vg", columns="hf", values="cell").reindex(columns=order)
    meaning = cells.pivot(index="vg", columns="hf", values="text").reindex(columns=order)
    for frame in (table, meaning):
        frame.index.name = column_label("vg", lang)
        frame.columns.name = None
    return table, meaning.fillna("")


def coverage_table(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The coverage summary: VGs as rows, categories as columns, each cell the list's date
    (``vollständig, Stand 11.2026``) or ``unbekannt``."""
    cells = summary.assign(
        cat=[t(f"cat.{c}", lang) for c in summary["category"]],
        cell=[
            t("gaps.coverage_cell", lang, date=fmt_date(d, lang) if d else "–")
            if ok
            else t("gaps.coverage.unknown", lang)
            for ok, d in zip(summary["complete"], summary["as_of"], strict=True)
        ],
    )
    order = list(dict.fromkeys(cells["cat"]))
    table = cells.pivot(index="vg", columns="cat", values="cell").reindex(columns=order)
    table.index.name = column_label("vg", lang)
    table.columns.name = None
    return table


def coverage_line(summary: pd.DataFrame, lang: str) -> str:
    """One sentence: how many of the VG lists are confirmed complete."""
    done = int(summary["complete"].sum())
    return tn(
        "gaps.coverage_line", done, lang, done=fmt_int(done, lang),
        total=fmt_int(len(summary), lang),
    )  # fmt: skip
