"""SQL text for PostgreSQL: the ``?`` parameters of the store's statements in PostgreSQL's
own form.

The store's statements are written once with ``?`` (SQLite binds them as they are);
PostgreSQL binds ``$1, $2, ...`` itself (psycopg's raw cursor: no substitution of values
into the text on the client, no ``%`` escaping).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["pg_statement"]


@lru_cache(maxsize=4096)
def pg_statement(sql: str) -> str:
    """A statement written with ``?`` parameters in PostgreSQL's own form ``$1, $2, ...``.

    PostgreSQL binds the parameters itself (psycopg's raw cursor, no text substitution on
    the client): a ``?`` inside a string literal, a quoted name, a comment or a
    dollar-quoted body stays as it is, and a ``%`` needs no escaping. Computed once per
    statement text.
    """
    out: list[str] = []
    n, i, size = 0, 0, len(sql)
    while i < size:
        ch = sql[i]
        end = _skip_quoted(sql, i)
        if end > i:
            out.append(sql[i:end])
            i = end
            continue
        if ch == "?":
            n += 1
            out.append(f"${n}")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")


def _skip_quoted(sql: str, i: int) -> int:
    """The end of a literal, quoted name, comment or dollar-quoted body starting at ``i``
    (``i`` itself if none starts there)."""
    ch = sql[i]
    if ch in "'\"":
        j = i + 1
        while j < len(sql):
            if sql[j] == ch:
                if j + 1 < len(sql) and sql[j + 1] == ch:  # a doubled quote stays inside
                    j += 2
                    continue
                return j + 1
            j += 1
        return len(sql)
    if sql.startswith("--", i):
        newline = sql.find("\n", i)
        return len(sql) if newline < 0 else newline + 1
    if sql.startswith("/*", i):
        close = sql.find("*/", i + 2)
        return len(sql) if close < 0 else close + 2
    tag = _DOLLAR_TAG.match(sql, i) if ch == "$" else None
    if tag is not None:
        close = sql.find(tag.group(0), tag.end())
        return len(sql) if close < 0 else close + len(tag.group(0))
    return i
