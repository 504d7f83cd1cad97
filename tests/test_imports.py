"""No import cycles in game/: the import graph, read with `ast`, has no strongly connected component.

Imports inside functions count as much as those at the top of a module. A function-level import runs
the first time the function does, so a cycle through one is still two modules that cannot be read,
tested or loaded apart; it is also exactly how a cycle hides (saves imported session inside
`restore` while session imported saves through sim/runner). Only imports under `if TYPE_CHECKING:`
are left out: they never run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import game

ROOT = Path(game.__file__).resolve().parent

# Edges allowed, each with the reason it may stay. None is needed today: keep it that way.
ALLOWED: set[tuple[str, str]] = set()


def module_names(root: Path, package: str) -> dict[str, Path]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def type_checking_only(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(tree: ast.AST):
    """Every Import / ImportFrom node, at any depth, except those under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and type_checking_only(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph(root: Path, package: str) -> dict[str, dict[str, int]]:
    """module -> {module it imports: line of the first such import}, within the package only."""
    modules = module_names(root, package)

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = {m: {} for m in modules}
    for mod, path in modules.items():
        here = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in imports_of(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [known(a.name) for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    parts = here.split(".")[:len(here.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                # `from pkg import sub` imports the submodule; `from pkg import name` the package.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else known(base) for a in node.names]
            for target in targets:
                if target and target != mod:
                    graph[mod].setdefault(target, node.lineno)
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def describe(comp: list[str], graph: dict[str, dict[str, int]]) -> str:
    """A cycle as a path through its component: `a (line 3) -> b (line 9) -> a`."""
    members = set(comp)
    path = [comp[0]]
    while True:
        nxt = sorted(t for t in graph[path[-1]] if t in members)
        step = next((t for t in nxt if t not in path), None)
        if step is None:
            back = next(t for t in nxt if t in path)
            path.append(back)
            path = path[path.index(back):]
            break
        path.append(step)
    hops = [f"{a} (line {graph[a][b]})" for a, b in zip(path, path[1:])]
    return " -> ".join(hops + [path[-1]])


def test_game_has_no_import_cycles():
    graph = import_graph(ROOT, "game")
    for a, b in ALLOWED:
        graph[a].pop(b, None)
    found = [describe(comp, graph) for comp in cycles(graph)]
    assert not found, "import cycles in game/:\n" + "\n".join(found)


def test_allowed_edges_still_exist():
    """An allowance no longer needed is deleted, so the list never hides a new cycle."""
    graph = import_graph(ROOT, "game")
    stale = sorted(f"{a} -> {b}" for a, b in ALLOWED if b not in graph[a])
    assert not stale, f"these imports are gone; remove them from ALLOWED in {__file__}: {', '.join(stale)}"


def test_a_function_level_cycle_is_found(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from pkg.sub import c\n")
    (pkg / "a.py").write_text("from pkg import b\n")
    (pkg / "b.py").write_text("def late():\n    from pkg.sub.c import f\n")
    (pkg / "sub" / "c.py").write_text("import pkg.a\n\ndef f():\n    pass\n")
    (pkg / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg import a\n")
    (pkg / "e.py").write_text("from . import d\nfrom .sub import c\n")
    graph = import_graph(pkg, "pkg")
    assert graph["pkg.e"] == {"pkg.d": 1, "pkg.sub.c": 2}  # relative imports resolve
    assert graph["pkg.d"] == {}  # type-checking imports never run
    found = cycles(graph)
    assert found == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    assert describe(found[0], graph) == "pkg.a (line 1) -> pkg.b (line 2) -> pkg.sub.c (line 1) -> pkg.a"
