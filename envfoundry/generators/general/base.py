"""Contract between general-family drivers and the rest of the pipeline.

A driver (procedural or LLM) turns ``(category, seed, index)`` into an
:class:`EnvironmentDraft`: a SQLite database, one or more versions of a tools module,
and a ladder of :class:`TaskDraft` levels, each with a solution, a verifier and a
perturbed (wrong) solution used as a negative control. Drafts are *proposals*: their
code is untrusted and only ever runs in a sandbox (``envs/``), where ``verifiers/``
decides whether each task is accepted.

Code conventions every draft follows (the in-sandbox runner relies on them):

* **Tools module** — stdlib-only Python. Each tool is a top-level function
  ``def <name>(db, **params)``; ``db`` is a ``sqlite3.Connection`` to the episode's
  copy of the database with ``row_factory = sqlite3.Row``. A tool returns
  JSON-serialisable data (convert rows with ``dict(row)``) and raises ``ValueError``
  with a clear message for bad input (the policy sees it as an error observation).
  Write tools (``mutates=True`` in their :class:`ToolSpec`) change the database.
* **Solution** — defines ``def solve(tools)``; ``tools.<name>(**params)`` calls a tool
  and returns its result. It may import only :data:`SOLUTION_ALLOWED_IMPORTS`, may not
  open files, touch the database or use ``os``/``sys``/``sqlite3``/``subprocess``/
  ``socket``/``ctypes``/``importlib``/``builtins``/``eval``/``exec``/``compile``/
  ``open``/``__import__``/``globals``/``getattr`` on dunders. Returns the answer
  (JSON-serialisable, matching the task's answer schema).
* **Verifier** — defines ``def verify(answer, db)`` returning ``(passed: bool,
  reason: str)``. ``db`` is a *read-only* connection (``row_factory = sqlite3.Row``)
  to the episode database after the solution ran, so write tasks are checked on the
  final state. It checks the task's constraints (many answers may pass), never
  equality with one reference answer unless the task's answer is unique. It must
  not raise on malformed answers: return ``(False, "why")`` instead.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Protocol

from envfoundry.models import ToolSpec
from envfoundry.verifiers.static import SOLUTION_ALLOWED_IMPORTS

__all__ = ["SOLUTION_ALLOWED_IMPORTS"]

MIN_LEVEL = 1
MAX_LEVEL = 5


@dataclass(frozen=True)
class Toolset:
    """One version of an environment's tools: the module source and the tool specs."""

    version: int
    source: str
    tools: tuple[ToolSpec, ...]


@dataclass(frozen=True)
class TaskDraft:
    """One difficulty level of a task ladder."""

    level: int
    prompt: str
    answer_schema: dict[str, Any]
    solution_source: str
    verifier_source: str
    perturbed_solution_source: str
    toolset_version: int = 1
    unique_answer: bool = False
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class EnvironmentDraft:
    """A synthesized environment: database, toolset versions and a ladder of tasks."""

    category: str
    name: str
    db_bytes: bytes
    toolsets: tuple[Toolset, ...]
    tasks: tuple[TaskDraft, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    def toolset(self, version: int) -> Toolset:
        for ts in self.toolsets:
            if ts.version == version:
                return ts
        raise KeyError(f"{self.name}: no toolset version {version}")


class Category(Protocol):
    """A procedural category: deterministic in ``(seed, index)``."""

    name: str
    description: str

    def build(self, seed: int, index: int) -> EnvironmentDraft: ...


def item_rng(seed: int, category: str, index: int) -> random.Random:
    """The RNG of one generated item: reproducible on its own, never the global one."""
    return random.Random(f"{seed}:{category}:{index}")
