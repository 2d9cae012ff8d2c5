"""OGC API – Features for the atlas (pygeoapi behind the app's HTTP guard, ``docs/ogc.md``).

Imports only :mod:`dashboard.services` (import-linter contract): what a GIS reads is what
the pages show the same user.
"""
