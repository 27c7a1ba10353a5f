"""The API package is plumbing and the ingest app's modules import each other one way."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "followthrough"


def imports_of(path: Path) -> set[str]:
    """Every followthrough module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.update([node.module, *names])
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("followthrough.")}


def test_the_api_package_is_plumbing_that_imports_no_app_above_people():
    # Each app owns its endpoints (goals/api.py, ingest/api.py, people/api.py).
    # The API's rate limit shares the login limit's buckets and client address (web).
    # Personal access tokens are checked by people/tokens.py, of the lowest app.
    allowed = (
        "followthrough.api",
        "followthrough.lib",
        "followthrough.people.access",
        "followthrough.people.models",
        "followthrough.people.tokens",
        "followthrough.web.auth",
        "followthrough.web.models",
    )
    for path in (PACKAGE / "api").glob("*.py"):
        above = {name for name in imports_of(path) if not name.startswith(allowed)}
        assert not above, f"{path.name} imports {above}"


def test_no_two_ingest_modules_import_each_other_even_through_others():
    modules = {p.stem: p for p in (PACKAGE / "ingest").glob("*.py")}
    graph = {
        name: {
            imported.split(".")[2]
            for imported in imports_of(path)
            if imported.startswith("followthrough.ingest.")
            and imported.split(".")[2] in modules
            and imported.split(".")[2] != name
        }
        for name, path in modules.items()
    }

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    cycles = sorted({tuple(sorted((a, b))) for a in graph for b in graph[a] if reaches(b, a)})
    assert not cycles, f"import cycles between {cycles}"
