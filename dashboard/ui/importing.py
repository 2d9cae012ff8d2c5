"""Widgets of the import page: column mapping, validation report, preview."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.render.tables import import_preview_table, import_problems_table
from dashboard.services.importing import FIELDS, ImportPlan, Upload
from dashboard.services.outputs import csv_bytes
from dashboard.ui.text import plain, table


def mapping(upload: Upload, key: str, lang: str) -> dict[str, str]:
    """The proposed column mapping, confirmed or changed by the user."""
    chosen = upload.proposed_mapping()
    if upload.canonical:
        return chosen
    with st.expander(t("imp.mapping", lang), expanded=True):
        st.caption(t("imp.mapping_help", lang))
        options = ["", *FIELDS]
        cols = st.columns(3)
        for i, header in enumerate(upload.columns):
            chosen[header] = cols[i % 3].selectbox(
                plain(header),
                options,
                index=options.index(chosen.get(header, "")),
                format_func=lambda o: o or t("imp.ignore", lang),
                key=f"map_{key}_{i}",
            )
    return chosen


def report(plan: ImportPlan, upload: Upload, lang: str) -> None:
    """Counts, the row-by-row validation report (with download) and the preview."""
    counts = {s: plan.count(s) for s in ("add", "change", "unchanged", "invalid")}
    (st.warning if counts["invalid"] else st.success)(t("imp.counts", lang, **counts))
    if plan.problems:
        st.subheader(t("imp.problems", lang))
        frame = import_problems_table(plan, lang)
        if len(frame) <= 200:  # a plain table: readable by screen readers and copyable
            table(frame)
        else:
            st.dataframe(frame, hide_index=True, width="stretch")
        st.download_button(
            t("imp.report_download", lang),
            csv_bytes(frame),
            file_name=f"pruefbericht-{PurePath(upload.name).stem}.csv",
            mime="text/csv",
            on_click="ignore",
        )
    st.subheader(t("imp.preview", lang))
    st.dataframe(import_preview_table(plan, lang), hide_index=True, width="stretch")
