"""Printable maps, VG handouts (PDF) and standalone HTML maps for the Kreistag.

- :func:`dashboard.reports.static_map.render_map`: a PNG/PDF map drawn with matplotlib
  in EPSG:25832 (scale bar, north arrow, legend, dates, sources, BKG attribution).
- :func:`dashboard.reports.steckbrief.vg_report` / :func:`~.steckbrief.all_vgs_report`:
  handouts with map, key figures, offers, projects, gaps, coverage and sources.
- :func:`dashboard.reports.html_export.standalone_html` / :func:`~.html_export.export_html`:
  the map view as one offline HTML file.
- :func:`dashboard.reports.cli.cli_report` / :func:`~.cli.cli_map`: the command line.

Submodules are imported on use (matplotlib and reportlab load only when needed).
"""
