"""One home for every rule: the privacy, staleness and population rules live in exactly
one module each, and no module outside them re-implements them.

A static check over the package's source: a second copy of a rule (a filter on the
sensitive categories, a "<5", a 12-month cut-off, a sum of Gemeinde populations) in a page,
a renderer or an export fails here.
"""

from __future__ import annotations

import ast
import re

from tests.conftest import REPO

PACKAGE = REPO / "dashboard"


def _sources(*exclude: str) -> dict[str, str]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if rel.startswith("dashboard/build/") or rel in exclude:
            continue
        out[rel] = path.read_text(encoding="utf-8")
    return out


def _code(text: str) -> str:
    """The source without comments and docstrings (rules in prose are fine)."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                body[0] = ast.Pass()
    return ast.unparse(tree)


def test_privacy_rule_has_one_home() -> None:
    found = []
    for rel, text in _sources("dashboard/domain/privacy.py").items():
        code = _code(text)
        if re.search(r"isin\([^)]*SENSITIVE_CATEGORIES", code) or "'<5'" in code:
            found.append(rel)
        if re.search(r"\bSENSITIVE_CATEGORIES\s*=", code):
            found.append(rel)
    assert found == [], f"privacy rule re-implemented in {found}"


def test_staleness_rule_has_one_home() -> None:
    found = [
        rel
        for rel, text in _sources("dashboard/domain/staleness.py").items()
        if re.search(r"STALE_AFTER_MONTHS\s*=|def verified_cutoff|year\s*-\s*1", _code(text))
    ]
    assert found == [], f"staleness rule re-implemented in {found}"


def test_population_rule_has_one_home() -> None:
    found = [
        rel
        for rel, text in _sources("dashboard/analysis/population.py").items()
        if re.search(r"\[['\"]population['\"]\]\.sum\(|def aggregate_population", _code(text))
    ]
    assert found == [], f"population totals computed outside the headline rule: {found}"


def test_the_checks_see_a_twin() -> None:
    """The patterns above catch a copy (so these tests can fail)."""
    twin = "def f(x):\n    return x[~x['category'].isin(SENSITIVE_CATEGORIES)]\n"
    assert re.search(r"isin\([^)]*SENSITIVE_CATEGORIES", _code(twin))
    assert re.search(r"\[['\"]population['\"]\]\.sum\(", _code("y = p['population'].sum()"))
