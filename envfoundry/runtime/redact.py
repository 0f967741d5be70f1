"""What a policy may learn from a verdict: passed, reward and a generic reason.

A verifier's reason can hold the expected answer ("expected the sorted ids [6, 7]"), and
its details the reference's tool calls. Shown to a policy, a failed episode would teach it
the answer of the task for the next episode. The runtime keeps the full verdict in the
episode (its trajectory and the stored attempt, for inspection) and hands the policy only
:func:`policy_verdict` — over HTTP, in the submit tool's observation and in ``play``.
"""

from __future__ import annotations

from typing import Any

from envfoundry.models import Verdict

PASSED = "correct"
FAILED = "incorrect"
INFRA = "infrastructure error: the answer could not be judged"
# Reasons the runtime itself gives (budgets, an answer off its schema — which the policy
# is shown anyway): they say nothing about the expected answer.
_RUNTIME_DETAILS = frozenset({"budget", "reaped", "answer_schema"})


def policy_verdict(verdict: Verdict) -> Verdict:
    """``verdict`` as the policy sees it: no verifier reason, no details."""
    if verdict.passed:
        reason = PASSED
    elif verdict.infra_error:
        reason = INFRA
    elif _RUNTIME_DETAILS & set(verdict.details):
        reason = verdict.reason
    else:
        reason = FAILED
    return Verdict(
        passed=verdict.passed,
        reward=verdict.reward,
        reason=reason,
        infra_error=verdict.infra_error,
    )


def policy_trajectory(trajectory: dict[str, Any]) -> dict[str, Any]:
    """An episode trajectory (``Episode.trajectory()``) with policy verdicts only."""

    def view(raw: Any) -> Any:
        return (
            raw
            if raw is None
            else policy_verdict(Verdict.model_validate(raw)).model_dump(mode="json")
        )

    events = [
        {**e, "verdict": view(e["verdict"])} if "verdict" in e else e
        for e in trajectory.get("events", [])
    ]
    return {**trajectory, "events": events, "verdict": view(trajectory.get("verdict"))}
