"""PostgreSQL's dump programs for backup and restore, and what a restore reads from a dump.

A restore never runs the SQL a dump carries: a custom-format archive may hold any
statement in any entry (a crafted file as easily as one made by ``pg_dump``). It reads
only two things from it:

* the table of contents (``pg_restore --list``): which objects the dump holds, compared
  with those the atlas itself creates (:mod:`dashboard.data.restore_check`);
* the rows (``pg_restore --data-only``): each ``COPY`` header must be one the atlas's own
  schema of that version produces, and its lines are handed to the server as COPY data
  (data, never statements); a sequence position is set by the restore's own statement.

Anything else in the data part (a statement, an unknown table or column) refuses the
restore.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.data.db import PG_SCHEMA, PostgresDatabase
from dashboard.data.errors import StoreError
from dashboard.i18n.catalogue import N_


class DumpError(StoreError):
    """A dump program failed or a dump holds what a restore does not accept."""


def pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client program ``name`` (``pg_dump`` must not be
    older than the server).

    Raises
    ------
    DumpError
        If it is not installed.
    """
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return str(found[-1])
    which = shutil.which(name)
    if which is None:
        raise DumpError(N_("backup.err.no_pg_tools"), name=name)
    return which


def pg_env(db: PostgresDatabase) -> tuple[str, dict[str, str]]:
    """The connection string without password for the command line, the password in the
    environment (never visible in the process list)."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = {k: str(v) for k, v in conninfo_to_dict(db.url).items() if v is not None}
    env = dict(os.environ)
    password = params.pop("password", None)
    if password:
        env["PGPASSWORD"] = password
    return make_conninfo(**params), env


def run(cmd: list[str], env: dict[str, str], what: str) -> bytes:
    """Run a client program; its first ``ERROR:`` line (or last line) names a failure.

    Raises
    ------
    DumpError
    """
    try:
        result = subprocess.run(cmd, env=env, capture_output=True, timeout=3600)
    except (OSError, subprocess.SubprocessError) as exc:
        raise DumpError(N_("backup.err.tool_failed"), what=what, detail=str(exc)) from exc
    if result.returncode != 0:
        raise DumpError(
            N_("backup.err.tool_failed"), what=what,
            detail=_detail(result.stderr, result.returncode),
        )  # fmt: skip
    return result.stdout


def _detail(stderr: bytes, returncode: int) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    errors = [line.split("ERROR:", 1)[1].strip() for line in lines if "ERROR:" in line]
    return errors[0] if errors else (lines[-1] if lines else str(returncode))


def dump(db: PostgresDatabase, schema: str, out: Path) -> None:
    """``pg_dump`` of one schema in custom format (no owners, no privileges) to ``out``."""
    conninfo, env = pg_env(db)
    run(
        [pg_tool("pg_dump"), "--format=custom", f"--schema={schema}", "--no-owner",
         "--no-privileges", f"--file={out}", f"--dbname={conninfo}"],
        env, "pg_dump",
    )  # fmt: skip


_COPY = re.compile(rf'^COPY {PG_SCHEMA}\."?[a-z_][a-z0-9_]*"? \([a-z0-9_, "]+\) FROM stdin;$')
_SETVAL = re.compile(
    rf"^SELECT pg_catalog\.setval\('{PG_SCHEMA}\.(?P<seq>[a-z_][a-z0-9_]*)', "
    r"(?P<value>-?\d{1,19}), (?P<called>true|false)\);$"
)
_SET = re.compile(r"^SET [a-z_]+ = [A-Za-z0-9_', .-]*;$")
#: psql's guard around a dump's script (``pg_restore`` since 17.6/16.10/15.14): no effect
#: here, the script is never run.
_RESTRICT = re.compile(r"^\\(un)?restrict [A-Za-z0-9]+$")
_IGNORED = ("SELECT pg_catalog.set_config('search_path', '', false);",)


# -- the table of contents ------------------------------------------------------------------
_TOC_LINE = re.compile(r"^\d+; \d+ \d+ (?P<entry>\S.*)$")


def contents(path: Path, schema: str = PG_SCHEMA) -> Counter[str]:
    """The objects a custom-format dump holds: one ``"<KIND> <schema> <name>"`` line per
    entry of its table of contents (ids and owner left out, ``schema`` written as
    ``integrationsatlas``), counted.

    Raises
    ------
    DumpError
        If the file is no archive ``pg_restore`` reads.
    """
    listing = run([pg_tool("pg_restore"), "--list", str(path)], dict(os.environ), "pg_restore")
    entries: Counter[str] = Counter()
    for line in listing.decode("utf-8", "replace").splitlines():
        if not line.strip() or line.startswith(";"):
            continue
        match = _TOC_LINE.match(line)
        if match is None:
            raise DumpError(N_("backup.err.dump_entry"), file=path.name, line=line[:80])
        words = match.group("entry").split(" ")
        # the last word is the owner (whoever made the dump), not part of the object
        entry = " ".join(words[:-1]) if len(words) > 2 else " ".join(words)
        entries[_schema_named(entry, schema)] += 1
    return entries


def _schema_named(text: str, schema: str) -> str:
    if schema == PG_SCHEMA:
        return text
    return re.sub(rf"\b{re.escape(schema)}\b", PG_SCHEMA, text)


_HEADER = re.compile(
    r"^-- Name: (?P<name>.*); Type: (?P<kind>[^;]*); Schema: (?P<schema>[^;]*); Owner: .*$"
)


def definitions(path: Path, schema: str = PG_SCHEMA) -> dict[str, str]:
    """The SQL that defines each object of a dump (``pg_restore --schema-only``), by
    ``"<KIND> <name>"``: comments, session settings and psql's guard lines left out,
    ``schema`` written as ``integrationsatlas``. Text before the first object that is not a
    setting is kept under ``"(Vorspann)"``.

    Raises
    ------
    DumpError
        If the file is no archive ``pg_restore`` reads.
    """
    cmd = [pg_tool("pg_restore"), "--schema-only", "--no-owner", "--no-privileges",
           "--file=-", str(path)]  # fmt: skip
    script = run(cmd, dict(os.environ), "pg_restore").decode("utf-8", "replace")
    found: dict[str, list[str]] = {}
    current = "(Vorspann)"
    for line in script.splitlines():
        header = _HEADER.match(line)
        if header:
            named = _schema_named(f"{header.group('kind')} {header.group('name')}", schema)
            current = _unique(found, named)
            found[current] = []
            continue
        if _ignorable(line):
            continue
        found.setdefault(current, []).append(_schema_named(line, schema))
    return {key: "\n".join(lines) for key, lines in found.items()}


def _unique(found: dict[str, list[str]], key: str) -> str:
    n, candidate = 1, key
    while candidate in found:
        n += 1
        candidate = f"{key} ({n})"
    return candidate


def _ignorable(line: str) -> bool:
    return (
        not line.strip()
        or line.startswith("--")
        or line in _IGNORED
        or bool(_SET.match(line))
        or bool(_RESTRICT.match(line))
    )


# -- the rows ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DataLayout:
    """What the data part of a dump of the atlas's own schema looks like.

    Attributes
    ----------
    copies
        The ``COPY`` header line of each table (``COPY integrationsatlas.t (a, b) FROM
        stdin;``).
    sequences
        Names of the sequences (``facilities_fid_seq``).
    """

    copies: frozenset[str]
    sequences: frozenset[str]


def _data_lines(path: Path) -> Iterator[bytes]:
    """The lines of ``pg_restore --data-only`` of a dump, streamed."""
    cmd = [pg_tool("pg_restore"), "--data-only", "--no-owner", "--no-privileges", "--file=-",
           str(path)]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    try:
        yield from proc.stdout
        stderr = proc.stderr.read()
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    if proc.returncode != 0:
        raise DumpError(
            N_("backup.err.tool_failed"), what="pg_restore", detail=_detail(stderr, proc.returncode)
        )


def layout_of(path: Path, schema: str) -> DataLayout:
    """The data layout of a dump of the atlas's own (empty) schema ``schema``."""
    copies: set[str] = set()
    sequences: set[str] = set()
    for raw in _data_lines(path):
        line = _schema_named(raw.decode("utf-8").rstrip("\n"), schema)
        if line.startswith("COPY "):
            copies.add(line)
        match = _SETVAL.match(line)
        if match:
            sequences.add(match.group("seq"))
    return DataLayout(frozenset(copies), frozenset(sequences))


#: Writes one table's COPY data: called with the header and an iterator of data lines.
CopyWriter = Callable[[str, Iterator[bytes]], None]
#: Sets a sequence: name, value, whether the value was used.
SequenceSetter = Callable[[str, int, bool], None]


def load_rows(path: Path, layout: DataLayout, copy: CopyWriter, setval: SequenceSetter) -> None:
    """Hand the rows of a dump to ``copy`` and its sequence positions to ``setval``.

    Raises
    ------
    DumpError
        A header or a statement that the atlas's own schema does not produce (nothing is
        handed on from that line on; the caller's transaction is rolled back).
    """
    lines = _data_lines(path)
    for raw in lines:
        line = raw.decode("utf-8", "replace").rstrip("\n")
        if _ignorable(line):
            continue
        if line.startswith("COPY "):
            if line not in layout.copies or not _COPY.match(line):
                raise DumpError(N_("backup.err.dump_unknown_rows"), line=line[:120])
            copy(line, _copy_block(lines))
            continue
        match = _SETVAL.match(line)
        if match and match.group("seq") in layout.sequences:
            setval(match.group("seq"), int(match.group("value")), match.group("called") == "true")
            continue
        raise DumpError(N_("backup.err.dump_statement"), line=line[:120])


def _copy_block(lines: Iterator[bytes]) -> Iterator[bytes]:
    """The data lines of one COPY block (up to the ``\\.`` line, which ends it)."""
    for raw in lines:
        if raw in (b"\\.\n", b"\\."):
            return
        yield raw
    raise DumpError(N_("backup.err.dump_truncated"))


def copy_into(raw_conn: object, header: str, rows: Iterator[bytes]) -> None:
    """COPY the ``rows`` (COPY text format) on a psycopg connection with the checked
    ``header`` (one the atlas's own schema produces)."""
    statement = header.removesuffix(";").removesuffix("stdin") + "STDIN"
    with raw_conn.cursor() as cur, cur.copy(statement) as copy:  # type: ignore[attr-defined]
        for row in rows:
            copy.write(row)
