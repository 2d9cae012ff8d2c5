"""What a backup may hold: exactly the schema objects the atlas itself creates.

A restore compares the backup with a *reference*: an empty store of the backup's schema
version, made by this release's own migrations in a temporary place (a file for SQLite, a
schema dropped right after for PostgreSQL). Any object the reference lacks (a trigger, a
view, a table, an index, a function, ...) or lacks in that form (another column, another
definition) refuses the restore before anything is changed. Nothing is hard-coded: a
migration that adds a table adds it to the reference as well.

* SQLite: every entry of ``sqlite_master`` with its definition (whitespace outside quotes
  ignored, so a store created by an earlier release compares equal) and the columns,
  indexes and foreign keys SQLite reports for it.
* PostgreSQL: the table of contents of the dump compared with that of a dump of the
  reference schema; the rows are then loaded into a schema the restore creates itself
  (:mod:`dashboard.data.pgdump`).
"""

from __future__ import annotations

import secrets
import sqlite3
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from dashboard.data import pgdump
from dashboard.data.db import PostgresDatabase, SQLiteDatabase
from dashboard.data.errors import StoreError
from dashboard.data.schema import build_schema
from dashboard.i18n.catalogue import N_

#: Objects named in a refusal at most (the rest is counted).
_NAMED = 8


class ForeignObjects(StoreError):
    """A backup holds schema objects the atlas does not create; nothing was changed."""


@dataclass(frozen=True)
class Difference:
    """How a backup's schema differs from the reference.

    Attributes
    ----------
    extra
        Objects only in the backup (``trigger make_admin``).
    missing
        Objects only in the reference.
    changed
        Objects in both but defined otherwise.
    """

    extra: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.extra or self.missing or self.changed)

    def describe(self) -> str:
        """One German sentence naming the differences (for the refusal)."""
        parts = []
        for label, names in (
            ("zusätzlich", self.extra),
            ("verändert", self.changed),
            ("fehlend", self.missing),
        ):
            if names:
                shown = ", ".join(names[:_NAMED])
                more = f" und {len(names) - _NAMED} weitere" if len(names) > _NAMED else ""
                parts.append(f"{label}: {shown}{more}")
        return "; ".join(parts)


def refuse_if_different(difference: Difference, where: str) -> None:
    """Raise :class:`ForeignObjects` if the backup differs from the reference."""
    if difference:
        raise ForeignObjects(
            N_("backup.err.foreign_objects"), file=str(where), objects=difference.describe()
        )


# -- SQLite ---------------------------------------------------------------------------------
def compact_sql(sql: str | None) -> str:
    """SQL text without whitespace outside quoted strings and names (so two texts of the
    same definition, written with other line breaks, compare equal)."""
    if not sql:
        return ""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
            out.append(ch)
        elif ch == "[":
            quote = "]"
            out.append(ch)
        elif not ch.isspace():
            out.append(ch)
    return "".join(out)


def _pragma(conn: sqlite3.Connection, name: str, arg: str) -> tuple[tuple[object, ...], ...]:
    rows = conn.execute(f"SELECT * FROM pragma_{name}(?)", (arg,)).fetchall()
    return tuple(tuple(r) for r in rows)


def sqlite_layout(conn: sqlite3.Connection) -> dict[str, tuple[object, ...]]:
    """Every schema object of a SQLite database with its definition and structure.

    Raises
    ------
    sqlite3.DatabaseError
        If the schema cannot be read (e.g. a virtual table of an unknown module).
    """
    out: dict[str, tuple[object, ...]] = {}
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    for kind, name, table, sql in rows:
        structure: tuple[object, ...] = ()
        if kind == "table":
            structure = (
                _pragma(conn, "table_xinfo", name),
                _pragma(conn, "foreign_key_list", name),
                tuple(sorted(_pragma(conn, "index_list", name), key=repr)),
            )
        elif kind == "index":
            structure = (_pragma(conn, "index_xinfo", name),)
        out[f"{kind} {name}"] = (table, compact_sql(sql), structure)
    out["pragma application_id"] = (conn.execute("PRAGMA application_id").fetchone()[0],)
    out["pragma user_version"] = (conn.execute("PRAGMA user_version").fetchone()[0],)
    return out


def compare(
    reference: dict[str, tuple[object, ...]], found: dict[str, tuple[object, ...]]
) -> Difference:
    """The difference of two layouts (:func:`sqlite_layout`)."""
    return Difference(
        extra=tuple(sorted(set(found) - set(reference))),
        missing=tuple(sorted(set(reference) - set(found))),
        changed=tuple(sorted(k for k in set(found) & set(reference) if found[k] != reference[k])),
    )


def sqlite_reference(version: int) -> dict[str, tuple[object, ...]]:
    """The layout of an empty SQLite store of schema ``version``, made by the migrations
    in a temporary file."""
    with tempfile.TemporaryDirectory(prefix="ia-reference-") as folder:
        path = Path(folder) / "reference.gpkg"
        db = SQLiteDatabase(path, timeout=5)
        with db.transaction(advance=False) as conn:
            build_schema(conn, "Vergleichsspeicher", version)
        raw = sqlite3.connect(path)
        try:
            return sqlite_layout(raw)
        finally:
            raw.close()


def check_sqlite(conn: sqlite3.Connection, version: int, where: str) -> None:
    """Refuse a SQLite backup whose schema is not that of ``version``.

    Raises
    ------
    ForeignObjects
    """
    try:
        found = sqlite_layout(conn)
    except sqlite3.DatabaseError as exc:
        raise ForeignObjects(
            N_("backup.err.schema_unreadable"), file=str(where), detail=str(exc)
        ) from exc
    refuse_if_different(compare(sqlite_reference(version), found), where)


# -- PostgreSQL -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PgReference:
    """An empty store of one schema version, as a dump shows it.

    Attributes
    ----------
    contents
        Its table of contents (:func:`dashboard.data.pgdump.contents`).
    definitions
        The SQL of each object (:func:`dashboard.data.pgdump.definitions`).
    layout
        Its tables' COPY headers and its sequences.
    """

    contents: Counter[str]
    definitions: dict[str, str]
    layout: pgdump.DataLayout


def pg_reference(db: PostgresDatabase, version: int) -> PgReference:
    """Build the schema of ``version`` in a temporary schema of the same database, dump
    it, and drop it again."""
    schema = f"ia_reference_{secrets.token_hex(6)}"
    try:
        with db.transaction(advance=False) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
            conn.execute(f"SET LOCAL search_path TO {schema}, public")
            build_schema(conn, "Vergleichsschema", version)
        with tempfile.TemporaryDirectory(prefix="ia-reference-") as folder:
            path = Path(folder) / "reference.dump"
            pgdump.dump(db, schema, path)
            return PgReference(
                pgdump.contents(path, schema),
                pgdump.definitions(path, schema),
                pgdump.layout_of(path, schema),
            )
    finally:
        with db.transaction(advance=False) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def check_pg(path: Path, reference: PgReference, where: str) -> None:
    """Refuse a dump whose objects or their definitions are not those of the reference.

    Raises
    ------
    ForeignObjects
    """
    found = pgdump.contents(path)
    extra = found - reference.contents
    missing = reference.contents - found
    refuse_if_different(
        Difference(extra=tuple(sorted(extra)), missing=tuple(sorted(missing))), where
    )
    defined = pgdump.definitions(path)
    differs = compare(
        {k: (v,) for k, v in reference.definitions.items()}, {k: (v,) for k, v in defined.items()}
    )
    refuse_if_different(differs, where)
