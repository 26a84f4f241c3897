"""The package layout rules of CONTRIBUTING.md, held by a test.

Imports go downwards: the shared floor imports no feature, and no two modules
import each other (directly or through a chain), lazily or not.  Modules stay
small enough to read in one sitting.
"""

from __future__ import annotations

import ast
from pathlib import Path

import sphinx_opsboundary

PACKAGE = Path(sphinx_opsboundary.__file__).parent
FLOOR = {
    "diagnostics",
    "datafiles",
    "datafiles.base",
    "datafiles.parsers",
    "domain",
    "safety",
    "assets",
}
FEATURES = {"episodes", "links", "boundary", "report"}
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["sphinx_opsboundary", *parts])


def _imports(path: Path) -> set[str]:
    """Every sphinx_opsboundary module *path* imports, at any depth of its code."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if not module.startswith("sphinx_opsboundary"):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                found.add(candidate if candidate in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sphinx_opsboundary"))
    return {m for m in found if m in MODULES and m != name}


FILES = sorted(PACKAGE.rglob("*.py"))
MODULES = {_module_name(path) for path in FILES}
GRAPH = {_module_name(path): _imports(path) for path in FILES}


def _reaches(start: str, goal: str) -> bool:
    seen: set[str] = set()
    stack = list(GRAPH[start])
    while stack:
        current = stack.pop()
        if current == goal:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(GRAPH.get(current, ()))
    return False


def test_every_module_is_found() -> None:
    assert "sphinx_opsboundary.links.targets" in MODULES
    assert "sphinx_opsboundary.domain" in GRAPH["sphinx_opsboundary.links.targets"]


def test_no_import_circle() -> None:
    circles = sorted((a, b) for a, targets in GRAPH.items() for b in targets if _reaches(b, a))
    assert circles == []


def test_floor_imports_no_feature() -> None:
    for floor in FLOOR:
        imported = GRAPH[f"sphinx_opsboundary.{floor}"]
        features = {m for m in imported if m.split(".")[1] in FEATURES}
        assert features == set(), floor


def test_modules_are_small() -> None:
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text(encoding="utf-8").splitlines())
        for path in FILES
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
