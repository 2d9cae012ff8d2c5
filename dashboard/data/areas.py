"""The boundaries that place a facility in its Gemeinde and VG (full resolution)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd

from dashboard.config import Settings
from dashboard.data.boundaries import load_layer
from dashboard.data.importer.geocode import Geocoder
from dashboard.data.locate import locate
from dashboard.data.population import load_membership
from dashboard.domain.model import Facility


@dataclass(frozen=True)
class Areas:
    """The boundaries that place a facility in its Gemeinde and VG.

    Attributes
    ----------
    gemeinden, city
        Full-resolution boundaries (EPSG:4326) with ``ags`` and ``name``.
    membership
        Gemeinde -> VG table (:func:`dashboard.data.population.load_membership`).
    vintage
        The district's current vintage (the VGs offers are edited and counted in).
    """

    gemeinden: gpd.GeoDataFrame
    city: gpd.GeoDataFrame
    membership: pd.DataFrame
    vintage: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Areas:
        """The boundaries and membership table of the settings' district."""
        return cls(
            load_layer(settings.geodata_dir, "gemeinden"),
            load_layer(settings.geodata_dir, "context"),
            load_membership(settings.datasets_dir),
            settings.district.current_vintage,
        )

    @cached_property
    def vg_names(self) -> dict[str, str]:
        """Current VG key -> name."""
        m = self.membership
        return dict(zip(m[f"vg_rs_{self.vintage}"], m[f"vg_{self.vintage}"], strict=True))

    @cached_property
    def geocoder(self) -> Geocoder:
        """The import's geocoder over these boundaries."""
        return Geocoder(self.gemeinden, self.city)

    def locate(self, facilities: Iterable[Facility]) -> gpd.GeoDataFrame:
        """:func:`dashboard.data.locate.locate` against these boundaries."""
        return locate(list(facilities), self.gemeinden, self.city, self.membership)

    def vg_of(self, facility: Facility) -> str | None:
        """The current VG key a facility lies in (``None``: outside or no location)."""
        value = self.locate([facility])[f"vg_rs_{self.vintage}"].iloc[0]
        return None if pd.isna(value) else str(value)

    def vg_label(self, keys: Iterable[str | None]) -> str:
        """VG names for a message (``"Altenglan, Kusel"``)."""
        names = [self.vg_names.get(k, k) if k else "ohne Verbandsgemeinde" for k in keys]
        return ", ".join(names)
