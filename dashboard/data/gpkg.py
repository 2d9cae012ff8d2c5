"""Minimal GeoPackage plumbing on plain sqlite3: schema tables and point geometry blobs.

Enough for QGIS and GDAL to open the store directly: the mandatory metadata tables
(``gpkg_spatial_ref_sys``, ``gpkg_contents``, ``gpkg_geometry_columns``), the
application id and version, and standard GeoPackage binary geometries (no envelope).
No spatial index (its triggers would need SpatiaLite functions). Connections and
transactions are :mod:`dashboard.data.db`'s; on PostgreSQL none of this applies
(:func:`init_metadata` and :func:`register_table` are for SQLite only).
"""

from __future__ import annotations

import struct
from typing import Any

import shapely
from shapely.geometry import Point

APPLICATION_ID = 0x47504B47  # "GPKG"
USER_VERSION = 10300  # GeoPackage 1.3

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)


_METADATA_DDL = (
    """CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
            srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
            organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT)""",
    """CREATE TABLE IF NOT EXISTS gpkg_contents (
            table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""",
    """CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
            table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
            z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name))""",
)


def init_metadata(conn: Any) -> None:
    """Create the GeoPackage metadata tables (idempotent).

    Runs statement by statement (never ``executescript``, which would commit), so it
    can be part of the caller's transaction.
    """
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {USER_VERSION}")
    for statement in _METADATA_DDL:
        conn.execute(statement)
    conn.executemany(
        "INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
            ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, "longitude/latitude, WGS84"),
        ],
    )


def register_table(
    conn: Any, table: str, description: str, geometry_column: str | None = None
) -> None:
    """Declare a features table (with a POINT column in EPSG:4326) or an attributes table."""
    kind = "features" if geometry_column else "attributes"
    conn.execute(
        "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)"
        " VALUES (?, ?, ?, ?, ?)",
        (table, kind, table, description, 4326 if geometry_column else None),
    )
    if geometry_column:
        conn.execute(
            "INSERT OR IGNORE INTO gpkg_geometry_columns VALUES (?, ?, 'POINT', 4326, 0, 0)",
            (table, geometry_column),
        )


def point_blob(lon: float | None, lat: float | None) -> bytes | None:
    """Encode a WGS84 point as a GeoPackage geometry blob (``None`` for no location)."""
    if lon is None or lat is None:
        return None
    header = b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", 4326)
    wkb: bytes = shapely.to_wkb(Point(lon, lat), byte_order=1)
    return header + wkb


def blob_point(blob: bytes | None) -> tuple[float, float] | None:
    """Decode a GeoPackage point blob to ``(lon, lat)``."""
    if blob is None:
        return None
    if blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags >> 1) & 0b111]
    geom = shapely.from_wkb(blob[8 + envelope :])
    if geom.is_empty:
        return None
    return float(geom.x), float(geom.y)
