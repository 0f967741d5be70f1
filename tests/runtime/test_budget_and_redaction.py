"""Per-task step budgets from the reference's call count, and verdicts a policy may see."""

from __future__ import annotations

import math
from typing import Any

from envfoundry.models import Attempt, AttemptKind, Verdict
from envfoundry.runtime.budget import min_calls, reference_min_calls, step_budget
from envfoundry.runtime.redact import policy_trajectory, policy_verdict
from tests.runtime.conftest import Stored


def reference(task_id: str, calls: int, passed: bool = True, **details: Any) -> Attempt:
    records = [{"name": "list_cities", "args": {}, "result": []}] * calls
    verdict = Verdict.ok(tool_calls=records, **details) if passed else Verdict.fail("no")
    return Attempt(task_id=task_id, kind=AttemptKind.reference, label="reference", verdict=verdict)


def test_step_budget_rules() -> None:
    assert step_budget(None, 50) == 50
    assert step_budget(10, 50) == 50  # never below the configured budget
    assert step_budget(80, 50) == math.ceil(1.5 * 80) + 10 == 130
    assert min_calls({"tool_calls": [{}] * 7}) == 7
    assert min_calls({"tool_calls": [{}] * 7, "min_calls": 5}) == 5  # the verifier's count wins
    assert min_calls({"min_calls": True}) is None and min_calls({}) is None
    # only passing references count
    assert reference_min_calls([reference("t", 90, passed=False)]) is None
    assert reference_min_calls([reference("t", 90), reference("t", 70)]) == 70


def test_a_long_reference_gets_its_budget_and_is_solvable(
    make_runtime: Any, stored: Stored
) -> None:
    runtime = make_runtime("local", max_steps=50)
    # without a reference on record: the configured budget, the 51st call ends the episode
    with runtime.open(stored.read_task) as ep:
        assert ep.max_steps == 50 and "at most 50 tool calls" in ep.system_prompt()
        for _ in range(50):
            assert "error" not in ep.call("list_cities")
        assert ep.call("list_cities")["done"] is True
        assert ep.verdict is not None and ep.verdict.details["budget"] == "steps"
    # a reference that needed 80 calls: 130 calls, stated in the prompt, and enough to solve it
    stored.store.put_attempts([reference(stored.read_task, 80)])
    with runtime.open(stored.read_task) as ep:
        assert ep.max_steps == 130 and ep.budget()["max_steps"] == 130
        assert "at most 130 tool calls" in ep.messages[0]["content"]
        for _ in range(80):
            cities = ep.call("list_cities")
        assert not ep.done
        best = max(cities, key=lambda c: c["population"])["name"]
        assert ep.submit({"city": best}).reward == 1.0
        assert ep.trajectory()["max_steps"] == 130


def test_the_policy_gets_a_generic_reason_and_the_episode_keeps_the_full_one(
    make_runtime: Any, stored: Stored
) -> None:
    runtime = make_runtime("local")
    with runtime.open(stored.write_task) as ep:
        # the right city without the booking: the verifier's reason names the expected city
        obs = ep.call(ep.submit_name, {"answer": {"city": "Shanghai"}})
        assert obs["submitted"] is True and obs["reward"] == 0.0
        assert obs["reason"] == "incorrect" and obs["details"] == {}
        assert ep.verdict is not None and "expected exactly one booking" in ep.verdict.reason
        served = policy_trajectory(ep.trajectory())
        assert "expected" not in str(served["verdict"]) + str(served["events"][-2:])
        assert "expected exactly one booking" in str(ep.trajectory()["verdict"])


def test_policy_verdict_keeps_the_runtime_s_own_reasons() -> None:
    assert policy_verdict(Verdict.ok("the sorted ids [6, 7]")).reason == "correct"
    assert policy_verdict(Verdict.fail("expected [6, 7]")).reason == "incorrect"
    budget = Verdict.fail("step budget exhausted (50 tool calls)", budget="steps")
    assert policy_verdict(budget).reason == budget.reason
    infra = policy_verdict(Verdict.infra("sandbox failed: /tmp/x"))
    assert infra.infra_error and "/tmp" not in infra.reason
