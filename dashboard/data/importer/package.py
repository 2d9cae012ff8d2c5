"""The package of an XLSX workbook, checked before anything of it is read into memory.

An XLSX file is a ZIP of XML parts. :func:`open_package` checks what every reader of
outside workbooks needs checked first (one rule for the import, the collection round's
returns, indicator tables and project lists):

1. the ZIP directory: how many parts, and what they unpack to together (at most
   :attr:`Limits.max_unpacked_bytes`; the ZIP reader never unpacks beyond it);
2. no macros: a ``vbaProject.bin``, a macro sheet or ActiveX part, or a macro-enabled
   content type (a ``.xlsm`` renamed to ``.xlsx``) refuses the workbook;
3. no document type declaration in any XML part (entities: XXE, billion laughs), and the
   parts that openpyxl reads whole (content types, workbook, styles, theme, properties)
   small: at most :data:`MAX_WHOLE_PART_BYTES` and :data:`MAX_WHOLE_PART_ELEMENTS`;
4. the content types, the workbook and its relations: which sheets there are and which
   parts openpyxl will read for them (found the way openpyxl finds them).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from openpyxl.xml.constants import ARC_WORKBOOK, SHARED_STRINGS, XLSM, XLSX, XLTM, XLTX

from dashboard.data.importer.limits import Limits
from dashboard.data.importer.xmlscan import (
    NS_MAIN,
    NS_PKG_REL,
    NS_REL,
    Stop,
    XlsxRefused,
    parser,
    scan,
)
from dashboard.i18n.catalogue import N_

#: Most parts of a package.
MAX_PARTS = 10_000
#: Largest part that openpyxl parses whole (bytes unpacked) and most elements in it.
MAX_WHOLE_PART_BYTES = 8 * 1024 * 1024
MAX_WHOLE_PART_ELEMENTS = 250_000
#: Parts openpyxl reads whole besides the content types and the workbook with its relations.
_READ_WHOLE = ("xl/styles.xml", "xl/theme/theme1.xml", "docProps/core.xml", "docProps/custom.xml")
#: Signs of macros or active content, in part names and content types (lower case).
_MACRO_SIGNS = ("vbaproject", "macroenabled", "macrosheet", "activex", "vbadata")


@dataclass(frozen=True)
class Package:
    """What the checks found: the sheets ``(name, part)`` in order, the shared strings
    part (``None`` if there is none) and the content type overrides."""

    sheets: tuple[tuple[str, str], ...]
    shared_strings: str | None
    overrides: tuple[tuple[str, str], ...]


def _rels(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Relationship id -> target of a ``.rels`` part."""
    found: dict[str, str] = {}
    if name not in zf.NameToInfo:
        return found
    p = parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{NS_PKG_REL}}}Relationship" and "Id" in attrs:
            found[attrs["Id"]] = attrs.get("Target", "")

    p.StartElementHandler = start
    scan(zf, name, p)
    return found


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (str(PurePosixPath(base).parent) + "/" + target).split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if parts:
                parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def _sheets(zf: zipfile.ZipFile, workbook: str) -> list[tuple[str, str]]:
    """(name, part) of the workbook's sheets, in order."""
    if workbook not in zf.NameToInfo:
        raise XlsxRefused(N_("imp.err.xlsx_broken"), part=workbook, detail="missing")
    path = PurePosixPath(workbook)
    rels = _rels(zf, str(path.parent / "_rels" / (path.name + ".rels")))
    sheets: list[tuple[str, str]] = []
    p = parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == f"{NS_MAIN}}}sheet":
            target = rels.get(attrs.get(f"{NS_REL}}}id", ""), "")
            if target:
                sheets.append((attrs.get("name", ""), _resolve(workbook, target)))

    p.StartElementHandler = start
    scan(zf, workbook, p)
    return sheets


def _content_types(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], set[str]]:
    """The package's overrides (part, content type) in order, and its default types."""
    overrides: list[tuple[str, str]] = []
    defaults: set[str] = set()
    if "[Content_Types].xml" not in zf.NameToInfo:
        return overrides, defaults
    p = parser()

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit("}", 1)[-1]
        if local == "Override":
            overrides.append((attrs.get("PartName", "").lstrip("/"), attrs.get("ContentType", "")))
        elif local == "Default":
            defaults.add(attrs.get("ContentType", ""))

    p.StartElementHandler = start
    scan(zf, "[Content_Types].xml", p)
    return overrides, defaults


def find(overrides: tuple[tuple[str, str], ...] | list[tuple[str, str]], kind: str) -> str | None:
    """The first part of a content type, or ``None``."""
    return next((part for part, ct in overrides if ct == kind), None)


def _workbook_part(overrides: list[tuple[str, str]], defaults: set[str]) -> str:
    """The workbook part, found as openpyxl finds it (by content type)."""
    for content_type in (XLTM, XLTX, XLSM, XLSX):
        part = find(overrides, content_type)
        if part:
            return part
    if defaults & {XLTM, XLTX, XLSM, XLSX}:
        return str(ARC_WORKBOOK)
    raise XlsxRefused(N_("imp.err.xlsx_broken"), part=str(ARC_WORKBOOK), detail="no workbook")


def _refuse_macros(
    zf: zipfile.ZipFile, overrides: list[tuple[str, str]], defaults: set[str]
) -> None:
    """Refuse a workbook with macros or active content (named by its part or type)."""
    for name in zf.NameToInfo:
        if any(sign in name.lower() for sign in _MACRO_SIGNS):
            raise XlsxRefused(N_("imp.err.xlsx_macro"), detail=name)
    for kind in [ct for _, ct in overrides] + sorted(defaults):
        if any(sign in kind.lower() for sign in _MACRO_SIGNS):
            raise XlsxRefused(N_("imp.err.xlsx_macro"), detail=kind)


def _check_part(zf: zipfile.ZipFile, name: str, whole: bool) -> None:
    """No document type declaration; a part read whole is also small.

    A part that is not read whole is parsed only up to its root element (a declaration
    can only stand before it).
    """
    info = zf.NameToInfo[name]
    if whole and info.file_size > MAX_WHOLE_PART_BYTES:
        raise XlsxRefused(
            N_("imp.err.xlsx_part_size"), part=name,
            found_mb=round(info.file_size / 2**20, 1), limit_mb=MAX_WHOLE_PART_BYTES // 2**20,
        )  # fmt: skip
    p = parser()
    count = [0]

    def start(_tag: str, _attrs: dict[str, str]) -> None:
        count[0] += 1
        if not whole:
            raise _Root
        if count[0] > MAX_WHOLE_PART_ELEMENTS:
            raise Stop(
                XlsxRefused(N_("imp.err.xlsx_elements"), part=name, limit=MAX_WHOLE_PART_ELEMENTS)
            )

    p.StartElementHandler = start
    try:
        scan(zf, name, p)
    except _Root:
        pass


class _Root(Exception):
    """The root element is reached: no declaration can follow."""


def _is_xml(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels", ".vml"))


def open_package(zf: zipfile.ZipFile, limits: Limits) -> Package:
    """Check a workbook's package (see the module) and find its sheets.

    Raises
    ------
    XlsxRefused
        Too many parts, unpacks too large, macros, a document type declaration, a part
        read whole too large, no workbook, or no sheet.
    """
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise XlsxRefused(N_("imp.err.xlsx_parts"), found=len(infos), limit=MAX_PARTS)
    unpacked = sum(i.file_size for i in infos)
    if unpacked > limits.max_unpacked_bytes:
        raise XlsxRefused(
            N_("imp.err.xlsx_unpacked"),
            found_mb=unpacked // (1024 * 1024),
            limit_mb=limits.max_unpacked_bytes // (1024 * 1024),
        )
    overrides, defaults = _content_types(zf)
    _refuse_macros(zf, overrides, defaults)
    workbook = _workbook_part(overrides, defaults)
    path = PurePosixPath(workbook)
    whole = {
        "[Content_Types].xml", workbook, str(path.parent / "_rels" / (path.name + ".rels")),
        *_READ_WHOLE,
    }  # fmt: skip
    for name in zf.NameToInfo:
        if name in whole or _is_xml(name):
            _check_part(zf, name, name in whole)
    sheets = _sheets(zf, workbook)
    if not sheets:
        raise XlsxRefused(N_("imp.err.xlsx_no_sheet"))
    return Package(tuple(sheets), find(overrides, SHARED_STRINGS), tuple(overrides))
