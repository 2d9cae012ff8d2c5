"""Import of facilities from OpenStreetMap extracts (``.osm`` XML or ``.osm.pbf``).

Both formats are read with pyosmium. Nodes keep their own position; ways get the mean of
their (unique) node locations. Relations are ignored. Only elements with a ``name`` tag or a
matching category rule are kept.

The single mapping from OSM tags to facility categories is :data:`OSM_CATEGORY_RULES`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import osmium
import pandas as pd

#: Mapping from OSM tags to facility categories, in priority order: the first rule whose
#: ``key`` is present (and whose ``value`` matches, ``None`` meaning "any value") wins.
#: Specific rules (accommodation, outreach) come before the general ``social_facility``
#: rule, and rules on a fixed value come before catch-all keys such as ``club=*``.
OSM_CATEGORY_RULES: list[tuple[str, str | None, str]] = [
    # Accommodation for refugees and people in need
    ("amenity", "refugee_site", "Unterkunft"),
    ("social_facility", "shelter", "Unterkunft"),
    ("social_facility", "outreach", "Beratungsstelle"),
    ("social_facility:for", "refugees", "Unterkunft"),
    # Childcare and schools
    ("amenity", "kindergarten", "Kita"),
    ("amenity", "childcare", "Kita"),
    ("amenity", "school", "Schule"),
    # Language courses
    ("amenity", "language_school", "Sprachkurs"),
    # Counselling and social services
    ("amenity", "social_facility", "Beratungsstelle"),
    ("office", "ngo", "Beratungsstelle"),
    # Health
    ("amenity", "doctors", "Gesundheit"),
    ("amenity", "clinic", "Gesundheit"),
    ("amenity", "hospital", "Gesundheit"),
    ("healthcare", None, "Gesundheit"),
    # Religion
    ("amenity", "place_of_worship", "Religion"),
    # Project sites
    ("amenity", "community_centre", "Projektstandort"),
    # Associations and clubs
    ("office", "association", "Verein"),
    ("club", None, "Verein"),
]

#: Columns of :attr:`OsmTable.frame`, in order.
COLUMNS: tuple[str, ...] = (
    "name",
    "category",
    "operator",
    "street",
    "postcode",
    "place",
    "lat",
    "lon",
    "contact",
    "languages",
    "source",
    "reference_date",
    "osm_id",
    "note",
)

SOURCE_PREFIX = "OpenStreetMap (© OpenStreetMap-Mitwirkende, ODbL), "

_CONTACT_KEYS = ("phone", "contact:phone", "email", "contact:email", "website", "contact:website")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_TYPE_ORDER = {"node": 0, "way": 1}


@dataclass(frozen=True)
class OsmTable:
    """Facilities read from an OSM file.

    Attributes
    ----------
    frame
        One row per kept element; all columns are strings (``""`` when missing), see
        :data:`COLUMNS`.
    row_labels
        Per row, the label shown to the user in a report, e.g. ``"node/123"``.
    """

    frame: pd.DataFrame
    row_labels: list[str]


def _match_rule(tags: Mapping[str, str]) -> tuple[str, str, str] | None:
    """Return ``(key, value, category)`` of the first matching rule, or ``None``."""
    for key, value, category in OSM_CATEGORY_RULES:
        tag_value = tags.get(key)
        if tag_value is None or tag_value == "":
            continue
        if value is None or tag_value == value:
            return key, tag_value, category
    return None


def osm_category(tags: Mapping[str, str]) -> str | None:
    """Facility category of an OSM element according to :data:`OSM_CATEGORY_RULES`.

    Parameters
    ----------
    tags
        The element's tags.

    Returns
    -------
    str or None
        A facility category (e.g. ``"Kita"``), or ``None`` when no rule matches.
    """
    match = _match_rule(tags)
    return None if match is None else match[2]


def _fmt_coord(value: float) -> str:
    """Decimal string with '.' and at most 7 decimals (OSM precision), e.g. ``"49.4431234"``."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _reference_date(timestamp: datetime | None) -> str:
    """ISO date of an element timestamp; ``""`` if absent (osmium reports the epoch then)."""
    if timestamp is None or timestamp <= _EPOCH:
        return ""
    return timestamp.astimezone(UTC).date().isoformat()


def _languages(tags: Mapping[str, str]) -> str:
    """Language codes of ``language:<code>=yes`` tags, sorted and joined with ", "."""
    codes = sorted(
        key.split(":", 1)[1]
        for key, value in tags.items()
        if key.startswith("language:") and value == "yes" and key.split(":", 1)[1]
    )
    return ", ".join(codes)


def _contact(tags: Mapping[str, str]) -> str:
    """Phone, e-mail and website values joined with "; " (duplicates dropped)."""
    values: list[str] = []
    for key in _CONTACT_KEYS:
        value = tags.get(key, "").strip()
        if value and value not in values:
            values.append(value)
    return "; ".join(values)


def _row(
    tags: Mapping[str, str],
    osm_id: str,
    lat: float | None,
    lon: float | None,
    timestamp: datetime | None,
    file_name: str,
) -> dict[str, str] | None:
    """Build one output row, or ``None`` if the element has neither name nor category."""
    name = tags.get("name", "").strip()
    match = _match_rule(tags)
    if not name and match is None:
        return None
    street = f"{tags.get('addr:street', '')} {tags.get('addr:housenumber', '')}".strip()
    return {
        "name": name,
        "category": "" if match is None else match[2],
        "operator": tags.get("operator", "").strip(),
        "street": street,
        "postcode": tags.get("addr:postcode", "").strip(),
        "place": (tags.get("addr:city") or tags.get("addr:place") or "").strip(),
        "lat": "" if lat is None else _fmt_coord(lat),
        "lon": "" if lon is None else _fmt_coord(lon),
        "contact": _contact(tags),
        "languages": _languages(tags),
        "source": SOURCE_PREFIX + file_name,
        "reference_date": _reference_date(timestamp),
        "osm_id": osm_id,
        "note": "" if match is None else f"OSM {match[0]}={match[1]}",
    }


def _osm_format(path: Path) -> str:
    """pyosmium format string for a file name; raise ValueError for other extensions."""
    name = path.name.lower()
    if name.endswith(".osm.pbf") or name.endswith(".pbf"):
        return "pbf"
    if name.endswith(".osm"):
        return "osm"
    raise ValueError(f"{path.name}: unknown file type; expected .osm or .osm.pbf")


class OsmUnreadable(ValueError):
    """The file cannot be read as OSM data; ``detail`` is the reader's reason."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: cannot be read as OSM data ({detail})")
        self.detail = detail


class OsmTooLarge(ValueError):
    """More elements would be kept than allowed; ``found`` is how many."""

    def __init__(self, found: int, limit: int) -> None:
        super().__init__(f"{found} elements, at most {limit} allowed")
        self.found, self.limit = found, limit


def read_osm(path: Path, max_rows: int | None = None) -> OsmTable:
    """Read facilities from an OSM XML (``.osm``) or PBF (``.osm.pbf``) file.

    Parameters
    ----------
    path
        The OSM file.
    max_rows
        At most this many elements are kept; beyond it they are only counted and
        :class:`OsmTooLarge` is raised at the end (memory stays bounded).

    Returns
    -------
    OsmTable
        Rows for nodes (ascending id), then ways (ascending id); only elements with a
        ``name`` tag or a category from :data:`OSM_CATEGORY_RULES`.

    Raises
    ------
    OsmTooLarge
        More than ``max_rows`` elements with a name or category.
    ValueError
        If the file has an unknown extension or cannot be read as OSM data.
    """
    path = Path(path)
    fmt = _osm_format(path)
    keyed: list[tuple[int, int, dict[str, str]]] = []
    beyond = 0
    try:
        processor = osmium.FileProcessor(
            osmium.io.File(str(path), fmt), osmium.osm.NODE | osmium.osm.WAY
        ).with_locations()
        for obj in processor:
            tags = {tag.k: tag.v for tag in obj.tags}
            if isinstance(obj, osmium.osm.Node):
                kind = "node"
                # Untagged nodes (way members) can never produce a row.
                if not tags:
                    continue
                loc = obj.location
                lat, lon = (loc.lat, loc.lon) if loc.valid() else (None, None)
            elif isinstance(obj, osmium.osm.Way):
                kind = "way"
                if not tags:
                    continue
                points = {n.ref: (n.lat, n.lon) for n in obj.nodes if n.location.valid()}
                if points:
                    lat = sum(p[0] for p in points.values()) / len(points)
                    lon = sum(p[1] for p in points.values()) / len(points)
                else:
                    lat = lon = None
            else:
                continue
            row = _row(tags, f"{kind}/{obj.id}", lat, lon, obj.timestamp, path.name)
            if row is None:
                continue
            if max_rows is not None and len(keyed) >= max_rows:
                beyond += 1
            else:
                keyed.append((_TYPE_ORDER[kind], obj.id, row))
    except (RuntimeError, OSError) as exc:
        raise OsmUnreadable(path.name, " ".join(str(exc).split())) from exc
    if beyond and max_rows is not None:
        raise OsmTooLarge(len(keyed) + beyond, max_rows)
    keyed.sort(key=lambda item: (item[0], item[1]))
    rows = [row for _, _, row in keyed]
    frame = pd.DataFrame(rows, columns=list(COLUMNS), dtype=str).fillna("").astype(str)
    return OsmTable(frame=frame, row_labels=[row["osm_id"] for row in rows])
