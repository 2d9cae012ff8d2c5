"""Colours of the printed map's areas and boundaries (the map and its legend use them)."""

from __future__ import annotations

VG_EDGE = "#1b3a6b"
GEMEINDE_EDGE = "#5a6f8a"
CITY_EDGE = "#6b6b6b"
CITY_FILL = "#f4f1ea"
VG_FILL = "#dde8f5"  # the web map's #8fb3de at 15 % opacity over white
SELECTED_EDGE = "#d7301f"
OUTSIDE_FILL = "#ffffff"
