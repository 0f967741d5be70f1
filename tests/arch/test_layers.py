"""The architecture as a test: layers import only downwards, and nothing imports in a cycle.

Every ``import`` in the package counts, including ones inside functions (a lazy import
that runs back up is still an arrow back up).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

PKG = ROOT / "envfoundry"

# What each top-level part of the package may import (besides itself). Core modules
# (errors, ids, procs, config, models) are importable from everywhere.
CORE = {"errors", "ids", "procs", "pyparse", "config", "models", "__init__"}
ALLOWED: dict[str, set[str]] = {
    "storage": set(),
    "envs": set(),  # envs execute: no storage, no verifiers
    "verifiers": {"envs"},
    "generators": {"envs", "verifiers", "storage"},
    "families": {"envs", "verifiers", "generators", "storage"},
    "runtime": {"envs", "verifiers", "generators", "storage", "families"},
    "export": {"storage", "runtime", "families"},
    # trainer adapters: beside export, over the runtime's client (nothing imports them)
    "integrations": {"runtime"},
    "flows": {"envs", "verifiers", "generators", "storage", "families", "runtime", "export"},
    "cli": {"envs", "verifiers", "generators", "storage", "families", "runtime", "export", "flows"},
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _type_only(tree: ast.AST) -> set[int]:
    """Ids of import nodes under ``if TYPE_CHECKING:`` (type hints, not runtime arrows)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def _imports(path: Path, modules: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_only(tree)
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.startswith("envfoundry")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if not node.module.startswith("envfoundry"):
                continue
            # "from envfoundry.x import y" imports the submodule y when there is one
            subs = {f"{node.module}.{a.name}" for a in node.names} & modules
            out |= subs
            if len(subs) < len(node.names):
                out.add(node.module)
    return out


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for imp in _imports(path, set(modules)):
            if imp in modules and imp != name:
                graph[name].add(imp)
    return graph


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def test_layers_import_only_downwards() -> None:
    wrong = []
    for src, targets in _graph().items():
        a = _part(src)
        for dst in targets:
            b = _part(dst)
            if a == b or b in CORE:
                continue
            if a in CORE or b not in ALLOWED.get(a, set()):
                wrong.append(f"{src} -> {dst}")
    assert wrong == [], "imports against the layers:\n" + "\n".join(sorted(wrong))


def test_no_import_cycles() -> None:
    graph = _graph()
    # parents import their package's __init__ implicitly; only explicit edges count here
    state: dict[str, int] = {}
    cycles: list[list[str]] = []
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
