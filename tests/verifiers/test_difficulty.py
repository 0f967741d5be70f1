"""Measured difficulty: the signals read from a judged task's attempts, the label they give,
and the ladder rule that a level a shortcut solves is not kept as a harder level (judged
through the real acceptance path on the hotel environment of test_adversary)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from envfoundry.envs.client import RunnerSession
from envfoundry.envs.pool import EnvPayload, RunnerPool
from envfoundry.models import Attempt, AttemptKind, RejectionCategory, TaskStatus, Verdict
from envfoundry.verifiers.adversary import LadderContext
from envfoundry.verifiers.difficulty import label, measure, search_space, with_rollouts
from envfoundry.verifiers.general import check_ladder
from tests.verifiers.test_adversary import (
    ANY_ROOM,
    BOOK_SCHEMA,
    BOOK_SOLUTION,
    ENV,
    SOUND_BOOK,
    TOOLS,
    _db,
    _task,
)


@pytest.fixture
def session(local_backend: Any, tmp_path: Path) -> Iterator[RunnerSession]:
    env = EnvPayload(tools_source=TOOLS, db=_db(tmp_path / "h.db"), name="hotel")
    with RunnerPool(local_backend, size=1) as pool, pool.lease(env) as s:
        yield s


def _any_room(level: int) -> Any:
    return _task(BOOK_SOLUTION, ANY_ROOM, BOOK_SCHEMA, level).model_copy(
        update={"prompt": "Book Ada any free room priced 200 or less."}
    )


def test_a_level_that_a_shortcut_solves_is_rejected_as_too_easy(session: RunnerSession) -> None:
    # level 2 of a task whose verifier takes any room in budget: the first-hit shortcut
    # (a probe there: another right answer) solves it, so it is no harder level
    (out,) = check_ladder(session, ENV, [_any_room(2)], LadderContext())
    assert out.status is TaskStatus.rejected
    assert out.rejection is RejectionCategory.too_easy
    assert "level 2 is solved by shortcut(s): shortcut:first_hit" in out.reason
    signals = measure(out.attempts)
    assert signals["shortcut_success"] > 0 and "shortcut:first_hit" in signals["shortcuts_passed"]
    assert signals["label"] == "easy"

    # at level 1 the same task is kept, its shortcut success recorded
    (low,) = check_ladder(session, ENV, [_any_room(1)], LadderContext())
    assert low.accepted, low.reason
    assert measure(low.attempts)["shortcut_success"] == signals["shortcut_success"]

    # the task that asks for the cheapest room resists every shortcut: kept at level 2
    (hard,) = check_ladder(
        session, ENV, [_task(BOOK_SOLUTION, SOUND_BOOK, BOOK_SCHEMA, 2)], LadderContext()
    )
    assert hard.accepted, hard.reason
    sig = measure(hard.attempts)
    assert sig["shortcuts"] >= 2 and sig["shortcut_success"] == 0.0
    assert sig["shortcuts_passed"] == []
    # find_guest, list_rooms, book: 3 calls; records: guest 1, rooms 1-4 (<= 200), booking
    assert sig["min_calls"] == 3
    assert sig["search_space"] == 6


def test_search_space_counts_distinct_records_per_tool() -> None:
    calls = [
        {"name": "list", "args": {}, "result": [{"id": 1}, {"id": 2}, {"id": 2, "x": 5}]},
        {"name": "list", "args": {"p": 2}, "result": [{"id": 3, "owner_id": 9}]},
        {"name": "get", "args": {"id": 1}, "result": {"sku": "A", "items": [{"line_id": 7}]}},
        {"name": "count", "args": {}, "result": 12},
    ]
    # list: ids 1, 2, 3; get: sku A and its nested line 7; a bare number is no record
    assert search_space(calls) == 5
    assert search_space([]) is None


def _attempt(label_: str, passed: bool, **details: Any) -> Attempt:
    verdict = Verdict.ok(**details) if passed else Verdict.fail("no", **details)
    kind = AttemptKind.reference if label_.startswith("reference") else AttemptKind.control
    return Attempt(task_id="t", kind=kind, label=label_, verdict=verdict)


def test_signals_and_label_from_attempts() -> None:
    calls = [{"name": "list", "args": {}, "result": [{"id": i} for i in range(31)]}] * 9
    attempts = [
        _attempt("reference", True, tool_calls=calls, min_calls=9),
        _attempt("control:empty", False),
        _attempt("control:shortcut:first_hit", False),
        _attempt("probe:shortcut:cheapest", False),
        _attempt("control:greedy_other:book", False),
        _attempt("variant:permuted", True),
    ]
    sig = measure(attempts)
    assert sig["min_calls"] == 9 and sig["search_space"] == 31
    assert sig["shortcuts"] == 3 and sig["shortcut_success"] == 0.0
    # effort 9 + log2(32) = 14: medium; one more passed probe makes it easy
    assert sig["label"] == "medium"
    assert label({**sig, "min_calls": 11}) == "hard"
    assert label({**sig, "min_calls": 2}) == "easy"
    passed = measure([*attempts, _attempt("probe:shortcut:constraint_dropped:x", True)])
    assert passed["shortcut_success"] == 0.25 and passed["label"] == "easy"
    # a policy's measured pass rate decides over the offline estimate
    rolled = with_rollouts(sig, pass_rate=0.1, pass_at_k=0.65, k=8)
    assert rolled["label"] == "hard" and rolled["pass_at_k"] == 0.65 and rolled["min_calls"] == 9
    assert with_rollouts(sig, 0.0, 0.0, 8)["label"] == "unsolved"
    # no reference attempt (another family's task): nothing to measure, no label
    assert measure([_attempt("control:empty", False)])["label"] is None
