"""Moves to build attack solutions with the :mod:`tests.generators.general._attacks` harness:
a task parameter read from its verifier, a reference with one write left out, and code that
tries a write on someone else until one is accepted by the tools."""

from __future__ import annotations

import ast
from typing import Any

from tests.generators.general._attacks import Episode


def param(e: Episode, name: str) -> Any:
    """The value of the task parameter ``name`` as the rendered verifier holds it."""
    for node in ast.parse(e.task.verifier.source or "").body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                assert node.value is not None
                return ast.literal_eval(node.value)
    raise KeyError(name)


def skipping(e: Episode, tool: str, n: int = 1, result: Any = None, after: str = "") -> str:
    """The reference solution with its ``n``-th call of ``tool`` left out (the call returns
    ``result`` instead); ``after`` may change ``answer`` before it is returned."""
    return e.around_reference(
        before=f"""
        class _Skip:
            def __init__(self, inner):
                self._inner, self._seen = inner, 0

            def __getattr__(self, name):
                call = getattr(self._inner, name)
                if name != {tool!r}:
                    return call

                def maybe(**kw):
                    self._seen += 1
                    return {result!r} if self._seen == {n} else call(**kw)

                return maybe

        real, tools = tools, _Skip(tools)
        """,
        after=after,
    )


def first_that_works(calls: list[str]) -> str:
    """Code that makes the first of ``calls`` (Python expressions on ``tools``) the tools
    accept, and fails the solution when none is."""
    lines = ["for _try in ["]
    lines += [f"    lambda: {c}," for c in calls]
    lines += [
        "]:",
        "    try:",
        "        _try()",
        "        break",
        "    except Exception:",
        "        pass",
        "else:",
        "    raise RuntimeError('no collateral write was accepted')",
    ]
    return "\n".join(lines)


def rows(e: Episode, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of the task's initial database (to pick another entity for an attack)."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    try:
        db.deserialize(e.db)
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


def check_order_declared(category: Any) -> None:
    """Every list of every level's answer declares whether its order matters, and the prompt
    says so in words."""
    for task in category.build(0, 0).tasks:
        for key, prop in task.answer_schema["properties"].items():
            if prop.get("type") != "array":
                continue
            assert isinstance(prop.get("x-ordered"), bool), (task.level, key)
            words = "in this order" if prop["x-ordered"] else "in any order"
            assert words in " ".join(task.prompt.split()), (task.level, key)
