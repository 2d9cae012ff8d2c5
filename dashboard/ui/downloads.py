"""Download buttons for lists of offers (the same writers as the command line)."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.services import outputs
from dashboard.services.view import RoleView

_MIME = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


@st.cache_data(show_spinner=False, max_entries=32)
def _file(
    ids: tuple[str, ...],
    key: tuple[str, int, tuple[str, tuple[str, ...]]],
    fmt: str,
    lang: str,
    _view: RoleView,
    _frame: gpd.GeoDataFrame,
) -> bytes:
    """Keyed by the rows, the data version, the audience and the language (headers and
    words of the file); ``_view``/``_frame`` are the source."""
    return outputs.facilities_file(_view, _frame, fmt, lang)


def facility_downloads(view: RoleView, frame: gpd.GeoDataFrame, lang: str, stem: str) -> None:
    """One download button per export format for offers of the user's view."""
    ids = tuple(frame["id"].astype(str))
    cols = st.columns(len(outputs.EXPORT_FORMATS))
    for col, fmt in zip(cols, outputs.EXPORT_FORMATS, strict=True):
        col.download_button(
            t("fac.download", lang, fmt=fmt.upper()),
            data=_file(ids, view.key, fmt, lang, view, frame),
            file_name=f"{stem}.{fmt}",
            mime=_MIME[fmt],
            key=f"dl_{stem}_{fmt}",
            on_click="ignore",
            width="stretch",
        )
