"""No import circles between the parts of barnbokslut (issue 9).

The graph is read from the source with ``ast`` (nothing is imported): every ``import`` and ``from … import``,
at module level or inside a function, but not those under ``if TYPE_CHECKING:`` (they never run). At each
package level the modules are grouped by the child of that package they belong to (``barnbokslut.cli``,
``barnbokslut.web``, …; ``barnbokslut.indicators.analysis``, …; ``barnbokslut.web.accounts``, …) and those
groups must not import each other in a circle. A shell depends on the core, never the other way round.

``KNOWN`` lists the circles that remain on purpose, each with its reason; a new circle fails, and so does a
listed one that is gone (take it off the list).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

KNOWN: dict[frozenset[str], str] = {
    frozenset({"barnbokslut.web.accounts", "barnbokslut.web.organisations"}): (
        "a membership points at its organisation and units, and creating an organisation makes its creator "
        "the administrator (two Django apps that know each other's models)"
    ),
    frozenset(
        {
            "barnbokslut.web.publishing.import_reading",
            "barnbokslut.web.publishing.services",
            "barnbokslut.web.publishing.tasks",
        }
    ): (
        "the service enqueues the background task and the task runs the service (imported when called); an "
        "uploaded PDF is queued for the task that reads it in the same way (import_reading)"
    ),
}


def _modules() -> dict[str, tuple[Path, bool]]:
    """Every module under src/barnbokslut by dotted name, with whether it is a package's ``__init__``."""
    found: dict[str, tuple[Path, bool]] = {}
    for path in sorted((SRC / "barnbokslut").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        found[".".join(parts)] = (path, is_package)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(tree: ast.Module, package: str) -> list[tuple[str, int]]:
    """The dotted names a module imports (``from a import b`` gives ``a`` and ``a.b``), with their lines."""
    names: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.append((module, node.lineno))
            names.extend((f"{module}.{alias.name}", node.lineno) for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def import_graph() -> dict[str, dict[str, int]]:
    """Module → the barnbokslut modules it imports (the nearest existing module of each name) → first line."""
    modules = _modules()

    def resolve(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = {}
    for name, (path, is_package) in modules.items():
        package = name if is_package else name.rpartition(".")[0]
        edges: dict[str, int] = {}
        for imported, line in _imported_names(ast.parse(path.read_text(encoding="utf-8")), package):
            if imported == "barnbokslut" or imported.startswith("barnbokslut."):
                target = resolve(imported)
                if target is not None and target != name:
                    edges.setdefault(target, line)
        graph[name] = edges
    return graph


def _circles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[frozenset[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def circles_by_level(graph: dict[str, dict[str, int]]) -> dict[frozenset[str], list[str]]:
    """Every circle between the children of any package, with the imports that make it."""
    packages = {name.rpartition(".")[0] for name in graph if "." in name}
    result: dict[frozenset[str], list[str]] = {}
    for package in sorted(packages):
        prefix = package + "."

        def child(name: str, prefix: str = prefix) -> str | None:
            return prefix + name[len(prefix) :].split(".")[0] if name.startswith(prefix) else None

        level: dict[str, set[str]] = defaultdict(set)
        why: dict[tuple[str, str], list[str]] = defaultdict(list)
        for source, targets in graph.items():
            source_child = child(source)
            if source_child is None:
                continue
            for target, line in targets.items():
                target_child = child(target)
                if target_child is not None and target_child != source_child:
                    level[source_child].add(target_child)
                    why[source_child, target_child].append(f"{source}:{line} imports {target}")
        for circle in _circles(level):
            result[circle] = [
                reason
                for (a, b), reasons in sorted(why.items())
                if a in circle and b in circle
                for reason in reasons
            ]
    return result


def test_the_graph_sees_imports() -> None:
    graph = import_graph()
    assert "barnbokslut.indicators.results" in graph["barnbokslut.indicators.analysis"]
    assert "barnbokslut.web.serve" in graph["barnbokslut.cli"]  # imported inside a function
    # a TYPE_CHECKING import is not an edge
    assert "barnbokslut.web.editions.models" not in graph["barnbokslut.web.accounts.permissions"]


def test_a_circle_is_found() -> None:
    graph = {"p.a": {"p.b.x": 1}, "p.b.x": {"p.c": 2}, "p.c": {"p.a": 3}, "p.b.y": {}}
    circles = circles_by_level(graph)
    assert set(circles) == {frozenset({"p.a", "p.b", "p.c"})}


def test_no_import_circles_between_packages_and_modules() -> None:
    circles = circles_by_level(import_graph())
    new = {circle: why for circle, why in circles.items() if circle not in KNOWN}
    gone = [sorted(circle) for circle in KNOWN if circle not in circles]
    message = "\n".join(
        f"import circle between {', '.join(sorted(circle))}:\n    " + "\n    ".join(why)
        for circle, why in new.items()
    )
    assert not new, message
    assert not gone, f"these circles are gone, take them off KNOWN: {gone}"
