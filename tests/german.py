"""Find German catalogue text in English output (pages, reports, maps).

A *German fragment* is a fixed piece of a German message: the text between two
placeholders (``{n} Angebote je 1.000 Einwohner (Schwelle {limit})`` gives ``Angebote je
1.000 Einwohner (Schwelle``), of a message whose German and English texts differ. Short
pieces (a word or two), pieces that also occur in some English message (names such as
"Verbandsgemeinde") and pieces that occur in the free text of the shipped data (names,
sources, titles of files: "Landkreis Kaiserslautern", "Datenlizenz Deutschland") are left
out: they say nothing about the language of the interface.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import pandas as pd
from babel.messages.pofile import read_po

from dashboard.config import REPO_ROOT
from dashboard.i18n.catalogue import LOCALES, po_path

#: Shorter fixed pieces are not checked (single words are often the same in both languages).
MIN_LENGTH = 12

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _texts(lang: str) -> dict[str, list[str]]:
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=LOCALES[lang])
    out = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        out[key] = [s for s in strings if s]
    return out


def _pieces(text: str) -> Iterator[str]:
    """Fixed pieces of a message, Markdown emphasis removed, whitespace folded."""
    for piece in _PLACEHOLDER.split(text.replace("**", "")):
        piece = " ".join(piece.split()).strip(" ,;:.()·–")
        if len(piece) >= MIN_LENGTH:
            yield piece


#: Free-text columns of the shipped datasets (codes such as a status are not data text).
DATA_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "facilities.csv": ("name", "operator", "street", "place", "contact", "source", "note"),
    "projects.csv": ("title", "handlungsfeld_basis", "lead_organisation", "source", "note"),
    "indicators.csv": ("area_name", "source", "note"),
    "population_gemeinden.csv": ("name", "population_source"),
    "gemeinden_vg_membership.csv": ("name", "vg_2013", "vg_2014", "vg_2019"),
}


@lru_cache(maxsize=1)
def data_text() -> str:
    """The free text of the shipped data and the file descriptions of both manifests."""
    parts = [
        (REPO_ROOT / folder / "MANIFEST.json").read_text(encoding="utf-8")
        for folder in ("datasets", "geodata")
    ]
    for name, columns in DATA_TEXT_COLUMNS.items():
        frame = pd.read_csv(REPO_ROOT / "datasets" / name, dtype=str, keep_default_na=False)
        parts += [str(v) for c in columns if c in frame for v in frame[c]]
    return normalise("\n".join(parts))


@lru_cache(maxsize=1)
def german_fragments() -> dict[str, str]:
    """German fragment -> the message key it comes from."""
    de, en = _texts("de"), _texts("en")
    english = "\n".join(s for strings in en.values() for s in strings) + "\n" + data_text()
    found: dict[str, str] = {}
    for key, strings in de.items():
        if strings == en.get(key):
            continue
        for text in strings:
            for piece in _pieces(text):
                if piece not in english:
                    found.setdefault(piece, key)
    return found


def normalise(text: str) -> str:
    """Whitespace folded (also no-break spaces), Markdown emphasis removed."""
    return " ".join(text.replace("**", "").split())


def german_in(texts: Iterable[str]) -> dict[str, str]:
    """German fragments (with their message key) found in any of ``texts``."""
    haystack = normalise("\n".join(texts))
    return {piece: key for piece, key in german_fragments().items() if piece in haystack}


def _strings(obj: object) -> Iterator[str]:
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for value in obj.values():
            yield from _strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _strings(value)


def page_texts(at: object) -> list[str]:
    """Every string an AppTest run shows: element protos (labels, options, Markdown, the
    map component's HTML) and the cells, columns and index of every table."""
    from google.protobuf.json_format import MessageToDict

    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.extend(_strings(MessageToDict(proto)))
        if type(node).__name__ in ("Dataframe", "Table"):
            frame = node.value  # type: ignore[attr-defined]
            frame = getattr(frame, "data", frame)  # a Styler
            out.extend(str(c) for c in frame.columns)
            out.extend(str(i) for i in [*frame.index, frame.index.name])
            out.extend(str(v) for v in frame.astype(str).to_numpy().ravel())
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)  # type: ignore[attr-defined]
    return out
