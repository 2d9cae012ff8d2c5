"""Integrationsatlas (a Kreis or Land, see ``districts/``): the dashboard package.

Pure, typed functions for data builds, geodata, maps and analysis. Only
``dashboard.ui`` imports streamlit.
"""

__version__ = "0.1.0"
