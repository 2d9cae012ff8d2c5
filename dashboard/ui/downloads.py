"""Download buttons for facility lists (same writers as the command line)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import geopandas as gpd
import streamlit as st

from dashboard.export.facilities import EXPORT_FORMATS, export_facilities
from dashboard.i18n.catalogue import t

_MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


@st.cache_data(show_spinner=False, max_entries=16)
def _export_bytes(_frame: gpd.GeoDataFrame, key: tuple, fmt: str, lang: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / f"export.{fmt}"
        export_facilities(_frame, fmt, out, lang)  # headers in the user's language
        return out.read_bytes()


def facility_downloads(frame: gpd.GeoDataFrame, lang: str, stem: str) -> None:
    """One download button per export format for the given facilities."""
    key = tuple(zip(frame["id"], frame["version"], strict=True))
    cols = st.columns(len(EXPORT_FORMATS))
    for col, fmt in zip(cols, EXPORT_FORMATS, strict=True):
        col.download_button(
            t("fac.download", lang, fmt=fmt.upper()),
            data=_export_bytes(frame, key, fmt, lang),
            file_name=f"{stem}.{fmt}",
            mime=_MIME[fmt],
            key=f"dl_{stem}_{fmt}",
            width="stretch",
        )
