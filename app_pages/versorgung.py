"""Versorgungsanalyse: where need is high and supply thin, and why (flags with reasons)."""

import datetime as dt
import tempfile
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from dashboard.analysis.filters import public_points
from dashboard.analysis.gaps import coverage_matrix, load_areas
from dashboard.analysis.gapview import analyse, severity_choropleth
from dashboard.export.gaps import write_gaps
from dashboard.i18n.catalogue import t, tn
from dashboard.i18n.format import fmt_date, fmt_int
from dashboard.render import gaps_text
from dashboard.render.web.atlas import build_atlas_map
from dashboard.ui import gaps as gap_ui
from dashboard.ui.common import district_data, language_switch, located, store
from dashboard.ui.mapview import asset_base_urls
from dashboard.ui.session import workspace

lang = language_switch()
data = district_data()
facilities = workspace().visible_located(located())  # the public never sees Unterkunft data
view = gap_ui.sidebar(lang, sensitive=workspace().role != "public")
areas = st.cache_resource(load_areas)()

st.title(t("gaps.heading", lang))
st.warning(tn("gaps.data_warning", len(facilities), lang, n=fmt_int(len(facilities), lang)))
dates = data.population["population_date"]
st.caption(
    t(
        "gaps.population_dates",
        lang,
        oldest=fmt_date(dates.min(), lang),
        newest=fmt_date(dates.max(), lang),
    )
)
with st.expander(t("gaps.explain", lang)):
    for text in gaps_text.explanations(lang):
        st.markdown(text)

with st.expander(t("gaps.whatif", lang)):
    planned = st.toggle(t("gaps.whatif_on", lang), key="gaps_whatif")
    c1, c2, c3 = st.columns(3)
    lat = c1.number_input(
        t("gaps.lat", lang),
        49.0,
        50.0,
        value=st.session_state.get("gaps_lat", 49.45),
        format="%.5f",
        key="gaps_lat",
    )
    lon = c2.number_input(
        t("gaps.lon", lang),
        7.0,
        8.5,
        value=st.session_state.get("gaps_lon", 7.65),
        format="%.5f",
        key="gaps_lon",
    )
    capacity = c3.number_input(t("gaps.capacity", lang), 0, 10_000, value=0, key="gaps_capacity")
    st.caption(t("gaps.whatif_click", lang))

flags, selected, changes = analyse(
    areas, facilities, view.selector, view.thresholds, level=view.level, vintage=view.vintage,
    include_outside=view.include_outside, planned=(lat, lon, capacity or None) if planned else None,
    planned_name=t("gaps.planned_name", lang),
)  # fmt: skip
keys = list(data.gemeinden["ags"] if view.level == "gemeinde" else data.vgs[view.vintage]["rs"])
pop_dates = dict(zip(data.population["ags"], data.population["population_date"], strict=True))
ch = severity_choropleth(flags, keys, pop_dates, gaps_text.severity_source(lang))
m = build_atlas_map(
    data,
    view.vintage,
    lang,
    located=public_points(selected),
    choropleth=ch,
    choropleth_level=view.level,
    asset_base_urls=asset_base_urls,
)
out = st_folium(
    m, key="gaps_map", height=560, use_container_width=True, returned_objects=["last_clicked"]
)
click = (out or {}).get("last_clicked")
if click and click != st.session_state.get("gaps_last_click"):
    st.session_state["gaps_last_click"] = click
    st.session_state.update(
        gaps_lat=round(click["lat"], 5), gaps_lon=round(click["lng"], 5), gaps_whatif=True
    )
    st.rerun()
if changes is not None:
    st.subheader(t("gaps.whatif_changes", lang))
    if len(changes):
        st.dataframe(
            gaps_text.whatif_table(changes, view.thresholds, view.level, lang),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(t("gaps.whatif_none", lang))

st.subheader(t("gaps.flags", lang))
flagged = flags[flags["flagged"]].sort_values("severity", ascending=False)
if flagged.empty:
    st.caption(t("gaps.none", lang))
else:
    st.table(gaps_text.flag_list(flags, lang))
st.subheader(t("gaps.table", lang))
table = gaps_text.flags_table(flags, lang)
st.dataframe(
    table.drop(columns=[gaps_text.column_label("thresholds", lang)]),
    hide_index=True,
    width="stretch",
)
cols = st.columns(3)
for col, fmt in zip(cols, ("csv", "xlsx", "json"), strict=True):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"versorgung.{fmt}"
        write_gaps(table, fmt, path, lang)
        col.download_button(
            t("gaps.download", lang, fmt=fmt.upper()),
            path.read_bytes(),
            file_name=f"versorgung-{view.selector}-{dt.date.today()}.{fmt}",
            key=f"gaps_dl_{fmt}",
        )

st.subheader(t("gaps.matrix", lang))
st.caption(t("gaps.matrix_note", lang))
matrix = coverage_matrix(areas, facilities, store().projects(), view.vintage)
cells, _ = gaps_text.matrix_tables(matrix, lang)
st.dataframe(
    cells.style.apply(
        lambda col: [
            (
                "background-color:#f4a6a6"
                if v.startswith("0 / 0")
                else "background-color:#fde9a9"
                if v.startswith("0 /") or v.endswith("/ 0")
                else ""
            )
            for v in col
        ]
    ),
    width="stretch",
)
with st.expander(t("gaps.empty_cells", lang)):
    empty = matrix[matrix["empty"]]
    st.markdown("\n".join(f"- {m_}" for m_ in gaps_text.meanings(empty, lang)))
