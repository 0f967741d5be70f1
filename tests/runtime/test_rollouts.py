"""Rollouts against the scripted LLM server: stored attempts, pass@k by hand, the band."""

from __future__ import annotations

import json
from math import comb
from typing import Any

import pytest

from envfoundry.generators.llm import LLMClient
from envfoundry.generators.llm.testserver import FakeLLMServer
from envfoundry.models import AttemptKind, RejectionCategory, TaskStatus
from envfoundry.runtime.rollouts import RolloutConfig, parse_answer, run_rollouts
from envfoundry.verifiers.passk import PassBand, difficulty_label, pass_at_k
from tests.runtime.conftest import Stored


def tool(name: str, args: Any) -> dict[str, Any]:
    return {"reply": {"content": None, "tool_calls": [{"name": name, "arguments": args}]}}


def say(text: str) -> dict[str, Any]:
    return {"reply": {"content": text}}


def submitting(city: str) -> list[dict[str, Any]]:
    """One rollout: look, submit through the tool, then a final message."""
    return [tool("list_cities", {}), tool("submit", {"answer": {"city": city}}), say("done")]


def booking(city: str) -> list[dict[str, Any]]:
    return [
        tool("list_cities", {}),
        tool("book_city", {"name": city}),
        tool("submit", {"answer": {"city": city}}),
        say("booked"),
    ]


def run(
    stored: Stored,
    make_runtime: Any,
    steps: list[Any],
    task: str,
    k: int,
    band: PassBand,
    apply_band: bool = True,
) -> Any:
    runtime = make_runtime("local")
    with FakeLLMServer(steps, model="fake-policy") as llm:
        client = LLMClient(llm.base_url, "fake-policy", cache=False, max_retries=0)
        # one episode at a time: the script is consumed in order
        cfg = RolloutConfig(k=k, concurrency=1, band=band, apply_band=apply_band)
        [report] = run_rollouts(runtime, client, [task], cfg, run_id="test-run")
        client.close()
        assert llm.remaining == 0
    return report


def test_pass_at_k_matches_the_estimator_by_hand(stored: Stored, make_runtime: Any) -> None:
    steps = [
        *submitting("Hangzhou"),  # 0: right, through the submit tool
        *submitting("Ningbo"),  # 1: wrong
        *submitting("Suzhou"),  # 2: wrong
        tool("list_cities", {}),  # 3: right, as JSON in the final message (no submit call)
        say('```json\n{"city": "Hangzhou"}\n```'),
        tool("teleport", {}),  # 4: an unknown tool, then gives up without an answer
        say("I cannot tell."),
    ]
    report = run(stored, make_runtime, steps, stored.read_task, 5, PassBand(k=2))
    rewards = [r.verdict.reward for r in report.results]
    assert rewards == [1.0, 0.0, 0.0, 1.0, 0.0]
    assert "no answer submitted" in report.results[4].verdict.reason
    n, c, k = 5, 2, 2
    by_hand = 1 - comb(n - c, k) / comb(n, k)  # 1 - 3/10
    d = report.decision
    assert (d.n, d.c, d.k) == (n, c, k)
    assert d.pass_at_k == pytest.approx(by_hand) == pytest.approx(0.7)
    assert d.pass_rate == pytest.approx(0.4) and d.difficulty == "medium" and d.keep

    store = stored.store
    rec = store.get_task(stored.read_task)
    assert rec.status is TaskStatus.accepted and rec.pass_rate == pytest.approx(0.4)
    attempts = [a for a in store.list_attempts(stored.read_task) if a.kind is AttemptKind.rollout]
    assert sorted(a.label for a in attempts) == [f"rollout:fake-policy:{i}" for i in range(5)]
    first = next(a for a in attempts if a.label.endswith(":0"))
    assert first.answer == {"city": "Hangzhou"} and first.run_id == "test-run"
    traj = json.loads(store.blobs.get_bytes(first.trajectory_blob or ""))
    assert traj["agent"]["stop_reason"] == "answered"
    assert [e["type"] for e in traj["episode"]["events"]] == ["call", "end", "submit"]
    assert traj["episode"]["events"][0]["tool"] == "list_cities"
    unknown = next(a for a in attempts if a.label.endswith(":4"))
    agent = json.loads(store.blobs.get_bytes(unknown.trajectory_blob or ""))["agent"]
    assert agent["tool_calls"][0]["error"] and "unknown tool" in agent["tool_calls"][0]["result"]


def test_band_rejects_too_easy_and_too_hard_tasks(stored: Stored, make_runtime: Any) -> None:
    easy = run(
        stored,
        make_runtime,
        booking("Hangzhou") + booking("Hangzhou"),
        stored.write_task,
        2,
        PassBand(max_pass_rate=0.9),
    )
    assert [r.verdict.passed for r in easy.results] == [True, True]
    assert easy.decision.rejection is RejectionCategory.too_easy
    rec = stored.store.get_task(stored.write_task)
    assert rec.status is TaskStatus.rejected and rec.rejection_category == "too_easy"
    assert rec.pass_rate == 1.0 and easy.status_after == "rejected"

    hard = run(stored, make_runtime, submitting("Ningbo") * 2, stored.read_task, 2, PassBand())
    assert hard.decision.pass_at_k == 0.0 and hard.decision.difficulty == "unsolved"
    rec = stored.store.get_task(stored.read_task)
    assert rec.status is TaskStatus.rejected and rec.rejection_category == "too_hard"


def test_more_rollouts_add_samples(stored: Stored, make_runtime: Any) -> None:
    first = run(stored, make_runtime, submitting("Ningbo"), stored.read_task, 1, PassBand(), False)
    assert first.decision.rejection is RejectionCategory.too_hard  # measured, not applied
    assert stored.store.get_task(stored.read_task).status is TaskStatus.accepted
    report = run(stored, make_runtime, submitting("Hangzhou"), stored.read_task, 1, PassBand())
    assert report.results[0].label == "rollout:fake-policy:1"
    assert (report.decision.n, report.decision.c) == (2, 1)
    assert stored.store.get_task(stored.read_task).status is TaskStatus.accepted


def test_estimator_and_labels() -> None:
    assert pass_at_k(10, 0, 5) == 0.0
    assert pass_at_k(10, 10, 1) == 1.0
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3)
    assert pass_at_k(4, 2, 3) == 1.0  # fewer failures than draws: a pass is certain
    assert pass_at_k(100, 1, 100) == 1.0
    with pytest.raises(ValueError):
        pass_at_k(3, 4, 1)
    with pytest.raises(ValueError):
        pass_at_k(3, 1, 4)
    assert [difficulty_label(r) for r in (0.0, 0.1, 0.5, 0.9)] == [
        "unsolved",
        "hard",
        "medium",
        "easy",
    ]
    with pytest.raises(ValueError):
        PassBand(min_pass_at_k=0.5, max_pass_rate=0.4)
    assert parse_answer(' {"a": 1} ') == {"a": 1}
    with pytest.raises(ValueError):
        parse_answer("no idea")


def test_rollouts_run_as_a_prefect_flow(
    stored: Stored, make_runtime: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The concurrent path is a Prefect flow over the same steps: every rollout stored."""
    from envfoundry.flows.prefect_api import prefect_api
    from envfoundry.flows.rollouts import rollouts_flow

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    runtime = make_runtime("local")
    with FakeLLMServer(submitting("Hangzhou") * 4, model="fake-policy") as llm:
        client = LLMClient(llm.base_url, "fake-policy", cache=False, max_retries=0)
        cfg = RolloutConfig(k=4, concurrency=2, band=PassBand(k=4))
        with prefect_api("test-rollouts"):
            [report] = rollouts_flow(runtime, client, [stored.read_task], cfg, run_id="flow-run")
        client.close()
    assert sorted(r.index for r in report.results) == [0, 1, 2, 3]
    # two episodes at once share one scripted model, so which rollout passes varies; the
    # pass rate is judged from what was stored
    assert report.decision is not None and report.decision.pass_rate is not None
    rollouts = [
        a for a in stored.store.list_attempts(stored.read_task) if a.kind is AttemptKind.rollout
    ]
    assert len(rollouts) == 4 and {a.run_id for a in rollouts} == {"flow-run"}
