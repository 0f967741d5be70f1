"""Static checks of untrusted solution code: tool-only, allow-listed imports, no escapes.

This is the first of two fences: the runner's audit hook blocks the same things at run
time, so code that slips past the parser still cannot reach the database.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

from envfoundry import pyparse

# What a general-family solution may import (the runner enforces the same list).
SOLUTION_ALLOWED_IMPORTS: frozenset[str] = frozenset(
    {
        "math",
        "json",
        "itertools",
        "collections",
        "functools",
        "datetime",
        "re",
        "heapq",
        "statistics",
        "operator",
        "string",
        "bisect",
        "decimal",
        "fractions",
    }
)

FORBIDDEN_NAMES = frozenset(
    {
        "open",
        "exec",
        "eval",
        "compile",
        "__import__",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "input",
        "breakpoint",
        "memoryview",
        "help",
        "exit",
        "quit",
        "__builtins__",
        "__loader__",
        "__spec__",
    }
)


@dataclass(frozen=True)
class StaticReport:
    ok: bool
    problems: tuple[str, ...]

    @property
    def reason(self) -> str:
        return "; ".join(self.problems) if self.problems else "ok"


def check_solution(
    source: str, allowed_imports: Iterable[str], entrypoint: str = "solve"
) -> StaticReport:
    """Check that ``source`` defines ``entrypoint`` and only computes and calls tools."""
    allowed = set(allowed_imports)
    try:
        tree = pyparse.parse(source)  # one parse at a time in the process (see pyparse)
    except SyntaxError as exc:
        return StaticReport(False, (f"syntax error at line {exc.lineno}: {exc.msg}",))
    problems: list[str] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root not in allowed:
                    problems.append(f"line {line}: import of {alias.name!r} is not allowed")
        elif isinstance(node, ast.ImportFrom):
            root = (node.module or "").split(".")[0]
            if node.level or root not in allowed:
                problems.append(f"line {line}: import from {node.module!r} is not allowed")
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            problems.append(f"line {line}: use of {node.id!r} is not allowed")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("__"):
            problems.append(f"line {line}: access to dunder attribute {node.attr!r} is not allowed")
        elif isinstance(node, ast.Global | ast.Nonlocal):
            problems.append(f"line {line}: global/nonlocal is not allowed")
    has_entry = any(isinstance(n, ast.FunctionDef) and n.name == entrypoint for n in tree.body)
    if not has_entry:
        problems.append(f"no top-level function {entrypoint!r}")
    # deterministic order, no duplicates
    return StaticReport(not problems, tuple(dict.fromkeys(problems)))
