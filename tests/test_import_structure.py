"""The parts of app/ import each other in one direction only: no two parts form a ring.

A part is a package of app/ or a module at its top. Imports inside functions count too: a
ring hidden in a function is still a ring. The factory (app/__init__.py) assembles every
part and is left out.
"""

import ast
from collections import defaultdict
from pathlib import Path

from app import PROJECT_ROOT

APP = PROJECT_ROOT / "app"


def part_of(module: str) -> str | None:
    """`app.comments.views` -> `comments`; `app.public` -> `public`; `app` -> None."""
    pieces = module.split(".")
    if pieces[0] != "app" or len(pieces) < 2:
        return None
    return pieces[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            # `from app import public` names a part too.
            if node.module == "app":
                found.update(f"app.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        if path == APP / "__init__.py":
            continue
        relative = path.relative_to(PROJECT_ROOT).with_suffix("")
        source = part_of(".".join(relative.parts))
        for module in imported_modules(path):
            target = part_of(module)
            if target and source and target != source:
                graph[source].add(target)
    return graph


def rings(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one part (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph.get(node, ())):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_ring_finder_finds_a_ring_and_nothing_else():
    assert rings({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert rings({"a": {"b"}, "b": {"c"}}) == []


def test_no_parts_of_the_app_import_each_other_in_a_ring():
    graph = import_graph()
    found = rings(graph)
    described = [
        " <-> ".join(group)
        + ": "
        + "; ".join(f"{part} -> {', '.join(sorted(graph[part] & set(group)))}" for part in group)
        for group in found
    ]
    assert found == [], "\n".join(described)
