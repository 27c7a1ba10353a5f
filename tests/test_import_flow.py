"""Imports follow the data's way (DESIGN.md): a lower app never imports a higher one.

Pinned here for the places that ran against it: the demo, which sits at the top;
metrics, which borrowed ingest's progress bar and organisation lookup; web, which
imported the scorecard page for its landing route; and lib, which is below everyone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "followthrough"
APPS = ("lib", "people", "audit", "crm", "ingest", "metrics", "goals", "scorecards", "demo")
# What each of these may not import (DESIGN.md: lib <- people, audit <- crm <- ingest,
# metrics <- goals <- scorecards ... <- demo; web is the layout every page shares).
FORBIDDEN = {
    "lib": set(APPS) - {"lib"} | {"web", "api"},
    "web": {"crm", "ingest", "metrics", "goals", "scorecards", "demo"},
    "metrics": {"ingest", "goals", "scorecards", "demo"},
    **{app: {"demo"} for app in ("people", "audit", "crm", "ingest", "goals", "scorecards", "api")},
}


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every followthrough app `path` imports."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if parts[0] == "followthrough" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_an_app_imports_nothing_above_it(app):
    wrong = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports followthrough.{other}"
        for path in sorted((PACKAGE / app).rglob("*.py"))
        for line, other in imported_apps(path)
        if other in FORBIDDEN[app]
    ]
    assert wrong == []
