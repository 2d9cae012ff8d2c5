"""What every page says about the district: the synthetic-data banner."""

from __future__ import annotations

from dashboard.ui.common import view
from dashboard.ui.text import say


def district_banner(lang: str) -> None:
    """A warning on every page when the district's data is synthetic (test configuration)."""
    if view().config.synthetic:
        say("district.synthetic_banner", lang, "warning")
