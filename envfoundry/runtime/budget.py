"""Per-task step budgets: room for the reference solution's calls, never below the default.

A task's minimal call count is what its accepted reference solution needed: the
verifier stores it in the reference attempt's verdict (``details["min_calls"]``, else the
length of ``details["tool_calls"]``). An episode on that task gets
:func:`step_budget` tool calls, so a policy that solves it the reference's way is not cut
off; the runtime enforces it, the system prompt states it, rollouts and exports carry it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from envfoundry.models import Attempt, AttemptKind
from envfoundry.storage import Store

REFERENCE_LABEL = "reference"
SLACK_FACTOR = 1.5
SLACK_CALLS = 10


def step_budget(min_calls: int | None, default: int) -> int:
    """``default``, or ``ceil(1.5 * min_calls) + 10`` when that is larger."""
    if min_calls is None:
        return default
    return max(default, math.ceil(SLACK_FACTOR * min_calls) + SLACK_CALLS)


def min_calls(details: dict[str, Any]) -> int | None:
    """The minimal call count a reference verdict's details record, or None."""
    n = details.get("min_calls")
    if isinstance(n, int) and not isinstance(n, bool) and n >= 0:
        return n
    calls = details.get("tool_calls")
    return len(calls) if isinstance(calls, list) else None


def reference_min_calls(attempts: Iterable[Attempt]) -> int | None:
    """The fewest calls of the passing reference attempts among ``attempts``, or None."""
    counts = [
        n
        for a in attempts
        if a.kind == AttemptKind.reference and a.verdict.passed
        for n in [min_calls(a.verdict.details)]
        if n is not None
    ]
    return min(counts) if counts else None


def task_step_budget(store: Store, task_id: str, default: int) -> int:
    """The step budget of an episode on ``task_id`` (``default`` without a reference)."""
    return step_budget(reference_min_calls(store.list_attempts(task_id)), default)
