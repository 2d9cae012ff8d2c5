"""The map view's state and its URL form: a shared link restores the same view.

Every field has a short URL key; values are validated on the way in, and anything
unknown or beyond its range (``k`` outside the slider's :data:`K_MIN`–:data:`K_MAX`)
falls back to the default (with a note), and text is cut to :data:`MAX_TEXT` characters,
so a stale, edited or crafted link never breaks the page.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields, replace

from dashboard.config import BASEMAPS
from dashboard.domain.model import CATEGORIES, HANDLUNGSFELDER, PRECISIONS
from dashboard.i18n.catalogue import DEFAULT_LANGUAGE, LANGUAGES

SCHEMES = ("quantiles", "natural_breaks", "equal_interval", "manual")
LEVELS = ("gemeinde", "vg")
LAYERS = ("facilities", "choropleth", "gemeinden", "city")
VERIFIED = ("all", "12m", "never")  # all, verified within 12 months, never / older
#: Number of classes of the area shading (the slider's range).
K_MIN, K_MAX = 2, 7
#: Longest free text taken from the URL (search, indicator, language, target group).
MAX_TEXT = 200
#: Most items of a list taken from the URL.
MAX_ITEMS = 50
_AGS = re.compile(r"^\d{8}$")


@dataclass(frozen=True)
class ViewState:
    """What the map page shows. Immutable; change with :func:`dataclasses.replace`."""

    lang: str = DEFAULT_LANGUAGE
    vintage: int = 0  # boundary vintage; 0: the district's current one (RoleView.resolved)
    layers: tuple[str, ...] = ("facilities", "choropleth", "gemeinden", "city")
    basemap: str = "none"
    indicator: str = "population"
    level: str = "vg"
    per_1000: bool = False
    scheme: str = "quantiles"
    k: int = 4
    breaks: tuple[float, ...] = ()
    vg: str = ""  # selected VG key (9 digits) of the vintage, "" = none
    gemeinde: str = ""  # filter: AGS
    categories: tuple[str, ...] = ()  # empty = all
    handlungsfelder: tuple[str, ...] = ()
    language: str = ""
    target_group: str = ""
    precisions: tuple[str, ...] = ()
    verified: str = "all"
    search: str = ""
    notes: tuple[str, ...] = field(default=(), compare=False)


_KEYS = {
    "lang": "lang", "vintage": "v", "layers": "ly", "basemap": "bm", "indicator": "ind",
    "level": "lvl", "per_1000": "p1k", "scheme": "cls", "k": "k", "breaks": "br", "vg": "vg",
    "gemeinde": "gem", "categories": "cat", "handlungsfelder": "hf", "language": "spr",
    "target_group": "zg", "precisions": "prec", "verified": "ver", "search": "q",
}  # fmt: skip
_SEP = "~"


def to_query(state: ViewState, current_vintage: int = 0) -> dict[str, str]:
    """The URL query parameters of a state (defaults omitted, keys short and stable).

    Parameters
    ----------
    state
        The view.
    current_vintage
        The district's current vintage (left out of the URL like any default).
    """
    default = ViewState(vintage=current_vintage)
    out: dict[str, str] = {}
    for f in fields(ViewState):
        if f.name == "notes":
            continue
        value = getattr(state, f.name)
        if value == getattr(default, f.name) and f.name != "lang":
            continue
        if isinstance(value, tuple):
            text = _SEP.join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
        elif isinstance(value, bool):
            text = "1" if value else "0"
        else:
            text = str(value)
        out[_KEYS[f.name]] = text
    return out


def _tuple(text: str, allowed: tuple[str, ...] | None) -> tuple[tuple[str, ...], list[str]]:
    items = tuple(dict.fromkeys(x for x in text.split(_SEP, MAX_ITEMS)[:MAX_ITEMS] if x))
    if allowed is None:
        return items, []
    bad = [x for x in items if x not in allowed]
    return tuple(x for x in items if x in allowed), bad


def from_query(
    params: dict[str, str],
    valid_vgs: dict[int, set[str]] | None = None,
    current_vintage: int = 0,
) -> ViewState:
    """Parse URL parameters into a state; invalid values fall back to defaults, with notes.

    Parameters
    ----------
    params
        Query parameters (``st.query_params`` as a dict).
    valid_vgs
        Vintage -> VG keys of the district: the vintages that may be chosen, and the VGs
        that may be selected in each.
    current_vintage
        The district's current vintage (the default).

    Returns
    -------
    ViewState
        The state; ``notes`` lists what was ignored.
    """
    s = ViewState(vintage=current_vintage)
    vintages = set(valid_vgs) if valid_vgs is not None else {current_vintage}
    notes: list[str] = []
    get = {name: params.get(key) for name, key in _KEYS.items()}
    changes: dict[str, object] = {}

    def choose(name: str, allowed: tuple[str, ...] | list[str]) -> None:
        value = get[name]
        if value is None:
            return
        if value in allowed:
            changes[name] = value
        else:
            notes.append(f"{_KEYS[name]}={_short(value)}")

    choose("lang", LANGUAGES)  # the page shows German for an unknown language
    if get["vintage"] is not None:
        if get["vintage"].isdigit() and int(get["vintage"]) in vintages:
            changes["vintage"] = int(get["vintage"])
        else:
            notes.append(f"v={get['vintage']}")
    choose("basemap", tuple(BASEMAPS))
    choose("level", LEVELS)
    choose("scheme", SCHEMES)
    choose("verified", VERIFIED)
    for name, allowed in (
        ("layers", LAYERS), ("categories", tuple(CATEGORIES)),
        ("handlungsfelder", tuple(HANDLUNGSFELDER)), ("precisions", PRECISIONS),
    ):  # fmt: skip
        raw = get[name]
        if raw is not None:
            items, bad = _tuple(raw, allowed)
            changes[name] = items
            notes.extend(f"{_KEYS[name]}={b}" for b in bad)
    for name in ("indicator", "language", "target_group", "search"):
        text = get[name]
        if text is not None:
            changes[name] = _printable(text)[:MAX_TEXT]
    _numbers(get, changes, notes)
    if get["vg"] is not None:
        vintage = int(changes.get("vintage", s.vintage))  # type: ignore[call-overload]
        if valid_vgs is None or get["vg"] in valid_vgs.get(vintage, set()):
            changes["vg"] = get["vg"][:MAX_TEXT]
        else:
            notes.append(f"vg={_short(get['vg'])}")
    return replace(s, notes=tuple(_short(n) for n in notes), **changes)  # type: ignore[arg-type]


def _numbers(get: dict[str, str | None], changes: dict[str, object], notes: list[str]) -> None:
    """The Gemeinde, per-1,000 switch, class count and class bounds of a URL (into
    ``changes``; what does not fit into ``notes``)."""
    if get["gemeinde"] is not None:
        if _AGS.match(get["gemeinde"]):
            changes["gemeinde"] = get["gemeinde"]
        else:
            notes.append(f"gem={_short(get['gemeinde'])}")
    if get["per_1000"] is not None:
        changes["per_1000"] = get["per_1000"] == "1"
    if get["k"] is not None:
        k_text = get["k"].strip()
        if k_text.isdigit() and K_MIN <= int(k_text[:6]) <= K_MAX:
            changes["k"] = int(k_text)
        else:  # beyond the slider: the default, with a note
            notes.append(f"k={_short(get['k'])}")
    if get["breaks"] is not None:
        breaks, bad = _breaks(get["breaks"])
        changes["breaks"] = breaks
        notes.extend(f"br={_short(b)}" for b in bad)


def _short(text: str) -> str:
    """A value quoted in a note: printable and at most 40 characters."""
    text = _printable(text)
    return text if len(text) <= 40 else text[:40] + "…"


def _printable(text: str) -> str:
    """``text`` without control and bidirectional-override characters."""
    return "".join(ch for ch in text if ch.isprintable() and ch not in _BIDI)


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _breaks(text: str) -> tuple[tuple[float, ...], list[str]]:
    """Finite numbers of a ``~``-separated list, sorted and distinct; the rest is bad.

    At most ``K_MAX + 1`` bounds are kept (more cannot be used by any classification).
    """
    good: set[float] = set()
    bad: list[str] = []
    for part in text.split(_SEP, MAX_ITEMS)[:MAX_ITEMS]:
        if not part:
            continue
        try:
            value = float(part)
        except ValueError:
            bad.append(part)
            continue
        if math.isfinite(value):
            good.add(value)
        else:
            bad.append(part)
    return tuple(sorted(good))[: K_MAX + 1], bad
