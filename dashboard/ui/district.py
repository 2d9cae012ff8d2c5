"""What every page says about the configured district: the synthetic-data banner."""

from __future__ import annotations

from dashboard.config import DISTRICT
from dashboard.ui.text import say


def district_banner(lang: str) -> None:
    """A warning on every page when the district's data is synthetic (test configuration)."""
    if DISTRICT.synthetic:
        say("district.synthetic_banner", lang, "warning")
