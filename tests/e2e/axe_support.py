"""axe-core over the atlas's Streamlit pages: every frame of the page, one report per view.

axe-core (from the installed ``axe-playwright-python`` package, no download) is injected into
the page and into each of its frames (a map drawn in a frame is checked with the page: axe
reads frames only where it runs itself), then run once on the page with the rules of WCAG
2.0/2.1 A and AA plus the best-practice rules that decide how a screen reader moves
through a page (:data:`SCREEN_READER_RULES`).
"""

from __future__ import annotations

from dataclasses import dataclass

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Error as PlaywrightError

#: WCAG 2.0 and 2.1, levels A and AA (axe-core tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Best-practice rules (not WCAG criteria) that matter to a screen reader: headings to jump
#: by, landmarks to jump to, one main and one h1, unique landmark names, labelled
#: regions, frames with titles, no empty headings or table headers. Not chosen:
#: ``presentation-role-conflict`` (minor), which Streamlit's own file uploader breaks (a
#: drop zone with role presentation and a label); its button is named and reachable.
SCREEN_READER_RULES = [
    "heading-order",
    "empty-heading",
    "empty-table-header",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-no-duplicate-main",
    "landmark-unique",
    "landmark-main-is-top-level",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-complementary-is-top-level",
    "aria-allowed-role",
    "aria-dialog-name",
    "aria-text",
    "aria-treeitem-name",
    "frame-title-unique",
    "image-redundant-alt",
    "label-title-only",
    "tabindex",
    "table-duplicate-name",
]


@dataclass(frozen=True)
class Violation:
    """One rule broken on one view: the rule, its impact, and where (first nodes)."""

    view: str
    rule: str
    impact: str
    nodes: tuple[str, ...]

    def __str__(self) -> str:
        where = "; ".join(self.nodes[:3])
        return f"{self.view}: {self.rule} ({self.impact}, {len(self.nodes)}×) {where}"


def _inject(page: object) -> None:
    """axe-core into the page and every frame it holds (frames that are going away are
    skipped: axe then reports nothing for them, and the next check sees the new frame)."""
    for frame in page.frames:  # type: ignore[attr-defined]
        try:
            if not frame.evaluate("() => typeof window.axe === 'object'"):
                frame.evaluate(AXE_SCRIPT)
        except PlaywrightError:
            continue


def check(page: object, view: str) -> list[Violation]:
    """Run axe-core on what ``page`` shows; the violations (empty: none).

    Parameters
    ----------
    page
        A Playwright page, the app's run finished.
    view
        What the page shows (role, language, viewport, page), named in each violation.
    """
    _inject(page)
    rules = {r: {"enabled": True} for r in SCREEN_READER_RULES}
    options = {
        "runOnly": {"type": "tag", "values": WCAG_TAGS},
        "rules": rules,
        "resultTypes": ["violations"],
        "iframes": True,
    }
    script = "(o) => axe.run(document, o).then(r => r.violations.map(v => ({id: v.id, "
    script += "impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ') + ' ' + "
    script += "n.html.slice(0, 160) + ' | ' + (n.failureSummary || '').slice(0, 240))})))"
    found = page.evaluate(script, options)  # type: ignore[attr-defined]
    return [Violation(view, v["id"], str(v["impact"]), tuple(v["nodes"])) for v in found]
