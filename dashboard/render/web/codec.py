"""Compact text encodings for map data sent to the browser (decoded by ``static/atlas.js``).

Three encodings, each plain ASCII that needs no escaping inside JSON or an HTML script:

* :func:`vlq`: integers as base64 VLQ (as in source maps): zig-zag sign, 5 bits per
  character, the sixth bit marks "more follows". Small numbers (deltas of sorted or
  neighbouring coordinates) take one or two characters instead of six to ten in JSON.
* :func:`bitset`: a boolean mask as base64 of its bits, least significant bit first.
* :func:`string_table`: distinct strings sorted and front-coded (each entry starts with
  the VLQ length of the prefix it shares with the entry before), plus one VLQ index per row.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_LOOKUP = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
#: Largest magnitude :func:`vlq` accepts (values travel as JavaScript numbers).
MAX_VLQ = 2**45


def vlq(values: Sequence[int] | np.ndarray, delta: bool = False) -> str:
    """Encode integers as base64 VLQ.

    Parameters
    ----------
    values
        Signed integers.
    delta
        Encode the differences to the previous value (the first against 0).

    Returns
    -------
    str
        The characters, self-delimiting per value.

    Raises
    ------
    ValueError
        For a value (or difference) beyond :data:`MAX_VLQ` in magnitude.
    """
    v = np.asarray(values, dtype=np.int64).ravel()
    if delta and len(v):
        v = np.diff(v, prepend=np.int64(0))
    if len(v) == 0:
        return ""
    if np.abs(v).max() > MAX_VLQ:
        raise ValueError(f"value beyond ±2**45 cannot be encoded: {np.abs(v).max()}")
    z = np.where(v < 0, ((-v) << 1) | 1, v << 1).astype(np.uint64)
    bits = np.zeros(len(z), dtype=np.int64)
    rest = z.copy()
    while rest.any():
        bits += rest > 0
        rest >>= np.uint64(5)
    groups = np.maximum(bits, 1)
    width = int(groups.max())
    shifts = (np.arange(width, dtype=np.uint64) * np.uint64(5))[None, :]
    digits = ((z[:, None] >> shifts) & np.uint64(31)).astype(np.uint8)
    more = np.arange(width)[None, :] < (groups[:, None] - 1)
    digits = digits + (more * 32).astype(np.uint8)
    valid = np.arange(width)[None, :] < groups[:, None]
    return _LOOKUP[digits[valid]].tobytes().decode("ascii")


def unvlq(text: str) -> list[int]:
    """Decode :func:`vlq` (without delta): the reference for the browser's decoder."""
    out: list[int] = []
    value = shift = 0
    for ch in text:
        d = ALPHABET.index(ch)
        value |= (d & 31) << shift
        if d & 32:
            shift += 5
            continue
        out.append(-(value >> 1) if value & 1 else value >> 1)
        value = shift = 0
    if shift:
        raise ValueError("truncated VLQ text")
    return out


def bitset(mask: Sequence[bool] | np.ndarray) -> str:
    """A boolean mask as base64 (standard alphabet, no padding), bit ``i`` of byte
    ``i // 8`` least significant first."""
    packed = np.packbits(np.asarray(mask, dtype=bool), bitorder="little")
    return base64.b64encode(packed.tobytes()).decode("ascii").rstrip("=")


def string_table(values: Sequence[str]) -> dict[str, Any]:
    """Strings of one column as a front-coded table and one index per row.

    Parameters
    ----------
    values
        One string per row.

    Returns
    -------
    dict
        ``{"t": [entries], "i": vlq}``: entry ``k`` is the VLQ length of the prefix it
        shares with entry ``k - 1`` followed by the rest of the string; ``i`` holds the
        table index of each row, delta-encoded. A column with one distinct value has no
        ``i`` (every row uses entry 0).
    """
    items = [str(v) for v in values]
    longest = max((len(v) for v in items), default=0)
    # fixed-width strings sort in C; very long texts (bounded by the model) stay objects
    fixed = longest <= 256 and not any("\x00" in v for v in items)  # NUL: numpy would strip it
    array = np.asarray(items, dtype=f"<U{max(longest, 1)}" if fixed else object)
    table, inverse = np.unique(array, return_inverse=True)
    prefix = _shared_prefixes(table)
    entries = [
        _vlq_int(int(n)) + s[n:] for s, n in zip(table.tolist(), prefix.tolist(), strict=True)
    ]
    out: dict[str, Any] = {"t": entries}
    if len(table) > 1:
        out["i"] = vlq(inverse, delta=True)
    return out


def _vlq_int(n: int) -> str:
    """:func:`vlq` of one integer, without numpy (for many single values)."""
    z = n << 1 if n >= 0 else ((-n) << 1) | 1
    out = []
    while True:
        d, z = z & 31, z >> 5
        if not z:
            out.append(ALPHABET[d])
            return "".join(out)
        out.append(ALPHABET[d | 32])


def _shared_prefixes(table: np.ndarray) -> np.ndarray:
    """For sorted strings, the length of the prefix each shares with the one before
    (compared on the first 64 characters: a shorter shared prefix is still correct)."""
    n = len(table)
    out = np.zeros(n, dtype=np.int64)
    if n < 2:
        return out
    width = 64
    fixed = np.asarray([str(x)[:width] for x in table.tolist()], dtype=f"<U{width}")
    codes = fixed.view(np.uint32).reshape(n, width)
    lengths = np.char.str_len(fixed)
    same = codes[1:] == codes[:-1]
    first_diff = np.where(same.all(axis=1), width, np.argmin(same, axis=1))
    out[1:] = np.minimum(first_diff, np.minimum(lengths[1:], lengths[:-1]))
    return out


def unpack_strings(column: dict[str, Any], n: int) -> list[str]:
    """Decode :func:`string_table` (reference for the browser's decoder)."""
    table: list[str] = []
    previous = ""
    for entry in column["t"]:
        k = 0
        while ALPHABET.index(entry[k]) & 32:
            k += 1
        shared = unvlq(entry[: k + 1])[0]
        previous = previous[:shared] + entry[k + 1 :]
        table.append(previous)
    if "i" not in column:
        return [table[0]] * n
    index = np.cumsum(unvlq(column["i"])).tolist()
    return [table[i] for i in index]
