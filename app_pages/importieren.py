"""Import page: upload, confirm the column mapping, check every row, then import."""

import hashlib
import tempfile
from pathlib import Path

import streamlit as st

from dashboard.data.importer import (
    Defaults,
    ImportRejected,
    ReadError,
    execute,
    match_columns,
    plan_import,
    read_table,
)
from dashboard.data.importer.columns import ALIASES
from dashboard.data.store import StoreError
from dashboard.i18n.catalogue import t, tn
from dashboard.render.tables import import_preview_table, import_problems_table
from dashboard.services.workspace import PermissionDenied
from dashboard.ui.common import geocoder, language_switch, store
from dashboard.ui.session import require_page, workspace

lang = language_switch()
user = require_page("app_pages/importieren.py", lang)  # Kreis-Redaktion and Admin only
st.title(t("imp.heading", lang))
st.write(t("imp.intro", lang))

upload = st.file_uploader(
    t("imp.file", lang), type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "osm", "pbf"]
)
if upload is None:
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()[:16]
path = Path(tempfile.gettempdir()) / f"integrationsatlas-{digest}-{Path(upload.name).name}"
if not path.exists():
    path.write_bytes(data)
try:
    raw = read_table(path)
except ReadError as exc:
    st.error(str(exc).replace(path.name, upload.name))
    st.stop()

info = ", ".join(f"{k}: {v}" for k, v in raw.info.items())
rows = len(raw.row_labels)
st.caption(tn("imp.read_info", rows, lang, fmt=raw.fmt.upper(), rows=rows, info=info))

mapping = match_columns(list(raw.frame.columns))
if not raw.canonical:
    with st.expander(t("imp.mapping", lang), expanded=True):
        st.caption(t("imp.mapping_help", lang))
        options = ["", *ALIASES]
        cols = st.columns(3)
        for i, header in enumerate(raw.frame.columns):
            if header.startswith("_"):
                continue
            mapping[header] = cols[i % 3].selectbox(
                header,
                options,
                index=options.index(mapping.get(header, "")),
                format_func=lambda o: o or t("imp.ignore", lang),
                key=f"map_{digest}_{i}",
            )

with st.expander(t("imp.defaults", lang)):
    source = st.text_input(t("imp.default_source", lang), value=upload.name, key="imp_source")
    ref_date = st.text_input(t("imp.default_date", lang), key="imp_date")

plan = plan_import(
    raw, mapping, geocoder(), store().facilities(), Defaults(source=source, reference_date=ref_date)
)
counts = {s: plan.count(s) for s in ("add", "change", "unchanged", "invalid")}
(st.warning if counts["invalid"] else st.success)(t("imp.counts", lang, **counts))

if plan.problems:
    st.subheader(t("imp.problems", lang))
    report = import_problems_table(plan, lang)
    if len(report) <= 200:  # a plain table: readable by screen readers and copyable
        st.table(report.set_index(report.columns[0]))
    else:
        st.dataframe(report, hide_index=True, width="stretch")
    st.download_button(
        t("imp.report_download", lang),
        report.to_csv(sep=";", index=False).encode("utf-8-sig"),
        file_name=f"pruefbericht-{Path(upload.name).stem}.csv",
        mime="text/csv",
    )

st.subheader(t("imp.preview", lang))
st.dataframe(import_preview_table(plan, lang), hide_index=True, width="stretch")

author = user.name  # the history records who is signed in
skip = st.checkbox(t("imp.skip_invalid", lang), value=False, key="imp_skip")
if st.button(t("imp.run", lang), type="primary", disabled=not author.strip(), key="imp_run"):
    try:
        workspace().require_import()  # the data layer decides, not only the navigation
        n = execute(plan, store(), author, skip_invalid=skip, comment=f"Import {upload.name}")
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        st.error(str(exc))
    else:
        st.success(tn("imp.done", n, lang, n=n) if n else t("imp.nothing", lang))
