"""File names of the processed datasets in ``datasets/`` (written by the builds, read here)."""

from __future__ import annotations

FACILITIES_FILE = "facilities.csv"
PROJECTS_FILE = "projects.csv"
INDICATORS_FILE = "indicators.csv"
HANDLUNGSFELDER_FILE = "handlungsfelder.csv"
MEMBERSHIP_FILE = "gemeinden_vg_membership.csv"
POPULATION_FILE = "population_gemeinden.csv"
