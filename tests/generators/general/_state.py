"""Small readers for attack tests: a task's parameters and its initial database.

The parameters are read back from the literals the kit rendered into the task's verifier
(module-level upper-case constants), so a test crafts its attack from what the task is
about without relying on how the builder numbers its rows.
"""

from __future__ import annotations

import ast
import sqlite3
from typing import Any

from tests.generators.general._attacks import Episode


def params(ep: Episode) -> dict[str, Any]:
    """The task's parameters: the rendered verifier's upper-case module constants."""
    out: dict[str, Any] = {}
    for node in ast.parse(ep.task.verifier.source or "").body:
        target = None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            target, value = node.targets[0].id, node.value
        if target and target.isupper() and value is not None:
            try:
                out[target] = ast.literal_eval(value)
            except ValueError:
                continue
    return out


def initial(ep: Episode) -> sqlite3.Connection:
    """The episode's initial database, in memory (rows as ``sqlite3.Row``)."""
    db = sqlite3.connect(":memory:")
    db.deserialize(ep.db)
    db.row_factory = sqlite3.Row
    return db


def check_order_contracts(category: Any) -> None:
    """Every array of every level's answer schema declares ``x-ordered``, and the prompt says
    so in words: an order ("in this order", "in ascending order", "in the order ...") or
    "in any order"."""
    draft = category.build(0, 0)
    for task in draft.tasks:
        arrays = [
            spec
            for spec in task.answer_schema.get("properties", {}).values()
            if spec.get("type") == "array"
        ]
        for spec in arrays:
            ordered = spec.get("x-ordered")
            assert isinstance(ordered, bool), f"level {task.level}: an array without x-ordered"
            words = ("in this order", "in ascending order", "in the order")
            if ordered:
                assert any(w in task.prompt for w in words), f"level {task.level}: order unstated"
            else:
                assert "in any order" in task.prompt, f"level {task.level}: 'in any order' unstated"
