"""Import page: upload, confirm the column mapping, check every row, then import."""

import hashlib

import streamlit as st

from dashboard.i18n.catalogue import t, tn
from dashboard.services.importing import ImportRejected, ReadError, read_upload
from dashboard.services.workspace import PermissionDenied, StoreError
from dashboard.ui import importing
from dashboard.ui.common import language_switch
from dashboard.ui.errors import refused
from dashboard.ui.session import require_page, workspace
from dashboard.ui.text import plain

lang = language_switch()
require_page("app_pages/importieren.py", lang)  # Kreis-Redaktion and Admin only
ws = workspace()
st.title(t("imp.heading", lang))
st.write(t("imp.intro", lang))

file = st.file_uploader(
    t("imp.file", lang), type=["csv", "txt", "xlsx", "geojson", "json", "gpkg", "osm", "pbf"]
)
if file is None:
    st.stop()
data = file.getvalue()
digest = hashlib.sha256(data).hexdigest()[:16]
if st.session_state.get("imp_upload_key") != digest:  # read once per file, not on every rerun
    try:
        st.session_state["imp_upload"] = read_upload(file.name, data)
    except ReadError as exc:
        refused(exc, lang)
        st.stop()
    st.session_state["imp_upload_key"] = digest
upload = st.session_state["imp_upload"]
info = upload.info_text(lang)
rows = len(upload.raw.row_labels)
st.caption(tn("imp.read_info", rows, lang, fmt=upload.raw.fmt.upper(), rows=rows, info=plain(info)))

mapping = importing.mapping(upload, digest, lang)
with st.expander(t("imp.defaults", lang)):
    source = st.text_input(t("imp.default_source", lang), value=upload.name, key="imp_source")
    ref_date = st.text_input(t("imp.default_date", lang), key="imp_date")
plan = upload.plan(ws, mapping, source, ref_date)
importing.report(plan, upload, lang)

skip = st.checkbox(t("imp.skip_invalid", lang), value=False, key="imp_skip")
if st.button(t("imp.run", lang), type="primary", key="imp_run"):
    try:
        n = ws.import_plan(plan, skip_invalid=skip, comment=f"Import {upload.name}")
    except (ImportRejected, PermissionDenied, StoreError) as exc:
        refused(exc, lang)
    else:
        st.success(tn("imp.done", n, lang, n=n) if n else t("imp.nothing", lang))
