"""A harness to attack a category's verifiers the way a reward-hacking policy would.

``Episode(CATEGORY, level)`` loads the category's environment for that level in a local
runner; ``run(source)`` plays a solution (``def solve(tools)``) on a fresh database and
judges its answer with the task's own verifier, as acceptance and the runtime do.
Attacks name tools and arguments canonically (``tools.get_car(car_id=...)``): the episode
passes every source and call through the environment's dialect (``_dialect.py``).
``around_reference(before=..., after=...)`` builds a solution that runs code before and
after the reference solution (``answer = ref(tools)``), to add collateral writes, take
the best option for someone else first, or undo a wrong write.
"""

from __future__ import annotations

import ast
import sqlite3
import textwrap
from dataclasses import dataclass
from typing import Any

from envfoundry.config import Settings
from envfoundry.envs.backends import get_backend
from envfoundry.envs.client import RunnerSession
from envfoundry.generators.general.categories._dialect import Dialect
from envfoundry.generators.general.categories._kit import dialect_of
from envfoundry.generators.general.specs import draft_to_specs
from envfoundry.models import EnvironmentSpec, TaskSpec


@dataclass
class Verdict:
    passed: bool
    reason: str
    answer: Any
    error: str | None = None


class Episode:
    """One task of a category in a warm local runner; use as a context manager."""

    def __init__(
        self,
        category: Any,
        level: int,
        seed: int = 0,
        index: int = 0,
        dialect: Dialect | None = None,
    ) -> None:
        draft = category.build(seed, index, levels=[level], dialect=dialect)
        specs = draft_to_specs(draft, "procedural")
        (self.task,) = specs.tasks
        self.env: EnvironmentSpec = next(e for e in specs.environments if e.id == self.task.env_id)
        self.db = specs.db_bytes
        self.draft = draft
        self.dialect: Dialect = dialect_of(draft)
        self.session: RunnerSession | None = None

    def __enter__(self) -> Episode:
        backend = get_backend(Settings(sandbox_backend="local"))
        self.session = backend.start_runner(purpose="verify")
        self.session.load_env(self.env.tools_source or "", self.db, name=self.env.name)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.session is not None:
            self.session.close()

    @property
    def s(self) -> RunnerSession:
        assert self.session is not None
        return self.session

    def call(self, tool: str, /, **args: Any) -> Any:
        """A tool call on a fresh database (reads before crafting an attack)."""
        self.s.reset()
        return self.call_here(tool, **args)

    def call_here(self, tool: str, /, **args: Any) -> Any:
        """A tool call (canonical names) on the database as it is now."""
        res = self.s.call_tool(*self.dialect.call(tool, args))
        assert res.error is None, res.error
        return res.result

    def tool(self, name: str) -> str:
        """The environment's name of the canonical tool ``name``."""
        return self.dialect.tool(name)

    def run(self, source: str, task: TaskSpec | None = None) -> Verdict:
        task = task or self.task
        self.s.reset()
        sol = self.s.run_solution(self.dialect.solution(source), timeout_s=30)
        if sol.reason != "ok":
            msg = f"{sol.error.type}: {sol.error.message}" if sol.error else sol.reason
            return Verdict(False, "solution failed", None, msg)
        res = self.s.run_verifier(task.verifier.source or "", sol.answer, timeout_s=30)
        err = f"{res.error.type}: {res.error.message}" if res.error else None
        return Verdict(bool(res.passed) and res.status == "ok", res.reason, sol.answer, err)

    def reference(self) -> Verdict:
        return self.run(self.task.reference_solution or "")

    def around_reference(self, before: str = "", after: str = "") -> str:
        """A solution: ``before`` (may use ``tools``), then ``answer = ref(tools)``, then
        ``after`` (may change ``answer``), returning ``answer``."""
        body = "\n".join(
            part
            for part in (
                textwrap.dedent(before).strip(),
                "answer = _reference_solve(tools)",
                textwrap.dedent(after).strip(),
                "return answer",
            )
            if part
        )
        return (
            (self.task.reference_solution or "")
            + "\n\n_reference_solve = solve\n\n\ndef solve(tools):\n"
            + textwrap.indent(body, "    ")
            + "\n"
        )

    def answer_only(self, answer: Any) -> Verdict:
        """The answer with no tool calls at all (no writes)."""
        return self.run(f"def solve(tools):\n    return {answer!r}\n")


# ------------------------------------------------------------------ readers for attack tests


def params(ep: Episode) -> dict[str, Any]:
    """The task's parameters: the upper-case module constants the kit rendered into its
    verifier, so an attack is crafted from what the task is about, not from row numbering."""
    out: dict[str, Any] = {}
    for node in ast.parse(ep.task.verifier.source or "").body:
        target, value = None, None
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


def param(ep: Episode, name: str) -> Any:
    """One task parameter (see :func:`params`); KeyError when the task has none of that name."""
    return params(ep)[name]


def initial(ep: Episode) -> sqlite3.Connection:
    """The task's initial database, in memory (rows as ``sqlite3.Row``)."""
    db = sqlite3.connect(":memory:")
    db.deserialize(ep.db)
    db.row_factory = sqlite3.Row
    return db


def rows(ep: Episode, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Rows of the task's initial database (to pick another entity for an attack)."""
    db = initial(ep)
    try:
        return [dict(r) for r in db.execute(sql, args)]
    finally:
        db.close()


def check_order_contracts(category: Any) -> None:
    """Every array of every level's answer schema declares ``x-ordered``, and the prompt says
    so in words: an order ("in this order", "in ascending order", "in the order ...") or
    "in any order"."""
    for task in category.build(0, 0).tasks:
        prompt = " ".join(task.prompt.split())
        for key, spec in task.answer_schema.get("properties", {}).items():
            if spec.get("type") != "array":
                continue
            ordered = spec.get("x-ordered")
            assert isinstance(ordered, bool), f"level {task.level}: {key} without x-ordered"
            if ordered:
                words = ("in this order", "in ascending order", "in the order")
                assert any(w in prompt for w in words), f"level {task.level}: order unstated"
            else:
                assert "in any order" in prompt, f"level {task.level}: 'in any order' unstated"
