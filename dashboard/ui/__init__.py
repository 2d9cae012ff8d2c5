"""The only place that imports streamlit: widgets, cached loaders, the map component."""
